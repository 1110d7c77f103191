// Wall time in a venue's zone <-> instants. People see and type wall times;
// the database stores instants. Pure: nothing here reads the clock.
//
// This sits on the booking hot path, so calendar arithmetic is done on plain
// numbers (Date.UTC) and zone offsets are memoised; luxon is used for the
// offset lookup itself and for the DateTime values handed to callers.
import { DateTime, IANAZone } from "luxon";
import { InvalidInput, NonexistentLocalTime } from "~/errors/domain-errors";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const validZones = new Set<string>();

export function isValidZone(zone: string): boolean {
  // Luxon checks by building an Intl formatter, which is slow; zones are few.
  if (validZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  validZones.add(zone);
  return true;
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

// The dates a process works with are few (a booking's day and the days
// around it), and parsing and formatting them was a fifth of the booking
// engine's time in Node: both are memoised, bounded like offsetMemo below.
const MEMO_LIMIT = 50_000;
const parsedDates = new Map<string, Readonly<LocalDate>>();
const formattedDays = new Map<number, string>();

export function parseLocalDate(date: string, field = "date"): Readonly<LocalDate> {
  const known = parsedDates.get(date);
  if (known) return known;
  const m = typeof date === "string" ? DATE_RE.exec(date) : null;
  if (!m) throw new InvalidInput({ [field]: "invalidDate" });
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(d.year, d.month - 1, d.day));
  // Date.UTC maps years below 100 to the 1900s; no booking lives before 1000 anyway.
  if (d.year < 1000 || check.getUTCMonth() !== d.month - 1 || check.getUTCDate() !== d.day) throw new InvalidInput({ [field]: "invalidDate" });
  if (parsedDates.size >= MEMO_LIMIT) parsedDates.clear();
  parsedDates.set(date, Object.freeze(d));
  return d;
}

/** Whether `value` is a date that exists ("2026-02-30" is not), for code that must not throw on what a person typed. */
export function isLocalDate(value: string): boolean {
  try {
    parseLocalDate(value);
    return true;
  } catch {
    return false;
  }
}

/** Ten years either way, as the public venue week: further is a typo, not a plan. */
const MAX_DAYS_AWAY = 3653;

/**
 * A date the person typed (`field` names it in the message): valid and within
 * ten years of `today`. Checked before any date is reckoned from it, so that
 * 9999-12-31 is "too far away" on its own field, not a failure of the day after.
 */
export function checkedDate(value: string, field: string, today: string): string {
  parseLocalDate(value, field);
  if (Math.abs(Date.parse(value) - Date.parse(today)) > MAX_DAYS_AWAY * DAY_MS) throw new InvalidInput({ [field]: "outOfRange" });
  return value;
}

export function parseLocalTime(time: string, field = "time"): { hour: number; minute: number } {
  const m = typeof time === "string" ? TIME_RE.exec(time) : null;
  if (!m) throw new InvalidInput({ [field]: "invalidTime" });
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

// Offsets change on quarter-hour boundaries in every zone in use, so one
// lookup per zone and quarter hour is exact. Bounded so it cannot grow forever.
const offsetMemo = new Map<string, Map<number, number>>();
const QUARTER_MS = 15 * MINUTE_MS;

/** The zone's UTC offset in minutes at the instant `ms`. */
export function offsetMinutes(zone: string, ms: number): number {
  let offsets = offsetMemo.get(zone);
  if (!offsets) {
    offsets = new Map();
    offsetMemo.set(zone, offsets);
  }
  const quarter = Math.floor(ms / QUARTER_MS);
  let offset = offsets.get(quarter);
  if (offset === undefined) {
    offset = IANAZone.create(zone).offset(ms);
    if (offsets.size >= MEMO_LIMIT) offsets.clear();
    offsets.set(quarter, offset);
  }
  return offset;
}

/**
 * The instant (epoch ms) at which the wall clock in `zone` shows `date` `time`.
 *
 * - A time inside the spring-forward gap (02:30 on the last Sunday of March in
 *   Europe/Oslo) does not exist and is refused with NonexistentLocalTime.
 * - A time in the fall-back hour happens twice. Rule: it means the FIRST
 *   occurrence (the earlier instant, still on summer time), the same rule
 *   RFC 5545 §3.3.5 gives calendar clients, so our bookings and the feeds we
 *   publish agree. (Luxon alone would pick the later one.)
 */
export function localToMillis(date: string, time: string, zone: string): number {
  if (!isValidZone(zone)) throw new InvalidInput({ zone: "invalidZone" });
  const d = parseLocalDate(date);
  const t = parseLocalTime(time);
  const wallAsUtc = Date.UTC(d.year, d.month - 1, d.day, t.hour, t.minute);
  // Offset transitions are far more than 12 hours apart, so the offsets half a
  // day either side are the only candidates; keep those that read back true.
  let best: number | undefined;
  for (const o of [offsetMinutes(zone, wallAsUtc - 12 * HOUR_MS), offsetMinutes(zone, wallAsUtc + 12 * HOUR_MS)]) {
    const instant = wallAsUtc - o * MINUTE_MS;
    if (offsetMinutes(zone, instant) === o && (best === undefined || instant < best)) best = instant;
  }
  if (best === undefined) throw new NonexistentLocalTime(date, time, zone);
  return best;
}

/** localToMillis as a luxon DateTime in the zone. */
export function localToInstant(date: string, time: string, zone: string): DateTime {
  return DateTime.fromMillis(localToMillis(date, time, zone), { zone });
}

export function instantToLocal(instant: Date | number, zone: string): DateTime {
  return DateTime.fromMillis(typeof instant === "number" ? instant : instant.getTime(), { zone });
}

function isoDate(msUtc: number): string {
  const day = Math.floor(msUtc / DAY_MS);
  const known = formattedDays.get(day);
  if (known !== undefined) return known;
  const d = new Date(msUtc);
  // Past 9999 toISOString writes "+010000-…", which no date parser (nor
  // PostgreSQL) takes: such a date is bad input, not a server error.
  if (!(d.getUTCFullYear() <= 9999)) throw new InvalidInput({ date: "invalidDate" });
  const date = d.toISOString().slice(0, 10);
  if (formattedDays.size >= MEMO_LIMIT) formattedDays.clear();
  formattedDays.set(day, date);
  return date;
}

/** 'YYYY-MM-DD' of the wall-clock date at `instant` in `zone`. */
export function localDateOf(instant: Date | number, zone: string): string {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  return isoDate(ms + offsetMinutes(zone, ms) * MINUTE_MS);
}

/**
 * 'HH:mm' on the wall clock in `zone` at `instant`. Pages print many of these
 * (a week has dozens of slots): a luxon DateTime for each one asked Intl for
 * the zone's offset every time, about a tenth of the venue page's time in a
 * profile; the memoised offset gives the same answer.
 */
export function wallClock(instant: Date | number, zone: string): string {
  const minutes = wallMinuteOfDay(instant, zone);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Minutes since midnight (0–1439) on the wall clock in `zone` at `instant`. */
export function wallMinuteOfDay(instant: Date | number, zone: string): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const wall = ms + offsetMinutes(zone, ms) * MINUTE_MS;
  return Math.floor((((wall % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/** The instant the local day `date` begins in `zone` (midnight, or the first instant after a gap). */
export function startOfLocalDay(date: string, zone: string): DateTime {
  return DateTime.fromMillis(startOfLocalDayMillis(date, zone), { zone });
}

/** startOfLocalDay as epoch ms: no DateTime built, for the booking hot path (opening hours to 24:00). */
export function startOfLocalDayMillis(date: string, zone: string): number {
  try {
    return localToMillis(date, "00:00", zone);
  } catch (e) {
    if (!(e instanceof NonexistentLocalTime)) throw e;
    return DateTime.fromObject(parseLocalDate(date), { zone }).startOf("day").toMillis();
  }
}

export function addDays(date: string, days: number): string {
  const d = parseLocalDate(date);
  return isoDate(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const d = parseLocalDate(date);
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() || 7;
}

/** The Monday of the ISO week containing `date`. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/** The ISO week around `instant` on the wall clock of `zone`: Monday 00:00 to the next Monday 00:00. */
export function localWeekOf(instant: Date | number, zone: string): { from: Date; to: Date } {
  const monday = mondayOf(localDateOf(instant, zone));
  return { from: startOfLocalDay(monday, zone).toJSDate(), to: startOfLocalDay(addDays(monday, 7), zone).toJSDate() };
}
