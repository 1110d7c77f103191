// What people may read about bookings (invariant 5, checked here rather than
// in routes): a booking is visible to members of its association and to the
// caretakers and admins of its venue's site; to anyone else it does not exist
// (NotFound, never Forbidden, so that ids reveal nothing). What stands in the
// way of a wanted time is described without another association's private
// details: its title only when public (or the viewer's own), else nothing.
import { sql } from "kysely";
import type { Database } from "db/client";
import type { BookingStatus, MemberRole } from "db/schema";
import { NotFound } from "~/errors/domain-errors";
import { cleanUuid } from "./request";
import { PUBLIC_TITLE } from "./public-title.server";

export interface BookingDetailsView {
  id: string;
  title: string;
  purpose: string;
  isPublic: boolean;
  expectedAttendees: number;
  noteToCaretaker: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  seriesId: string | null;
  decisionReason: string | null;
  cancelReason: string | null;
  createdByName: string | null;
  venue: { id: number; slug: string; name: string; timeZone: string; siteName: string; siteAddress: string; bufferMinutes: number };
  association: { id: number; name: string; verified: boolean };
  series: { weekday: number; intervalWeeks: number; startTime: string; durationMinutes: number; from: string; until: string } | null;
  /** The viewer's relation to it. */
  viewer: { role: MemberRole | null; managesSite: boolean };
}

/** The booking as its association and its venue's staff see it; NotFound for everyone else. */
export async function viewBooking(db: Database, viewerId: number, bookingId: unknown): Promise<BookingDetailsView> {
  let id: string;
  try {
    id = cleanUuid("bookingId", bookingId);
  } catch {
    throw new NotFound("booking");
  }
  const row = await db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .innerJoin("associations as a", "a.id", "b.association_id")
    .leftJoin("users as u", "u.id", "b.created_by")
    .leftJoin("series as r", "r.id", "b.series_id")
    .leftJoin("memberships as m", (j) => j.onRef("m.association_id", "=", "b.association_id").on("m.user_id", "=", viewerId))
    .select((eb) => [
      "b.id",
      "b.title",
      "b.purpose",
      "b.is_public",
      "b.expected_attendees",
      "b.note_to_caretaker",
      "b.starts_at",
      "b.ends_at",
      "b.status",
      "b.series_id",
      "b.decision_reason",
      "b.cancel_reason",
      "u.name as created_by_name",
      "v.id as venue_id",
      "v.slug as venue_slug",
      "v.name as venue_name",
      "v.time_zone",
      "v.buffer_minutes",
      "s.name as site_name",
      "s.address as site_address",
      "a.id as association_id",
      "a.name as association_name",
      "a.verified",
      "r.weekday",
      "r.interval_weeks",
      "r.start_time",
      "r.duration_minutes",
      "r.starts_on",
      "r.until",
      "m.role",
      eb
        .or([
          eb.exists(eb.selectFrom("site_caretakers as c").select("c.user_id").whereRef("c.site_id", "=", "s.id").where("c.user_id", "=", viewerId)),
          eb.exists(eb.selectFrom("owner_admins as o").select("o.user_id").whereRef("o.owner_id", "=", "s.owner_id").where("o.user_id", "=", viewerId)),
        ])
        .as("manages"),
    ])
    .where("b.id", "=", id)
    .executeTakeFirst();
  if (!row || (!row.role && !row.manages)) throw new NotFound("booking");
  return {
    id: row.id,
    title: row.title,
    purpose: row.purpose,
    isPublic: row.is_public,
    expectedAttendees: row.expected_attendees,
    noteToCaretaker: row.note_to_caretaker,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    seriesId: row.series_id,
    decisionReason: row.decision_reason,
    cancelReason: row.cancel_reason,
    createdByName: row.created_by_name,
    venue: {
      id: row.venue_id,
      slug: row.venue_slug,
      name: row.venue_name,
      timeZone: row.time_zone,
      siteName: row.site_name,
      siteAddress: row.site_address,
      bufferMinutes: row.buffer_minutes,
    },
    association: { id: row.association_id, name: row.association_name, verified: row.verified },
    series:
      row.series_id && row.weekday !== null
        ? {
            weekday: row.weekday,
            intervalWeeks: row.interval_weeks!,
            startTime: row.start_time!.slice(0, 5),
            durationMinutes: row.duration_minutes!,
            from: row.starts_on!,
            until: row.until!,
          }
        : null,
    viewer: { role: row.role, managesSite: Boolean(row.manages) },
  };
}

export interface OccurrenceView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
}

/** Every occurrence of a series, in time order (for a page that already checked the viewer may see the series). */
export async function seriesOccurrences(db: Database, seriesId: string): Promise<OccurrenceView[]> {
  const rows = await db
    .selectFrom("bookings")
    .select(["id", "starts_at", "ends_at", "status"])
    .where("series_id", "=", seriesId)
    .orderBy("starts_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, startsAt: r.starts_at, endsAt: r.ends_at, status: r.status }));
}

export interface BlockingBooking {
  id: string;
  /** Its title when public or the viewer's own association's; null means "another booking". */
  title: string | null;
  /** Time a caretaker blocked: the venue is closed then (its reason is not told). */
  closed: boolean;
  startsAt: Date;
  endsAt: Date;
  venueName: string;
  venueSlug: string;
  timeZone: string;
}

/**
 * The bookings in the way of a wanted time, as the viewer may know them: the
 * time and the venue (the public calendar shows those as busy anyway), the
 * title only when public or the viewer's own; never the association.
 */
export async function describeBlocking(db: Database, viewerId: number, bookingIds: readonly string[]): Promise<Map<string, BlockingBooking>> {
  const ids = [...new Set(bookingIds)];
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{
    id: string;
    title: string | null;
    closed: boolean;
    starts_at: Date;
    ends_at: Date;
    venue_name: string;
    venue_slug: string;
    time_zone: string;
  }>`
    SELECT b.id, CASE WHEN m.user_id IS NOT NULL AND b.kind = 'booking' THEN b.title ELSE ${PUBLIC_TITLE} END AS title,
      b.kind = 'block' AS closed, b.starts_at, b.ends_at, v.name AS venue_name, v.slug AS venue_slug, v.time_zone
    FROM bookings b JOIN venues v ON v.id = b.venue_id
    LEFT JOIN memberships m ON m.association_id = b.association_id AND m.user_id = ${viewerId}
    WHERE b.id = ANY(${ids}::uuid[])`.execute(db);
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, title: r.title, closed: r.closed, startsAt: r.starts_at, endsAt: r.ends_at, venueName: r.venue_name, venueSlug: r.venue_slug, timeZone: r.time_zone },
    ]),
  );
}

export interface MyBookingRow {
  id: string;
  title: string;
  status: BookingStatus;
  isPublic: boolean;
  startsAt: Date;
  endsAt: Date;
  seriesId: string | null;
  venueSlug: string;
  venueName: string;
  timeZone: string;
}

export interface AssociationBookings {
  association: { id: number; name: string; verified: boolean; role: MemberRole };
  upcoming: MyBookingRow[];
  past: MyBookingRow[];
}

export interface MyBookingsOptions {
  /** Only this association (it must be one of the person's). */
  associationId?: number | null;
  upcomingLimit?: number;
  pastLimit?: number;
}

/**
 * The bookings of each association the person belongs to: upcoming (not yet
 * ended) soonest first, and the latest past ones, newest first. Only their own
 * associations: membership is the filter, in the statement itself.
 */
export async function listMyBookings(db: Database, userId: number, now: Date, options: MyBookingsOptions = {}): Promise<AssociationBookings[]> {
  let q = db
    .selectFrom("memberships as m")
    .innerJoin("associations as a", "a.id", "m.association_id")
    .select(["a.id", "a.name", "a.verified", "m.role"])
    .where("m.user_id", "=", userId);
  if (options.associationId) q = q.where("a.id", "=", options.associationId);
  const associations = await q.orderBy("a.name").orderBy("a.id").execute();
  if (associations.length === 0) return [];
  const ids = associations.map((a) => a.id);
  const upcomingLimit = options.upcomingLimit ?? 200;
  const pastLimit = options.pastLimit ?? 20;
  // One statement: per association, the next `upcomingLimit` and the last `pastLimit`.
  const { rows } = await sql<{
    id: string;
    association_id: number;
    title: string;
    status: BookingStatus;
    is_public: boolean;
    starts_at: Date;
    ends_at: Date;
    series_id: string | null;
    venue_slug: string;
    venue_name: string;
    time_zone: string;
    upcoming: boolean;
  }>`
    SELECT * FROM (
      SELECT b.id, b.association_id, b.title, b.status, b.is_public, b.starts_at, b.ends_at, b.series_id,
        v.slug AS venue_slug, v.name AS venue_name, v.time_zone, b.ends_at > ${now} AS upcoming,
        row_number() OVER (
          PARTITION BY b.association_id, b.ends_at > ${now}
          ORDER BY CASE WHEN b.ends_at > ${now} THEN extract(epoch FROM b.starts_at) ELSE -extract(epoch FROM b.starts_at) END, b.id
        ) AS n
      FROM bookings b JOIN venues v ON v.id = b.venue_id
      WHERE b.association_id = ANY(${ids}::bigint[])
    ) x
    WHERE (upcoming AND n <= ${upcomingLimit}) OR (NOT upcoming AND n <= ${pastLimit})
    ORDER BY association_id, upcoming DESC, n`.execute(db);
  const toRow = (r: (typeof rows)[number]): MyBookingRow => ({
    id: r.id,
    title: r.title,
    status: r.status,
    isPublic: r.is_public,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    seriesId: r.series_id,
    venueSlug: r.venue_slug,
    venueName: r.venue_name,
    timeZone: r.time_zone,
  });
  return associations.map((a) => ({
    association: { id: a.id, name: a.name, verified: a.verified, role: a.role },
    upcoming: rows.filter((r) => r.association_id === a.id && r.upcoming).map(toRow),
    past: rows.filter((r) => r.association_id === a.id && !r.upcoming).map(toRow),
  }));
}
