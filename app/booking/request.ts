// Parsing a booking request into clean values and instants. Pure.
import { InvalidInput } from "~/errors/domain-errors";
import type { Interval } from "~/time/interval";
import { addDays, localToMillis } from "~/time/zoned";
import { cleanPositiveInt, cleanText } from "./text";

export interface BookingDetails {
  title: string;
  purpose?: string;
  isPublic?: boolean;
  expectedAttendees: number | string;
  noteToCaretaker?: string;
}

export interface CleanDetails {
  title: string;
  purpose: string;
  isPublic: boolean;
  expectedAttendees: number;
  noteToCaretaker: string;
}

export function cleanDetails(d: BookingDetails): CleanDetails {
  return {
    title: cleanText("title", d.title, { max: 120, required: true }),
    purpose: cleanText("purpose", d.purpose, { max: 2000, multiline: true }),
    isPublic: d.isPublic === true,
    expectedAttendees: cleanPositiveInt("expectedAttendees", d.expectedAttendees, 100_000),
    noteToCaretaker: cleanText("noteToCaretaker", d.noteToCaretaker, { max: 2000, multiline: true }),
  };
}

export function cleanId(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) throw new InvalidInput({ [field]: "invalidId" });
  return value;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_RE.test(value);
}

/** Booking and series ids are UUIDs; anything else cannot name one. */
export function cleanUuid(field: string, value: unknown): string {
  if (!isUuid(value)) throw new InvalidInput({ [field]: "invalidId" });
  return value.toLowerCase();
}

const KEY_RE = /^[A-Za-z0-9_-]{8,100}$/;

export function cleanIdempotencyKey(key: unknown): string | null {
  if (key === undefined || key === null || key === "") return null;
  if (typeof key !== "string" || !KEY_RE.test(key)) throw new InvalidInput({ idempotencyKey: "invalidKey" });
  return key;
}

/**
 * A local date with start and end wall times in the venue's zone. The end may
 * be "24:00" (midnight after the date). Nonexistent local times are refused.
 */
export function localSpan(date: string, start: string, end: string, zone: string): Interval {
  const s = localToMillis(date, start, zone);
  const e = end === "24:00" ? localToMillis(addDays(date, 1), "00:00", zone) : localToMillis(date, end, zone);
  return { start: s, end: e };
}
