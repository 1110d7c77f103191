// iCalendar (RFC 5545 / 7986) through ical-generator 10, with the few things it
// does not do for us (see docs/decisions/008-calendar-feeds.md):
// - a VTIMEZONE whose TZID is exactly the zone we name (checked, not assumed);
// - NAME / X-WR-CALNAME are written unescaped by ical-generator: we escape them;
// - quoted parameters (CN) cannot hold DQUOTE or line breaks: we remove them;
// - its line folding allocates a TextEncoder per character (2.3 s for a feed of
//   10,000 events): we fold with the same rule (75 octets, never inside a
//   UTF-8 sequence) in one pass, and end the last line with CRLF as the ABNF says.
// Times are luxon DateTimes: starts and ends in the venue's zone (TZID + local
// time), everything else in UTC. Never a plain Date with a zone.
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import ical, { escape as escapeText, ICalAttendeeStatus, type ICalCalendar, type ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import type { BookingStatus } from "db/schema";

/** ical-generator writes PRODID as "-" + this. */
const PRODID = "//Flokk//Flokk Calendar//EN";

/** The domain part of every UID: `<booking-id>@flokk`, the same in feeds and e-mail. */
export function bookingUid(bookingId: string): string {
  return `${bookingId}@flokk`;
}

export type Instant = Date | string;

function toDate(value: Instant): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`not an instant: ${String(value)}`);
  return d;
}

const vtimezones = new Map<string, string | null>();

/**
 * The VTIMEZONE for an IANA zone with exactly that TZID, or null when the
 * package does not know the zone (the event is then written in UTC, which
 * needs no VTIMEZONE). Some zones share a file with another zone; the TZID is
 * rewritten so that it always matches the TZID our DTSTART names.
 */
export function vtimezone(zone: string): string | null {
  if (!vtimezones.has(zone)) {
    const component = zone === "UTC" || zone === "Etc/UTC" ? null : getVtimezoneComponent(zone);
    let text: string | null = null;
    if (component?.includes("BEGIN:VTIMEZONE") && component.includes("END:VTIMEZONE")) {
      text = component
        .replace(/\r\n|\r|\n/g, "\r\n")
        .replace(/^TZID:.*$/m, `TZID:${zone}`)
        .replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${zone}`)
        .trim();
    }
    vtimezones.set(zone, text);
  }
  return vtimezones.get(zone) ?? null;
}

export function hasVtimezone(zone: string): boolean {
  return vtimezone(zone) !== null;
}

// C0 and C1 controls except TAB and LF, DEL; input validation refuses them
// already, this keeps anything that slipped past from reaching a calendar line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Multi-line text for DESCRIPTION: normalised line breaks, no control characters. */
export function calendarText(value: string): string {
  return value
    .replace(/\r\n?|\u2028|\u2029/g, "\n")
    .replace(/\t/g, " ")
    .replace(CONTROLS, "")
    .trim();
}

/** One-line text for SUMMARY and LOCATION. */
export function calendarLine(value: string): string {
  return calendarText(value).replace(/\s*\n\s*/g, " ");
}

/** A CN parameter: quoted by ical-generator, so no DQUOTE, backslash or line break may remain. */
export function calendarParam(value: string): string {
  return calendarLine(value).replace(/"/g, "'").replace(/\\/g, "/");
}

const EMAIL = /^[^\s"\\;,:<>()[\]@]+@[^\s"\\;,:<>()[\]@]+$/;

export function calendarEmail(value: string): string {
  const email = value.trim();
  if (!EMAIL.test(email)) throw new Error("not an e-mail address usable in a calendar");
  return email;
}

export interface CalendarOptions {
  name?: string;
  description?: string;
  /** How often clients should refetch (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
  refreshSeconds?: number;
  method?: ICalCalendarMethod;
}

export function newCalendar(options: CalendarOptions = {}): ICalCalendar {
  const cal = ical({
    prodId: PRODID,
    // name null: no calendar-wide zone, so DTSTAMP, CREATED, LAST-MODIFIED and
    // UNTIL are written in UTC; the generator still adds one VTIMEZONE per
    // zone that an event names.
    timezone: { name: null, generator: vtimezone },
  });
  if (options.name) cal.name(escapeText(calendarLine(options.name), false));
  if (options.description) cal.description(escapeText(calendarText(options.description), false));
  if (options.refreshSeconds) cal.ttl(options.refreshSeconds);
  if (options.method) cal.method(options.method);
  return cal;
}

const STATUS: Record<BookingStatus, ICalEventStatus> = {
  pending: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  rejected: ICalEventStatus.CANCELLED,
  cancelled: ICalEventStatus.CANCELLED,
};

export function eventStatus(status: BookingStatus): ICalEventStatus {
  return STATUS[status];
}

export interface CalendarPerson {
  name?: string | null;
  email: string;
}

export interface EventInput {
  bookingId: string;
  sequence: number;
  start: Instant;
  end: Instant;
  /** The venue's IANA zone: DTSTART and DTEND are local times with this TZID. */
  zone: string;
  createdAt: Instant;
  /** The row's last change: DTSTAMP and LAST-MODIFIED, so an unchanged row gives unchanged bytes. */
  updatedAt: Instant;
  status: ICalEventStatus;
  summary: string;
  location?: string;
  description?: string;
  organizer?: CalendarPerson;
  attendees?: readonly CalendarPerson[];
}

export function addEvent(cal: ICalCalendar, e: EventInput): void {
  const zone = hasVtimezone(e.zone) ? e.zone : "UTC";
  const utc = (v: Instant) => DateTime.fromJSDate(toDate(v), { zone: "utc" });
  const local = (v: Instant) => DateTime.fromJSDate(toDate(v), { zone });
  cal.createEvent({
    id: bookingUid(e.bookingId),
    sequence: e.sequence,
    stamp: utc(e.updatedAt),
    created: utc(e.createdAt),
    lastModified: utc(e.updatedAt),
    start: local(e.start),
    end: local(e.end),
    timezone: zone === "UTC" ? null : zone,
    status: e.status,
    summary: calendarLine(e.summary),
    ...(e.location ? { location: calendarLine(e.location) } : {}),
    ...(e.description ? { description: calendarText(e.description) } : {}),
    ...(e.organizer
      ? { organizer: { name: calendarParam(e.organizer.name || e.organizer.email), email: calendarEmail(e.organizer.email) } }
      : {}),
    ...(e.attendees
      ? {
          attendees: e.attendees.map((a) => ({
            ...(a.name ? { name: calendarParam(a.name) } : {}),
            email: calendarEmail(a.email),
            // The booker made the booking: no reply is expected, and none
            // should go to the organizer's no-reply address.
            status: ICalAttendeeStatus.ACCEPTED,
            rsvp: false,
          })),
        }
      : {}),
  });
}

const MAX_OCTETS = 75;

/**
 * Folds one content line (RFC 5545 §3.1): at most 75 octets per physical line,
 * continuation lines start with a space, and a fold never falls inside a UTF-8
 * sequence (it falls between code points; a surrogate pair is one code point).
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line, "utf8") <= MAX_OCTETS) return line;
  let out = "";
  let octets = 0;
  let start = 0;
  for (let i = 0; i < line.length; ) {
    const code = line.codePointAt(i)!;
    const units = code > 0xffff ? 2 : 1;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > MAX_OCTETS) {
      out += `${line.slice(start, i)}\r\n `;
      start = i;
      octets = 1; // the leading space
    }
    octets += size;
    i += units;
  }
  return out + line.slice(start);
}

/** Folds unfolded CRLF-separated lines. */
export function foldLines(text: string): string {
  return text
    .split("\r\n")
    .map((l) => foldLine(l))
    .join("\r\n");
}

/**
 * The calendar as text. ical-generator writes the calendar's properties and
 * each event; we put them in the order RFC 5545 asks (all calendar properties,
 * then one VTIMEZONE per zone the events name, then the events; ical-generator
 * would put REFRESH-INTERVAL after the VTIMEZONEs), fold, and end with CRLF.
 * Deterministic: the same input gives the same bytes.
 */
export function serialize(cal: ICalCalendar): string {
  const events = cal.events();
  cal.clear();
  // Without events (and with no calendar-wide zone) this is only the calendar's properties.
  const head = cal.toString();
  cal.events(events);
  const parts: string[] = [head.slice(0, head.lastIndexOf("END:VCALENDAR"))];
  const zones = new Set<string>();
  for (const e of events) {
    const zone = e.timezone();
    if (zone && !zones.has(zone)) {
      zones.add(zone);
      const tz = vtimezone(zone);
      if (!tz) throw new Error(`no VTIMEZONE for ${zone}`);
      parts.push(foldLines(tz), "\r\n");
    }
  }
  for (const e of events) parts.push(foldLines(e.toString()));
  parts.push("END:VCALENDAR\r\n");
  return parts.join("");
}
