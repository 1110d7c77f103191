// The booking engine: request, approve, reject, cancel. Rules are checked by
// the pure core; the database's exclusion constraint alone prevents
// double-booking (see docs/decisions/003-claims-and-exclusion.md).
import * as crypto from "node:crypto";
import { newId } from "~/ids/ids";
import { sql, type Transaction } from "kysely";
import type { Database } from "db/client";
import type { Booking, BookingStatus, DB } from "db/schema";
import { isMember, managesSite } from "~/accounts/authorization.server";
import { env } from "~/config/env.server";
import {
  BookingConflict,
  AssociationRejected,
  Forbidden,
  VenueChanged,
  IdempotencyKeyReused,
  InvalidTransition,
  NotFound,
  QuotaExceeded,
  UnverifiedLimit,
} from "~/errors/domain-errors";
import { notifyStatusChange, type StatusAction } from "~/notifications/booking-mail.server";
import { type Interval, MINUTE } from "~/time/interval";
import { addDays } from "~/time/zoned";
import {
  type BookingRow,
  type NewBookingMail,
  type StoredKey,
  changeStatus,
  findClaimHolder,
  findIdempotencyKey,
  getBooking,
  isRejectedAssociation,
  lockBooking,
} from "./booking-repository.server";
import { type BookingWrite, insertBooking } from "./booking-write.server";
import { requireWithinQuota } from "./quota.server";
import { requireRoomWhileUnverified } from "./unverified.server";
import { type AssociationContext, forgetBookingContext, loadBookingContext, loadBookingContextKept, type VenueContext } from "./context.server";
import { type BookingDetails, cleanDetails, cleanId, cleanIdempotencyKey, cleanUuid, localSpan } from "./request";
import { checkBookingRules } from "./rules";
import { isVenueChange } from "./venue-lock.server";
import { cleanText } from "./text";

export interface BookingRequest extends BookingDetails {
  actorId: number;
  venueId: number;
  associationId: number;
  /** Local date and wall times in the venue's zone. */
  date: string;
  start: string;
  end: string;
  idempotencyKey?: string;
}

export interface BookingResult {
  booking: Booking;
  /** True when an earlier request with the same idempotency key is returned. */
  replayed: boolean;
}

const MAX_CONFLICT_RETRIES = 3;

/**
 * The database refused because another booking holds or is taking the time:
 * an exclusion violation (23P01), or a deadlock (40P01) between two
 * transactions that each wait on the other's claims. Both mean "look again".
 */
export function isSlotContention(e: unknown): boolean {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return code === "23P01" || code === "40P01";
}

/** Unverified associations and manual venues need a person to say yes. */
export function initialStatus(venue: VenueContext, association: AssociationContext): BookingStatus {
  return venue.approvalMode === "auto" && association.verified ? "confirmed" : "pending";
}

// One call where Node has it (20.12 on): making a Hash object for each request
// cost more than hashing its few hundred bytes.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === "function" ? (text) => crypto.hash("sha256", text, "hex") : (text) => crypto.createHash("sha256").update(text).digest("hex");

export function requestHash(value: unknown): string {
  return sha256Hex(JSON.stringify(value));
}

export async function requestBooking(db: Database, req: BookingRequest, now: Date): Promise<BookingResult> {
  // The venue's parts changed between reading its context and writing
  // (app/booking/venue-lock.server.ts): read it again and retry.
  // So does a kept context that the write found out of date (context-cache.server.ts).
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptBooking(db, req, now);
    } catch (e) {
      if (!isVenueChange(e)) throw e;
      forgetBookingContext(db, req);
      if (attempt >= MAX_CONFLICT_RETRIES) throw new VenueChanged();
    }
  }
}

/** `fresh`: read the context now even where a kept one would do. */
async function attemptBooking(db: Database, req: BookingRequest, now: Date, fresh = false): Promise<BookingResult> {
  const actorId = cleanId("actorId", req.actorId);
  const venueId = cleanId("venueId", req.venueId);
  const associationId = cleanId("associationId", req.associationId);
  const details = cleanDetails(req);
  const key = cleanIdempotencyKey(req.idempotencyKey);
  const scope = `user:${actorId}`;
  const hash = requestHash({ venueId, associationId, date: req.date, start: req.start, end: req.end, ...details });
  // A day either side covers bookings whose local date differs from the UTC one.
  const query = {
    venueId,
    associationId,
    actorId,
    fromDate: addDays(req.date, -1),
    toDate: addDays(req.date, 1),
    idempotency: key ? { scope, key } : null,
  };
  // Inside a caller's transaction the context is read there; otherwise a kept
  // one will do for a yes, since the write checks it (context-cache.server.ts).
  const { venue, association, stored, cached } =
    fresh || db.isTransaction ? { ...(await loadBookingContext(db, query)), cached: false } : await loadBookingContextKept(db, query);
  // A kept context may be behind, and knows no earlier request with this key:
  // a no is only given on a fresh read.
  const decideAfresh = () => {
    forgetBookingContext(db, query);
    return attemptBooking(db, req, now, true);
  };
  let span: Interval;
  try {
    // Only members book, and only members get a booking back by replaying a key.
    if (!association.actorRole) throw new Forbidden();
    if (association.rejected) throw new AssociationRejected();
    // A retry returns the first result, even if the slot or the notice rule would
    // now refuse it. Concurrent first attempts are settled by the key's primary key.
    if (stored) return await replay(db, stored, hash);
    if (venue.archived) throw new NotFound("venue");
    span = localSpan(req.date, req.start, req.end, venue.timeZone);
    checkBookingRules(venue, span, details.expectedAttendees, now);
  } catch (e) {
    if (!cached) throw e;
    return decideAfresh();
  }

  const id = newId();
  const row: BookingRow = {
    id,
    venue_id: venueId,
    association_id: associationId,
    series_id: null,
    title: details.title,
    purpose: details.purpose,
    is_public: details.isPublic,
    expected_attendees: details.expectedAttendees,
    note_to_caretaker: details.noteToCaretaker,
    starts_at: new Date(span.start).toISOString(),
    ends_at: new Date(span.end).toISOString(),
    status: initialStatus(venue, association),
    created_by: actorId,
    claim_end: new Date(span.end + venue.bufferMinutes * MINUTE).toISOString(),
  };
  const idem = key ? { scope, key, requestHash: hash, bookingId: id, seriesId: null } : null;
  // The messages about the booking are written by the same call that writes it.
  const mail: NewBookingMail = { reminderHours: env().REMINDER_HOURS, now };
  // Outside a transaction the context may be a kept one: the write checks it.
  const check = db.isTransaction ? null : { stamp: venue.stamp, verified: association.verified };

  for (let attempt = 0; ; attempt++) {
    try {
      const write = { row, leaves: venue.leaves, actorId, idempotency: idem, mail, check };
      const inserted =
        venue.weeklyQuotaMinutes === null && association.verified
          ? await insertBooking(db, write)
          : await insertWithinLimits(db, venue, association, span, write, now);
      if (inserted === null) return replay(db, await findIdempotencyKey(db, scope, key!), hash);
      return { booking: inserted, replayed: false };
    } catch (e) {
      // The limits are the refusals made at write time from the context: a kept one may be behind.
      if ((e instanceof QuotaExceeded || e instanceof UnverifiedLimit) && cached) return decideAfresh();
      if (!isSlotContention(e)) throw e;
      const holder = await findClaimHolder(db, venue.leaves, new Date(span.start), new Date(row.claim_end));
      // The booking in the way may have been cancelled in the meantime: try again.
      if (holder || attempt >= MAX_CONFLICT_RETRIES) throw new BookingConflict(holder);
    }
  }
}

async function replay(db: Database, stored: StoredKey | null, hash: string): Promise<BookingResult> {
  if (!stored?.bookingId || stored.requestHash !== hash) throw new IdempotencyKeyReused();
  const booking = await getBooking(db, stored.bookingId);
  return { booking: booking!, replayed: true };
}

/**
 * The weekly quota and the ceiling of an unverified association need a sum,
 * so they run in a transaction serialised by their locks (unverified first).
 */
async function insertWithinLimits(
  db: Database,
  venue: VenueContext,
  association: AssociationContext,
  span: Interval,
  write: BookingWrite,
  now: Date,
): Promise<Booking | null> {
  const associationId = write.row.association_id;
  return db.transaction().execute(async (trx) => {
    if (!association.verified) await requireRoomWhileUnverified(trx, associationId, 1, now);
    if (venue.weeklyQuotaMinutes !== null) {
      await lockQuota(trx, associationId, venue.venueId);
      await requireWithinQuota(trx, venue, associationId, [span]);
    }
    return insertBooking(trx, write);
  });
}

export async function lockQuota(db: Database, associationId: number, venueId: number): Promise<void> {
  // One 64-bit key from both ids: the two-int form would overflow on bigint ids.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`quota:${associationId}:${venueId}`}, 0))`.execute(db);
}

type Decision = {
  actorId: number;
  bookingId: string;
  reason?: string;
  /** Whether the booking has ended, and whether its reminder is still due. */
  now: Date;
};

type TransitionArgs = Parameters<typeof transitionIn> extends [Transaction<DB>, ...infer Rest] ? Rest : never;

/** transitionIn in a transaction of its own. */
async function transition(db: Database, ...args: TransitionArgs): Promise<Booking> {
  return db.transaction().execute((trx) => transitionIn(trx, ...args));
}

async function transitionIn(
  trx: Transaction<DB>,
  d: Decision,
  to: BookingStatus,
  action: StatusAction,
  allowedFrom: BookingStatus[],
  // Given the transaction: asking the pool for a second connection while this
  // one is held would deadlock a busy server whose pool is full of such requests.
  authorize: (trx: Database, b: Booking & { site_id: number; association_id: number }) => Promise<boolean>,
  reason: string | null,
): Promise<Booking> {
  const { now } = d;
  const locked = await lockBooking(trx, cleanUuid("bookingId", d.bookingId));
  // A block is closed time, not a booking: it is removed on the caretaker's
  // block page (app/caretaker/blocks.server.ts), never decided or cancelled here.
  if (!locked || locked.association_id === null) throw new NotFound("booking");
  const before = { ...locked, association_id: locked.association_id };
  if (!(await authorize(trx, before))) throw new Forbidden();
  if (!allowedFrom.includes(before.status)) throw new InvalidTransition(before.status, action);
  // What has ended is history: it is not decided or cancelled afterwards.
  if (before.ends_at.getTime() <= now.getTime()) throw new InvalidTransition("past", action);
  const { site_id: _s, owner_id: _o, ...booking } = before;
  const after = await changeStatus(trx, booking, { status: to, actorId: d.actorId, reason }, action);
  // In the same transaction: the mail exists if and only if the change does.
  await notifyStatusChange(trx, after, action, d.actorId, { reminderHours: env().REMINDER_HOURS }, now);
  return after;
}

export async function approveBooking(db: Database, d: Decision): Promise<Booking> {
  return transition(
    db,
    d,
    "confirmed",
    "approved",
    ["pending"],
    async (trx, b) => {
      if (!(await managesSite(trx, d.actorId, b.site_id))) return false;
      // Rejecting an association turns down its waiting requests; one approved meanwhile must not slip through.
      if (await isRejectedAssociation(trx, b.association_id)) throw new AssociationRejected();
      return true;
    },
    null,
  );
}

export async function rejectBooking(db: Database, d: Decision): Promise<Booking> {
  const reason = cleanText("reason", d.reason, { max: 2000, required: true, multiline: true });
  return transition(db, d, "rejected", "rejected", ["pending"], (trx, b) => managesSite(trx, d.actorId, b.site_id), reason);
}

/** Members cancel their association's bookings; caretakers and admins any at their sites. */
export async function cancelBooking(db: Database, d: Decision): Promise<Booking> {
  return db.transaction().execute((trx) => cancelBookingIn(trx, d));
}

/**
 * cancelBooking inside the caller's transaction, for a change that must stand
 * or fall with its cancellations (an admin's closure and the bookings it
 * cancels, app/admin/schedule.server.ts): the same checks, audit row and mail.
 */
export async function cancelBookingIn(trx: Transaction<DB>, d: Decision): Promise<Booking> {
  const reason = cleanText("reason", d.reason, { max: 2000, multiline: true }) || null;
  return transitionIn(
    trx,
    d,
    "cancelled",
    "cancelled",
    ["pending", "confirmed"],
    async (t, b) => (await isMember(t, d.actorId, b.association_id)) || managesSite(t, d.actorId, b.site_id),
    reason,
  );
}
