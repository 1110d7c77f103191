
import { sql } from "kysely";
import type { Database } from "db/client";
import { statusText } from "~/booking/booking-page.server";
import { dayHeading, type WeekNav, weekNav } from "~/venues/week";
import { wallTimesOf } from "~/booking/when";
import type { Language } from "~/i18n";
import { closureOn } from "~/time/opening";
import { addDays, checkedDate, mondayOf } from "~/time/zoned";
import { activeBookingsAt, onLocalDay, requireManagedSites, todayAtSites, widestRange } from "./days.server";

export interface WeekEntry {
  id: string;
  start: string;
  end: string;
  /** Starts on an earlier day or ends on a later one. */
  crossesDay: boolean;
  title: string;
  /** null for blocked time, which belongs to no association. */
  associationName: string | null;
  blocked: boolean;
  status: "pending" | "confirmed";
  statusText: string;
  /**
   * The venue it is on when that is another one sharing this one's space (the
   * whole hall on a half, a half on the whole): it makes this venue
   * unavailable too, as the venue's public week shows. Null on its own venue.
   */
  otherVenue: string | null;
}

export interface WeekVenueDay {
  date: string;
  /** The closure that day: its reason, and the venue closed when it is another (the whole, or a part). */
  closure: { reason: string; venue: string | null } | null;
  entries: WeekEntry[];
}

export interface WeekVenue {
  id: number;
  name: string;
  /** Bookings in the week (one crossing midnight counts once; blocked time is not a booking). */
  count: number;
  days: WeekVenueDay[];
}

export interface WeekSite {
  id: number;
  name: string;
  address: string;
  venues: WeekVenue[];
}

export interface WeekDayHeading {
  date: string;
  /** "Mandag 22. mars" / "Monday 22 March". */
  heading: string;
  /** "Man. 22. mars" / "Mon 22 Mar". */
  short: string;
  isToday: boolean;
}

export interface CaretakerWeek extends WeekNav {
  days: WeekDayHeading[];
  sites: WeekSite[];
}

/**
 * For each booking or block, the venues at the sites whose space it claims
 * besides its own: a whole hall claims each of its parts, a part a share of
 * its whole. Read from the claims the exclusion constraint keeps, over each
 * venue's spaces (flokk_leaves), as the venue's week does.
 */
async function venuesSharingSpace(db: Database, siteIds: number[], bookingIds: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (bookingIds.length === 0) return out;
  const { rows } = await sql<{ booking_id: string; venue_id: number }>`
    WITH spaces AS (
      SELECT v.id AS venue_id, unnest(flokk_leaves(v.id)) AS space_id FROM venues v WHERE v.site_id = ANY(${siteIds}::bigint[])
    )
    SELECT DISTINCT c.booking_id, s.venue_id
    FROM booking_claims c JOIN spaces s ON s.space_id = c.space_id
    WHERE c.booking_id = ANY(${bookingIds}::uuid[])`.execute(db);
  for (const r of rows) out.set(r.booking_id, [...(out.get(r.booking_id) ?? []), Number(r.venue_id)]);
  return out;
}

/**
 * The venues whose closure closes this one: itself, every venue it is part of,
 * and its parts at any depth (archived ones left out), as the booking context
 * reads closures (migration 0014): a closed whole closes its halves, and a
 * closed half the whole. Parts are always at their whole's site.
 */
function closingVenues(venues: readonly { id: number; parent_id: number | null; archived_at: Date | null }[], venueId: number): Set<number> {
  const byId = new Map(venues.map((v) => [v.id, v]));
  const out = new Set<number>([venueId]);
  for (let up = byId.get(venueId)?.parent_id ?? null; up !== null && !out.has(up); up = byId.get(up)?.parent_id ?? null) out.add(up);
  const down = [venueId];
  while (down.length > 0) {
    const id = down.pop()!;
    for (const c of venues) {
      if (c.parent_id !== id || c.archived_at !== null || out.has(c.id)) continue;
      out.add(c.id);
      down.push(c.id);
    }
  }
  return out;
}

/**
 * The week containing `week` (any date in it; empty: this week) at the viewer's
 * sites: sites by name, their venues by name (archived ones only when they
 * still hold a booking that week), each with seven days.
 */
export async function loadCaretakerWeek(db: Database, args: { viewerId: number; week: string | null; lang: Language; now: Date }): Promise<CaretakerWeek> {
  const { lang } = args;
  const siteIds = await requireManagedSites(db, args.viewerId);
  const today = await todayAtSites(db, siteIds, args.now);
  const asked = args.week?.trim() ? checkedDate(args.week.trim(), "week", today) : today;
  const monday = mondayOf(asked);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const sunday = dates[6]!;

  const rows = await activeBookingsAt(db, siteIds, widestRange(monday, addDays(monday, 7))).execute();
  const [sites, venues, closures, sharing] = await Promise.all([
    db.selectFrom("sites").select(["id", "name", "address"]).where("id", "in", siteIds).orderBy("name").orderBy("id").execute(),
    db.selectFrom("venues").select(["id", "site_id", "parent_id", "name", "time_zone", "archived_at"]).where("site_id", "in", siteIds).orderBy("name").orderBy("id").execute(),
    db
      .selectFrom("closures as c")
      .innerJoin("venues as v", "v.id", "c.venue_id")
      .select(["c.venue_id", "c.starts_on", "c.ends_on", "c.reason"])
      .where("v.site_id", "in", siteIds)
      .where("c.starts_on", "<=", sunday)
      .where("c.ends_on", ">=", monday)
      .execute(),
    venuesSharingSpace(db, siteIds, rows.map((r) => r.id)),
  ]);

  const names = new Map(venues.map((v) => [v.id, v.name]));
  const booked = new Set(rows.map((r) => r.venue_id));
  const byVenue = new Map<number, WeekVenue>();
  for (const v of venues) {
    if (v.archived_at !== null && !booked.has(v.id)) continue;
    // Its own closures first, then those of the venues it is part of or made of, as the booking rules read them.
    const closed = closingVenues(venues, v.id);
    const its = closures
      .filter((c) => closed.has(c.venue_id))
      .sort((a, b) => Number(b.venue_id === v.id) - Number(a.venue_id === v.id))
      .map((c) => ({ startsOn: c.starts_on, endsOn: c.ends_on, reason: c.reason, venue: c.venue_id === v.id ? null : (names.get(c.venue_id) ?? null) }));
    byVenue.set(v.id, {
      id: v.id,
      name: v.name,
      count: 0,
      days: dates.map((date) => {
        const c = closureOn(date, its);
        return { date, closure: c ? { reason: c.reason, venue: c.venue ?? null } : null, entries: [] };
      }),
    });
  }
  for (const r of rows) {
    const times = wallTimesOf(r.starts_at, r.ends_at, r.time_zone);
    const status = r.status === "pending" ? "pending" : "confirmed";
    // Its own venue, and every venue it takes space from (rows come in time order, so each day's entries do too).
    const shown = new Set([r.venue_id, ...(sharing.get(r.id) ?? [])]);
    // The same days on every venue it is shown on: worked out once.
    const onDays = dates.map((date) => onLocalDay(r.starts_at, r.ends_at, date, r.time_zone));
    for (const venueId of shown) {
      const venue = byVenue.get(venueId);
      if (!venue) continue;
      const own = venueId === r.venue_id;
      let counted = false;
      for (const [i, day] of venue.days.entries()) {
        const on = onDays[i]!;
        if (!on.touches) continue;
        // Blocked time, and what is on another venue, is shown, not counted: the count says how many bookings the venue itself has.
        if (!counted && own && r.association_name !== null) venue.count++;
        counted = true;
        day.entries.push({
          id: r.id,
          start: times.start,
          end: times.end,
          crossesDay: on.crossesDay,
          title: r.title,
          associationName: r.association_name,
          blocked: r.association_name === null,
          status,
          statusText: statusText(lang, status),
          otherVenue: own ? null : (names.get(r.venue_id) ?? null),
        });
      }
    }
  }

  return {
    ...weekNav(lang, monday, today),
    days: dates.map((date) => ({ date, heading: dayHeading(lang, date, "long"), short: dayHeading(lang, date, "short"), isToday: date === today })),
    sites: sites.map((s) => ({
      id: s.id,
      name: s.name,
      address: s.address,
      venues: venues.filter((v) => v.site_id === s.id && byVenue.has(v.id)).map((v) => byVenue.get(v.id)!),
    })),
  };
}
