// What /admin/venues/:id/hours shows: the venue's weekly hours as form rows,
// its upcoming closures (its own, removable here, and those of the venues it
// is part of), and the bookings a proposed change would strand, in the
// admin's language and the venue's wall time.
import type { Database } from "db/client";
import { formatWhen, weekdayName } from "~/booking/when";
import { NotFound } from "~/errors/domain-errors";
import type { Language } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { localDateOf } from "~/time/zoned";
import { requireAdminOfVenue } from "./access.server";
import { FORM_ROWS, formTime, MAX_INTERVALS_PER_DAY, WEEKDAYS } from "./hours";
import type { AffectedBooking } from "./schedule.server";
import { closuresAffecting, openingHours, venueFacts } from "./schedule-repository.server";

export interface DayHours {
  weekday: number;
  name: string;
  intervals: { opens: string; closes: string }[];
}

export interface ClosureLine {
  id: number;
  when: string;
  reason: string;
  /** Null for the venue's own closure; else the name of the whole it belongs to, whose closure this is. */
  inheritedFrom: string | null;
  /** inheritedFrom is a part of the venue (its closure makes the venue unavailable), not a venue it is part of. */
  fromPart: boolean;
}

export interface HoursPage {
  venue: { id: number; name: string; slug: string; timeZone: string };
  country: string;
  rowsPerDay: number;
  days: DayHours[];
  closures: ClosureLine[];
  holidayYears: [number, number];
}

const capitalised = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

export async function loadHoursPage(db: Database, args: { viewerId: number; venueId: number; lang: Language; now: Date }): Promise<HoursPage> {
  await requireAdminOfVenue(db, args.viewerId, args.venueId);
  const facts = await venueFacts(db, args.venueId);
  if (!facts) throw new NotFound("venue");
  const today = localDateOf(args.now, facts.timeZone);
  const [rules, closures] = await Promise.all([openingHours(db, args.venueId), closuresAffecting(db, args.venueId, today, { parts: true })]);
  const days = WEEKDAYS.map((weekday) => ({
    weekday,
    name: capitalised(weekdayName(args.lang, weekday)),
    intervals: rules.filter((r) => r.weekday === weekday).map((r) => ({ opens: formTime(r.opens), closes: formTime(r.closes) })),
  }));
  const busiest = Math.max(0, ...days.map((d) => d.intervals.length));
  const year = Number(today.slice(0, 4));
  return {
    venue: { id: facts.id, name: facts.name, slug: facts.slug, timeZone: facts.timeZone },
    country: facts.country,
    // Room for one more interval on the busiest day, at least FORM_ROWS.
    rowsPerDay: Math.min(MAX_INTERVALS_PER_DAY, Math.max(FORM_ROWS, busiest + 1)),
    days,
    closures: closures.map((c) => ({
      id: c.id,
      when: c.startsOn === c.endsOn ? formatDate(args.lang, c.startsOn) : `${formatDate(args.lang, c.startsOn)} – ${formatDate(args.lang, c.endsOn)}`,
      reason: c.reason,
      inheritedFrom: c.venueId === args.venueId ? null : c.venueName,
      fromPart: c.ofPart,
    })),
    holidayYears: [year, year + 1],
  };
}

export interface AffectedLine {
  id: string;
  when: string;
  title: string;
  associationName: string;
  /** Set when the booking is in a part of the venue. */
  venueName: string | null;
}

export function affectedLines(lang: Language, venueId: number, affected: readonly AffectedBooking[]): AffectedLine[] {
  return affected.map((b) => ({
    id: b.id,
    when: formatWhen(lang, b.startsAt, b.endsAt, b.timeZone),
    title: b.title,
    associationName: b.associationName,
    venueName: b.venueId === venueId ? null : b.venueName,
  }));
}
