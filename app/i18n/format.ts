// Numbers, durations and dates in the person's language. Runs on the server
// only in practice (loaders format, components print) so that the text the
// browser hydrates is exactly the text the server sent.
import { DateTime } from "luxon";
import { translate } from "./index";
import type { Language } from "./language";

// Intl formatters are slow to make and immutable once made: one per language
// and kind, kept. Made anew on every call, formatMinutes alone was a sixth of
// the venue page's loader in a profile.
const formatters = new Map<string, Intl.NumberFormat | Intl.ListFormat | Intl.PluralRules>();

function kept<T extends Intl.NumberFormat | Intl.ListFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f as T;
}

export function formatNumber(lang: Language, n: number): string {
  return kept(`${lang.dateLocale}|number`, () => new Intl.NumberFormat(lang.dateLocale, { maximumFractionDigits: 1 })).format(n);
}

function unit(lang: Language, value: number, u: "minute" | "hour"): string {
  const f = kept(
    `${lang.dateLocale}|${u}`,
    () => new Intl.NumberFormat(lang.dateLocale, { style: "unit", unit: u, unitDisplay: "long", maximumFractionDigits: 1 }),
  );
  return f.format(value);
}

/** 90 → "1 time og 30 minutter" / "1 hour and 30 minutes". */
export function formatMinutes(lang: Language, minutes: number): string {
  if (minutes < 60 || !Number.isInteger(minutes)) return unit(lang, minutes, "minute");
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (rest === 0) return unit(lang, hours, "hour");
  const and = kept(`${lang.dateLocale}|and`, () => new Intl.ListFormat(lang.dateLocale, { type: "conjunction" }));
  return and.format([unit(lang, hours, "hour"), unit(lang, rest, "minute")]);
}

export function formatHours(lang: Language, hours: number): string {
  return unit(lang, hours, "hour");
}

/** Not Intl's unit: for "day" bokmål CLDR says "døgn", which reads oddly in "180 døgn fram i tid". */
export function formatDays(lang: Language, days: number): string {
  const plural = kept(`${lang.dateLocale}|plural`, () => new Intl.PluralRules(lang.dateLocale));
  const form = plural.select(days) === "one" ? "unit.day.one" : "unit.day.other";
  return translate(lang, form, { n: formatNumber(lang, days) });
}

/** 'YYYY-MM-DD' → "24. desember 2026" / "24 December 2026". */
export function formatDate(lang: Language, isoDate: string): string {
  const d = DateTime.fromISO(isoDate, { zone: "UTC" });
  return d.isValid ? d.setLocale(lang.dateLocale).toLocaleString(DateTime.DATE_FULL) : isoDate;
}

/** Every 'YYYY-MM-DD' inside a text, formatted. */
export function formatDatesIn(lang: Language, text: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => formatDate(lang, d));
}

/** A local date and wall times → "tirsdag 1. desember 2026, 18:00–20:00" / "Tuesday 1 December 2026, 18:00–20:00". */
export function formatWallSpan(lang: Language, span: { date: string; start: string; end: string }): string {
  const d = DateTime.fromISO(span.date, { zone: "UTC" });
  const day = d.isValid ? d.setLocale(lang.dateLocale).toLocaleString({ weekday: "long", day: "numeric", month: "long", year: "numeric" }) : span.date;
  return `${day}, ${span.start}–${span.end}`;
}
