// A booking's time as a person reads it: local date and wall times in the
// venue's zone, in their language. Pure.
import { Info } from "luxon";
import { formatWallSpan } from "~/i18n/format";
import type { Language } from "~/i18n/language";
import { addDays, localDateOf, startOfLocalDayMillis, wallClock } from "~/time/zoned";

export interface WallTimes {
  date: string;
  start: string;
  /** 'HH:mm'; '24:00' when it ends at the next midnight. */
  end: string;
}

/** The local date of the start and both wall times; an end on a later day reads as its wall time. */
export function wallTimesOf(start: Date | number, end: Date | number, zone: string): WallTimes {
  const s = typeof start === "number" ? start : start.getTime();
  const e = typeof end === "number" ? end : end.getTime();
  const date = localDateOf(s, zone);
  const midnight = startOfLocalDayMillis(addDays(date, 1), zone);
  return { date, start: wallClock(s, zone), end: e === midnight ? "24:00" : wallClock(e, zone) };
}

/** "tirsdag 1. desember 2026, 18:00–20:00" in the venue's zone. */
export function formatWhen(lang: Language, start: Date | number, end: Date | number, zone: string): string {
  return formatWallSpan(lang, wallTimesOf(start, end, zone));
}

/** ISO weekday (1 = Monday) → its name, "tirsdag" / "Tuesday". */
export function weekdayName(lang: Language, weekday: number): string {
  return Info.weekdays("long", { locale: lang.dateLocale })[weekday - 1] ?? String(weekday);
}

/** The weekdays for a select: value 1..7 with the name, capitalised. */
export function weekdayChoices(lang: Language): { value: string; label: string }[] {
  return Info.weekdays("long", { locale: lang.dateLocale }).map((name, i) => ({
    value: String(i + 1),
    label: name.charAt(0).toLocaleUpperCase() + name.slice(1),
  }));
}
