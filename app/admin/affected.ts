// Which bookings a change to a venue's opening hours or closures would strand.
// Pure: takes `now`, reads no clock and no database. Uses the booking engine's
// own test of "open" (checkOpen), so a booking is listed here exactly when the
// engine would refuse to make it under the new hours.
import { checkOpen } from "~/booking/rules";
import { OutsideOpeningHours } from "~/errors/domain-errors";
import type { OpeningRule } from "~/time/opening";
import { localDateOf } from "~/time/zoned";

export interface ScheduledBooking {
  id: string;
  startsAt: Date;
  endsAt: Date;
  /** The zone of the booking's own venue: a part could in principle differ from the whole. */
  timeZone: string;
}

export interface DateRange {
  /** Inclusive local dates. */
  startsOn: string;
  endsOn: string;
}

const upcoming = (b: ScheduledBooking, now: Date) => b.endsAt.getTime() > now.getTime();

/** Bookings that have not ended at `now` and would lie (partly) outside the new weekly hours. */
export function outsideHours<B extends ScheduledBooking>(bookings: readonly B[], hours: readonly OpeningRule[], now: Date): B[] {
  return bookings.filter((b) => {
    if (!upcoming(b, now)) return false;
    try {
      checkOpen({ timeZone: b.timeZone, openingHours: hours, closures: [] }, { start: b.startsAt.getTime(), end: b.endsAt.getTime() });
      return false;
    } catch (e) {
      if (e instanceof OutsideOpeningHours) return true;
      throw e;
    }
  });
}

/** Bookings that have not ended at `now` and touch a local date inside one of the ranges (as the engine counts closures). */
export function insideClosures<B extends ScheduledBooking>(bookings: readonly B[], ranges: readonly DateRange[], now: Date): B[] {
  return bookings.filter((b) => {
    if (!upcoming(b, now) || ranges.length === 0) return false;
    const first = localDateOf(b.startsAt, b.timeZone);
    const last = localDateOf(b.endsAt.getTime() - 1, b.timeZone);
    return ranges.some((r) => first <= r.endsOn && r.startsOn <= last);
  });
}
