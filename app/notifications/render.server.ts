// Turns an outbox row into the mail to send: words in the recipient's
// language, facts from the payload's snapshot of the change (so every attempt
// sends the same message), and a calendar part for confirmations, moves and
// cancellations. Used by the worker and by the development mailbox.
import type { Database } from "db/client";
import type { Booking, BookingStatus, OutboxRow, Venue } from "db/schema";
import { getLanguage, type Language } from "~/i18n";
import { type CalendarPart, invitationPart } from "./invitation.server";
import {
  type AssociationInvitationPayload,
  type AssociationRejectedPayload,
  type BookingEventPayload,
  type BookingMovedPayload,
  type BookingRequestPayload,
  type SeriesDecidedPayload,
  type BookingSnapshot,
  isMessageKind,
  type MessageKind,
  type MessagePayloads,
  type ReminderPayload,
  type SeriesPayload,
  type SignInPayload,
} from "./messages";
import type { MailSettings } from "./settings.server";
import {
  type BookingView,
  bookingCancelledMail,
  bookingConfirmedMail,
  bookingMovedMail,
  bookingReceivedMail,
  bookingRejectedMail,
  bookingReminderMail,
  bookingRequestMail,
} from "./templates/booking";
import { associationInvitationMail } from "./templates/association-invitation";
import { associationRejectedMail } from "./templates/association-rejected";
import { type MailContent, type RenderedMail, renderMail } from "./templates/layout";
import { seriesCreatedMail, seriesDecidedMail, seriesRequestMail } from "./templates/series";
import { signInMail } from "./templates/sign-in";
import { plainAddress } from "./templates/text";

export interface MailToSend extends RenderedMail {
  to: string;
  calendar: CalendarPart | null;
}

export type RenderOutcome = { send: MailToSend } | { skip: string };

/**
 * Why a message is not sent, as the worker stores it (the row's skip_reason,
 * read in the log and the database). The development mailbox words each in
 * the page's language from these same values (mailbox.server.ts).
 */
export const SKIP = {
  bookingDeleted: "booking deleted",
  /** A reminder of a booking no longer confirmed: "booking cancelled", "booking pending", … */
  bookingStatus: (status: BookingStatus) => `booking ${status}`,
  bookingMoved: "booking moved",
  bookingStarted: "booking already started",
  /** A sign-in mail left unsent past its expiry: its link and code were dropped. */
  signInExpired: "sign-in expired",
  /** The demo's bookings were made through the engine, and their mail is not for anyone (db/seed.ts). */
  demoData: "demo data",
} as const;

/** A message that can never be sent as it stands (unknown kind, bad payload, bad address): not retried. */
export class PermanentMailError extends Error {}

type Row = Pick<OutboxRow, "id" | "kind" | "recipient" | "payload">;

/** Rendering is pure: what fails here fails on every attempt (a bad link, an invitation the calendar refuses). */
function pure<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PermanentMailError) throw e;
    throw new PermanentMailError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

interface Recipient {
  email: string;
  name: string | null;
  lang: Language;
}

async function recipientOf(db: Database, address: string, fallbackLocale?: string): Promise<Recipient> {
  const email = plainAddress(address);
  if (!email) throw new PermanentMailError(`Not a single plain e-mail address: ${JSON.stringify(address)}`);
  const user = await db.selectFrom("users").select(["name", "locale"]).where("email", "=", email).executeTakeFirst();
  return { email, name: user?.name ?? null, lang: getLanguage(user?.locale ?? fallbackLocale) };
}

interface Place {
  venue: Venue;
  siteName: string;
  siteAddress: string;
  associationName: string;
}

/** `associationId` is null only for a block, which gets no mail; the name is then empty. */
async function placeOf(db: Database, venueId: number, associationId: number | null): Promise<Place> {
  const row = await db
    .selectFrom("venues as v")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .selectAll("v")
    .select(["s.name as site_name", "s.address as site_address"])
    .select((eb) => eb.selectFrom("associations").select("name").where("id", "=", associationId).as("association_name"))
    .where("v.id", "=", venueId)
    .executeTakeFirst();
  if (!row) throw new PermanentMailError(`Venue ${venueId} no longer exists`);
  const { site_name, site_address, association_name, ...venue } = row;
  return { venue, siteName: site_name, siteAddress: site_address, associationName: association_name ?? "" };
}

/** The snapshot as a bookings row, the shape the templates and the calendar builder take; what it leaves out is empty. */
export function reviveBooking(s: BookingSnapshot): Booking {
  return {
    id: s.id,
    venue_id: Number(s.venue_id),
    association_id: Number(s.association_id),
    kind: "booking",
    series_id: null,
    title: s.title,
    purpose: s.purpose ?? "",
    is_public: false,
    expected_attendees: s.expected_attendees,
    note_to_caretaker: s.note_to_caretaker ?? "",
    starts_at: new Date(s.starts_at),
    ends_at: new Date(s.ends_at),
    status: s.status,
    created_by: null,
    decided_by: null,
    decided_at: null,
    decision_reason: s.decision_reason ?? null,
    cancelled_by: null,
    cancelled_at: null,
    cancel_reason: s.cancel_reason ?? null,
    attendance: null,
    no_show: false,
    sequence: s.sequence,
    created_at: new Date(s.created_at),
    updated_at: new Date(s.updated_at),
  };
}

function view(booking: Booking, place: Place, r: Recipient, settings: MailSettings): BookingView {
  return {
    lang: r.lang,
    recipientName: r.name,
    title: booking.title,
    startsAt: booking.starts_at,
    endsAt: booking.ends_at,
    purpose: booking.purpose,
    expectedAttendees: booking.expected_attendees,
    noteToCaretaker: booking.note_to_caretaker,
    decisionReason: booking.decision_reason,
    cancelReason: booking.cancel_reason,
    associationName: place.associationName,
    venue: {
      name: place.venue.name,
      timeZone: place.venue.time_zone,
      siteName: place.siteName,
      siteAddress: place.siteAddress,
      url: `${settings.publicUrl}/venues/${encodeURIComponent(place.venue.slug)}`,
    },
  };
}

function payloadOf<K extends MessageKind>(row: Row, _kind: K): MessagePayloads[K] {
  const p = typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload;
  if (typeof p !== "object" || p === null) throw new PermanentMailError(`Outbox row ${row.id} has no payload object`);
  return p as MessagePayloads[K];
}

function requireBooking(p: { booking?: BookingSnapshot }, id: number): BookingSnapshot {
  const b = p.booking;
  if (!b || typeof b.id !== "string" || typeof b.starts_at !== "string") throw new PermanentMailError(`Outbox row ${id} has no booking snapshot`);
  return b;
}

/**
 * The subject a message that is not sent would have had, for the development
 * mailbox, which otherwise could only list it by why it is not sent: a
 * reminder names its booking's title and the time it was planned for, in the
 * recipient's language. Null for other kinds and for a booking that is gone.
 * The worker never calls this: it stores the reason and moves on.
 */
export async function skippedSubject(db: Database, row: Row, settings: MailSettings): Promise<string | null> {
  if (row.kind !== "booking-reminder") return null;
  const p: ReminderPayload = payloadOf(row, "booking-reminder");
  const planned = new Date(typeof p.startsAt === "string" ? p.startsAt : Number.NaN);
  if (typeof p.bookingId !== "string" || Number.isNaN(planned.getTime())) return null;
  const booking = await db.selectFrom("bookings").selectAll().where("id", "=", p.bookingId).executeTakeFirst();
  if (!booking) return null;
  const r = await recipientOf(db, row.recipient);
  const place = await placeOf(db, booking.venue_id, booking.association_id);
  // The time the reminder was for: a moved booking's reminder speaks of its old time.
  return bookingReminderMail(view({ ...booking, starts_at: planned }, place, r, settings)).subject;
}

export async function renderOutboxMessage(db: Database, row: Row, settings: MailSettings, now: Date): Promise<RenderOutcome> {
  const kind = row.kind;
  // Retried, not given up: during a rolling deploy a worker of the previous
  // version meets the kinds the new version writes; one that knows them takes it
  // within the backoff's hours (invariant 6: no message lost).
  if (!isMessageKind(kind)) throw new Error(`Unknown message kind ${JSON.stringify(kind)}: left for a worker of a version that knows it`);
  const mail = (r: Recipient, content: MailContent, calendar: CalendarPart | null = null): RenderOutcome => ({
    send: { to: r.email, ...pure("rendering", () => renderMail(r.lang, content)), calendar },
  });

  switch (kind) {
    case "sign-in": {
      const p: SignInPayload = payloadOf(row, kind);
      // Left unsent past its expiry, its link and code were dropped (sign-in.server.ts): nothing to send.
      if (p.url === undefined && p.code === undefined && typeof p.expiresMinutes === "number") return { skip: SKIP.signInExpired };
      if (typeof p.url !== "string" || typeof p.code !== "string" || typeof p.expiresMinutes !== "number")
        throw new PermanentMailError(`Outbox row ${row.id}: a sign-in payload needs url, code and expiresMinutes`);
      const r = await recipientOf(db, row.recipient, p.locale);
      return mail(r, signInMail(r.lang, r.name, p));
    }
    case "association-invitation": {
      const p: AssociationInvitationPayload = payloadOf(row, kind);
      if (typeof p.url !== "string" || typeof p.associationName !== "string" || typeof p.expiresDays !== "number")
        throw new PermanentMailError(`Outbox row ${row.id}: an invitation payload needs url, associationName and expiresDays`);
      const r = await recipientOf(db, row.recipient, p.locale);
      return mail(r, associationInvitationMail(r.lang, r.name, p));
    }
    case "association-rejected": {
      const p: AssociationRejectedPayload = payloadOf(row, kind);
      if (typeof p.associationName !== "string" || typeof p.reason !== "string")
        throw new PermanentMailError(`Outbox row ${row.id}: a rejection payload needs associationName and reason`);
      const r = await recipientOf(db, row.recipient, p.locale);
      return mail(r, associationRejectedMail(r.lang, r.name, p));
    }
    case "booking-reminder": {
      const p: ReminderPayload = payloadOf(row, kind);
      // Rendered from the booking as it is now: a cancelled or moved booking gets no reminder.
      const booking = await db.selectFrom("bookings").selectAll().where("id", "=", p.bookingId).executeTakeFirst();
      if (!booking) return { skip: SKIP.bookingDeleted };
      if (booking.status !== "confirmed") return { skip: SKIP.bookingStatus(booking.status) };
      if (booking.starts_at.getTime() !== Date.parse(p.startsAt)) return { skip: SKIP.bookingMoved };
      if (booking.starts_at.getTime() <= now.getTime()) return { skip: SKIP.bookingStarted };
      const r = await recipientOf(db, row.recipient);
      const place = await placeOf(db, booking.venue_id, booking.association_id);
      return mail(r, bookingReminderMail(view(booking, place, r, settings)));
    }
    case "series-created":
    case "series-request":
    case "series-decided": {
      const p: SeriesPayload | SeriesDecidedPayload = payloadOf(row, kind);
      if (!p.series || typeof p.count !== "number") throw new PermanentMailError(`Outbox row ${row.id} has no series`);
      const r = await recipientOf(db, row.recipient);
      const place = await placeOf(db, Number(p.series.venue_id), Number(p.series.association_id));
      const v = {
        lang: r.lang,
        recipientName: r.name,
        payload: p,
        associationName: place.associationName,
        venue: {
          name: place.venue.name,
          timeZone: p.series.time_zone,
          siteName: place.siteName,
          siteAddress: place.siteAddress,
          url: `${settings.publicUrl}/venues/${encodeURIComponent(place.venue.slug)}`,
        },
      };
      if (kind === "series-decided") return mail(r, seriesDecidedMail({ ...v, payload: p as SeriesDecidedPayload }));
      return mail(r, kind === "series-created" ? seriesCreatedMail({ ...v, payload: p as SeriesPayload }) : seriesRequestMail(v));
    }
    default: {
      const p = payloadOf(row, kind) as BookingEventPayload | BookingMovedPayload | BookingRequestPayload;
      const booking = reviveBooking(requireBooking(p, row.id));
      const r = await recipientOf(db, row.recipient);
      const place = await placeOf(db, booking.venue_id, booking.association_id);
      const v = view(booking, place, r, settings);
      const invite = (method: "REQUEST" | "CANCEL", at: Booking = booking) =>
        pure("the invitation", () =>
          invitationPart(at, { name: place.venue.name, time_zone: place.venue.time_zone, address: place.siteAddress }, method, settings, r, r.lang.code),
        );
      const previousOf = (prev: { starts_at: string; ends_at: string }) => ({ startsAt: new Date(prev.starts_at), endsAt: new Date(prev.ends_at) });
      switch (kind) {
        case "booking-received":
          return mail(r, bookingReceivedMail(v));
        case "booking-request": {
          const prev = (p as BookingRequestPayload).previous;
          return mail(r, bookingRequestMail(v, prev ? previousOf(prev) : null));
        }
        case "booking-confirmed":
          return mail(r, bookingConfirmedMail(v, true), invite("REQUEST"));
        case "booking-rejected":
          return mail(r, bookingRejectedMail(v));
        case "booking-cancelled":
          return mail(r, bookingCancelledMail(v, p.actor, true), invite("CANCEL"));
        case "booking-moved": {
          const { previous: prev, previousStatus } = p as BookingMovedPayload;
          if (!prev) throw new PermanentMailError(`Outbox row ${row.id}: a move needs the previous time`);
          const previous = previousOf(prev);
          if (booking.status === "confirmed") return mail(r, bookingMovedMail(v, previous, "request"), invite("REQUEST"));
          // Waiting for approval: the confirmed old time leaves the calendar (shown
          // with that time, as the calendar has it); the approval invites again.
          if (previousStatus === "confirmed") {
            const old = { ...booking, starts_at: previous.startsAt, ends_at: previous.endsAt };
            return mail(r, bookingMovedMail(v, previous, "withdraw"), invite("CANCEL", old));
          }
          return mail(r, bookingMovedMail(v, previous, null));
        }
        default:
          throw new PermanentMailError(`No template for ${kind}`);
      }
    }
  }
}
