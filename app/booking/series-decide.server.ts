// Approving or rejecting a whole weekly series at once: every pending
// occurrence still to come, in one transaction (all of them or none), each
// with its own audit row, plus one audit row for the series and one message to
// the booker for all the dates (with a reminder before each approved one),
// through the outbox in the same transaction: forty dates are one e-mail, not forty.
// Who may: the same people as for one booking (approveBooking / rejectBooking):
// caretakers of the venue's site and admins of its owner.
import type { Transaction } from "kysely";
import type { Database } from "db/client";
import type { Booking, BookingStatus, DB } from "db/schema";
import { managesSite } from "~/accounts/authorization.server";
import { env } from "~/config/env.server";
import { AssociationRejected, Forbidden, InvalidInput, InvalidTransition, NotFound } from "~/errors/domain-errors";
import { notifySeriesDecided, seriesSnapshot } from "~/notifications/booking-mail.server";
import { changeStatus, isRejectedAssociation, lockWaiting, writeAudit } from "./booking-repository.server";
import { cleanUuid } from "./request";
import { cleanText } from "./text";

export interface SeriesDecision {
  actorId: number;
  seriesId: string;
  decision: "approve" | "reject";
  /** Required when rejecting: the association is told why. */
  reason?: string;
}

/**
 * What became of a series with nothing left waiting, for the refusal: it was
 * always called "confirmed", also when the association had cancelled it.
 * Its dates still to come, the most telling status first; none: "past".
 */
async function standingOf(trx: Transaction<DB>, seriesId: string, now: Date): Promise<BookingStatus | "past"> {
  const rows = await trx.selectFrom("bookings").select("status").distinct().where("series_id", "=", seriesId).where("ends_at", ">", now).execute();
  const statuses = new Set(rows.map((r) => r.status));
  return (["confirmed", "rejected", "cancelled"] as const).find((s) => statuses.has(s)) ?? "past";
}

/**
 * Decides every pending occurrence of the series that has not yet ended.
 * Returns the decided bookings in time order. Nothing pending: InvalidTransition.
 */
export async function decideSeries(db: Database, req: SeriesDecision, now: Date): Promise<Booking[]> {
  const seriesId = cleanUuid("seriesId", req.seriesId);
  if (req.decision !== "approve" && req.decision !== "reject") throw new InvalidInput({ decision: "invalidChoice" });
  const approve = req.decision === "approve";
  const reason = approve ? null : cleanText("reason", req.reason, { max: 2000, required: true, multiline: true });
  const action = approve ? "approved" : "rejected";
  return db.transaction().execute(async (trx) => {
    const series = await trx
      .selectFrom("series as se")
      .innerJoin("venues as v", "v.id", "se.venue_id")
      .selectAll("se")
      .select("v.site_id")
      .where("se.id", "=", seriesId)
      .executeTakeFirst();
    if (!series) throw new NotFound("series");
    // Read with the transaction: a second connection from the pool while this one is held could deadlock a full pool.
    if (!(await managesSite(trx, req.actorId, series.site_id))) throw new Forbidden();
    if (approve && (await isRejectedAssociation(trx, series.association_id))) throw new AssociationRejected();
    // What has ended is history: it is not decided afterwards.
    const pending = await lockWaiting(trx, { seriesId }, now);
    if (pending.length === 0) throw new InvalidTransition(await standingOf(trx, seriesId, now), action, "series");
    const decided: Booking[] = [];
    for (const before of pending) {
      decided.push(await changeStatus(trx, before, { status: approve ? "confirmed" : "rejected", actorId: req.actorId, reason }, action));
    }
    await writeAudit(trx, req.actorId, "series", seriesId, action, null, { reason, bookingIds: decided.map((b) => b.id) });
    // In the same transaction: the mail exists if and only if the change does.
    await notifySeriesDecided(
      trx,
      { series: seriesSnapshot(series), decided, decision: action, reason, actorId: req.actorId },
      { reminderHours: env().REMINDER_HOURS },
      now,
    );
    return decided;
  });
}
