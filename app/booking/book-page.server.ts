// The booking and series form pages in the person's language: the venue as the
// form needs it, the person's associations, free times on the asked day, and
// — when the time is taken — what is in the way and what else is free.
import { randomBytes } from "node:crypto";
import type { Database } from "db/client";
import { listMyAssociations } from "~/associations/members.server";
import { availability } from "~/availability/availability.server";
import { suggestAlternatives, type SlotSuggestion } from "~/availability/alternatives.server";
import { type AlternativesView, describeAlternatives, slotQuery } from "~/availability/alternatives-view";
import { type BookingConflict, NotFound } from "~/errors/domain-errors";
import { formatMinutes } from "~/i18n/format";
import { type Language, translate } from "~/i18n";
import { checkedDate, localDateOf } from "~/time/zoned";
import { describeRules } from "~/venues/venue-page.server";
import { getVenueBySlug } from "~/venues/venues.server";
import { type BlockingBooking, describeBlocking } from "./booking-view.server";
import { formatWhen, wallTimesOf } from "./when";

/** A fresh key for one form: a double click or a retry of that form books once (invariant 3). */
export function newIdempotencyKey(): string {
  return randomBytes(16).toString("base64url");
}

export interface FormVenue {
  id: number;
  slug: string;
  name: string;
  siteName: string;
  capacity: number;
  timeZone: string;
  needsApproval: boolean;
  bufferMinutes: number;
  rules: string[];
}

export interface FormPage {
  venue: FormVenue;
  associations: { id: number; name: string; verified: boolean }[];
}

/** The venue (404 when there is none) and the person's associations. */
export async function loadFormPage(db: Database, args: { slug: string; userId: number; lang: Language }): Promise<FormPage> {
  const [v, associations] = await Promise.all([getVenueBySlug(db, args.slug), listMyAssociations(db, args.userId)]);
  if (!v) throw new NotFound("venue");
  return {
    venue: {
      id: v.id,
      slug: v.slug,
      name: v.name,
      siteName: v.siteName,
      capacity: v.capacity,
      timeZone: v.timeZone,
      needsApproval: v.approvalMode === "manual",
      bufferMinutes: v.bufferMinutes,
      rules: describeRules(v, args.lang),
    },
    // One the municipality turned away books nothing: it is not offered.
    associations: associations.filter((a) => !a.rejected).map((a) => ({ id: a.id, name: a.name, verified: a.verified })),
  };
}

/** The free times on a local date as "08:00–10:00", or null for a date that cannot be read or is over ten years away (9999-12-31). */
export async function freeTimesOn(db: Database, venue: FormVenue, date: string | undefined, now: Date): Promise<string[] | null> {
  if (!date) return null;
  try {
    // Only a hint beside the form: the booking itself says what is wrong with the date.
    checkedDate(date, "date", localDateOf(now, venue.timeZone));
  } catch {
    return null;
  }
  const av = await availability(db, venue.id, date, date);
  return av.free.map((f) => {
    const w = wallTimesOf(f.start, f.end, venue.timeZone);
    return `${w.start}–${w.end}`;
  });
}

/** What stands in the way, in words: closed (blocked time), its public (or own) title, else "another booking". */
export function describeBlocker(lang: Language, b: BlockingBooking): string {
  const when = formatWhen(lang, b.startsAt, b.endsAt, b.timeZone);
  if (b.closed) return translate(lang, "book.conflict.closed", { venue: b.venueName, when });
  return b.title !== null
    ? translate(lang, "book.conflict.public", { title: b.title, venue: b.venueName, when })
    : translate(lang, "book.conflict.private", { venue: b.venueName, when });
}

export interface ConflictView {
  /** Plain words about what is in the way. */
  explanation: string;
  /** The venue's cleaning time, when it has one: why a neighbouring booking can be in the way. */
  bufferNote: string | null;
  alternatives: AlternativesView;
}

export interface WantedSlot {
  date: string;
  start: string;
  end: string;
  expectedAttendees: number;
}

/**
 * The conflict explained, with alternatives: other free times in this venue
 * and other venues free then, each linking to the form with `linkExtras`
 * (association, title, attendees) carried along.
 */
export async function explainConflict(
  db: Database,
  args: { lang: Language; viewerId: number; error: BookingConflict; venue: FormVenue; wanted: WantedSlot; linkExtras: Record<string, string>; now: Date },
): Promise<ConflictView> {
  const { lang, venue, wanted } = args;
  const holderId = args.error.conflictingBookingId;
  const [blocking, alts] = await Promise.all([
    holderId ? describeBlocking(db, args.viewerId, [holderId]) : Promise.resolve(new Map<string, BlockingBooking>()),
    suggestAlternatives(db, { venueId: venue.id, date: wanted.date, start: wanted.start, end: wanted.end, expectedAttendees: wanted.expectedAttendees }, args.now),
  ]);
  const holder = holderId ? blocking.get(holderId) : undefined;
  const extras = new URLSearchParams(args.linkExtras).toString();
  const hrefFor = (s: SlotSuggestion) => `/venues/${encodeURIComponent(s.slug)}/book${slotQuery(s)}${extras ? `&${extras}` : ""}`;
  return {
    explanation: holder ? describeBlocker(lang, holder) : translate(lang, "book.conflict.unknown"),
    bufferNote: venue.bufferMinutes > 0 ? translate(lang, "book.conflict.buffer", { venue: venue.name, buffer: formatMinutes(lang, venue.bufferMinutes) }) : null,
    alternatives: describeAlternatives(alts, lang, { venueName: venue.name, date: wanted.date, start: wanted.start, end: wanted.end }, hrefFor),
  };
}
