// What to offer when a wanted time is taken: the nearest free times of the same
// length in the same venue, and other venues that fit and are free at exactly
// that time. Every suggestion passes the venue's booking rules
// (app/booking/rules.ts) and holds no claim overlap, buffer included, so the
// engine would accept it as things stand now. The weekly quota is left out:
// it depends on the association, which this does not know.
import type { Database } from "db/client";
import { loadVenueContext, type VenueContext } from "~/booking/context.server";
import { cleanId, localSpan } from "~/booking/request";
import { checkBookingRules } from "~/booking/rules";
import { cleanPositiveInt } from "~/booking/text";
import { EndNotAfterStart, NonexistentLocalTime, NotFound } from "~/errors/domain-errors";
import { type Interval, MINUTE, merge, overlaps, withBuffer } from "~/time/interval";
import { openIntervals } from "~/time/opening";
import { addDays, localDateOf, parseLocalDate, startOfLocalDayMillis, wallClock, wallMinuteOfDay } from "~/time/zoned";
import { findCandidates, passes, type WallSpan } from "~/venues/search.server";
import { claimsOverlapping } from "./availability.server";

export interface AlternativesRequest extends WallSpan {
  venueId: number;
  expectedAttendees: number;
}

export interface SlotSuggestion extends WallSpan {
  venueId: number;
  slug: string;
  name: string;
}

export interface VenueSuggestion extends SlotSuggestion {
  kind: string;
  capacity: number;
  stepFree: boolean;
  siteName: string;
  sameKind: boolean;
  sameSite: boolean;
}

export interface Alternatives {
  /** Other times in the same venue, in time order. */
  sameVenue: SlotSuggestion[];
  /** Other venues free at the asked time: same kind first, then same site, then the smallest that fits. */
  otherVenues: VenueSuggestion[];
}

export interface AlternativesOptions {
  slots?: number;
  venues?: number;
  /** How many days, the asked one included, to look through for free times. */
  days?: number;
}

/** Suggested times start on the quarter hour, or right where a booking or opening lets them. */
const STEP = 15 * MINUTE;

/** The span as a date and wall times in `zone`, or null when it cannot be typed as one (crosses midnight, the repeated hour). */
export function wallSpanOf(span: Interval, zone: string): WallSpan | null {
  const date = localDateOf(span.start, zone);
  const start = wallClock(span.start, zone);
  const nextMidnight = startOfLocalDayMillis(addDays(date, 1), zone);
  let end: string;
  if (span.end === nextMidnight) end = "24:00";
  else if (span.end < nextMidnight) end = wallClock(span.end, zone);
  else return null;
  try {
    const back = localSpan(date, start, end, zone);
    return back.start === span.start && back.end === span.end ? { date, start, end } : null;
  } catch (e) {
    if (e instanceof NonexistentLocalTime) return null;
    throw e;
  }
}

interface Candidate {
  span: Interval;
  /** The span plus the buffer: what a booking of it would claim. */
  held: Interval;
  wall: WallSpan;
}

/**
 * Times of the wanted length in the venue that the engine would accept now,
 * one local date at a time: starts on the quarter hour, at each opening, right
 * after each claim and right before each (buffer included).
 */
function freeTimesOn(venue: VenueContext, claims: readonly Interval[], date: string, length: number, attendees: number, now: Date): Candidate[] {
  const zone = venue.timeZone;
  const buffer = venue.bufferMinutes * MINUTE;
  const out: Candidate[] = [];
  for (const open of merge(openIntervals(venue.openingHours, venue.closures, date, date, zone))) {
    const starts = new Set<number>([open.start]);
    for (let s = Math.ceil(open.start / STEP) * STEP; s + length <= open.end; s += STEP) starts.add(s);
    for (const c of claims) {
      starts.add(c.end);
      starts.add(c.start - length - buffer);
    }
    for (const s of [...starts].sort((a, b) => a - b)) {
      const span = { start: s, end: s + length };
      if (span.start < open.start || span.end > open.end) continue;
      const held = withBuffer(span, venue.bufferMinutes);
      if (claims.some((c) => overlaps(c, held))) continue;
      if (!passes(() => checkBookingRules(venue, span, attendees, now))) continue;
      const wall = wallSpanOf(span, zone);
      if (wall?.date === date) out.push({ span, held, wall });
    }
  }
  return out;
}

/**
 * Up to `limit` free times of the wanted length, chosen the way a person
 * weighs them: the nearest earlier that day, the nearest later that day, then
 * the same time of day on each following day; any room left goes to more
 * times that day, nearest first. No two of them would collide with each
 * other, so each is a real choice. In time order.
 */
async function freeTimesNear(
  db: Database,
  venue: VenueContext,
  wanted: Interval,
  o: { date: string; attendees: number; now: Date; days: number; limit: number },
): Promise<WallSpan[]> {
  const zone = venue.timeZone;
  const length = wanted.end - wanted.start;
  const window = { start: startOfLocalDayMillis(o.date, zone), end: startOfLocalDayMillis(addDays(o.date, o.days), zone) };
  const claims = await claimsOverlapping(db, venue.leaves, { start: window.start, end: window.end + length + venue.bufferMinutes * MINUTE });
  const picked: Candidate[] = [];
  const take = (c: Candidate | undefined) => {
    if (c && picked.length < o.limit && !picked.some((p) => overlaps(p.held, c.held))) picked.push(c);
  };
  const sameDay = freeTimesOn(venue, claims, o.date, length, o.attendees, o.now).filter((c) => c.span.start !== wanted.start);
  const distance = (c: Candidate) => Math.abs(c.span.start - wanted.start);
  take(sameDay.filter((c) => c.span.start < wanted.start).at(-1));
  take(sameDay.find((c) => c.span.start > wanted.start));
  const wantedMinutes = wallMinuteOfDay(wanted.start, zone);
  for (let i = 1; i < o.days && picked.length < o.limit; i++) {
    const day = freeTimesOn(venue, claims, addDays(o.date, i), length, o.attendees, o.now);
    const byTimeOfDay = (c: Candidate) => Math.abs(wallMinuteOfDay(c.span.start, zone) - wantedMinutes);
    take(day.sort((a, b) => byTimeOfDay(a) - byTimeOfDay(b) || a.span.start - b.span.start)[0]);
  }
  for (const c of [...sameDay].sort((a, b) => distance(a) - distance(b) || a.span.start - b.span.start)) take(c);
  return picked.sort((a, b) => a.span.start - b.span.start).map((p) => p.wall);
}

export async function suggestAlternatives(
  db: Database,
  req: AlternativesRequest,
  now: Date,
  options: AlternativesOptions = {},
): Promise<Alternatives> {
  const venueId = cleanId("venueId", req.venueId);
  const attendees = cleanPositiveInt("expectedAttendees", req.expectedAttendees, 100_000);
  parseLocalDate(req.date, "date");
  const maxSlots = options.slots ?? 3;
  const maxVenues = options.venues ?? 5;
  const days = Math.max(1, Math.min(options.days ?? 14, 60));

  const venue = await loadVenueContext(db, venueId, addDays(req.date, -1), addDays(req.date, days));
  if (venue.archived) throw new NotFound("venue");
  const wanted = localSpan(req.date, req.start, req.end, venue.timeZone);
  if (!(wanted.end > wanted.start)) throw new EndNotAfterStart();

  const [me, sameVenue, others] = await Promise.all([
    db.selectFrom("venues").select(["slug", "name", "kind", "site_id as siteId"]).where("id", "=", venueId).executeTakeFirstOrThrow(),
    freeTimesNear(db, venue, wanted, { date: req.date, attendees, now, days, limit: maxSlots }),
    findCandidates(db, {
      kinds: [],
      capacityAtLeast: attendees,
      amenities: [],
      stepFree: false,
      spans: wanted,
      closureDates: { from: addDays(req.date, -1), to: addDays(req.date, 1) },
    }),
  ]);

  const otherVenues: VenueSuggestion[] = [];
  for (const c of others) {
    if (c.id === venueId || !c.span) continue;
    if (!passes(() => checkBookingRules(c.rules, c.span!, attendees, now))) continue;
    const wall = wallSpanOf(c.span, c.timeZone);
    if (!wall) continue;
    otherVenues.push({
      venueId: c.id,
      slug: c.slug,
      name: c.name,
      ...wall,
      kind: c.kind,
      capacity: c.capacity,
      stepFree: c.stepFree,
      siteName: c.siteName,
      sameKind: c.kind === me.kind,
      sameSite: c.siteId === me.siteId,
    });
  }
  otherVenues.sort(
    (a, b) =>
      Number(b.sameKind) - Number(a.sameKind) ||
      Number(b.sameSite) - Number(a.sameSite) ||
      a.capacity - b.capacity ||
      a.name.localeCompare(b.name, "nb"),
  );

  return {
    sameVenue: sameVenue.map((s) => ({ venueId, slug: me.slug, name: me.name, date: s.date, start: s.start, end: s.end })),
    otherVenues: otherVenues.slice(0, maxVenues),
  };
}
