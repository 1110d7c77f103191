// Opening hours and closures turned into instants for a range of local dates.
import { DateTime } from "luxon";
import type { Interval } from "./interval";
import { NonexistentLocalTime } from "~/errors/domain-errors";
import { addDays, localToMillis, parseLocalDate, startOfLocalDayMillis, weekdayOf } from "./zoned";

export interface OpeningRule {
  weekday: number; // ISO 1..7
  opens: string; // 'HH:MM' or 'HH:MM:SS'
  closes: string; // may be '24:00'
}

export interface Closure {
  startsOn: string; // inclusive local date
  endsOn: string; // inclusive local date
  reason: string;
  /** The name of the venue closed, when it is another than the one asked about: the whole it is part of, or one of its parts. */
  venue?: string | null;
}

function wallInstant(date: string, time: string, zone: string): number {
  const [h, m] = time.split(":").map(Number) as [number, number];
  if (h === 24) return startOfLocalDayMillis(addDays(date, 1), zone);
  const hhmm = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
  try {
    return localToMillis(date, hhmm, zone);
  } catch (e) {
    if (!(e instanceof NonexistentLocalTime)) throw e;
    // Opening hours are lenient where bookings are strict: a venue that opens
    // at 02:00 on spring-forward night opens when the clock resumes at 03:00.
    return DateTime.fromObject({ ...parseLocalDate(date), hour: h, minute: m }, { zone }).toMillis();
  }
}

export function closureOn(date: string, closures: readonly Closure[]): Closure | undefined {
  return closures.find((c) => c.startsOn <= date && date <= c.endsOn);
}

/** Open intervals on each local date from `fromDate` to `toDate` (inclusive), closures removed. */
export function openIntervals(
  rules: readonly OpeningRule[],
  closures: readonly Closure[],
  fromDate: string,
  toDate: string,
  zone: string,
): Interval[] {
  const out: Interval[] = [];
  for (let date = fromDate; date <= toDate; date = addDays(date, 1)) {
    if (closureOn(date, closures)) continue;
    const weekday = weekdayOf(date);
    for (const r of rules) {
      if (r.weekday !== weekday) continue;
      const start = wallInstant(date, r.opens, zone);
      const end = wallInstant(date, r.closes, zone);
      if (end > start) out.push({ start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
