// The weekly-series preview as a person reads it: every date in the venue's
// local time, each marked free, taken (by what: a public or own title, else
// "another booking"), closed (with the closure's reason) or over the weekly
// quota (with what is booked that week already).
import type { Database } from "db/client";
import { formatHours } from "~/i18n/format";
import { type Language, translate } from "~/i18n";
import { closureOn } from "~/time/opening";
import { loadVenueContext } from "./context.server";
import { describeBlocking } from "./booking-view.server";
import { previewSeries, type SeriesRequest } from "./series.server";
import { unverifiedHolding } from "./unverified.server";
import { formatWhen, wallTimesOf, weekdayName } from "./when";

export interface PreviewItemView {
  date: string;
  /** "tirsdag 1. desember 2026, 18:00–19:30" */
  label: string;
  status: "free" | "taken" | "closed" | "overQuota";
  /** What it collides with, the closure's reason, or what the week holds already against the quota. */
  note: string | null;
}

export interface SeriesPreviewView {
  /** "hver tirsdag kl. 18:00–19:30" */
  rule: string;
  items: PreviewItemView[];
  /** The dates that cannot be booked (taken, closed, over the weekly quota): the skip list the person may agree to. */
  conflicting: string[];
  freeCount: number;
  /**
   * Set when the association is not verified yet and the free dates would take
   * it past the ceiling of coming bookings (decision 018): the booking would
   * be refused, so the page says so instead of offering the button.
   */
  overCeiling: string | null;
}

export async function seriesPreviewView(
  db: Database,
  args: { lang: Language; viewerId: number; timeZone: string; request: SeriesRequest; now: Date },
): Promise<SeriesPreviewView> {
  const { lang, timeZone: zone, request: req } = args;
  const items = await previewSeries(db, req, args.now);
  const bookingIds = items.flatMap((i) => (i.conflict?.bookingId ? [i.conflict.bookingId] : []));
  const anyClosed = items.some((i) => i.conflict?.reason === "closure");
  const [blocking, context, holding] = await Promise.all([
    describeBlocking(db, args.viewerId, bookingIds),
    anyClosed ? loadVenueContext(db, req.venueId, req.from, req.until) : Promise.resolve(null),
    unverifiedHolding(db, req.associationId, args.now),
  ]);
  const views = items.map((i): PreviewItemView => {
    const label = formatWhen(lang, i.start, i.end, zone);
    if (!i.conflict && i.overQuota) {
      const { usedMinutes, quotaMinutes } = i.overQuota;
      const quota = formatHours(lang, quotaMinutes / 60);
      const note =
        usedMinutes === 0
          ? translate(lang, "series.overQuotaAlone", { quota })
          : translate(lang, "series.overQuota", { used: formatHours(lang, usedMinutes / 60), quota });
      return { date: i.date, label, status: "overQuota", note };
    }
    if (!i.conflict) return { date: i.date, label, status: "free", note: null };
    if (i.conflict.reason === "closure") {
      const closure = context ? closureOn(i.date, context.closures) : undefined;
      const reason = closure?.reason ?? "";
      // A closure of a part (or of the whole) names it: the venue asked about is not closed itself.
      const note = closure?.venue ? translate(lang, "series.closedOf", { venue: closure.venue, reason }) : translate(lang, "series.closed", { reason });
      return { date: i.date, label, status: "closed", note };
    }
    const b = i.conflict.bookingId ? blocking.get(i.conflict.bookingId) : undefined;
    if (!b) return { date: i.date, label, status: "taken", note: translate(lang, "series.takenUnknown") };
    const w = wallTimesOf(b.startsAt, b.endsAt, b.timeZone);
    const time = `${w.start}–${w.end}`;
    if (b.closed) return { date: i.date, label, status: "closed", note: translate(lang, "series.blocked", { venue: b.venueName, time }) };
    const note =
      b.title !== null
        ? translate(lang, "series.takenPublic", { title: b.title, venue: b.venueName, time })
        : translate(lang, "series.takenPrivate", { venue: b.venueName, time });
    return { date: i.date, label, status: "taken", note };
  });
  const first = items[0];
  const times = first ? wallTimesOf(first.start, first.end, zone) : { start: req.startTime, end: "" };
  const weekday = weekdayName(lang, req.weekday);
  const rule =
    req.intervalWeeks === 1
      ? translate(lang, "series.rule", { weekday, start: times.start, end: times.end })
      : translate(lang, "series.ruleInterval", { interval: req.intervalWeeks, weekday, start: times.start, end: times.end });
  const freeCount = views.filter((v) => v.status === "free").length;
  const overCeiling =
    holding && freeCount > 0 && holding.held + freeCount > holding.ceiling
      ? translate(lang, "series.overCeiling", { ceiling: holding.ceiling, held: holding.held, room: Math.max(0, holding.ceiling - holding.held) })
      : null;
  return { rule, items: views, conflicting: views.filter((v) => v.status !== "free").map((v) => v.date), freeCount, overCeiling };
}
