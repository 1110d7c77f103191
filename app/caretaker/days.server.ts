// The days a caretaker looks at: which sites are theirs, what "today" is there,
// and which bookings touch a local date. Shared by the day plan, the week plan
// and the day sheet, so all three agree on the sites, the zone and the edges
// of a day. Every query is limited to the viewer's own sites here, in the
// domain; someone who manages no site gets Forbidden.
import type { Database } from "db/client";
import { Forbidden } from "~/errors/domain-errors";
import { addDays, localDateOf, startOfLocalDay, startOfLocalDayMillis } from "~/time/zoned";

/** Ids of the sites the person takes care of or administers (through the owner). */
export async function managedSiteIds(db: Database, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("sites as s")
    .select("s.id")
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("site_caretakers as c").select("c.user_id").whereRef("c.site_id", "=", "s.id").where("c.user_id", "=", userId)),
        eb.exists(eb.selectFrom("owner_admins as a").select("a.user_id").whereRef("a.owner_id", "=", "s.owner_id").where("a.user_id", "=", userId)),
      ]),
    )
    .orderBy("s.id")
    .execute();
  return rows.map((r) => r.id);
}

const DEFAULT_ZONE = "Europe/Oslo";

/** The viewer's sites, or Forbidden when there are none. */
export async function requireManagedSites(db: Database, viewerId: number): Promise<number[]> {
  const sites = await managedSiteIds(db, viewerId);
  if (sites.length === 0) throw new Forbidden();
  return sites;
}

/** Today in the zone of the viewer's first venue, as the day plan reckons it. */
export async function todayAtSites(db: Database, siteIds: number[], now: Date): Promise<string> {
  const first = await db.selectFrom("venues").select("time_zone").where("site_id", "in", siteIds).orderBy("id").executeTakeFirst();
  return localDateOf(now, first?.time_zone ?? DEFAULT_ZONE);
}

/** The instants that surely hold the local dates `from`..`to` (exclusive) in any zone; rows are then held to their own zone. */
export function widestRange(from: string, to: string): { from: Date; to: Date } {
  return { from: startOfLocalDay(from, "Etc/GMT-14").toJSDate(), to: startOfLocalDay(to, "Etc/GMT+12").toJSDate() };
}

/**
 * Active bookings (pending, confirmed) of venues at the sites overlapping the
 * range, earliest first. Associations are joined LEFT: time a caretaker blocks
 * (maintenance) has no association, and shows with its title as the reason.
 */
export function activeBookingsAt(db: Database, siteIds: number[], range: { from: Date; to: Date }) {
  return db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .leftJoin("associations as a", "a.id", "b.association_id")
    .select(["b.id", "b.venue_id", "b.title", "b.status", "b.starts_at", "b.ends_at", "v.site_id", "v.time_zone", "a.name as association_name"])
    .where("v.site_id", "in", siteIds)
    .where("b.status", "in", ["pending", "confirmed"])
    .where("b.starts_at", "<", range.to)
    .where("b.ends_at", ">", range.from)
    .orderBy("b.starts_at")
    .orderBy("v.name")
    .orderBy("b.id");
}

/** Whether [start, end) touches the local date in the zone, and whether it spills over the day's edges. */
export function onLocalDay(start: Date, end: Date, date: string, zone: string): { touches: boolean; crossesDay: boolean } {
  const dayStart = startOfLocalDayMillis(date, zone);
  const dayEnd = startOfLocalDayMillis(addDays(date, 1), zone);
  const s = start.getTime();
  const e = end.getTime();
  return { touches: s < dayEnd && e > dayStart, crossesDay: s < dayStart || e > dayEnd };
}
