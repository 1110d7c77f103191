// The write of one booking request. Concurrent requests of the process go
// together through the PL/pgSQL function flokk_write_bookings, which checks and
// writes a batch set-wise and falls back to one request at a time when any of
// them fails (db/migrations/…-0011); inside a caller's transaction a
// request is a call of flokk_insert_booking (…-0008), after the context check
// when it has one. Both keep their statements' plans per connection. See
// docs/decisions/005-booking-hot-path.md.
import { sql } from "kysely";
import { type Database, poolOf } from "db/client";
import type { Booking } from "db/schema";
import type { BookingRow, IdempotencyClaim, NewBookingMail } from "./booking-repository.server";
import { type Coalescer, coalescerFor, type Outcome } from "./coalesce.server";

export interface BookingWrite {
  row: BookingRow;
  leaves: readonly number[];
  actorId: number;
  idempotency: IdempotencyClaim | null;
  mail: NewBookingMail | null;
  /**
   * The context the rules were checked against, given for every write outside
   * a transaction since it may be a kept one (context-cache.server.ts): the
   * write refuses with 40001 unless the venue's stamp and the actor's
   * association are unchanged.
   */
  check: ContextCheck | null;
}

export interface ContextCheck {
  stamp: number;
  verified: boolean;
}

/**
 * Inserts the booking, the claims it holds on every leaf space while active,
 * its audit row, (optionally) the idempotency key and (optionally) the outbox
 * messages about it, atomically: what insertBookings does for many rows.
 *
 * Returns the booking, or null when the idempotency key already exists
 * (nothing is then written). Throws an error with code 23P01 when a claim
 * overlaps (40P01 on a deadlock, 40001 when the venue or the checked
 * context changed).
 *
 * Inside a caller's transaction it runs there; otherwise it is coalesced
 * with the process's concurrent requests into one call, in which each
 * booking is written or not on its own.
 */
export async function insertBooking(db: Database, w: BookingWrite): Promise<Booking | null> {
  return db.isTransaction ? insertOne(db, w) : coalescerFor(writes, db, insertMany).call(w);
}

async function insertOne(db: Database, { row, leaves, actorId, idempotency: k, mail, check }: BookingWrite): Promise<Booking | null> {
  if (check) {
    await sql`SELECT flokk_check_context(${row.venue_id}::bigint, ${check.stamp}::bigint, ${row.association_id}::bigint,
      ${actorId}::bigint, ${check.verified})`.execute(db);
  }
  const { rows } = await sql<Booking>`
    SELECT * FROM flokk_insert_booking(${row.id}, ${row.venue_id}, ${row.association_id}, ${row.title}, ${row.purpose},
      ${row.is_public}, ${row.expected_attendees}, ${row.note_to_caretaker}, ${row.starts_at}, ${row.ends_at}, ${row.claim_end},
      ${row.status}, ${actorId}, ${leaves as number[]}, ${k?.scope ?? null}, ${k?.key ?? null}, ${k?.requestHash ?? null},
      ${mail !== null}, ${mail?.reminderHours ?? 0}, ${mail?.now ?? null})`.execute(db);
  return present(rows[0]);
}

/** A function returning a NULL row gives one row of NULLs: the key already existed. */
function present(b: Booking | undefined): Booking | null {
  return b && b.id !== null ? b : null;
}

const writes = new WeakMap<Database, Coalescer<BookingWrite, Booking | null>>();

type BatchRow = { batch_ord: number; batch_sqlstate: string | null; batch_message: string | null; written_at: Date | null };

/**
 * The booking the batch wrote from `row`: what was sent, the defaults the
 * table gives a new booking, and the time the write gives it. The batch
 * returns only that time, not the row (docs/decisions/005-booking-hot-path.md);
 * a test compares what this makes with the row as stored. Written out field by
 * field: built with rest and spread (`{ claim_end, ...row }`, then `{ ...row,
 * … }`) it took V8 about 36 µs a booking, against half a microsecond.
 */
function writtenBooking(row: BookingRow, at: Date): Booking {
  return {
    id: row.id,
    venue_id: row.venue_id,
    association_id: row.association_id,
    kind: "booking",
    series_id: row.series_id,
    title: row.title,
    purpose: row.purpose,
    is_public: row.is_public,
    expected_attendees: row.expected_attendees,
    note_to_caretaker: row.note_to_caretaker,
    starts_at: new Date(row.starts_at),
    ends_at: new Date(row.ends_at),
    status: row.status,
    created_by: row.created_by,
    decided_by: null,
    decided_at: null,
    decision_reason: null,
    cancelled_by: null,
    cancelled_at: null,
    cancel_reason: null,
    attendance: null,
    no_show: false,
    sequence: 0,
    created_at: at,
    updated_at: at,
  };
}

// A lone request goes this way too: the call checks its context where insertOne would need a statement more.
async function insertMany(db: Database, ws: BookingWrite[]): Promise<Outcome<Booking | null>[]> {
  const requests = ws.map(({ row, leaves, actorId, idempotency: k, mail, check }, i) => ({
    ord: i + 1,
    id: row.id,
    venue_id: row.venue_id,
    association_id: row.association_id,
    title: row.title,
    purpose: row.purpose,
    is_public: row.is_public,
    expected_attendees: row.expected_attendees,
    note_to_caretaker: row.note_to_caretaker,
    starts_at: row.starts_at,
    ends_at: row.ends_at,
    claim_end: row.claim_end,
    status: row.status,
    actor_id: actorId,
    leaves,
    scope: k?.scope ?? null,
    key: k?.key ?? null,
    request_hash: k?.requestHash ?? null,
    notify: mail !== null,
    reminder_hours: mail?.reminderHours ?? 0,
    now: mail?.now.toISOString() ?? null,
    stamp: check?.stamp ?? null,
    verified: check?.verified ?? null,
  }));
  const json = JSON.stringify(requests);
  // A named statement is parsed and planned once per connection, not per batch,
  // and skips the query builder. A Database derived with withPlugin (a test
  // that counts statements) has no pool of its own here and goes the usual way.
  const pool = poolOf(db);
  const { rows } = pool
    ? await pool.query<BatchRow>({ name: "flokk_write_bookings(json)", text: "SELECT * FROM flokk_write_bookings($1::json)", values: [json] })
    : await sql<BatchRow>`SELECT * FROM flokk_write_bookings(${json}::json)`.execute(db);
  const out: Outcome<Booking | null>[] = ws.map(() => ({ ok: false, error: new Error("booking missing from its batch") }));
  for (const { batch_ord, batch_sqlstate, batch_message, written_at } of rows) {
    out[batch_ord - 1] = batch_sqlstate
      ? // The same code a statement of its own would have failed with (23P01, 40P01, …).
        { ok: false, error: Object.assign(new Error(batch_message ?? batch_sqlstate), { code: batch_sqlstate }) }
      : // No time: the idempotency key was taken, and nothing was written.
        { ok: true, value: written_at ? writtenBooking(ws[batch_ord - 1]!.row, written_at) : null };
  }
  return out;
}
