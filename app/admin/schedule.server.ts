// Changing a venue's opening hours and closures, for owner admins. Every
// change first works out which active bookings it would strand (outside the
// new hours, inside the new closure — of the venue or, for a closure, of its
// parts); when there are any, nothing is saved until the admin has seen them
// and chosen to keep them or cancel them with a message. The change and the
// cancellations are one transaction: each cancellation is the booking engine's
// own (cancelBookingIn: audit row and mail to the booker in the outbox), so
// either the closure and every cancellation and notice exist, or none does.
import type { Database } from "db/client";
import { writeAudit } from "~/booking/booking-repository.server";
import { cancelBookingIn } from "~/booking/booking.server";
import { cleanId } from "~/booking/request";
import { cleanText } from "~/booking/text";
import { InvalidInput, NotFound } from "~/errors/domain-errors";
import type { Closure, OpeningRule } from "~/time/opening";
import { localDateOf } from "~/time/zoned";
import { requireAdminOfVenue } from "./access.server";
import { insideClosures, outsideHours } from "./affected";
import { type ClosureInput, validateClosure } from "./closures";
import { holidayClosures, publicHolidays } from "./holidays";
import { type HoursRow, validateWeeklyHours } from "./hours";
import {
  type ActiveBookingRow,
  activeBookings,
  closuresAffecting,
  deleteClosure,
  insertClosures,
  lockVenue,
  openingHours,
  replaceOpeningHours,
  venuesAClosureTouches,
  venueFacts,
} from "./schedule-repository.server";

export type ScheduleChange = { kind: "hours"; rows: HoursRow[] } | { kind: "closure"; closure: ClosureInput } | { kind: "holidays" };

/** The admin's answer to the list of affected bookings. */
export interface Consent {
  /** "keep" or "cancel" (as sent: checked here). */
  action: string;
  /** To the bookers, with each cancellation; required when cancelling. */
  message: string;
  /** The bookings the admin was shown: one that appeared since is shown first, never cancelled unseen. */
  seen: readonly string[];
}

export type AffectedBooking = ActiveBookingRow;

export type ScheduleOutcome =
  | {
      status: "confirm";
      affected: AffectedBooking[];
      /** What is wrong with the admin's answer (no choice, no message), by field; empty on the first step. */
      problems: Record<string, string>;
      /** The admin answered, but bookings have been added since they saw the list. */
      unseen: boolean;
    }
  | { status: "saved"; kept: number; cancelled: number; closuresAdded: number };

export const MAX_MESSAGE_LENGTH = 2000;
const MAX_SEEN = 2000;

type Prepared = { kind: "hours"; rules: OpeningRule[] } | { kind: "closures"; closures: Closure[] } | { kind: "holidays"; holidays: ReturnType<typeof publicHolidays> };

function prepare(change: ScheduleChange, facts: { country: string; locale: string }, today: string): Prepared {
  if (change.kind === "hours") return { kind: "hours", rules: validateWeeklyHours(change.rows) };
  if (change.kind === "closure") return { kind: "closures", closures: [validateClosure(change.closure, today)] };
  const year = Number(today.slice(0, 4));
  // Holiday names in the owner's language; date-holidays says 'no' for Norwegian.
  const language = facts.locale === "nb" ? "no" : "en";
  return { kind: "holidays", holidays: publicHolidays(facts.country, [year, year + 1], language) };
}

function cleanConsent(consent: Consent | null): { action: "keep" | "cancel"; message: string; seen: Set<string> } | null {
  if (!consent) return null;
  if (consent.action !== "keep" && consent.action !== "cancel") throw new InvalidInput({ decision: consent.action ? "invalidChoice" : "required" });
  const message = cleanText("message", consent.message, { max: MAX_MESSAGE_LENGTH, required: consent.action === "cancel", multiline: true });
  if (consent.seen.length > MAX_SEEN) throw new InvalidInput({ seen: "invalidId" });
  return { action: consent.action, message, seen: new Set(consent.seen) };
}

/**
 * Saves the change, or (when it strands bookings the admin has not agreed
 * about) saves nothing and lists them. Forbidden unless the person
 * administers the venue's owner.
 */
export async function changeSchedule(
  db: Database,
  req: { actorId: number; venueId: number; change: ScheduleChange; consent: Consent | null },
  now: Date,
): Promise<ScheduleOutcome> {
  const actorId = cleanId("actorId", req.actorId);
  const venueId = cleanId("venueId", req.venueId);
  await requireAdminOfVenue(db, actorId, venueId);
  const facts = await venueFacts(db, venueId);
  if (!facts) throw new NotFound("venue");
  const today = localDateOf(now, facts.timeZone);
  const prepared = prepare(req.change, facts, today);
  let consent: ReturnType<typeof cleanConsent> = null;
  let problems: Record<string, string> = {};
  try {
    consent = cleanConsent(req.consent);
  } catch (e) {
    // Shown beside the list again, rather than losing it: only matters when there is a list.
    if (!(e instanceof InvalidInput)) throw e;
    problems = e.fields;
  }

  return db.transaction().execute(async (trx) => {
    await lockVenue(trx, venueId);
    let affected: AffectedBooking[];
    let added: Closure[] = [];
    if (prepared.kind === "hours") {
      affected = outsideHours(await activeBookings(trx, [venueId], now), prepared.rules, now);
    } else {
      // Read under the lock, so that two clicks on "add holidays" add them once.
      added = prepared.kind === "closures" ? prepared.closures : holidayClosures(prepared.holidays, await closuresAffecting(trx, venueId, today), today);
      affected = insideClosures(await activeBookings(trx, await venuesAClosureTouches(trx, venueId), now), added, now);
    }
    if (affected.length > 0 && (!consent || affected.some((b) => !consent.seen.has(b.id)))) {
      return { status: "confirm", affected, problems, unseen: consent !== null };
    }

    if (prepared.kind === "hours") {
      const before = await openingHours(trx, venueId);
      await replaceOpeningHours(trx, venueId, prepared.rules);
      await writeAudit(trx, actorId, "venue", String(venueId), "hours-replaced", before, prepared.rules);
    } else if (added.length > 0) {
      await insertClosures(trx, venueId, added);
      await writeAudit(trx, actorId, "venue", String(venueId), prepared.kind === "holidays" ? "holidays-added" : "closure-added", null, added);
    }
    const cancel = consent?.action === "cancel";
    if (consent && cancel) {
      // One by one through the engine: each gets its audit row and its mail to the booker, with the admin's message as the reason.
      for (const b of affected) await cancelBookingIn(trx, { actorId, bookingId: b.id, reason: consent.message, now });
    }
    return { status: "saved", kept: cancel ? 0 : affected.length, cancelled: cancel ? affected.length : 0, closuresAdded: added.length };
  });
}

/** Removes one of the venue's own closures (a parent's is removed on the parent's page). Opens time only: nothing to confirm. */
export async function removeClosure(db: Database, req: { actorId: number; venueId: number; closureId: number }): Promise<void> {
  const actorId = cleanId("actorId", req.actorId);
  const venueId = cleanId("venueId", req.venueId);
  const closureId = cleanId("closureId", req.closureId);
  await requireAdminOfVenue(db, actorId, venueId);
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("closures").selectAll().where("id", "=", closureId).where("venue_id", "=", venueId).executeTakeFirst();
    if (!before || !(await deleteClosure(trx, venueId, closureId))) throw new NotFound("closure");
    await writeAudit(trx, actorId, "venue", String(venueId), "closure-removed", before, null);
  });
}
