// A week of a venue's free and busy time, as a person reads it: days in the
// venue's zone, each with its slots in order. Pure; the words are formatted
// here (on the server) so the browser hydrates exactly what was sent.
import { DateTime } from "luxon";
import type { Availability } from "~/availability/availability.server";
import { formatDate } from "~/i18n/format";
import { translate } from "~/i18n";
import type { Language } from "~/i18n/language";
import { type Interval, intersect, MINUTE } from "~/time/interval";
import { closureOn } from "~/time/opening";
import { addDays, mondayOf, startOfLocalDayMillis, wallClock } from "~/time/zoned";

export interface SlotView {
  start: string; // 'HH:mm' local
  end: string; // 'HH:mm' local; '24:00' for midnight at the end of the day
  /**
   * "closed": time a caretaker blocked (maintenance, a private event); shown without its reason.
   * "past": free time that has gone by, so not offered as free ("Ledig" on last Monday misled).
   */
  status: "free" | "busy" | "closed" | "past";
  /** Public bookings only; private ones are simply busy. */
  title: string | null;
  /** For a free slot that can still be booked: the time the "Book" link fills in. */
  book?: { start: string; end: string } | null;
}

export interface DayView {
  date: string;
  heading: string;
  isToday: boolean;
  /** The closure that day: its reason, and the venue closed when it is another (the whole, or a part). */
  closure: { reason: string; venue: string | null } | null;
  slots: SlotView[];
}

/** Which week is shown and where the links next to it go. */
export interface WeekNav {
  monday: string;
  weekNumber: number;
  from: string;
  to: string;
  previous: string;
  next: string;
  /** Monday of this week, and whether that is the week shown. */
  current: string;
  isCurrent: boolean;
}

export function weekNav(lang: Language, monday: string, today: string): WeekNav {
  const todayMonday = mondayOf(today);
  return {
    monday,
    weekNumber: DateTime.fromISO(monday, { zone: "UTC" }).weekNumber,
    from: formatDate(lang, monday),
    to: formatDate(lang, addDays(monday, 6)),
    previous: addDays(monday, -7),
    next: addDays(monday, 7),
    current: todayMonday,
    isCurrent: todayMonday === monday,
  };
}

/** "Mandag 22. mars" (long) or "Man. 22. mars" (short) in the language's own style. */
export function dayHeading(lang: Language, date: string, length: "long" | "short" = "long"): string {
  return capitalise(DateTime.fromISO(date, { zone: "UTC" }).setLocale(lang.dateLocale).toLocaleString({ weekday: length, day: "numeric", month: length }));
}

export interface WeekView extends WeekNav {
  timeZone: string;
  days: DayView[];
  /** `when`: one date, or a range ("21.–23. desember"); `venue` as for a day. */
  closures: { when: string; reason: string; venue: string | null }[];
}

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

function clock(ms: number, dayEnd: number, zone: string): string {
  return ms >= dayEnd ? "24:00" : wallClock(ms, zone);
}

function daySlots(av: Availability, dayStart: number, dayEnd: number): (Interval & Omit<SlotView, "start" | "end">)[] {
  const open = av.open.filter((o) => o.start >= dayStart && o.start < dayEnd);
  const free = intersect(av.free, open).map((f) => ({ ...f, status: "free" as "free" | "past", title: null }));
  const busy = new Map<string, Interval & { status: "busy" | "closed"; title: string | null }>();
  for (const b of av.busy) {
    const status = b.closed ? "closed" : "busy";
    for (const o of open) {
      const start = Math.max(b.start, o.start);
      const end = Math.min(b.end, o.end);
      // A whole hall holds a claim on each of its parts: show such a booking once.
      if (start < end) busy.set(`${start}|${end}|${status}|${b.publicTitle}`, { start, end, status, title: b.publicTitle });
    }
  }
  return [...free, ...busy.values()].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** What a "Book" link on a free slot offers: from its start (or the first quarter hour bookable now) for the default length. */
export interface BookingHints {
  now: number;
  minDurationMinutes: number;
  maxDurationMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
}

const QUARTER = 15 * MINUTE;
/** A link fills in two hours, within the venue's limits; the person adjusts it in the form. */
const DEFAULT_BOOKING_MINUTES = 120;

function bookableSpan(slot: Interval, hints: BookingHints): Interval | null {
  const earliest = Math.ceil((hints.now + hints.minNoticeMinutes * MINUTE) / QUARTER) * QUARTER;
  const start = Math.max(slot.start, earliest);
  if (start + hints.minDurationMinutes * MINUTE > slot.end) return null;
  if (start > hints.now + hints.horizonDays * 24 * 60 * MINUTE) return null;
  const length = Math.min(Math.max(DEFAULT_BOOKING_MINUTES, hints.minDurationMinutes), hints.maxDurationMinutes) * MINUTE;
  return { start, end: Math.min(slot.end, start + length) };
}

type DaySlot = ReturnType<typeof daySlots>[number];

/**
 * Free time that has gone by is "past", not free ("Ledig" on last Monday
 * misled): a free slot running now is cut at the next quarter hour, where a
 * booking could begin at the earliest.
 */
function splitAtNow(s: DaySlot, now: number): DaySlot[] {
  if (s.status !== "free" || s.start >= now) return [s];
  const cut = Math.min(s.end, Math.ceil(now / QUARTER) * QUARTER);
  const past = { ...s, end: cut, status: "past" as const };
  return cut < s.end ? [past, { ...s, start: cut }] : [past];
}

/** `today` is the local date now in the venue's zone; `hints` adds "Book" times to free slots. */
export function buildWeek(av: Availability, lang: Language, today: string, hints?: BookingHints): WeekView {
  const zone = av.timeZone;
  const monday = av.from;
  const days: DayView[] = [];
  for (let i = 0; i < 7; i++) {
    const date = addDays(monday, i);
    const dayStart = startOfLocalDayMillis(date, zone);
    const dayEnd = startOfLocalDayMillis(addDays(date, 1), zone);
    const closure = closureOn(date, av.closures);
    days.push({
      date,
      heading: dayHeading(lang, date),
      isToday: date === today,
      closure: closure ? { reason: closure.reason, venue: closure.venue ?? null } : null,
      slots: closure
        ? []
        : daySlots(av, dayStart, dayEnd)
            .flatMap((s) => (hints ? splitAtNow(s, hints.now) : [s]))
            .map((s) => {
              const book = hints && s.status === "free" ? bookableSpan(s, hints) : null;
              return {
                start: clock(s.start, dayEnd, zone),
                end: clock(s.end, dayEnd, zone),
                status: s.status,
                title: s.title,
                ...(hints ? { book: book && { start: clock(book.start, dayEnd, zone), end: clock(book.end, dayEnd, zone) } } : {}),
              };
            }),
    });
  }
  return {
    ...weekNav(lang, monday, today),
    timeZone: zone,
    days,
    closures: av.closures.map((c) => ({
      when: c.startsOn === c.endsOn ? formatDate(lang, c.startsOn) : translate(lang, "week.dateRange", { from: formatDate(lang, c.startsOn), to: formatDate(lang, c.endsOn) }),
      reason: c.reason,
      venue: c.venue ?? null,
    })),
  };
}
