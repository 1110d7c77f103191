// Cancelling the rest of a weekly series: the chosen occurrence and every
// active one after it, in one transaction (all of them or none), each with its
// own audit row and its own cancellation message (the calendar part of each
// message removes that one date), plus one audit row for the series itself.
// Who may: the same people as for one booking (cancelBooking): members of the
// association, caretakers and admins of the venue's site.
import type { Database } from "db/client";
import type { Booking } from "db/schema";
import { isMember, managesSite } from "~/accounts/authorization.server";
import { env } from "~/config/env.server";
import { Forbidden, InvalidTransition, NotFound } from "~/errors/domain-errors";
import { notifyStatusChange } from "~/notifications/booking-mail.server";
import { changeStatus, lockBooking, writeAudit } from "./booking-repository.server";
import { cleanUuid } from "./request";
import { restStanding } from "./series-rest";
import { cleanText } from "./text";

export interface CancelSeriesFrom {
  actorId: number;
  seriesId: string;
  /** The first occurrence to cancel; later ones go with it. */
  fromBookingId: string;
  reason?: string;
}

/**
 * Cancels the occurrence `fromBookingId` (when still active) and every active
 * occurrence of the series that starts after it. Returns the cancelled
 * bookings in time order. Nothing left to cancel: InvalidTransition, naming
 * what became of this date and the later ones (restStanding).
 */
export async function cancelSeriesFrom(db: Database, req: CancelSeriesFrom, now: Date): Promise<Booking[]> {
  const seriesId = cleanUuid("seriesId", req.seriesId);
  const fromId = cleanUuid("bookingId", req.fromBookingId);
  const reason = cleanText("reason", req.reason, { max: 2000, multiline: true }) || null;
  return db.transaction().execute(async (trx) => {
    const from = await lockBooking(trx, fromId);
    // Blocks belong to no series, so this also keeps them out.
    if (!from || from.series_id !== seriesId || from.association_id === null) throw new NotFound("booking");
    const allowed = (await isMember(trx, req.actorId, from.association_id)) || (await managesSite(trx, req.actorId, from.site_id));
    if (!allowed) throw new Forbidden();
    // Locked in time order, as every other writer that takes several of them would.
    const rest = await trx
      .selectFrom("bookings")
      .selectAll()
      .where("series_id", "=", seriesId)
      .where("status", "in", ["pending", "confirmed"])
      .where("starts_at", ">=", from.starts_at)
      // What has ended is history, whichever date the request names.
      .where("ends_at", ">", now)
      .orderBy("starts_at")
      .orderBy("id")
      .forUpdate()
      .execute();
    if (rest.length === 0) {
      // Named by what became of this date and the later ones, not by the chosen date's own status.
      const dates = await trx.selectFrom("bookings").select(["status", "ends_at"]).where("series_id", "=", seriesId).where("starts_at", ">=", from.starts_at).execute();
      throw new InvalidTransition(restStanding(dates.map((d) => ({ status: d.status, ended: d.ends_at <= now }))), "cancelled", "seriesRest");
    }
    const settings = { reminderHours: env().REMINDER_HOURS };
    const cancelled: Booking[] = [];
    for (const before of rest) {
      const after = await changeStatus(trx, before, { status: "cancelled", actorId: req.actorId, reason }, "cancelled");
      await notifyStatusChange(trx, after, "cancelled", req.actorId, settings, now);
      cancelled.push(after);
    }
    await writeAudit(trx, req.actorId, "series", seriesId, "cancelled-from", null, {
      fromBookingId: fromId,
      from: from.starts_at,
      reason,
      bookingIds: cancelled.map((b) => b.id),
    });
    return cancelled;
  });
}
