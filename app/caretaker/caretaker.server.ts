// What caretakers (and owner admins) see of the sites they manage: the queue
// of requests waiting for a decision, and a day's bookings. Every query is
// limited to the viewer's own sites here, in the domain, so a route cannot
// forget it; someone who manages no site gets Forbidden. Contact details of
// associations appear only here, to the people who run the venue.
import { sql } from "kysely";
import type { Database } from "db/client";
import type { BookingStatus } from "db/schema";
import { formatDate } from "~/i18n/format";
import type { Language } from "~/i18n";
import { statusText } from "~/booking/booking-page.server";
import { onLocalDay, requireManagedSites, todayAtSites, widestRange } from "./days.server";
import { formatWhen, wallTimesOf } from "~/booking/when";
import { addDays, localDateOf, parseLocalDate, } from "~/time/zoned";


export interface AssociationCard {
  id: number;
  name: string;
  verified: boolean;
  /** Turned down by an owner admin: it books nothing new, but may have asked before. */
  rejected: boolean;
  contactEmail: string;
  /** Past confirmed bookings (ended before now) and no-shows among all its bookings. */
  pastConfirmed: number;
  noShows: number;
}

export interface RequestCard {
  id: string;
  title: string;
  purpose: string;
  expectedAttendees: number;
  noteToCaretaker: string;
  when: string;
  venueName: string;
  siteName: string;
  requestedAt: string;
  booker: { name: string; phone: string } | null;
  association: AssociationCard;
}

export interface QueueItem {
  /** One pending booking, or the pending dates of a weekly series decided together. */
  kind: "booking" | "series";
  /** The booking's id, or the series' id. */
  id: string;
  /** The first (or only) request: its details stand for the series. */
  first: RequestCard;
  /**
   * Every pending date, in time order (one for a single booking); `movedFrom`
   * the time it had before its last move (a member's move that needs approval
   * again), so the caretaker sees it is not a new request.
   */
  dates: { id: string; when: string; movedFrom: string | null }[];
}

export interface ApprovalQueue {
  items: QueueItem[];
}


/**
 * Bookings with their venue, site, association and booker: what both caretaker
 * pages list. Blocked time has no association (LEFT JOIN), so its columns are null.
 */
function bookingsWithPeople(db: Database) {
  return db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .leftJoin("associations as a", "a.id", "b.association_id")
    .leftJoin("users as u", "u.id", "b.created_by")
    .select([
      "b.expected_attendees",
      "b.note_to_caretaker",
      "b.starts_at",
      "b.ends_at",
      "v.name as venue_name",
      "v.time_zone",
      "s.name as site_name",
      "a.name as association_name",
      "a.contact_email",
      "u.name as booker_name",
      "u.phone as booker_phone",
    ]);
}

/**
 * Pending requests still to come at the viewer's sites, oldest request first;
 * the pending dates of a series form one item, placed by its oldest request.
 */
export async function loadApprovalQueue(db: Database, args: { viewerId: number; lang: Language; now: Date }): Promise<ApprovalQueue> {
  const { lang, now } = args;
  const sites = await requireManagedSites(db, args.viewerId);
  const rows = await bookingsWithPeople(db)
    .select([
      "b.id",
      "b.series_id",
      "b.title",
      "b.purpose",
      "b.created_at",
      "a.id as association_id",
      "a.verified",
      sql<boolean>`a.rejected_at IS NOT NULL`.as("rejected"),
    ])
    .select((eb) => [
      eb
        .selectFrom("bookings as h")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("h.association_id", "=", "b.association_id")
        .where("h.status", "=", "confirmed")
        .where("h.ends_at", "<=", now)
        .as("past_confirmed"),
      eb.selectFrom("bookings as h").select(sql<number>`count(*)::int`.as("n")).whereRef("h.association_id", "=", "b.association_id").where("h.no_show", "=", true).as("no_shows"),
      // The time before its last move, from the audit row the move wrote.
      eb
        .selectFrom("audit_log as l")
        .select(sql<{ starts_at: string; ends_at: string } | null>`jsonb_build_object('starts_at', l.before->'starts_at', 'ends_at', l.before->'ends_at')`.as("moved"))
        .where("l.entity", "=", "booking")
        // entity_id is text (audit rows name associations too).
        .where(sql<boolean>`l.entity_id = b.id::text`)
        .where("l.action", "=", "moved")
        .orderBy("l.id", "desc")
        .limit(1)
        .as("moved_from"),
    ])
    .where("v.site_id", "in", sites)
    .where("b.status", "=", "pending")
    .where("b.ends_at", ">", now)
    // Blocks are never pending; this says so to the type checker too.
    .where("b.kind", "=", "booking")
    .$narrowType<{ association_id: number; association_name: string; contact_email: string; verified: boolean }>()
    .orderBy("b.created_at")
    .orderBy("b.starts_at")
    .orderBy("b.id")
    .execute();

  type Building = Omit<QueueItem, "dates"> & { dates: (QueueItem["dates"][number] & { at: number })[] };
  const items: Building[] = [];
  const bySeries = new Map<string, Building>();
  for (const r of rows) {
    const when = formatWhen(lang, r.starts_at, r.ends_at, r.time_zone);
    const movedFrom = r.moved_from ? formatWhen(lang, new Date(r.moved_from.starts_at), new Date(r.moved_from.ends_at), r.time_zone) : null;
    const date = { id: r.id, when, movedFrom, at: r.starts_at.getTime() };
    const existing = r.series_id ? bySeries.get(r.series_id) : undefined;
    if (existing) {
      existing.dates.push(date);
      continue;
    }
    const item: Building = {
      kind: r.series_id ? "series" : "booking",
      id: r.series_id ?? r.id,
      first: {
        id: r.id,
        title: r.title,
        purpose: r.purpose,
        expectedAttendees: r.expected_attendees,
        noteToCaretaker: r.note_to_caretaker,
        when,
        venueName: r.venue_name,
        siteName: r.site_name,
        requestedAt: formatDate(lang, localDateOf(r.created_at, r.time_zone)),
        booker: r.booker_name !== null ? { name: r.booker_name, phone: r.booker_phone ?? "" } : null,
        association: {
          id: r.association_id,
          name: r.association_name,
          verified: r.verified,
          rejected: r.rejected,
          contactEmail: r.contact_email,
          pastConfirmed: Number(r.past_confirmed ?? 0),
          noShows: Number(r.no_shows ?? 0),
        },
      },
      dates: [date],
    };
    items.push(item);
    if (r.series_id) bySeries.set(r.series_id, item);
  }
  // A series' dates in time order.
  return {
    items: items.map((item) => ({ ...item, dates: item.dates.sort((x, y) => x.at - y.at).map(({ at: _at, ...d }) => d) })),
  };
}

export interface DayLine {
  id: string;
  venueName: string;
  siteName: string;
  start: string;
  end: string;
  /** Starts on an earlier day or ends on a later one. */
  crossesDay: boolean;
  /** A booking's title, or a block's reason. */
  title: string;
  /** Time a caretaker or admin blocked: no association, nobody to call, nobody to count. */
  blocked: boolean;
  associationName: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  expectedAttendees: number;
  status: BookingStatus;
  statusText: string;
  noteToCaretaker: string;
  /** What was recorded after the start (app/caretaker/attendance.server.ts). */
  attendance: number | null;
  noShow: boolean;
  /** A confirmed booking that has started: its head count or no-show can be recorded. */
  canRecordAttendance: boolean;
}

export interface DaySchedule {
  date: string;
  dateText: string;
  previous: string;
  next: string;
  isToday: boolean;
  lines: DayLine[];
}

/**
 * Active bookings (confirmed and pending) at the viewer's sites on a local date,
 * each venue's day taken in its own zone, in time order. Without a date: today
 * in the zone of the viewer's first site.
 */
export async function loadDaySchedule(db: Database, args: { viewerId: number; date: string | null; lang: Language; now: Date }): Promise<DaySchedule> {
  const { lang, now } = args;
  const sites = await requireManagedSites(db, args.viewerId);
  const today = await todayAtSites(db, sites, now);
  const date = args.date ? args.date : today;
  parseLocalDate(date, "date");
  const { from, to } = widestRange(date, addDays(date, 1));
  const rows = await bookingsWithPeople(db)
    .select(["b.id", "b.title", "b.status", "b.kind", "b.attendance", "b.no_show"])
    .where("v.site_id", "in", sites)
    .where("b.status", "in", ["pending", "confirmed"])
    .where("b.starts_at", "<", to)
    .where("b.ends_at", ">", from)
    .orderBy("b.starts_at")
    .orderBy("v.name")
    .orderBy("b.id")
    .execute();
  const lines: DayLine[] = [];
  for (const r of rows) {
    const on = onLocalDay(r.starts_at, r.ends_at, date, r.time_zone);
    if (!on.touches) continue;
    const times = wallTimesOf(r.starts_at, r.ends_at, r.time_zone);
    const blocked = r.kind === "block";
    lines.push({
      id: r.id,
      venueName: r.venue_name,
      siteName: r.site_name,
      start: times.start,
      end: times.end,
      crossesDay: on.crossesDay,
      title: r.title,
      blocked,
      associationName: r.association_name,
      // Who blocked time is a colleague, not someone to call about a booking.
      contactName: blocked ? null : r.booker_name,
      contactPhone: blocked ? null : r.booker_phone || null,
      contactEmail: r.contact_email,
      expectedAttendees: r.expected_attendees,
      status: r.status,
      statusText: statusText(lang, r.status),
      noteToCaretaker: r.note_to_caretaker,
      attendance: r.attendance,
      noShow: r.no_show,
      canRecordAttendance: !blocked && r.status === "confirmed" && r.starts_at.getTime() <= now.getTime(),
    });
  }
  return { date, dateText: formatDate(lang, date), previous: addDays(date, -1), next: addDays(date, 1), isToday: date === today, lines };
}
