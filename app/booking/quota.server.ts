// The association's weekly quota at a venue: the minutes of its active
// bookings there in the venue's local week (Monday to Monday), plus what is
// asked for, must not pass venue.weeklyQuotaMinutes. One rule for a single
// booking, a move and a series, and for the series preview.
import type { Database } from "db/client";
import { QuotaExceeded } from "~/errors/domain-errors";
import { durationMinutes, type Interval } from "~/time/interval";
import { localWeekOf } from "~/time/zoned";
import { bookedMinutesIn } from "./booking-repository.server";
import type { VenueContext } from "./context.server";

type QuotaVenue = Pick<VenueContext, "venueId" | "timeZone" | "weeklyQuotaMinutes">;

/**
 * For each span, what the association has booked at the venue in the span's
 * week when the span would take it over the quota; null where it fits or the
 * venue has no quota. One statement for all the spans.
 */
export async function quotaOverruns(
  db: Database,
  venue: QuotaVenue,
  associationId: number,
  spans: readonly Interval[],
  /** A booking being moved does not count against itself. */
  exceptBookingId?: string,
): Promise<(number | null)[]> {
  const quota = venue.weeklyQuotaMinutes;
  if (quota === null) return spans.map(() => null);
  const weeks = spans.map((s) => localWeekOf(s.start, venue.timeZone));
  const used = await bookedMinutesIn(db, associationId, venue.venueId, weeks, exceptBookingId);
  return spans.map((s, i) => (used[i]! + durationMinutes(s) > quota ? used[i]! : null));
}

/** QuotaExceeded for the first span over the quota. Run it under lockQuota, in the transaction that writes. */
export async function requireWithinQuota(db: Database, venue: QuotaVenue, associationId: number, spans: readonly Interval[], exceptBookingId?: string): Promise<void> {
  const over = (await quotaOverruns(db, venue, associationId, spans, exceptBookingId)).find((used) => used !== null);
  if (over !== undefined && over !== null) throw new QuotaExceeded(venue.weeklyQuotaMinutes!, over);
}
