// The pure parts of the iCalendar writer: folding, VTIMEZONEs, zones without one.
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { addEvent, eventStatus, foldLine, newCalendar, serialize, vtimezone } from "../../app/calendar/ical.server";
import { assertWellFormed, parseCalendar } from "../helpers/ical";

describe("foldLine", () => {
  const pieces = ["a", "æ", "ø", "Å", "€", "🎺", "😀", "漢", ";", " ", "\\", "e\u0301"];
  function randomLine(seed: number, length: number): string {
    let x = seed;
    let s = "DESCRIPTION:";
    for (let i = 0; i < length; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      s += pieces[x % pieces.length];
    }
    return s;
  }

  it("keeps every physical line within 75 octets, whole characters, and unfolds to the original", () => {
    for (let seed = 1; seed < 400; seed++) {
      const line = randomLine(seed, seed % 200);
      const folded = foldLine(line);
      expect(folded.replace(/\r\n /g, "")).toBe(line);
      for (const physical of folded.split("\r\n")) {
        expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75);
        expect(Buffer.from(physical).toString("utf8")).toBe(physical);
        expect(physical).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
      }
    }
  });

  it("leaves short lines alone and folds a 4-octet character to the next line rather than splitting it", () => {
    expect(foldLine("SUMMARY:kort")).toBe("SUMMARY:kort");
    const line = `SUMMARY:${"x".repeat(66)}😀`; // 74 octets, then 4 more
    expect(foldLine(line)).toBe(`SUMMARY:${"x".repeat(66)}\r\n 😀`);
    expect(foldLine(`SUMMARY:${"x".repeat(67)}`)).toBe(`SUMMARY:${"x".repeat(67)}`); // exactly 75
  });
});

describe("vtimezone", () => {
  it("has exactly the asked TZID: Oslo stays Oslo, and an alias keeps its own name", () => {
    for (const zone of ["Europe/Oslo", "Europe/Copenhagen", "Europe/Stockholm", "Arctic/Longyearbyen"]) {
      const tz = vtimezone(zone)!;
      expect(tz).toMatch(/^BEGIN:VTIMEZONE\r\n/);
      expect(tz.match(/^TZID:(.*)$/m)![1]!.trim()).toBe(zone);
      expect(tz).not.toMatch(/[^\r]\n/);
    }
    expect(vtimezone("Mars/Olympus_Mons")).toBeNull();
    expect(vtimezone("UTC")).toBeNull();
  });

  it("gives the same UTC offsets as the time-zone database for the Nordic zones, 2024-2035", () => {
    for (const zone of ["Europe/Oslo", "Europe/Copenhagen", "Europe/Stockholm", "Europe/Helsinki", "Atlantic/Reykjavik"]) {
      const comp = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${vtimezone(zone)}\r\nEND:VCALENDAR\r\n`));
      const tz = new ICAL.Timezone(comp.getFirstSubcomponent("vtimezone")!);
      for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2035, 11, 31); t += 6 * 3_600_000 + 17 * 60_000) {
        const local = DateTime.fromMillis(t, { zone });
        const time = ICAL.Time.fromData(
          { year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second, isDate: false },
          tz,
        );
        // Skip the hour around each change: in autumn a wall time there is ambiguous.
        const near = [t - 3_600_000, t + 3_600_000].map((x) => DateTime.fromMillis(x, { zone }).offset);
        if (near.some((o) => o !== local.offset)) continue;
        expect(time.toUnixTime() * 1000, `${zone} ${local.toISO()}`).toBe(Math.floor(t / 1000) * 1000);
      }
    }
  });
});

describe("events in a zone without a VTIMEZONE", () => {
  it("are written in UTC, so no TZID is left without its definition", () => {
    const cal = newCalendar({ name: "Test" });
    const base = { sequence: 0, createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-02T00:00:00Z", status: eventStatus("confirmed"), summary: "Møte" };
    addEvent(cal, { ...base, bookingId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a51", start: "2026-06-01T10:00:00Z", end: "2026-06-01T11:00:00Z", zone: "Mars/Olympus_Mons" });
    addEvent(cal, { ...base, bookingId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a52", start: "2026-06-01T12:00:00Z", end: "2026-06-01T13:00:00Z", zone: "Europe/Oslo" });
    const text = serialize(cal);
    assertWellFormed(text);
    expect(text).toContain("DTSTART:20260601T100000Z");
    expect(text).toContain("DTSTART;TZID=Europe/Oslo:20260601T140000");
    const parsed = parseCalendar(text);
    expect(parsed.vtimezones).toEqual(["Europe/Oslo"]);
    expect(parsed.events.map((e) => e.start.toISOString())).toEqual(["2026-06-01T10:00:00.000Z", "2026-06-01T12:00:00.000Z"]);
  });

  it("write calendar properties before the first component, as RFC 5545 orders them", () => {
    const cal = newCalendar({ name: "Test", refreshSeconds: 3600 });
    addEvent(cal, {
      bookingId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a53",
      sequence: 0,
      start: "2026-06-01T10:00:00Z",
      end: "2026-06-01T11:00:00Z",
      zone: "Europe/Oslo",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-02T00:00:00Z",
      status: eventStatus("pending"),
      summary: "Møte",
    });
    const lines = serialize(cal).split("\r\n");
    const firstComponent = lines.findIndex((l) => l.startsWith("BEGIN:V") && l !== "BEGIN:VCALENDAR");
    for (const prop of ["REFRESH-INTERVAL", "X-PUBLISHED-TTL", "NAME", "X-WR-CALNAME", "PRODID", "VERSION"]) {
      const at = lines.findIndex((l) => l.startsWith(prop));
      expect(at, prop).toBeGreaterThan(0);
      expect(at, prop).toBeLessThan(firstComponent);
    }
    expect(lines).toContain("STATUS:TENTATIVE");
  });
});
