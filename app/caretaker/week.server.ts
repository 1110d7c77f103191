// The caretaker's week: every venue at the sites the person takes care of (or
// administers), grouped by site, Monday to Sunday, with each day's active
// bookings (pending and confirmed) and closures. The week is a list of local
// dates; each venue's days are taken in its own zone, so a week that crosses a
// daylight-saving change still runs from Monday 00:00 to Sunday 24:00 on the
// wall clock. Limited to the viewer's own sites here, in the domain; someone
// who manages no site gets Forbidden.
import { DateTime } from "luxon";
import type { Database } from "db/client";
import { statusText } from "~/booking/booking-page.server";
import { wallTimesOf } from "~/booking/when";
import { Forbidden, InvalidInput } from "~/errors/domain-errors";
import type { Language } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { closureOn } from "~/time/opening";
import { addDays, localDateOf, mondayOf, parseLocalDate, startOfLocalDay } from "~/time/zoned";
import { managedSiteIds } from "./caretaker.server";

const DEFAULT_ZONE = "Europe/Oslo";
/** Ten years either way, as the public venue week: further is a typo, not a plan. */
const MAX_DAYS_AWAY = 3653;

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

/** A date the person typed (`field` names it in the message): valid and within ten years of today. */
export function checkedDate(value: string, field: string, today: string): string {
  parseLocalDate(value, field);
  if (Math.abs(Date.parse(value) - Date.parse(today)) > MAX_DAYS_AWAY * 86_400_000) throw new InvalidInput({ [field]: "outOfRange" });
  return value;
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
  const dayStart = startOfLocalDay(date, zone).toMillis();
  const dayEnd = startOfLocalDay(addDays(date, 1), zone).toMillis();
  const s = start.getTime();
  const e = end.getTime();
  return { touches: s < dayEnd && e > dayStart, crossesDay: s < dayStart || e > dayEnd };
}

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
}

export interface WeekVenueDay {
  date: string;
  closure: string | null;
  entries: WeekEntry[];
}

export interface WeekVenue {
  id: number;
  name: string;
  /** Bookings in the week (one crossing midnight counts once). */
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

export interface CaretakerWeek {
  monday: string;
  weekNumber: number;
  from: string;
  to: string;
  previous: string;
  next: string;
  current: string;
  isCurrent: boolean;
  days: WeekDayHeading[];
  sites: WeekSite[];
}

function dayHeading(lang: Language, date: string, length: "long" | "short"): string {
  const s = DateTime.fromISO(date, { zone: "UTC" }).setLocale(lang.dateLocale).toLocaleString({ weekday: length, day: "numeric", month: length });
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
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
  const [sites, venues, closures] = await Promise.all([
    db.selectFrom("sites").select(["id", "name", "address"]).where("id", "in", siteIds).orderBy("name").orderBy("id").execute(),
    db.selectFrom("venues").select(["id", "site_id", "name", "time_zone", "archived_at"]).where("site_id", "in", siteIds).orderBy("name").orderBy("id").execute(),
    db
      .selectFrom("closures as c")
      .innerJoin("venues as v", "v.id", "c.venue_id")
      .select(["c.venue_id", "c.starts_on", "c.ends_on", "c.reason"])
      .where("v.site_id", "in", siteIds)
      .where("c.starts_on", "<=", sunday)
      .where("c.ends_on", ">=", monday)
      .execute(),
  ]);

  const booked = new Set(rows.map((r) => r.venue_id));
  const byVenue = new Map<number, WeekVenue>();
  for (const v of venues) {
    if (v.archived_at !== null && !booked.has(v.id)) continue;
    const own = closures.filter((c) => c.venue_id === v.id).map((c) => ({ startsOn: c.starts_on, endsOn: c.ends_on, reason: c.reason }));
    byVenue.set(v.id, {
      id: v.id,
      name: v.name,
      count: 0,
      days: dates.map((date) => ({ date, closure: closureOn(date, own)?.reason ?? null, entries: [] })),
    });
  }
  for (const r of rows) {
    const venue = byVenue.get(r.venue_id);
    if (!venue) continue;
    const times = wallTimesOf(r.starts_at, r.ends_at, r.time_zone);
    let counted = false;
    for (const day of venue.days) {
      const on = onLocalDay(r.starts_at, r.ends_at, day.date, r.time_zone);
      if (!on.touches) continue;
      if (!counted) venue.count++;
      counted = true;
      const status = r.status === "pending" ? "pending" : "confirmed";
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
      });
    }
  }

  const currentMonday = mondayOf(today);
  return {
    monday,
    weekNumber: DateTime.fromISO(monday, { zone: "UTC" }).weekNumber,
    from: formatDate(lang, monday),
    to: formatDate(lang, sunday),
    previous: addDays(monday, -7),
    next: addDays(monday, 7),
    current: currentMonday,
    isCurrent: currentMonday === monday,
    days: dates.map((date) => ({ date, heading: dayHeading(lang, date, "long"), short: dayHeading(lang, date, "short"), isToday: date === today })),
    sites: sites.map((s) => ({
      id: s.id,
      name: s.name,
      address: s.address,
      venues: venues.filter((v) => v.site_id === s.id && byVenue.has(v.id)).map((v) => byVenue.get(v.id)!),
    })),
  };
}
