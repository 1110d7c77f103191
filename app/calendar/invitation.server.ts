// The calendar invitation that confirmation and cancellation e-mails carry
// (RFC 5546 iTIP over e-mail): METHOD:REQUEST or METHOD:CANCEL, the same UID as
// the feeds, SEQUENCE from the booking, one ORGANIZER that is not the
// recipient, at least one ATTENDEE, and a VTIMEZONE for the venue's zone.
import type { Booking, BookingStatus } from "db/schema";
import { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { getLanguage, translate } from "~/i18n";
import { addEvent, type CalendarPerson, eventStatus, type Instant, newCalendar, serialize } from "./ical.server";
import { bookingLocation } from "./text.server";

export { bookingUid, type CalendarPerson } from "./ical.server";

export type InvitationMethod = "REQUEST" | "CANCEL";

/** The fields of a booking the invitation uses; a `Booking` row fits, and so does its JSON (ISO strings). */
export type InvitationBooking = Pick<Booking, "id" | "title" | "status" | "sequence"> & {
  starts_at: Instant;
  ends_at: Instant;
  created_at: Instant;
  updated_at: Instant;
};

/** The venue as the invitation shows it (a `Venue` row fits); `address` is the site's address. */
export interface InvitationVenue {
  name: string;
  time_zone: string;
  address?: string | null;
}

export interface InvitationArgs {
  booking: InvitationBooking;
  venue: InvitationVenue;
  method: InvitationMethod;
  /** Who sends it, e.g. Flokk's MAIL_FROM address. Never the recipient. */
  organizer: CalendarPerson;
  /** The recipient(s). */
  attendee: CalendarPerson | readonly CalendarPerson[];
  /** The recipient's language code ("nb", "en"); unknown codes get the default. */
  locale: string;
}

const ACTIVE: readonly BookingStatus[] = ["pending", "confirmed"];

/** The MIME type of the text/calendar part: its `method=` must equal the METHOD inside. */
export function invitationContentType(method: InvitationMethod): string {
  return `text/calendar; charset=utf-8; method=${method}`;
}

export function bookingInvitation(args: InvitationArgs): string {
  const { booking, venue, method, organizer, locale } = args;
  const attendees: readonly CalendarPerson[] = Array.isArray(args.attendee) ? args.attendee : [args.attendee as CalendarPerson];
  if (attendees.length === 0) throw new Error("an invitation needs at least one attendee");
  const organizerEmail = organizer.email.trim().toLowerCase();
  if (attendees.some((a) => a.email.trim().toLowerCase() === organizerEmail)) {
    throw new Error("the organizer of an invitation must not be one of its recipients");
  }
  // A REQUEST for a booking that no longer holds its time would put it back
  // into the recipient's calendar.
  if (method === "REQUEST" && !ACTIVE.includes(booking.status)) {
    throw new Error(`a ${booking.status} booking is sent as CANCEL, not REQUEST`);
  }

  const lang = getLanguage(locale);
  const cal = newCalendar({ method: method === "REQUEST" ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL });
  addEvent(cal, {
    bookingId: booking.id,
    sequence: booking.sequence,
    start: booking.starts_at,
    end: booking.ends_at,
    zone: venue.time_zone,
    createdAt: booking.created_at,
    updatedAt: booking.updated_at,
    status: method === "CANCEL" ? ICalEventStatus.CANCELLED : eventStatus(booking.status),
    summary: booking.title,
    location: bookingLocation(venue.name, venue.address ?? ""),
    description: [
      translate(lang, "calendar.detail.venue", { venue: bookingLocation(venue.name, venue.address ?? "") }),
      // A CANCEL of a booking still pending says so: a confirmed time taken out of
      // the calendar while its move waits for approval (notifyMoved) is not cancelled.
      translate(lang, "calendar.detail.status", {
        status: translate(lang, `status.${method === "CANCEL" && booking.status === "confirmed" ? "cancelled" : booking.status}`),
      }),
    ].join("\n"),
    organizer,
    attendees,
  });
  return serialize(cal);
}
