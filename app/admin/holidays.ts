// Public holidays as closures, from the `date-holidays` package (its rules
// cover Easter-based and moved holidays for each country; we keep no table of
// our own). Pure apart from the package's data: takes the dates to consider.
import Holidays from "date-holidays";
import { InvalidInput } from "~/errors/domain-errors";
import { type Closure, closureOn } from "~/time/opening";
import { addDays } from "~/time/zoned";
import type { DateRange } from "./affected";
import { MAX_CLOSURE_REASON } from "./closures";

export interface Holiday {
  date: string;
  name: string;
}

/** The country's public holidays (type 'public': not observances or flag days) in the years, names in `language` ('no', 'en'). */
export function publicHolidays(country: string, years: readonly number[], language: string): Holiday[] {
  if (!/^[A-Z]{2}$/.test(country) || !(country in (new Holidays().getCountries() ?? {}))) throw new InvalidInput({ country: "unknownCountry" });
  const hd = new Holidays(country, { languages: [language] });
  const byDate = new Map<string, string[]>();
  for (const year of years) {
    for (const h of hd.getHolidays(year, language)) {
      if (h.type !== "public") continue;
      const date = h.date.slice(0, 10);
      // Two holidays can fall on one day (17 May and Whit Monday in 2027): one closure names both.
      byDate.set(date, [...(byDate.get(date) ?? []), h.name]);
    }
  }
  return [...byDate].sort(([a], [b]) => a.localeCompare(b)).map(([date, names]) => ({ date, name: names.join(", ") }));
}

/**
 * Closures for the holidays from `fromDate` on that are not closed already
 * (by the venue or a venue it is part of), consecutive days joined into one
 * (Christmas Day and Boxing Day). Adding them again therefore adds nothing.
 */
export function holidayClosures(holidays: readonly Holiday[], existing: readonly DateRange[], fromDate: string): Closure[] {
  const closed = existing.map((c) => ({ ...c, reason: "" }));
  const out: Closure[] = [];
  for (const h of holidays) {
    if (h.date < fromDate || closureOn(h.date, closed)) continue;
    const last = out[out.length - 1];
    if (last && addDays(last.endsOn, 1) === h.date) {
      last.endsOn = h.date;
      last.reason = `${last.reason}, ${h.name}`.slice(0, MAX_CLOSURE_REASON);
    } else out.push({ startsOn: h.date, endsOn: h.date, reason: h.name.slice(0, MAX_CLOSURE_REASON) });
  }
  return out;
}
