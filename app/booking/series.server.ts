// Weekly series: all occurrences or none, or — only when the caller names
// them — all but an explicit list of dates that conflict or would go over the
// weekly quota. Never a silent partial.
import { newId } from "~/ids/ids";
import type { Database } from "db/client";
import type { Booking } from "db/schema";
import {
  AssociationRejected,
  Forbidden,
  IdempotencyKeyReused,
  InvalidInput,
  NotFound,
  QuotaExceeded,
  SeriesConflict,
  type SeriesConflictDate,
} from "~/errors/domain-errors";
import { env } from "~/config/env.server";
import { notifySeriesCreated, seriesSnapshot } from "~/notifications/booking-mail.server";
import { MINUTE, overlaps } from "~/time/interval";
import { closureOn } from "~/time/opening";
import { weeklyOccurrences } from "~/time/weekly";
import { addDays, checkedDate, localDateOf, parseLocalTime } from "~/time/zoned";
import { type BookingRow, type StoredKey, findClaimsOverlapping, findIdempotencyKey, insertBookings, writeAudit } from "./booking-repository.server";
import { initialStatus, isSlotContention, lockQuota, requestHash } from "./booking.server";
import { quotaOverruns } from "./quota.server";
import { lockUnverified, requireRoomWhileUnverified } from "./unverified.server";
import { loadBookingContext, type VenueContext } from "./context.server";
import { checkLeaves } from "./venue-lock.server";
import { type BookingDetails, cleanDetails, cleanId, cleanIdempotencyKey } from "./request";
import { checkBookingRules } from "./rules";

export interface SeriesRequest extends BookingDetails {
  actorId: number;
  venueId: number;
  associationId: number;
  weekday: number;
  startTime: string;
  durationMinutes: number;
  intervalWeeks: number;
  from: string;
  until: string;
  /** Dates the caller agrees to leave out because they conflict or would go over the weekly quota. */
  skipDates?: string[];
  idempotencyKey?: string;
}

export interface SeriesResult {
  seriesId: string;
  bookings: Booking[];
  skipped: SeriesConflictDate[];
  replayed: boolean;
}

export interface SeriesPreviewItem {
  date: string;
  start: Date;
  end: Date;
  conflict: SeriesConflictDate | null;
  /**
   * A free date that would take the association over the venue's weekly
   * quota: what it has booked there that week already, and the quota.
   * createSeries leaves such a date out when the caller agrees (skipDates),
   * and refuses the series (QuotaExceeded) when not.
   */
  overQuota: { usedMinutes: number; quotaMinutes: number } | null;
}

type Idempotency = { scope: string; key: string } | null;

/** Loads the venue and association and plans every date; `replay` is set when the key was used before. */
async function prepare(db: Database, req: SeriesRequest, now: Date, idempotency: Idempotency = null) {
  const actorId = cleanId("actorId", req.actorId);
  const venueId = cleanId("venueId", req.venueId);
  const associationId = cleanId("associationId", req.associationId);
  const details = cleanDetails(req);
  parseLocalTime(req.startTime, "startTime");
  // The dates' own checks before any date is reckoned from them: a last date
  // like 9999-12-31 is refused on its own field, not when the day after it is
  // reckoned below (ten years either way; today in UTC is near enough for that).
  const today = localDateOf(now, "UTC");
  checkedDate(req.from, "from", today);
  checkedDate(req.until, "until", today);
  const { venue, association, stored } = await loadBookingContext(db, {
    venueId,
    associationId,
    actorId,
    fromDate: addDays(req.from, -1),
    toDate: addDays(req.until, 1),
    idempotency,
  });
  const base = { replay: stored, actorId, venueId, associationId, details, venue, association };
  if (stored) return { ...base, occurrences: [], closed: new Set<string>() };
  if (venue.archived) throw new NotFound("venue");
  if (!association.actorRole) throw new Forbidden();
  if (association.rejected) throw new AssociationRejected();
  const occurrences = weeklyOccurrences({
    weekday: req.weekday,
    startTime: req.startTime,
    durationMinutes: req.durationMinutes,
    intervalWeeks: req.intervalWeeks,
    from: req.from,
    until: req.until,
    zone: venue.timeZone,
  });
  if (occurrences.length === 0) throw new InvalidInput({ until: "noOccurrences" });
  // Closed dates are reported as conflicts the person can agree to skip; every
  // other rule must hold for every remaining date.
  const closed = new Set(occurrences.filter((o) => closureOn(o.date, venue.closures)).map((o) => o.date));
  for (const o of occurrences) {
    if (!closed.has(o.date)) checkBookingRules({ ...venue, closures: [] }, o, details.expectedAttendees, now);
  }
  return { ...base, occurrences, closed };
}

async function findConflicts(db: Database, venue: VenueContext, p: Awaited<ReturnType<typeof prepare>>): Promise<SeriesConflictDate[]> {
  const spans = p.occurrences.map((o) => ({ start: new Date(o.start), end: new Date(o.end + venue.bufferMinutes * MINUTE) }));
  const claims = await findClaimsOverlapping(db, venue.leaves, spans);
  return p.occurrences.flatMap((o, i): SeriesConflictDate[] => {
    if (p.closed.has(o.date)) return [{ date: o.date, bookingId: null, reason: "closure" }];
    const span = { start: spans[i]!.start.getTime(), end: spans[i]!.end.getTime() };
    const hit = claims.find((c) => overlaps(span, { start: c.start.getTime(), end: c.end.getTime() }));
    return hit ? [{ date: o.date, bookingId: hit.booking_id, reason: "booking" }] : [];
  });
}

/** Every date with what it collides with, for the person to review before confirming. */
export async function previewSeries(db: Database, req: SeriesRequest, now: Date): Promise<SeriesPreviewItem[]> {
  const p = await prepare(db, req, now);
  const [conflicts, over] = await Promise.all([findConflicts(db, p.venue, p), quotaOverruns(db, p.venue, p.associationId, p.occurrences)]);
  return p.occurrences.map((o, i) => {
    const conflict = conflicts.find((c) => c.date === o.date) ?? null;
    // Only a date that would be booked counts against the quota.
    const used = conflict ? null : (over[i] ?? null);
    return {
      date: o.date,
      start: new Date(o.start),
      end: new Date(o.end),
      conflict,
      overQuota: used === null ? null : { usedMinutes: used, quotaMinutes: p.venue.weeklyQuotaMinutes! },
    };
  });
}

export async function createSeries(db: Database, req: SeriesRequest, now: Date): Promise<SeriesResult> {
  const key = cleanIdempotencyKey(req.idempotencyKey);
  const scope = `user:${cleanId("actorId", req.actorId)}`;
  const { actorId: _a, idempotencyKey: _k, ...hashed } = req;
  const hash = requestHash(hashed);
  const p = await prepare(db, req, now, key ? { scope, key } : null);
  // A retry returns what the first request made, even if the calendar would
  // now say otherwise.
  if (p.replay) return replaySeries(db, p.replay, hash);
  const consented = new Set(req.skipDates ?? []);

  for (let attempt = 0; ; attempt++) {
    const conflicts = await findConflicts(db, p.venue, p);
    const unconsented = conflicts.filter((c) => !consented.has(c.date));
    if (unconsented.length > 0) {
      // A double click: the first request may have committed its dates after
      // our key lookup, and they now look like conflicts. Its key says so.
      const first = key ? await findIdempotencyKey(db, scope, key) : null;
      if (first) return replaySeries(db, first, hash);
      throw new SeriesConflict(conflicts);
    }
    const skipped = new Set(conflicts.map((c) => c.date));
    const seriesId = newId();
    const status = initialStatus(p.venue, p.association);
    const candidates = p.occurrences.filter((o) => !skipped.has(o.date));
    const rowOf = (o: (typeof candidates)[number]): BookingRow => ({
      id: newId(),
      venue_id: p.venueId,
      association_id: p.associationId,
      series_id: seriesId,
      title: p.details.title,
      purpose: p.details.purpose,
      is_public: p.details.isPublic,
      expected_attendees: p.details.expectedAttendees,
      note_to_caretaker: p.details.noteToCaretaker,
      starts_at: new Date(o.start).toISOString(),
      ends_at: new Date(o.end).toISOString(),
      status,
      created_by: p.actorId,
      claim_end: new Date(o.end + p.venue.bufferMinutes * MINUTE).toISOString(),
    });
    if (candidates.length === 0) throw new SeriesConflict(conflicts);
    try {
      const { created, overQuota } = await db.transaction().execute(async (trx) => {
        const overQuota: SeriesConflictDate[] = [];
        let dates = candidates;
        // The association as it is now, FOR SHARE: a rejection being made waits
        // for this series or this waits for it, and then refuses (a rejection
        // turns down the pending requests it finds; these would come after it).
        const association = await trx.selectFrom("associations").select(["verified", "rejected_at"]).where("id", "=", p.associationId).forShare().executeTakeFirstOrThrow();
        if (association.rejected_at !== null) throw new AssociationRejected();
        const unverified = !association.verified;
        // The ceiling's lock before the quota's, as requestBooking takes them.
        if (unverified) await lockUnverified(trx, p.associationId);
        if (p.venue.weeklyQuotaMinutes !== null) {
          await lockQuota(trx, p.associationId, p.venueId);
          // Under the lock, so what the weeks hold cannot change before the write.
          const over = await quotaOverruns(trx, p.venue, p.associationId, candidates);
          const overDates = candidates.filter((_, i) => over[i] !== null);
          const refused = overDates.findIndex((o) => !consented.has(o.date));
          if (refused >= 0) throw new QuotaExceeded(p.venue.weeklyQuotaMinutes, over.filter((u) => u !== null)[refused]!);
          for (const o of overDates) overQuota.push({ date: o.date, bookingId: null, reason: "quota" });
          dates = candidates.filter((_, i) => over[i] === null);
          if (dates.length === 0) throw new SeriesConflict([...conflicts, ...overQuota]);
        }
        if (unverified) await requireRoomWhileUnverified(trx, p.associationId, dates.length, now);
        const rows = dates.map(rowOf);
        const left = [...skipped, ...overQuota.map((o) => o.date)];
        const series = await trx
          .insertInto("series")
          .values({
            id: seriesId,
            venue_id: p.venueId,
            association_id: p.associationId,
            title: p.details.title,
            weekday: req.weekday,
            interval_weeks: req.intervalWeeks,
            start_time: req.startTime,
            duration_minutes: req.durationMinutes,
            starts_on: req.from,
            until: req.until,
            time_zone: p.venue.timeZone,
            created_by: p.actorId,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const idem = key ? { scope, key, requestHash: hash, bookingId: null, seriesId } : null;
        // No mail per date: one summary for the series instead (below); but each confirmed date's reminder, as for any booking.
        await checkLeaves(trx, p.venueId, p.venue.leaves);
        const mail = { reminderHours: env().REMINDER_HOURS, now, remindersOnly: true };
        const inserted = await insertBookings(trx, rows, p.venue.leaves, p.actorId, idem, mail);
        if (inserted === null) {
          // A repeat of an earlier request: throwing rolls back the series row.
          throw new Replay();
        }
        await writeAudit(trx, p.actorId, "series", seriesId, "created", null, { ...series, skipped: left });
        await notifySeriesCreated(trx, {
          actorId: p.actorId,
          siteId: p.venue.siteId,
          payload: {
            series: seriesSnapshot(series),
            status: status === "confirmed" ? "confirmed" : "pending",
            count: inserted.length,
            firstStartsAt: inserted[0]!.starts_at.toISOString(),
            lastStartsAt: inserted[inserted.length - 1]!.starts_at.toISOString(),
            skipped: left.sort(),
          },
        });
        return { created: inserted, overQuota };
      });
      const left = [...conflicts, ...overQuota].sort((a, b) => a.date.localeCompare(b.date));
      return { seriesId, bookings: created, skipped: left, replayed: false };
    } catch (e) {
      if (e instanceof Replay) return replaySeries(db, await findIdempotencyKey(db, scope, key!), hash);
      if (!isSlotContention(e)) throw e;
      // A booking arrived between our look and our insert: look again, which
      // names it. Should bookings keep arriving, report what is in the way now.
      if (attempt >= 5) throw new SeriesConflict(await findConflicts(db, p.venue, p));
    }
  }
}

class Replay extends Error {}

async function replaySeries(db: Database, stored: StoredKey | null, hash: string): Promise<SeriesResult> {
  if (!stored?.seriesId || stored.requestHash !== hash) throw new IdempotencyKeyReused();
  const bookings = await db.selectFrom("bookings").selectAll().where("series_id", "=", stored.seriesId).orderBy("starts_at").execute();
  return { seriesId: stored.seriesId, bookings, skipped: [], replayed: true };
}
