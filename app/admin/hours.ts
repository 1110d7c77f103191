// A venue's weekly opening hours as an admin types them: for each ISO weekday
// a few rows of "opens – closes" in the venue's wall time. Pure: turns the
// rows into rules or names every bad row's field at once (InvalidInput), so
// the form can show each message beside its field.
import { InvalidInput } from "~/errors/domain-errors";
import type { OpeningRule } from "~/time/opening";

/** More than this on one day is a typo, not a timetable. */
export const MAX_INTERVALS_PER_DAY = 6;
/** Empty rows the form offers per day (more when a day already has more intervals). */
export const FORM_ROWS = 3;
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export interface HoursRow {
  weekday: number;
  /** 0-based position of the row in the form. */
  row: number;
  /** As typed: '' for an empty row. */
  opens: string;
  closes: string;
}

/** The form field of one end of one row: "h1-0-opens" is Monday's first opening time. */
export function hoursField(weekday: number, row: number, end: "opens" | "closes"): string {
  return `h${weekday}-${row}-${end}`;
}

const FIELD_RE = /^h([1-7])-(\d{1,2})-(opens|closes)$/;

export function parseHoursField(field: string): { weekday: number; row: number; end: "opens" | "closes" } | null {
  const m = FIELD_RE.exec(field);
  return m ? { weekday: Number(m[1]), row: Number(m[2]), end: m[3] as "opens" | "closes" } : null;
}

/** 'HH:MM' → minutes after midnight; 24:00 (closing at midnight) is 1440. People also type 8:00 and 08.00. */
function minutesOf(value: string, allowMidnight: boolean): number | null {
  const m = /^(\d{1,2})[:.](\d{2})(?::00)?$/.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return allowMidnight ? 1440 : null;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** A stored time ('08:00:00', '24:00:00') as the form shows it. */
export function formTime(stored: string): string {
  return stored.slice(0, 5);
}

/**
 * The rules the rows describe, sorted by weekday and time. Refused, naming
 * the fields: half-filled rows, times that are not HH:MM, a closing time not
 * after the opening time, intervals that overlap on a day (touching ones,
 * 08–12 and 12–16, are fine), and more than MAX_INTERVALS_PER_DAY a day.
 */
export function validateWeeklyHours(rows: readonly HoursRow[]): OpeningRule[] {
  const problems: Record<string, string> = {};
  const byDay = new Map<number, { row: number; opens: number; closes: number }[]>();
  for (const r of rows) {
    if (!Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) throw new InvalidInput({ weekday: "invalidWeekday" });
    const opensText = r.opens.trim();
    const closesText = r.closes.trim();
    if (!opensText && !closesText) continue;
    const opensField = hoursField(r.weekday, r.row, "opens");
    const closesField = hoursField(r.weekday, r.row, "closes");
    if (!opensText) problems[opensField] = "required";
    if (!closesText) problems[closesField] = "required";
    if (!opensText || !closesText) continue;
    const opens = minutesOf(opensText, false);
    const closes = minutesOf(closesText, true);
    if (opens === null) problems[opensField] = "invalidTime";
    if (closes === null) problems[closesField] = "invalidTime";
    if (opens === null || closes === null) continue;
    if (closes <= opens) {
      problems[closesField] = "endNotAfterStart";
      continue;
    }
    const day = byDay.get(r.weekday) ?? [];
    day.push({ row: r.row, opens, closes });
    byDay.set(r.weekday, day);
  }
  const rules: OpeningRule[] = [];
  for (const weekday of WEEKDAYS) {
    const day = (byDay.get(weekday) ?? []).sort((a, b) => a.opens - b.opens || a.closes - b.closes);
    if (day.length > MAX_INTERVALS_PER_DAY) problems[hoursField(weekday, day[MAX_INTERVALS_PER_DAY]!.row, "opens")] = "tooManyIntervals";
    let latestClose = -1;
    for (const cur of day) {
      if (cur.opens < latestClose) problems[hoursField(weekday, cur.row, "opens")] ??= "overlapsInterval";
      latestClose = Math.max(latestClose, cur.closes);
    }
    for (const d of day) rules.push({ weekday, opens: hhmm(d.opens), closes: hhmm(d.closes) });
  }
  if (Object.keys(problems).length > 0) throw new InvalidInput(problems);
  return rules;
}
