// Wall time in a venue's zone <-> instants. People see and type wall times;
// the database stores instants. Pure: nothing here reads the clock.
import { DateTime, IANAZone } from "luxon";
import { InvalidInput, NonexistentLocalTime } from "~/errors/domain-errors";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::00)?$/;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export function parseLocalDate(date: string, field = "date"): LocalDate {
  const m = DATE_RE.exec(date);
  if (!m) throw new InvalidInput({ [field]: "invalidDate" });
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!DateTime.fromObject(d, { zone: "UTC" }).isValid) throw new InvalidInput({ [field]: "invalidDate" });
  return d;
}

export function parseLocalTime(time: string, field = "time"): { hour: number; minute: number } {
  const m = TIME_RE.exec(time);
  if (!m) throw new InvalidInput({ [field]: "invalidTime" });
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * The instant at which the wall clock in `zone` shows `date` `time`.
 *
 * - A time inside the spring-forward gap (02:30 on the last Sunday of March in
 *   Europe/Oslo) does not exist and is refused with NonexistentLocalTime.
 * - A time in the fall-back hour happens twice. Rule: it means the FIRST
 *   occurrence (the earlier instant, still on summer time), the same rule
 *   RFC 5545 §3.3.5 gives calendar clients, so our bookings and the feeds we
 *   publish agree. (Luxon alone would pick the later one.)
 */
export function localToInstant(date: string, time: string, zone: string): DateTime {
  if (!isValidZone(zone)) throw new InvalidInput({ zone: "invalidZone" });
  const d = parseLocalDate(date);
  const t = parseLocalTime(time);
  const wall = { ...d, ...t, second: 0, millisecond: 0 };
  const guess = DateTime.fromObject(wall, { zone });
  // Try every offset in force within a few hours of the guess; keep those at
  // which the wall time really reads as asked.
  const candidates = new Set<number>();
  for (const h of [-3, -1, 0, 1, 3]) candidates.add(guess.plus({ hours: h }).offset);
  const asUtc = DateTime.fromObject(wall, { zone: "UTC" }).toMillis();
  const matches = [...candidates]
    .map((offset) => DateTime.fromMillis(asUtc - offset * 60_000, { zone }))
    .filter((dt) => dt.year === d.year && dt.month === d.month && dt.day === d.day && dt.hour === t.hour && dt.minute === t.minute)
    .sort((a, b) => a.toMillis() - b.toMillis());
  const first = matches[0];
  if (!first) throw new NonexistentLocalTime(date, time, zone);
  return first;
}

export function instantToLocal(instant: Date | number, zone: string): DateTime {
  return DateTime.fromMillis(typeof instant === "number" ? instant : instant.getTime(), { zone });
}

/** 'YYYY-MM-DD' of the wall-clock date at `instant` in `zone`. */
export function localDateOf(instant: Date | number, zone: string): string {
  return instantToLocal(instant, zone).toISODate()!;
}

/** The instant the local day `date` begins in `zone` (midnight, or the first instant after a gap). */
export function startOfLocalDay(date: string, zone: string): DateTime {
  const d = parseLocalDate(date);
  return DateTime.fromObject(d, { zone }).startOf("day");
}

export function addDays(date: string, days: number): string {
  const d = parseLocalDate(date);
  return DateTime.fromObject(d, { zone: "UTC" }).plus({ days }).toISODate()!;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  return DateTime.fromObject(parseLocalDate(date), { zone: "UTC" }).weekday;
}

/** The Monday of the ISO week containing `date`. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}
