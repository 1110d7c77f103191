// The kinds of message Flokk sends and the payload each carries in the outbox.
// These shapes are a contract between the code that enqueues (booking engine,
// accounts) and the worker that renders and sends, possibly a later version
// of the code: add optional fields, never rename or remove one.
import type { OutboxMessage } from "./outbox.server";

/**
 * Enqueued by accounts when someone asks to sign in. The worker renders the
 * link and the code in the recipient's language: users.locale when a user
 * has the address, else `locale` (the language of the page they asked from).
 */
export interface SignInPayload {
  /** The one-time sign-in link, absolute, http(s). */
  url: string;
  /** The short one-time code to type instead of following the link. */
  code: string;
  /** How long link and code work, for the text ("valid for 15 minutes"). */
  expiresMinutes: number;
  /** Language code ('nb', 'en') for recipients who have no user yet. */
  locale?: string;
}

/**
 * Enqueued by associations when a leader invites someone by e-mail. The
 * invitation is accepted by signing in with that address (the link opens the
 * sign-in page with the address filled in). Rendered like sign-in: in
 * users.locale when the address has a user, else in `locale` (the inviter's).
 */
export interface AssociationInvitationPayload {
  associationName: string;
  /** The inviting leader as the association knows them: their name, or their address when they gave none. */
  invitedBy: string;
  /** Absolute http(s) link to the sign-in page for this address. */
  url: string;
  /** How long the invitation stands, for the text ("valid for 30 days"). */
  expiresDays: number;
  locale?: string;
}

/**
 * Enqueued when an owner admin rejects an association's registration, to its
 * contact address. Rendered in users.locale when the address has a user, else
 * in `locale` (a leader's).
 */
export interface AssociationRejectedPayload {
  associationName: string;
  orgNumber: string;
  /** The admin's reason, as they wrote it. */
  reason: string;
  locale?: string;
  /**
   * The recipient's own requests turned down with the association: one notice
   * to each booker instead of a mail per request. Absent in notices queued
   * before it was added.
   */
  turnedDown?: { title: string; venue: string; startsAt: string; endsAt: string; timeZone: string }[];
}

/**
 * What a message shows of a booking, as JSON (timestamps as ISO strings), as it
 * was right after the change. insertBookings writes the same keys in SQL.
 */
export interface BookingSnapshot {
  id: string;
  venue_id: number | string;
  association_id: number | string;
  title: string;
  purpose: string;
  expected_attendees: number;
  note_to_caretaker: string;
  starts_at: string;
  ends_at: string;
  status: "pending" | "confirmed" | "rejected" | "cancelled";
  sequence: number;
  decision_reason: string | null;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

export const BOOKING_SNAPSHOT_FIELDS = [
  "id",
  "venue_id",
  "association_id",
  "title",
  "purpose",
  "expected_attendees",
  "note_to_caretaker",
  "starts_at",
  "ends_at",
  "status",
  "sequence",
  "decision_reason",
  "cancel_reason",
  "created_at",
  "updated_at",
] as const satisfies readonly (keyof BookingSnapshot)[];

/** Who made a change, as the message says it: a member of the association, or the venue's side (caretaker, admin). */
export interface ActorSnapshot {
  name: string;
  side: "association" | "venue";
}

/** received, confirmed, rejected, cancelled, and the caretakers' request. */
export interface BookingEventPayload {
  booking: BookingSnapshot;
  actor?: ActorSnapshot;
}

export interface BookingMovedPayload extends BookingEventPayload {
  previous: { starts_at: string; ends_at: string };
  /**
   * The status before the move: a confirmed booking moved to a time that waits
   * for approval leaves the booker's calendar (METHOD:CANCEL) until it is approved.
   * Absent in messages queued before it was added.
   */
  previousStatus?: BookingSnapshot["status"];
}

/** To a caretaker; `previous` when the request is a booking moved to a new time that needs approval again. */
export interface BookingRequestPayload extends BookingEventPayload {
  previous?: { starts_at: string; ends_at: string };
}

/** Rendered from the booking as it is at send time; not sent unless it is still confirmed at `startsAt`. */
export interface ReminderPayload {
  bookingId: string;
  /** The start the reminder was planned for: a moved booking has a newer reminder. */
  startsAt: string;
}

/** One message for a whole weekly series, to the booker (and to caretakers when it awaits approval). */
export interface SeriesPayload {
  series: {
    id: string;
    venue_id: number | string;
    association_id: number | string;
    title: string;
    weekday: number;
    interval_weeks: number;
    start_time: string;
    duration_minutes: number;
    starts_on: string;
    until: string;
    time_zone: string;
  };
  status: "pending" | "confirmed";
  count: number;
  firstStartsAt: string;
  lastStartsAt: string;
  /** Local dates left out with the booker's consent (conflicts, closures). */
  skipped: string[];
}

/**
 * One message to the booker when a caretaker decides every waiting date of a
 * series at once (decideSeries), instead of one per date: the dates decided.
 */
export interface SeriesDecidedPayload extends Omit<SeriesPayload, "status"> {
  decision: "approved" | "rejected";
  reason: string | null;
  actor?: ActorSnapshot;
}

export interface MessagePayloads {
  "sign-in": SignInPayload;
  "association-invitation": AssociationInvitationPayload;
  /** To the association's contact address and to each member whose requests it turned down: the registration was rejected, and why. */
  "association-rejected": AssociationRejectedPayload;
  /** To the booker: the request awaits approval. */
  "booking-received": BookingEventPayload;
  /** To the booker; carries a METHOD:REQUEST invitation. */
  "booking-confirmed": BookingEventPayload;
  "booking-rejected": BookingEventPayload;
  /** To the booker; carries a METHOD:CANCEL. */
  "booking-cancelled": BookingEventPayload;
  /** To the booker; carries a METHOD:REQUEST with the new time when confirmed, a METHOD:CANCEL when a confirmed booking's new time waits for approval. */
  "booking-moved": BookingMovedPayload;
  "booking-reminder": ReminderPayload;
  /** To each caretaker of the venue's site: a new request awaits approval. */
  "booking-request": BookingRequestPayload;
  "series-created": SeriesPayload;
  /** To each caretaker: a new series awaits approval. */
  "series-request": SeriesPayload;
  /** To the booker: a caretaker approved or rejected the series' waiting dates. */
  "series-decided": SeriesDecidedPayload;
}

export type MessageKind = keyof MessagePayloads;

export const MESSAGE_KINDS: readonly MessageKind[] = [
  "sign-in",
  "association-invitation",
  "association-rejected",
  "booking-received",
  "booking-confirmed",
  "booking-rejected",
  "booking-cancelled",
  "booking-moved",
  "booking-reminder",
  "booking-request",
  "series-created",
  "series-request",
  "series-decided",
];

export function isMessageKind(kind: string): kind is MessageKind {
  return (MESSAGE_KINDS as readonly string[]).includes(kind);
}

/** A typed outbox message: `enqueue(trx, [message("sign-in", email, { url, code, expiresMinutes })])`. */
export function message<K extends MessageKind>(kind: K, recipient: string, payload: MessagePayloads[K], availableAt?: Date): OutboxMessage {
  return { kind, recipient, payload: payload as unknown as Record<string, unknown>, ...(availableAt ? { availableAt } : {}) };
}
