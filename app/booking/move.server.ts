// Moving one booking (or one occurrence of a series) to another time at the
// same venue. The new claims replace the old in one transaction, so the
// exclusion constraint arbitrates exactly as for a new booking; the booker is
// told through the outbox in the same transaction.
import { sql } from "kysely";
import type { Database } from "db/client";
import type { Booking } from "db/schema";
import { isMember, managesSite } from "~/accounts/authorization.server";
import { env } from "~/config/env.server";
import { AssociationRejected, BookingConflict, Forbidden, InvalidTransition, NotFound, UnchangedTime } from "~/errors/domain-errors";
import { notifyMoved } from "~/notifications/booking-mail.server";
import { MINUTE } from "~/time/interval";
import { addDays } from "~/time/zoned";
import { findClaimHolder, lockBooking, writeAudit } from "./booking-repository.server";
import { initialStatus, isSlotContention, lockQuota } from "./booking.server";
import { requireWithinQuota } from "./quota.server";
import { loadBookingContext } from "./context.server";
import { checkLeaves } from "./venue-lock.server";
import { cleanId, cleanUuid, localSpan } from "./request";
import { checkBookingRules } from "./rules";

export interface MoveRequest {
  actorId: number;
  bookingId: string;
  /** The new local date and wall times in the venue's zone. */
  date: string;
  start: string;
  end: string;
}

export async function moveBooking(db: Database, req: MoveRequest, now: Date): Promise<Booking> {
  const actorId = cleanId("actorId", req.actorId);
  const bookingId = cleanUuid("bookingId", req.bookingId);
  // What a conflict's holder is looked up with, after the transaction has rolled back.
  const wanted: { claim?: { leaves: number[]; start: number; end: number } } = {};
  try {
    return await db.transaction().execute(async (trx) => {
      const locked = await lockBooking(trx, bookingId);
      // A block is not moved as a booking: it is removed and made again.
      if (!locked || locked.association_id === null) throw new NotFound("booking");
      const before = { ...locked, association_id: locked.association_id };
      // Who may move it first: nothing about the venue's rules or the booking's
      // time is told to someone who may not see the booking.
      const staff = await managesSite(trx, actorId, before.site_id);
      if (!staff && !(await isMember(trx, actorId, before.association_id))) throw new Forbidden();
      if (before.status !== "pending" && before.status !== "confirmed") throw new InvalidTransition(before.status, "moved");
      if (before.ends_at.getTime() <= now.getTime()) throw new InvalidTransition("past", "moved");
      // Read in this transaction, with the booking locked: the rules as they are now.
      const { venue, association } = await loadBookingContext(trx, {
        venueId: before.venue_id,
        associationId: before.association_id,
        actorId,
        fromDate: addDays(req.date, -1),
        toDate: addDays(req.date, 1),
        idempotency: null,
      });
      // As for a new booking: an association the municipality has turned away books no new time.
      if (!staff && association.rejected) throw new AssociationRejected();
      const span = localSpan(req.date, req.start, req.end, venue.timeZone);
      // "Nothing to move" is the useful answer for the time it already has, even
      // if a rule changed since would now refuse that time.
      if (span.start === before.starts_at.getTime() && span.end === before.ends_at.getTime()) throw new UnchangedTime();
      checkBookingRules(venue, span, before.expected_attendees, now);
      const claim = { leaves: venue.leaves, start: span.start, end: span.end + venue.bufferMinutes * MINUTE };
      wanted.claim = claim;
      if (venue.weeklyQuotaMinutes !== null) {
        await lockQuota(trx, before.association_id, venue.venueId);
        await requireWithinQuota(trx, venue, before.association_id, [span], bookingId);
      }
      // Staff may move without asking anyone; a member's move of a booking that
      // needed approval needs it again.
      const status = staff ? before.status : initialStatus(venue, association) === "confirmed" ? before.status : "pending";
      const after = await trx
        .updateTable("bookings")
        .set((eb) => ({
          starts_at: new Date(span.start),
          ends_at: new Date(span.end),
          status,
          sequence: eb("sequence", "+", 1),
          updated_at: sql<Date>`now()`,
        }))
        .where("id", "=", bookingId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await checkLeaves(trx, before.venue_id, venue.leaves);
      await trx.deleteFrom("booking_claims").where("booking_id", "=", bookingId).execute();
      await sql`
        INSERT INTO booking_claims (booking_id, space_id, during)
        SELECT ${bookingId}::uuid, s, tstzrange(${new Date(claim.start)}, ${new Date(claim.end)}, '[)')
        FROM unnest(${venue.leaves}::bigint[]) AS s`.execute(trx);
      const { site_id: _s, owner_id: _o, ...booking } = before;
      await writeAudit(trx, actorId, "booking", bookingId, "moved", booking, after);
      await notifyMoved(trx, before, after, actorId, { reminderHours: env().REMINDER_HOURS }, now);
      return after;
    });
  } catch (e) {
    if (!isSlotContention(e) || !wanted.claim) throw e;
    const { leaves, start, end } = wanted.claim;
    throw new BookingConflict(await findClaimHolder(db, leaves, new Date(start), new Date(end), bookingId));
  }
}
