// Weekly opening hours as one CSV cell: "man-fre 16:00-22:00; lør-søn 09:00-20:00".
// Segments are separated by ";" or a line break; each names its days (a day,
// a range "man-fre", a list "man,ons", or "daglig"/"daily") and one or more
// intervals separated by commas or spaces. Norwegian and English day names,
// short or long. Pure; the interval rules (HH:MM, closing after opening, no
// overlaps, a few a day) are the venue form's (validateWeeklyHours).
import { validateWeeklyHours } from "~/admin/hours";
import { InvalidInput } from "~/errors/domain-errors";
import type { OpeningRule } from "~/time/opening";

// biome-ignore format: one weekday a line reads as a table
const DAY_NAMES: Record<string, number> = {
  man: 1, mandag: 1, mon: 1, monday: 1,
  tir: 2, tirsdag: 2, tue: 2, tues: 2, tuesday: 2,
  ons: 3, onsdag: 3, wed: 3, wednesday: 3,
  tor: 4, tors: 4, torsdag: 4, thu: 4, thur: 4, thurs: 4, thursday: 4,
  fre: 5, fredag: 5, fri: 5, friday: 5,
  lør: 6, lor: 6, lørdag: 6, lordag: 6, sat: 6, saturday: 6,
  søn: 7, son: 7, søndag: 7, sondag: 7, sun: 7, sunday: 7,
};
const EVERY_DAY = new Set(["daglig", "alle", "hver", "daily", "all", "every"]);

export type HoursResult = { ok: true; rules: OpeningRule[] } | { ok: false; problem: string; params?: Record<string, string | number> };

function dayOf(word: string): number | null {
  return DAY_NAMES[word.toLowerCase().replace(/\.$/, "")] ?? null;
}

/** "man-fre" → [1..5]; "fre-man" wraps over the weekend; "man,ons" → [1, 3]. */
function daysOf(spec: string): number[] | { unknown: string } {
  const out: number[] = [];
  for (const part of spec.split(",").filter((p) => p !== "")) {
    if (EVERY_DAY.has(part.toLowerCase())) {
      out.push(1, 2, 3, 4, 5, 6, 7);
      continue;
    }
    const [fromWord = "", toWord, ...rest] = part.split("-");
    const from = dayOf(fromWord);
    if (from === null) return { unknown: fromWord };
    if (toWord === undefined) {
      out.push(from);
      continue;
    }
    const to = dayOf(toWord);
    if (to === null || rest.length > 0) return { unknown: rest.length > 0 ? part : toWord };
    for (let d = from; ; d = (d % 7) + 1) {
      out.push(d);
      if (d === to) break;
    }
  }
  return [...new Set(out)];
}

const INTERVAL_RE = /^(\d{1,2}[:.]\d{2})-(\d{1,2}[:.]\d{2})$/;

/** An empty cell is no opening hours (the venue is closed until an admin adds them). */
export function parseOpeningHours(cell: string): HoursResult {
  const rows: { weekday: number; row: number; opens: string; closes: string }[] = [];
  /** The text each row came from, by its field key's start ("h1-0"), to name it in a message. */
  const written = new Map<string, string>();
  const perDay = new Map<number, number>();
  const segments = cell
    .split(/[;\n]/)
    .map((s) => s.trim().replace(/\s*[-–—]\s*/g, "-"))
    .filter((s) => s !== "");
  for (const segment of segments) {
    const m = /^([^\s\d]\S*?):?\s+(.+)$/.exec(segment);
    if (!m) return { ok: false, problem: "invalidHours" };
    const days = daysOf(m[1]!.replace(/,+$/, ""));
    if (!Array.isArray(days)) return { ok: false, problem: "unknownDay", params: { day: days.unknown } };
    const intervals = m[2]!.split(/[\s,]+/).filter((s) => s !== "");
    for (const interval of intervals) {
      const t = INTERVAL_RE.exec(interval);
      if (!t) return { ok: false, problem: "invalidHours" };
      for (const weekday of days) {
        const row = perDay.get(weekday) ?? 0;
        perDay.set(weekday, row + 1);
        rows.push({ weekday, row, opens: t[1]!, closes: t[2]! });
        written.set(`h${weekday}-${row}`, `${m[1]} ${interval}`);
      }
    }
  }
  try {
    return { ok: true, rules: validateWeeklyHours(rows) };
  } catch (e) {
    if (!(e instanceof InvalidInput)) throw e;
    const [field, problem] = Object.entries(e.fields)[0] ?? [];
    // "Åpningstidene må være etter starttiden" said neither which time nor what to do.
    if (problem === "endNotAfterStart") return { ok: false, problem: "closesNotAfterOpens", params: { hours: written.get(field!.replace(/-(opens|closes)$/, "")) ?? cell } };
    return { ok: false, problem: problem ?? "invalidHours" };
  }
}
