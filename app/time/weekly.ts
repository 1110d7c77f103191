// Occurrences of a weekly series. Each occurrence is computed from its own
// local date and the series' local start time, so 18:00 stays 18:00 on the
// wall across daylight-saving changes (and moves in UTC instead).
import { InvalidInput } from "~/errors/domain-errors";
import { type Interval, MINUTE } from "./interval";
import { addDays, localDateOf, localToMillis, parseLocalDate, wallClock, weekdayOf } from "./zoned";

export interface WeeklyRule {
  weekday: number; // ISO 1..7
  startTime: string; // 'HH:MM' local
  durationMinutes: number;
  intervalWeeks: number;
  from: string; // first local date considered (inclusive)
  until: string; // last local date considered (inclusive)
  zone: string;
}

export interface Occurrence extends Interval {
  date: string; // local date of the start
}

/** A bound on the dates one series may span, so a typo cannot make a million rows. */
export const MAX_OCCURRENCES = 260;

export function weeklyDates(rule: Pick<WeeklyRule, "weekday" | "intervalWeeks" | "from" | "until">): string[] {
  parseLocalDate(rule.from, "from");
  parseLocalDate(rule.until, "until");
  if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) throw new InvalidInput({ weekday: "invalidWeekday" });
  if (!Number.isInteger(rule.intervalWeeks) || rule.intervalWeeks < 1 || rule.intervalWeeks > 52)
    throw new InvalidInput({ intervalWeeks: "invalidInterval" });
  if (rule.until < rule.from) throw new InvalidInput({ until: "untilBeforeFrom" });
  const first = addDays(rule.from, (rule.weekday - weekdayOf(rule.from) + 7) % 7);
  const dates: string[] = [];
  for (let d = first; d <= rule.until; d = addDays(d, 7 * rule.intervalWeeks)) {
    dates.push(d);
    if (dates.length > MAX_OCCURRENCES) throw new InvalidInput({ until: "tooManyOccurrences" });
  }
  return dates;
}

/**
 * Every occurrence of the rule. A start time that does not exist on one of the
 * dates (a DST gap) throws NonexistentLocalTime naming that date.
 */
export function weeklyOccurrences(rule: WeeklyRule): Occurrence[] {
  if (!Number.isInteger(rule.durationMinutes) || rule.durationMinutes <= 0) throw new InvalidInput({ durationMinutes: "invalidDuration" });
  return weeklyDates(rule).map((date) => {
    const start = localToMillis(date, rule.startTime, rule.zone);
    return { date, start, end: start + rule.durationMinutes * MINUTE };
  });
}

/**
 * Whether a span is where the rule puts an occurrence: on the rule's weekday,
 * at its local start time, for its length. A date moved off it by hand is not.
 */
export function keepsWeeklyRule(rule: Pick<WeeklyRule, "weekday" | "startTime" | "durationMinutes" | "zone">, span: Interval): boolean {
  return (
    weekdayOf(localDateOf(span.start, rule.zone)) === rule.weekday &&
    wallClock(span.start, rule.zone) === rule.startTime.slice(0, 5) &&
    span.end - span.start === rule.durationMinutes * MINUTE
  );
}
