// One booking's page, and the page that confirms cancelling it, as a person
// reads them: words in their language, times in the venue's zone. Who may see
// it is decided by viewBooking (members of its association, caretakers and
// admins of its site; NotFound for anyone else).
import type { Database } from "db/client";
import type { BookingStatus } from "db/schema";
import { formatDate } from "~/i18n/format";
import { type Language, translate } from "~/i18n";
import { weeklyDates } from "~/time/weekly";
import { type BookingDetailsView, seriesOccurrences, viewBooking } from "./booking-view.server";
import { type RestStanding, restStanding } from "./series-rest";
import { formatWhen, weekdayName, wallTimesOf } from "./when";

export interface OccurrenceLine {
  id: string;
  label: string;
  status: BookingStatus;
  statusText: string;
  isThis: boolean;
  /** Still to come and active: part of "this and later". */
  active: boolean;
}

export interface BookingPage {
  id: string;
  title: string;
  status: BookingStatus;
  statusText: string;
  when: string;
  timeZone: string;
  venue: { slug: string; name: string; siteName: string; siteAddress: string };
  association: { id: number; name: string };
  isPublic: boolean;
  expectedAttendees: number;
  purpose: string;
  noteToCaretaker: string;
  createdByName: string | null;
  /** Why it was rejected or cancelled, when someone said. */
  reason: string | null;
  /** The person belongs to the association (else a caretaker or admin). */
  isMember: boolean;
  /** Active and not yet over. */
  canCancel: boolean;
  /** Its local date and wall times in the venue's zone, as the move form starts with them. */
  wall: { date: string; start: string; end: string };
  /** Where its audit history is, for the venue's caretakers and admins; null for members. */
  historyHref: string | null;
  /** Where "add to calendar" goes, when the calendar file opens for this booking. */
  calendarHref: string | null;
  series: {
    id: string;
    rule: string;
    occurrences: OccurrenceLine[];
    /** Dates of the rule left out when the series was made (they conflicted). */
    skipped: string[];
    /** Active occurrences from this one on. */
    activeFromHere: number;
    /** What became of this date and the later ones (their most telling status), as cancelling them from here is refused. */
    standingFromHere: RestStanding;
  } | null;
}

const ACTIVE: readonly BookingStatus[] = ["pending", "confirmed"];

export function statusText(lang: Language, status: BookingStatus): string {
  const s = translate(lang, `status.${status}`);
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

export function seriesRule(lang: Language, s: NonNullable<BookingDetailsView["series"]>, times: { start: string; end: string }): string {
  const params = {
    weekday: weekdayName(lang, s.weekday),
    start: times.start,
    end: times.end,
    interval: s.intervalWeeks,
    from: formatDate(lang, s.from),
    until: formatDate(lang, s.until),
  };
  return translate(lang, s.intervalWeeks === 1 ? "booking.seriesRule" : "booking.seriesRuleInterval", params);
}

export async function loadBookingPage(db: Database, args: { viewerId: number; bookingId: string; lang: Language; now: Date }): Promise<BookingPage> {
  const { lang, now } = args;
  const b = await viewBooking(db, args.viewerId, args.bookingId);
  const zone = b.venue.timeZone;
  let series: BookingPage["series"] = null;
  if (b.seriesId && b.series) {
    const occurrences = await seriesOccurrences(db, b.seriesId);
    const made = new Set(occurrences.map((o) => wallTimesOf(o.startsAt, o.endsAt, zone).date));
    const times = wallTimesOf(b.startsAt, b.endsAt, zone);
    series = {
      id: b.seriesId,
      rule: seriesRule(lang, b.series, times),
      occurrences: occurrences.map((o) => ({
        id: o.id,
        label: formatWhen(lang, o.startsAt, o.endsAt, zone),
        status: o.status,
        statusText: statusText(lang, o.status),
        isThis: o.id === b.id,
        active: ACTIVE.includes(o.status) && o.endsAt > now,
      })),
      skipped: weeklyDates(b.series)
        .filter((d) => !made.has(d))
        .map((d) => formatDate(lang, d)),
      activeFromHere: occurrences.filter((o) => ACTIVE.includes(o.status) && o.startsAt >= b.startsAt).length,
      standingFromHere: restStanding(occurrences.filter((o) => o.startsAt >= b.startsAt).map((o) => ({ status: o.status, ended: o.endsAt <= now }))),
    };
  }
  return {
    id: b.id,
    title: b.title,
    status: b.status,
    statusText: statusText(lang, b.status),
    when: formatWhen(lang, b.startsAt, b.endsAt, zone),
    timeZone: zone,
    venue: { slug: b.venue.slug, name: b.venue.name, siteName: b.venue.siteName, siteAddress: b.venue.siteAddress },
    association: { id: b.association.id, name: b.association.name },
    isPublic: b.isPublic,
    expectedAttendees: b.expectedAttendees,
    purpose: b.purpose,
    noteToCaretaker: b.noteToCaretaker,
    createdByName: b.createdByName,
    reason: b.status === "rejected" ? b.decisionReason : b.status === "cancelled" ? b.cancelReason : null,
    isMember: b.viewer.role !== null,
    canCancel: ACTIVE.includes(b.status) && b.endsAt > now,
    wall: wallTimesOf(b.startsAt, b.endsAt, zone),
    historyHref: b.viewer.managesSite ? `/bookings/${b.id}/history` : null,
    // Whoever sees this page may download its calendar file: signed in, the
    // file follows the same rule (bookingCalendar in app/calendar/feeds.server.ts).
    calendarHref: `/bookings/${b.id}.ics`,
    series,
  };
}

export interface CancelPage {
  booking: BookingPage;
  scope: "one" | "rest";
  /** What will be cancelled, as lines. */
  targets: OccurrenceLine[];
}

export async function loadCancelPage(db: Database, args: { viewerId: number; bookingId: string; scope: string | null; lang: Language; now: Date }): Promise<CancelPage> {
  const booking = await loadBookingPage(db, args);
  const scope = args.scope === "rest" && booking.series ? "rest" : "one";
  const targets =
    scope === "rest" && booking.series
      ? booking.series.occurrences.filter((o, i, all) => ACTIVE.includes(o.status) && i >= all.findIndex((x) => x.isThis))
      : [
          {
            id: booking.id,
            label: booking.when,
            status: booking.status,
            statusText: booking.statusText,
            isThis: true,
            active: booking.canCancel,
          },
        ];
  return { booking, scope, targets };
}
