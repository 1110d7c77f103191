// "My bookings" as a person reads it: a section per association they belong
// to, upcoming and past, each line in its venue's local time.
import type { Database } from "db/client";
import type { BookingStatus } from "db/schema";
import type { Language } from "~/i18n";
import { listMyBookings, type MyBookingRow } from "./booking-view.server";
import { statusText } from "./booking-page.server";
import { formatWhen } from "./when";

export interface MyBookingLine {
  id: string;
  title: string;
  when: string;
  venueName: string;
  venueSlug: string;
  status: BookingStatus;
  statusText: string;
  isPublic: boolean;
  inSeries: boolean;
  canCancel: boolean;
}

export interface MyBookingsSection {
  association: { id: number; name: string; verified: boolean };
  upcoming: MyBookingLine[];
  past: MyBookingLine[];
}

export interface MyBookingsPage {
  /** Every association of the person, for the filter. */
  associations: { id: number; name: string }[];
  /** The chosen one, when the list is filtered. */
  chosen: number | null;
  sections: MyBookingsSection[];
}

function line(lang: Language, r: MyBookingRow, now: Date): MyBookingLine {
  return {
    id: r.id,
    title: r.title,
    when: formatWhen(lang, r.startsAt, r.endsAt, r.timeZone),
    venueName: r.venueName,
    venueSlug: r.venueSlug,
    status: r.status,
    statusText: statusText(lang, r.status),
    isPublic: r.isPublic,
    inSeries: r.seriesId !== null,
    canCancel: (r.status === "pending" || r.status === "confirmed") && r.endsAt > now,
  };
}

export async function loadMyBookingsPage(db: Database, args: { userId: number; associationId: number | null; lang: Language; now: Date }): Promise<MyBookingsPage> {
  const all = await listMyBookings(db, args.userId, args.now);
  // A filter naming an association the person is not in shows nothing of it, just like no filter.
  const chosen = args.associationId !== null && all.some((s) => s.association.id === args.associationId) ? args.associationId : null;
  const sections = chosen === null ? all : all.filter((s) => s.association.id === chosen);
  return {
    associations: all.map((s) => ({ id: s.association.id, name: s.association.name })),
    chosen,
    sections: sections.map((s) => ({
      association: { id: s.association.id, name: s.association.name, verified: s.association.verified },
      upcoming: s.upcoming.map((r) => line(args.lang, r, args.now)),
      past: s.past.map((r) => line(args.lang, r, args.now)),
    })),
  };
}
