// The calendar part of a mail. The iCalendar itself is built by the calendar
// domain (one builder for feeds and invitations: same UID, SEQUENCE, zones);
// this file only picks the method and checks what came back, so that the MIME
// `method=` parameter always equals the METHOD inside.
import type { Booking } from "db/schema";
import { bookingInvitation, type InvitationVenue } from "~/calendar/invitation.server";
import type { MailSettings } from "./settings.server";

export type InvitationMethod = "REQUEST" | "CANCEL";

export interface CalendarPart {
  method: InvitationMethod;
  content: string;
}

export function invitationPart(
  booking: Booking,
  venue: InvitationVenue,
  method: InvitationMethod,
  settings: MailSettings,
  attendee: { email: string; name: string | null },
  locale: string,
): CalendarPart {
  const content = bookingInvitation({
    booking,
    venue,
    method,
    organizer: { email: settings.fromAddress, name: settings.fromName },
    attendee: { email: attendee.email, name: attendee.name ?? "" },
    locale,
  });
  const inside = /^METHOD:(.*)\r?$/m.exec(content)?.[1]?.trim().toUpperCase();
  if (inside !== method) throw new Error(`The invitation says METHOD:${inside ?? "(none)"}, expected ${method}`);
  return { method, content };
}
