// Everything the public venue page shows, in the person's language: the venue,
// its rules in words, its opening hours, and one week of free and busy time.
import { Info } from "luxon";
import type { Database } from "db/client";
import { availability } from "~/availability/availability.server";
import { InvalidInput, NotFound } from "~/errors/domain-errors";
import { domainErrorMessage } from "~/errors/http";
import { formatDays, formatHours, formatMinutes } from "~/i18n/format";
import { type Language, translate, translateOr } from "~/i18n";
import { addDays, checkedDate, localDateOf, mondayOf } from "~/time/zoned";
import { type VenueDetails, getVenueBySlug } from "./venues.server";
import { buildWeek, type WeekView } from "./week";

export interface VenuePage {
  venue: {
    slug: string;
    name: string;
    kind: string;
    capacity: number;
    amenities: string[];
    stepFree: boolean;
    accessibilityNotes: string;
    description: string;
    siteName: string;
    siteAddress: string;
    ownerName: string;
    parent: { slug: string; name: string } | null;
    parts: { slug: string; name: string }[];
  };
  rules: string[];
  openingHours: { day: string; hours: string | null }[];
  week: WeekView;
  /** Why the week asked for is not the one shown (400); null when it is. */
  weekProblem: string | null;
}

export function describeRules(v: VenueDetails, lang: Language): string[] {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) => translate(lang, key, params);
  const rules = [
    t(v.approvalMode === "manual" ? "rules.approvalManual" : "rules.approvalAuto"),
    t("rules.duration", { min: formatMinutes(lang, v.minDurationMinutes), max: formatMinutes(lang, v.maxDurationMinutes) }),
  ];
  if (v.minNoticeMinutes > 0) rules.push(t("rules.notice", { notice: formatMinutes(lang, v.minNoticeMinutes) }));
  rules.push(t("rules.horizon", { days: formatDays(lang, v.horizonDays) }));
  if (v.bufferMinutes > 0) rules.push(t("rules.buffer", { buffer: formatMinutes(lang, v.bufferMinutes) }));
  if (v.weeklyQuotaMinutes !== null) rules.push(t("rules.quota", { hours: formatHours(lang, v.weeklyQuotaMinutes / 60) }));
  return rules;
}

function clock(time: string): string {
  return time.slice(0, 5);
}

export function describeOpeningHours(v: VenueDetails, lang: Language): VenuePage["openingHours"] {
  const names = Info.weekdays("long", { locale: lang.dateLocale });
  return names.map((name, i) => {
    const hours = v.openingHours.filter((h) => h.weekday === i + 1).map((h) => `${clock(h.opens)}–${clock(h.closes)}`);
    return { day: name.charAt(0).toLocaleUpperCase() + name.slice(1), hours: hours.length ? hours.join(", ") : null };
  });
}

/**
 * The week shown: the one containing `week` (any date in it, within ten years
 * as every typed date), else the current week in the venue's zone. A week
 * that cannot be shown (a mistyped or far date in "Go to the week of a date")
 * shows the current week with the problem above it, rather than an error
 * page in place of the venue.
 */
function weekOrCurrent(week: string | null, today: string, lang: Language): { monday: string; problem: string | null } {
  if (week === null || week.trim() === "") return { monday: mondayOf(today), problem: null };
  try {
    return { monday: mondayOf(checkedDate(week.trim(), "week", today)), problem: null };
  } catch (e) {
    if (!(e instanceof InvalidInput)) throw e;
    return { monday: mondayOf(today), problem: `${domainErrorMessage(lang, e)} ${translate(lang, "week.showingCurrent")}` };
  }
}

export async function loadVenuePage(
  db: Database,
  args: { slug: string; week: string | null; lang: Language; now: Date },
): Promise<VenuePage> {
  const v = await getVenueBySlug(db, args.slug);
  if (!v) throw new NotFound("venue");
  const today = localDateOf(args.now, v.timeZone);
  const { monday, problem } = weekOrCurrent(args.week, today, args.lang);
  const av = await availability(db, v.id, monday, addDays(monday, 6));
  return {
    venue: {
      slug: v.slug,
      name: v.name,
      kind: translateOr(args.lang, `kind.${v.kind}`, v.kind),
      capacity: v.capacity,
      amenities: v.amenities.map((a) => translateOr(args.lang, `amenity.${a}`, a)),
      stepFree: v.stepFree,
      accessibilityNotes: v.accessibilityNotes,
      description: v.description,
      siteName: v.siteName,
      siteAddress: v.siteAddress,
      ownerName: v.ownerName,
      parent: v.parent,
      parts: v.parts,
    },
    rules: describeRules(v, args.lang),
    openingHours: describeOpeningHours(v, args.lang),
    week: buildWeek(av, args.lang, today, {
      now: args.now.getTime(),
      minDurationMinutes: v.minDurationMinutes,
      maxDurationMinutes: v.maxDurationMinutes,
      minNoticeMinutes: v.minNoticeMinutes,
      horizonDays: v.horizonDays,
    }),
    weekProblem: problem,
  };
}
