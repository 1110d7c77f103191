// The venue's booking rules as pure checks. They take `now`; they never read
// the clock or the database. Double-booking is NOT checked here: the database's
// exclusion constraint is the only guarantee of that.
import {
  BeyondHorizon,
  DurationOutOfRange,
  EndNotAfterStart,
  InClosure,
  OutsideOpeningHours,
  OverCapacity,
  TooShortNotice,
} from "~/errors/domain-errors";
import { contains, durationMinutes, type Interval, MINUTE, merge } from "~/time/interval";
import { type Closure, type OpeningRule, openIntervals } from "~/time/opening";
import { addDays, localDateOf } from "~/time/zoned";

export interface VenueRules {
  timeZone: string;
  capacity: number;
  minDurationMinutes: number;
  maxDurationMinutes: number;
  horizonDays: number;
  minNoticeMinutes: number;
  openingHours: readonly OpeningRule[];
  closures: readonly Closure[];
}

const DAY = 24 * 60 * MINUTE;

/** Throws the first rule the booking breaks, in the order a person would fix them. */
export function checkBookingRules(rules: VenueRules, span: Interval, expectedAttendees: number, now: Date): void {
  if (!(span.end > span.start)) throw new EndNotAfterStart();
  const minutes = durationMinutes(span);
  if (minutes < rules.minDurationMinutes || minutes > rules.maxDurationMinutes)
    throw new DurationOutOfRange(rules.minDurationMinutes, rules.maxDurationMinutes);
  if (span.start < now.getTime() + rules.minNoticeMinutes * MINUTE) throw new TooShortNotice(rules.minNoticeMinutes, span.start < now.getTime());
  if (span.start > now.getTime() + rules.horizonDays * DAY) throw new BeyondHorizon(rules.horizonDays);
  if (expectedAttendees > rules.capacity) throw new OverCapacity(rules.capacity);
  checkOpen(rules, span);
}

/**
 * Throws unless the venue is open for the whole span: no closure on any local
 * date it touches, and inside the opening hours. The part of the rules that
 * says whether a venue is open at all, shared by booking and search.
 */
export function checkOpen(rules: Pick<VenueRules, "timeZone" | "openingHours" | "closures">, span: Interval): void {
  const firstDate = localDateOf(span.start, rules.timeZone);
  const lastDate = localDateOf(span.end - 1, rules.timeZone);
  for (let d = firstDate; d <= lastDate; d = addDays(d, 1)) {
    const closure = rules.closures.find((c) => c.startsOn <= d && d <= c.endsOn);
    if (closure) throw new InClosure(closure.reason, closure.startsOn, closure.endsOn, closure.venue);
  }
  if (!openAround(rules.openingHours, rules.timeZone, firstDate, lastDate).some((o) => contains(o, span))) throw new OutsideOpeningHours();
}

// A venue's opening hours over a few days, kept with its hours: a kept
// booking context (context-cache.server.ts) hands the same array to every
// request, and working them out again was a fifth of the engine's time in
// Node per booking. Bounded per venue, like the memos of app/time/zoned.ts.
const openMemo = new WeakMap<readonly OpeningRule[], Map<string, readonly Interval[]>>();
const OPEN_MEMO_LIMIT = 1000;

/** The opening intervals from the day before `firstDate` to `lastDate`, adjacent ones (08–12, 12–16) as one. */
function openAround(hours: readonly OpeningRule[], zone: string, firstDate: string, lastDate: string): readonly Interval[] {
  let byDates = openMemo.get(hours);
  if (!byDates) {
    byDates = new Map();
    openMemo.set(hours, byDates);
  }
  const key = `${zone}|${firstDate}|${lastDate}`;
  let open = byDates.get(key);
  if (!open) {
    open = Object.freeze(merge(openIntervals(hours, [], addDays(firstDate, -1), lastDate, zone)));
    if (byDates.size >= OPEN_MEMO_LIMIT) byDates.clear();
    byDates.set(key, open);
  }
  return open;
}
