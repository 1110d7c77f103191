// Messages about one booking: to the booker (received, confirmed, rejected,
// cancelled, moved, reminder) and to the venue's caretakers (a new request).
import { type Language, type MessageKey, translate } from "~/i18n";
import type { ActorSnapshot } from "../messages";
import { shortDate, when } from "./format";
import type { MailContent } from "./layout";

/** What a booking mail shows, already in plain values. */
export interface BookingView {
  lang: Language;
  recipientName: string | null;
  title: string;
  startsAt: Date;
  endsAt: Date;
  purpose: string;
  expectedAttendees: number;
  noteToCaretaker: string;
  decisionReason: string | null;
  cancelReason: string | null;
  associationName: string;
  venue: { name: string; timeZone: string; siteName: string; siteAddress: string; url: string };
}

type Params = Record<string, string | number>;

function words(v: BookingView) {
  const t = (key: MessageKey, params?: Params) => translate(v.lang, key, params);
  const common = { title: v.title, venue: v.venue.name, association: v.associationName, date: shortDate(v.lang, v.startsAt, v.venue.timeZone) };
  const place = [v.venue.name, v.venue.siteName, v.venue.siteAddress].filter(Boolean).join(", ");
  const facts: [string, string][] = [
    [t("mail.fact.what"), v.title],
    [t("mail.fact.when"), when(v.lang, v.startsAt, v.endsAt, v.venue.timeZone)],
    [t("mail.fact.where"), place],
    [t("mail.fact.association"), v.associationName],
  ];
  const base = (key: "received" | "confirmed" | "rejected" | "cancelled" | "moved" | "reminder" | "request") => ({
    subject: t(`mail.${key}.subject`, common),
    heading: t(`mail.${key}.heading`, common),
    recipientName: v.recipientName,
    action: { label: t("mail.action.venue"), url: v.venue.url },
  });
  const zoneNote = t("mail.timeZone", { zone: v.venue.timeZone });
  return { t, common, facts, base, zoneNote };
}

export function bookingReceivedMail(v: BookingView): MailContent {
  const { t, common, facts, base, zoneNote } = words(v);
  return { ...base("received"), paragraphs: [t("mail.received.intro", common)], facts, notes: [zoneNote] };
}

export function bookingConfirmedMail(v: BookingView, withInvitation: boolean): MailContent {
  const { t, common, facts, base, zoneNote } = words(v);
  return {
    ...base("confirmed"),
    paragraphs: [t("mail.confirmed.intro", common)],
    facts,
    notes: [...(withInvitation ? [t("mail.invitationNote")] : []), zoneNote],
  };
}

export function bookingRejectedMail(v: BookingView): MailContent {
  const { t, common, facts, base, zoneNote } = words(v);
  return {
    ...base("rejected"),
    paragraphs: [t("mail.rejected.intro", common)],
    facts: [...facts, ...(v.decisionReason ? [[t("mail.fact.reason"), v.decisionReason] as [string, string]] : [])],
    notes: [zoneNote],
  };
}

export function bookingCancelledMail(v: BookingView, actor: ActorSnapshot | undefined, withCancel: boolean): MailContent {
  const { t, common, facts, base, zoneNote } = words(v);
  const who = !actor
    ? t("mail.cancelled.unknown", common)
    : actor.side === "association"
      ? t("mail.cancelled.byAssociation", { ...common, name: actor.name })
      : t("mail.cancelled.byVenue", { ...common, name: actor.name });
  return {
    ...base("cancelled"),
    paragraphs: [who],
    facts: [...facts, ...(v.cancelReason ? [[t("mail.fact.reason"), v.cancelReason] as [string, string]] : [])],
    notes: [...(withCancel ? [t("mail.cancelNote")] : []), zoneNote],
  };
}

/**
 * `calendar`: what the mail's calendar part does: "request" puts the new time
 * in, "withdraw" takes the confirmed old time out while the new one waits for
 * approval; null when there is none (a request moved while still waiting).
 */
export function bookingMovedMail(v: BookingView, previous: { startsAt: Date; endsAt: Date }, calendar: "request" | "withdraw" | null): MailContent {
  const { t, common, facts, base, zoneNote } = words(v);
  const awaiting = calendar !== "request";
  const note = calendar === "request" ? [t("mail.invitationNote")] : calendar === "withdraw" ? [t("mail.moved.withdrawNote")] : [];
  return {
    ...base("moved"),
    paragraphs: [t(awaiting ? "mail.moved.awaitingIntro" : "mail.moved.intro", common)],
    facts: [...facts, [t("mail.fact.previous"), when(v.lang, previous.startsAt, previous.endsAt, v.venue.timeZone)]],
    notes: [...note, zoneNote],
  };
}

export function bookingReminderMail(v: BookingView): MailContent {
  const { t, common, facts, base, zoneNote } = words(v);
  return { ...base("reminder"), paragraphs: [t("mail.reminder.intro", common)], facts, notes: [zoneNote] };
}

/**
 * To a caretaker: everything needed to decide, including the note meant for
 * them; `previous` when it is a booking moved to a new time that needs approval again.
 */
export function bookingRequestMail(v: BookingView, previous: { startsAt: Date; endsAt: Date } | null = null): MailContent {
  const { t, common, facts, base, zoneNote } = words(v);
  const extra: [string, string][] = [[t("mail.fact.attendees"), String(v.expectedAttendees)]];
  if (previous) extra.push([t("mail.fact.previous"), when(v.lang, previous.startsAt, previous.endsAt, v.venue.timeZone)]);
  if (v.purpose) extra.push([t("mail.fact.purpose"), v.purpose]);
  if (v.noteToCaretaker) extra.push([t("mail.fact.note"), v.noteToCaretaker]);
  return {
    ...base("request"),
    paragraphs: [t(previous ? "mail.request.movedIntro" : "mail.request.intro", common)],
    facts: [...facts, ...extra],
    notes: [zoneNote],
  };
}
