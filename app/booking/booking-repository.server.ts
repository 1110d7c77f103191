// Plain data access for bookings: no rules here, only statements.
import { type Kysely, sql, type Transaction } from "kysely";
import type { Booking, BookingStatus, DB } from "db/schema";

type Db = Kysely<DB>;

export interface BookingRow {
  id: string;
  venue_id: number;
  association_id: number;
  series_id: string | null;
  title: string;
  purpose: string;
  is_public: boolean;
  expected_attendees: number;
  note_to_caretaker: string;
  starts_at: string; // ISO instant
  ends_at: string;
  status: BookingStatus;
  created_by: number;
  /** End of the claim: the booking's end plus the venue's buffer. */
  claim_end: string;
}

export interface IdempotencyClaim {
  scope: string;
  key: string;
  requestHash: string;
  bookingId: string | null;
  seriesId: string | null;
}

/**
 * Mail about each new booking, written by the same statement (see insertBookings):
 * to the booker "confirmed" or "received", a reminder `reminderHours` before a
 * confirmed booking when that is still after `now`, and to every caretaker of
 * the site "a new request" for a pending one.
 */
export interface NewBookingMail {
  reminderHours: number;
  now: Date;
  /**
   * Only each confirmed booking's reminder, no message per booking: a series
   * tells of itself in one summary (notifySeriesCreated), but each of its
   * dates is reminded of like any other booking.
   */
  remindersOnly?: boolean;
}

/**
 * Inserts bookings, the claims active ones hold on every leaf space, their
 * audit rows, (optionally) the idempotency key and (optionally) the outbox
 * messages about them, in ONE statement: it is atomic on its own, and costs a
 * single round trip on the hot path.
 *
 * Returns the inserted bookings, or null when the idempotency key already
 * exists (nothing is then written). Throws pg error 23P01 when a claim overlaps.
 */
export async function insertBookings(
  db: Db,
  rows: readonly BookingRow[],
  leaves: readonly number[],
  actorId: number,
  idempotency: IdempotencyClaim | null,
  mail: NewBookingMail | null,
): Promise<Booking[] | null> {
  const k = idempotency;
  const notify = mail !== null;
  const perBooking = notify && !mail.remindersOnly;
  const reminderHours = mail?.reminderHours ?? 0;
  const { rows: out } = await sql<Booking>`
    WITH k AS (
      INSERT INTO idempotency_keys (scope, key, request_hash, booking_id, series_id)
      SELECT ${k?.scope ?? null}, ${k?.key ?? null}, ${k?.requestHash ?? null}, ${k?.bookingId ?? null}::uuid, ${k?.seriesId ?? null}::uuid
      WHERE ${k !== null}::boolean
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), go AS (
      SELECT 1 WHERE NOT ${k !== null}::boolean OR EXISTS (SELECT 1 FROM k)
    ), r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        id uuid, venue_id bigint, association_id bigint, series_id uuid, title text, purpose text,
        is_public boolean, expected_attendees integer, note_to_caretaker text,
        starts_at timestamptz, ends_at timestamptz, status text, created_by bigint, claim_end timestamptz)
    ), b AS (
      INSERT INTO bookings (id, venue_id, association_id, series_id, title, purpose, is_public,
        expected_attendees, note_to_caretaker, starts_at, ends_at, status, created_by)
      SELECT id, venue_id, association_id, series_id, title, purpose, is_public,
        expected_attendees, note_to_caretaker, starts_at, ends_at, status, created_by
      FROM r WHERE EXISTS (SELECT 1 FROM go)
      RETURNING *
    ), c AS (
      INSERT INTO booking_claims (booking_id, space_id, during)
      SELECT b.id, s.space_id, tstzrange(b.starts_at, r.claim_end, '[)')
      FROM b JOIN r ON r.id = b.id CROSS JOIN unnest(${leaves as number[]}::bigint[]) AS s(space_id)
      WHERE b.status IN ('pending', 'confirmed')
      -- In time order, as every writer of claims does: two series that overlap
      -- then wait on each other in one direction only, instead of deadlocking
      -- (a second lost to PostgreSQL's deadlock_timeout each time).
      ORDER BY b.starts_at, s.space_id
    ), a AS (
      INSERT INTO audit_log (actor_id, entity, entity_id, action, after)
      SELECT ${actorId}, 'booking', b.id, 'requested', to_jsonb(b) FROM b
    ), m AS (
      -- What a message about the booking shows: the fields of BookingSnapshot (app/notifications/messages.ts).
      SELECT b.id, b.status, b.starts_at, b.venue_id, b.created_by, jsonb_build_object('booking', jsonb_build_object(
        'id', b.id, 'venue_id', b.venue_id, 'association_id', b.association_id, 'title', b.title,
        'purpose', b.purpose, 'expected_attendees', b.expected_attendees, 'note_to_caretaker', b.note_to_caretaker,
        'starts_at', b.starts_at, 'ends_at', b.ends_at, 'status', b.status, 'sequence', b.sequence,
        'decision_reason', b.decision_reason, 'cancel_reason', b.cancel_reason,
        'created_at', b.created_at, 'updated_at', b.updated_at)) AS event
      FROM b WHERE ${notify}::boolean
    ), o AS (
      INSERT INTO outbox (kind, recipient, payload, available_at)
      SELECT x.kind, x.recipient, x.payload, x.available_at
      FROM m JOIN users u ON u.id = m.created_by
      CROSS JOIN LATERAL (
        SELECT CASE m.status WHEN 'confirmed' THEN 'booking-confirmed' ELSE 'booking-received' END, u.email, m.event, now()
        WHERE ${perBooking}::boolean
        UNION ALL
        SELECT 'booking-reminder', u.email, jsonb_build_object('bookingId', m.id, 'startsAt', m.starts_at),
          m.starts_at - make_interval(hours => ${reminderHours}::int)
        WHERE m.status = 'confirmed' AND m.starts_at - make_interval(hours => ${reminderHours}::int) > ${mail?.now ?? null}::timestamptz
      ) AS x(kind, recipient, payload, available_at)
      UNION ALL
      SELECT 'booking-request', cu.email, m.event, now()
      FROM m JOIN venues v ON v.id = m.venue_id
      JOIN site_caretakers sc ON sc.site_id = v.site_id JOIN users cu ON cu.id = sc.user_id
      WHERE m.status = 'pending' AND ${perBooking}::boolean
    )
    SELECT * FROM b ORDER BY starts_at`.execute(db);
  if (k && out.length === 0) return null;
  return out;
}

export interface StoredKey {
  bookingId: string | null;
  seriesId: string | null;
  requestHash: string;
}

export async function findIdempotencyKey(db: Db, scope: string, key: string): Promise<StoredKey | null> {
  const row = await db
    .selectFrom("idempotency_keys")
    .select(["booking_id", "series_id", "request_hash"])
    .where("scope", "=", scope)
    .where("key", "=", key)
    .executeTakeFirst();
  return row ? { bookingId: row.booking_id, seriesId: row.series_id, requestHash: row.request_hash } : null;
}

/** The active booking whose claim overlaps [start, end) on any of the spaces. */
export async function findClaimHolder(
  db: Db,
  leaves: readonly number[],
  start: Date,
  end: Date,
  /** A booking being moved is not in its own way. */
  exceptBookingId: string | null = null,
): Promise<string | null> {
  const { rows } = await sql<{ booking_id: string }>`
    SELECT booking_id FROM booking_claims
    WHERE space_id = ANY(${leaves as number[]}::bigint[]) AND during && tstzrange(${start}, ${end}, '[)')
      AND booking_id IS DISTINCT FROM ${exceptBookingId}::uuid
    ORDER BY lower(during) LIMIT 1`.execute(db);
  return rows[0]?.booking_id ?? null;
}

export interface ClaimHit {
  booking_id: string;
  start: Date;
  end: Date;
}

/** Every claim on the spaces overlapping any of the spans, for reporting series conflicts. */
export async function findClaimsOverlapping(db: Db, leaves: readonly number[], spans: readonly { start: Date; end: Date }[]): Promise<ClaimHit[]> {
  if (spans.length === 0) return [];
  const { rows } = await sql<ClaimHit>`
    SELECT c.booking_id, lower(c.during) AS start, upper(c.during) AS end
    FROM booking_claims c
    JOIN unnest(${spans.map((s) => s.start)}::timestamptz[], ${spans.map((s) => s.end)}::timestamptz[]) AS q(s, e)
      ON c.during && tstzrange(q.s, q.e, '[)')
    WHERE c.space_id = ANY(${leaves as number[]}::bigint[])`.execute(db);
  return rows;
}

export async function getBooking(db: Db, id: string): Promise<Booking | undefined> {
  return db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function lockBooking(trx: Transaction<DB>, id: string): Promise<(Booking & { site_id: number; owner_id: number }) | undefined> {
  return trx
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .selectAll("b")
    .select(["v.site_id", "s.owner_id"])
    .where("b.id", "=", id)
    .forUpdate("b")
    .executeTakeFirst();
}

/**
 * The pending bookings of a series or an association that have not ended at
 * `now`, locked FOR UPDATE in time order, as every writer that takes several
 * bookings locks them (a caretaker deciding a series, an admin rejecting an association).
 */
export async function lockWaiting(trx: Transaction<DB>, of: { seriesId: string } | { associationId: number }, now: Date): Promise<Booking[]> {
  return trx
    .selectFrom("bookings")
    .selectAll()
    .where("seriesId" in of ? "series_id" : "association_id", "=", "seriesId" in of ? of.seriesId : of.associationId)
    .where("status", "=", "pending")
    .where("ends_at", ">", now)
    .orderBy("starts_at")
    .orderBy("id")
    .forUpdate()
    .execute();
}

/** Whether the municipality has turned the association away: nothing of its is approved then. */
export async function isRejectedAssociation(db: Kysely<DB>, associationId: number): Promise<boolean> {
  const row = await db.selectFrom("associations").select("rejected_at").where("id", "=", associationId).executeTakeFirst();
  return row?.rejected_at != null;
}

export interface StatusChange {
  status: BookingStatus;
  actorId: number;
  reason: string | null;
}

/** Sets the status, bumps SEQUENCE (calendar clients see a change) and frees claims of inactive bookings. */
export async function changeStatus(trx: Transaction<DB>, before: Booking, change: StatusChange, action: string): Promise<Booking> {
  const decided = change.status === "confirmed" || change.status === "rejected";
  const after = await trx
    .updateTable("bookings")
    .set((eb) => ({
      status: change.status,
      sequence: eb("sequence", "+", 1),
      updated_at: sql<Date>`now()`,
      ...(decided
        ? { decided_by: change.actorId, decided_at: sql<Date>`now()`, decision_reason: change.reason }
        : { cancelled_by: change.actorId, cancelled_at: sql<Date>`now()`, cancel_reason: change.reason }),
    }))
    .where("id", "=", before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (change.status === "rejected" || change.status === "cancelled") {
    await trx.deleteFrom("booking_claims").where("booking_id", "=", before.id).execute();
  }
  await writeAudit(trx, change.actorId, "booking", before.id, action, before, after);
  return after;
}

export async function writeAudit(
  trx: Transaction<DB>,
  actorId: number | null,
  entity: string,
  entityId: string,
  action: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({ actor_id: actorId, entity, entity_id: entityId, action, before: JSON.stringify(before), after: JSON.stringify(after) })
    .execute();
}

/**
 * Minutes of active bookings of the association at the venue within each of
 * `ranges` ([from, to)), in order, in one statement (the weeks of a series).
 */
export async function bookedMinutesIn(
  db: Db,
  associationId: number,
  venueId: number,
  ranges: readonly { from: Date; to: Date }[],
  /** A booking being moved does not count against itself. */
  exceptBookingId?: string,
): Promise<number[]> {
  if (ranges.length === 0) return [];
  const { rows } = await sql<{ minutes: number }>`
    SELECT coalesce((
      SELECT sum(extract(epoch FROM b.ends_at - b.starts_at)) / 60 FROM bookings b
      WHERE b.association_id = ${associationId} AND b.venue_id = ${venueId} AND b.status IN ('pending', 'confirmed')
        AND b.starts_at < r.to_at AND b.ends_at > r.from_at AND b.id IS DISTINCT FROM ${exceptBookingId ?? null}::uuid
    ), 0)::float8 AS minutes
    FROM unnest(${ranges.map((r) => r.from)}::timestamptz[], ${ranges.map((r) => r.to)}::timestamptz[]) WITH ORDINALITY AS r(from_at, to_at, n)
    ORDER BY r.n`.execute(db);
  return rows.map((r) => Number(r.minutes));
}
