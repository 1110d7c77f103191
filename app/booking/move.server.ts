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
import { findClaimHolder, getBooking, lockBooking, writeAudit } from "./booking-repository.server";
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
  const current = await getBooking(db, bookingId);
  // A block is not moved as a booking: it is removed and made again.
  if (!current || current.association_id === null) throw new NotFound("booking");
  const { venue, association } = await loadBookingContext(db, {
    venueId: current.venue_id,
    associationId: current.association_id,
    actorId,
    fromDate: addDays(req.date, -1),
    toDate: addDays(req.date, 1),
    idempotency: null,
  });
  const span = localSpan(req.date, req.start, req.end, venue.timeZone);
  const isAt = (b: Pick<Booking, "starts_at" | "ends_at">) => span.start === b.starts_at.getTime() && span.end === b.ends_at.getTime();
  // "Nothing to move" is the useful answer for the time it already has, even
  // if a rule changed since would now refuse that time: decided below, once
  // the actor is known to be allowed to see the booking.
  if (!isAt(current)) checkBookingRules(venue, span, current.expected_attendees, now);

  try {
    return await db.transaction().execute(async (trx) => {
      const locked = await lockBooking(trx, bookingId);
      if (!locked || locked.association_id === null) throw new NotFound("booking");
      const before = { ...locked, association_id: locked.association_id };
      const staff = await managesSite(trx, actorId, before.site_id);
      if (!staff && !(await isMember(trx, actorId, before.association_id))) throw new Forbidden();
      // As for a new booking: an association the municipality has turned away books no new time.
      if (!staff && association.rejected) throw new AssociationRejected();
      if (before.status !== "pending" && before.status !== "confirmed") throw new InvalidTransition(before.status, "moved");
      if (before.ends_at.getTime() <= now.getTime()) throw new InvalidTransition("past", "moved");
      if (isAt(before)) throw new UnchangedTime();
      // Moved by someone else since it was read, to another time: this one is new to it after all.
      if (isAt(current)) checkBookingRules(venue, span, before.expected_attendees, now);
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
        SELECT ${bookingId}::uuid, s, tstzrange(${new Date(span.start)}, ${new Date(span.end + venue.bufferMinutes * MINUTE)}, '[)')
        FROM unnest(${venue.leaves}::bigint[]) AS s`.execute(trx);
      const { site_id: _s, owner_id: _o, ...booking } = before;
      await writeAudit(trx, actorId, "booking", bookingId, "moved", booking, after);
      await notifyMoved(trx, before, after, actorId, { reminderHours: env().REMINDER_HOURS }, now);
      return after;
    });
  } catch (e) {
    if (!isSlotContention(e)) throw e;
    const holder = await findClaimHolder(db, venue.leaves, new Date(span.start), new Date(span.end + venue.bufferMinutes * MINUTE), bookingId);
    throw new BookingConflict(holder);
  }
}
