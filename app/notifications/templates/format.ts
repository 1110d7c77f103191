// Dates and times in mail: wall time in the venue's zone, words in the recipient's language.
import { DateTime, Info } from "luxon";
import { type Language, translate } from "~/i18n";
import { formatMinutes } from "~/i18n/format";
import { wallClock } from "~/time/zoned";

const at = (instant: Date, zone: string, lang: Language) => DateTime.fromJSDate(instant, { zone }).setLocale(lang.dateLocale);

/** "torsdag 10. desember 2026" / "Thursday 10 December 2026". */
export function longDate(lang: Language, instant: Date, zone: string): string {
  return at(instant, zone, lang).toLocaleString({ weekday: "long", day: "numeric", month: "long", year: "numeric" });
}

/** "10. des. 2026" / "10 Dec 2026", for subjects. */
export function shortDate(lang: Language, instant: Date, zone: string): string {
  return at(instant, zone, lang).toLocaleString(DateTime.DATE_MED);
}

/** A local calendar date 'YYYY-MM-DD' in words. */
export function longLocalDate(lang: Language, isoDate: string): string {
  const d = DateTime.fromISO(isoDate, { zone: "UTC" }).setLocale(lang.dateLocale);
  return d.isValid ? d.toLocaleString({ weekday: "long", day: "numeric", month: "long", year: "numeric" }) : isoDate;
}

export function clock(instant: Date, zone: string): string {
  return wallClock(instant, zone);
}

export function when(lang: Language, start: Date, end: Date, zone: string): string {
  return translate(lang, "mail.when", { date: longDate(lang, start, zone), start: clock(start, zone), end: clock(end, zone) });
}

/** 1 = Monday … 7 = Sunday, as in ISO and the series table. */
export function weekdayName(lang: Language, weekday: number): string {
  return Info.weekdays("long", { locale: lang.dateLocale })[weekday - 1] ?? String(weekday);
}

/** "18:00" + 90 minutes → "19:30" on the wall clock (duration as the series says it). */
export function addToClock(time: string, minutes: number): string {
  const [h = 0, m = 0] = time.split(":").map(Number);
  const total = (h * 60 + m + minutes) % (24 * 60);
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

export { formatMinutes };
