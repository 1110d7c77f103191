// One message for a whole weekly series instead of one per date.
import { type Language, type MessageKey, translate } from "~/i18n";
import type { SeriesDecidedPayload, SeriesPayload } from "../messages";
import { addToClock, longDate, longLocalDate, weekdayName } from "./format";
import type { MailContent } from "./layout";

export interface SeriesView {
  lang: Language;
  recipientName: string | null;
  payload: SeriesPayload | SeriesDecidedPayload;
  associationName: string;
  venue: { name: string; timeZone: string; siteName: string; siteAddress: string; url: string };
}

function facts(v: SeriesView): { t: (k: MessageKey, p?: Record<string, string | number>) => string; common: Record<string, string | number>; facts: [string, string][] } {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(v.lang, key, params);
  const s = v.payload.series;
  const start = s.start_time.slice(0, 5);
  const end = addToClock(start, s.duration_minutes);
  const weekday = weekdayName(v.lang, s.weekday);
  const rule =
    s.interval_weeks === 1
      ? t("mail.series.rule", { weekday, start, end })
      : t("mail.series.ruleInterval", { weekday, start, end, interval: s.interval_weeks });
  const zone = v.venue.timeZone;
  const first = longDate(v.lang, new Date(v.payload.firstStartsAt), zone);
  const last = longDate(v.lang, new Date(v.payload.lastStartsAt), zone);
  // A series of one date says that date, not "5 January – 5 January".
  const range = first === last ? first : t("mail.series.range", { first, last });
  const list: [string, string][] = [
    [t("mail.fact.what"), s.title],
    [t("mail.fact.when"), `${rule}\n${range}`],
    [t("mail.fact.where"), [v.venue.name, v.venue.siteName, v.venue.siteAddress].filter(Boolean).join(", ")],
    [t("mail.fact.association"), v.associationName],
  ];
  if (v.payload.skipped.length) list.push([t("mail.fact.skipped"), v.payload.skipped.map((d) => longLocalDate(v.lang, d)).join("\n")]);
  const common = { title: s.title, venue: v.venue.name, association: v.associationName, count: v.payload.count };
  return { t, common, facts: list };
}

export function seriesCreatedMail(v: SeriesView & { payload: SeriesPayload }): MailContent {
  const { t, common, facts: f } = facts(v);
  const pending = v.payload.status === "pending";
  return {
    subject: t(pending ? "mail.series.subjectPending" : "mail.series.subjectConfirmed", common),
    heading: t("mail.series.heading", common),
    recipientName: v.recipientName,
    paragraphs: [t(pending ? "mail.series.introPending" : "mail.series.introConfirmed", common)],
    facts: f,
    action: { label: t("mail.action.venue"), url: v.venue.url },
    notes: [t("mail.series.calendarHint"), t("mail.timeZone", { zone: v.venue.timeZone })],
  };
}

export function seriesRequestMail(v: SeriesView): MailContent {
  const { t, common, facts: f } = facts(v);
  return {
    subject: t("mail.seriesRequest.subject", common),
    heading: t("mail.seriesRequest.heading", common),
    recipientName: v.recipientName,
    paragraphs: [t("mail.seriesRequest.intro", common)],
    facts: f,
    action: { label: t("mail.action.venue"), url: v.venue.url },
    notes: [t("mail.timeZone", { zone: v.venue.timeZone })],
  };
}

/** To the booker: every waiting date approved (the reminders follow) or rejected with the reason, in one message. */
export function seriesDecidedMail(v: SeriesView & { payload: SeriesDecidedPayload }): MailContent {
  const { t, common, facts: f } = facts(v);
  const approved = v.payload.decision === "approved";
  const reason = v.payload.reason;
  return {
    subject: t(approved ? "mail.seriesDecided.subjectApproved" : "mail.seriesDecided.subjectRejected", common),
    heading: t("mail.series.heading", common),
    recipientName: v.recipientName,
    paragraphs: [t(approved ? "mail.seriesDecided.introApproved" : "mail.seriesDecided.introRejected", common)],
    facts: [...f, ...(reason ? [[t("mail.fact.reason"), reason] as [string, string]] : [])],
    action: { label: t("mail.action.venue"), url: v.venue.url },
    notes: [...(approved ? [t("mail.series.calendarHint")] : []), t("mail.timeZone", { zone: v.venue.timeZone })],
  };
}
