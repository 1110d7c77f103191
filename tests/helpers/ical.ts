// Reading iCalendar in tests with an independent parser (ical.js, Mozilla's),
// plus the byte-level checks a parser forgives: CRLF, folding, VTIMEZONEs.
import ICAL from "ical.js";
import { expect } from "vitest";

export interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string | null;
  summary: string;
  description: string | null;
  location: string | null;
  /** The instants, resolved through the VTIMEZONE in the same calendar. */
  start: Date;
  end: Date;
  /** The TZID parameter on DTSTART, or null for UTC. */
  tzid: string | null;
  /** As written, e.g. 20261203T170000Z. */
  dtstamp: string;
  component: ICAL.Component;
}

export interface ParsedCalendar {
  root: ICAL.Component;
  method: string | null;
  events: ParsedEvent[];
  /** TZIDs of the VTIMEZONE components. */
  vtimezones: string[];
}

/** Parses and checks the structure every Flokk calendar must have. */
export function parseCalendar(text: string): ParsedCalendar {
  assertWellFormed(text);
  const root = new ICAL.Component(ICAL.parse(text));
  expect(root.name).toBe("vcalendar");
  const vtimezones = root.getAllSubcomponents("vtimezone").map((c) => String(c.getFirstPropertyValue("tzid")));
  const events = root.getAllSubcomponents("vevent").map((c): ParsedEvent => {
    const ev = new ICAL.Event(c);
    const dtstart = c.getFirstProperty("dtstart")!;
    return {
      uid: ev.uid,
      sequence: ev.sequence,
      status: (c.getFirstPropertyValue("status") as string | null) ?? null,
      summary: ev.summary,
      description: (c.getFirstPropertyValue("description") as string | null) ?? null,
      location: (c.getFirstPropertyValue("location") as string | null) ?? null,
      start: ev.startDate.toJSDate(),
      end: ev.endDate.toJSDate(),
      tzid: (dtstart.getParameter("tzid") as string | undefined) ?? null,
      dtstamp: String(c.getFirstProperty("dtstamp")!.toICALString()).replace(/^DTSTAMP:/, ""),
      component: c,
    };
  });
  // Every TZID used anywhere has a VTIMEZONE with exactly that ID.
  for (const tzid of usedTzids(text)) expect(vtimezones, `VTIMEZONE for ${tzid}`).toContain(tzid);
  return { root, method: (root.getFirstPropertyValue("method") as string | null) ?? null, events, vtimezones };
}

function usedTzids(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of unfold(text).matchAll(/;TZID=("[^"]*"|[^:;]*)/g)) found.add(m[1]!.replace(/"/g, ""));
  return found;
}

export function unfold(text: string): string {
  return text.replace(/\r\n[ \t]/g, "");
}

/** CRLF only, every line at most 75 octets, no fold inside a UTF-8 sequence, a final CRLF. */
export function assertWellFormed(text: string): void {
  expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
  expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  const bytes = Buffer.from(text, "utf8");
  // Folding inside a multi-byte sequence would have produced U+FFFD on decoding,
  // or a line that starts with a continuation byte.
  expect(bytes.toString("utf8")).toBe(text);
  for (const line of text.slice(0, -2).split("\r\n")) {
    const b = Buffer.from(line, "utf8");
    expect(b.length, line).toBeLessThanOrEqual(75);
    expect(line.length, "no empty lines").toBeGreaterThan(0);
  }
  // Each physical line must be valid UTF-8 on its own: a client may decode
  // before unfolding.
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || (bytes[i] === 0x0d && bytes[i + 1] === 0x0a)) {
      const line = bytes.subarray(start, i);
      expect(line.toString("utf8").includes("\ufffd"), "a fold splits a character").toBe(false);
      start = i + 2;
    }
  }
}

/** The property lines of the calendar (unfolded), e.g. to count ORGANIZERs. */
export function propertyLines(text: string, name: string): string[] {
  return unfold(text)
    .split("\r\n")
    .filter((l) => l.toUpperCase().startsWith(`${name.toUpperCase()}:`) || l.toUpperCase().startsWith(`${name.toUpperCase()};`));
}

/** Decodes a TEXT value that ical.js returned raw (properties it does not know, such as NAME). */
export function decodeText(value: unknown): string {
  return String(value).replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}
