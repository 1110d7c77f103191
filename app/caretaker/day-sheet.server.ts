// The day sheet: one local date at the viewer's sites, for paper. One part per
// building (site) that has bookings that day, each with its name, address and
// the day's active bookings in time order, with who to call and what they
// asked for; the head count is written by hand on the printout. Each venue's
// day is taken in its own zone. Limited to the viewer's own sites here, in the
// domain: contact details of associations go only to the people who run the
// building.
import { DateTime } from "luxon";
import type { Database } from "db/client";
import { statusText } from "~/booking/booking-page.server";
import { wallTimesOf } from "~/booking/when";
import type { Language } from "~/i18n";
import { addDays, checkedDate } from "~/time/zoned";
import { activeBookingsAt, onLocalDay, requireManagedSites, todayAtSites, widestRange } from "./days.server";

export interface SheetLine {
  id: string;
  start: string;
  end: string;
  crossesDay: boolean;
  venueName: string;
  title: string;
  /** null for blocked time, which belongs to no association. */
  associationName: string | null;
  blocked: boolean;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  expectedAttendees: number;
  status: "pending" | "confirmed";
  statusText: string;
  noteToCaretaker: string;
}

export interface SheetSite {
  id: number;
  name: string;
  address: string;
  lines: SheetLine[];
}

export interface DaySheet {
  date: string;
  /** "Tirsdag 1. desember 2026" / "Tuesday 1 December 2026". */
  dateText: string;
  previous: string;
  next: string;
  isToday: boolean;
  /** Only buildings with bookings that day, by name: one printed page each. */
  sites: SheetSite[];
}

function longDate(lang: Language, date: string): string {
  const s = DateTime.fromISO(date, { zone: "UTC" }).setLocale(lang.dateLocale).toLocaleString({ weekday: "long", day: "numeric", month: "long", year: "numeric" });
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

/** The day sheet for `date` (empty: today at the viewer's sites). */
export async function loadDaySheet(db: Database, args: { viewerId: number; date: string | null; lang: Language; now: Date }): Promise<DaySheet> {
  const { lang } = args;
  const siteIds = await requireManagedSites(db, args.viewerId);
  const today = await todayAtSites(db, siteIds, args.now);
  const date = args.date?.trim() ? checkedDate(args.date.trim(), "date", today) : today;

  const [rows, sites] = await Promise.all([
    activeBookingsAt(db, siteIds, widestRange(date, addDays(date, 1)))
      .leftJoin("users as u", "u.id", "b.created_by")
      .select(["v.name as venue_name", "b.expected_attendees", "b.note_to_caretaker", "a.contact_email", "u.name as booker_name", "u.phone as booker_phone"])
      .execute(),
    db.selectFrom("sites").select(["id", "name", "address"]).where("id", "in", siteIds).orderBy("name").orderBy("id").execute(),
  ]);

  const bySite = new Map<number, SheetLine[]>();
  for (const r of rows) {
    const on = onLocalDay(r.starts_at, r.ends_at, date, r.time_zone);
    if (!on.touches) continue;
    const times = wallTimesOf(r.starts_at, r.ends_at, r.time_zone);
    const blocked = r.association_name === null;
    const status = r.status === "pending" ? "pending" : "confirmed";
    const lines = bySite.get(r.site_id) ?? [];
    lines.push({
      id: r.id,
      start: times.start,
      end: times.end,
      crossesDay: on.crossesDay,
      venueName: r.venue_name,
      title: r.title,
      associationName: r.association_name,
      blocked,
      // Who blocked time is a colleague, not someone to call about the booking.
      contactName: blocked ? null : r.booker_name,
      contactPhone: blocked ? null : r.booker_phone || null,
      contactEmail: blocked ? null : r.contact_email,
      expectedAttendees: r.expected_attendees,
      status,
      statusText: statusText(lang, status),
      noteToCaretaker: r.note_to_caretaker,
    });
    bySite.set(r.site_id, lines);
  }

  return {
    date,
    dateText: longDate(lang, date),
    previous: addDays(date, -1),
    next: addDays(date, 1),
    isToday: date === today,
    sites: sites.filter((s) => bySite.has(s.id)).map((s) => ({ id: s.id, name: s.name, address: s.address, lines: bySite.get(s.id)! })),
  };
}
