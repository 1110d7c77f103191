import { describe, expect, it } from "vitest";
import { InvalidInput, NonexistentLocalTime } from "~/errors/domain-errors";
import { cleanDetails, cleanId, cleanIdempotencyKey, localSpan } from "~/booking/request";
import { iso, thrown } from "./support";

const OSLO = "Europe/Oslo";
const CPH = "Europe/Copenhagen";
const HOUR = 3_600_000;
const asIso = (s: { start: number; end: number }) => [iso(s.start), iso(s.end)];

describe("localSpan", () => {
  it("turns a local date and wall times into instants (summer and winter)", () => {
    expect(asIso(localSpan("2026-09-03", "18:00", "20:00", OSLO))).toEqual(["2026-09-03T16:00:00.000Z", "2026-09-03T18:00:00.000Z"]);
    expect(asIso(localSpan("2026-12-03", "18:00", "20:00", CPH))).toEqual(["2026-12-03T17:00:00.000Z", "2026-12-03T19:00:00.000Z"]);
  });

  it("end '24:00' is midnight after the date", () => {
    expect(asIso(localSpan("2026-09-03", "22:00", "24:00", OSLO))).toEqual(["2026-09-03T20:00:00.000Z", "2026-09-03T22:00:00.000Z"]);
    expect(asIso(localSpan("2026-12-31", "22:00", "24:00", OSLO))).toEqual(["2026-12-31T21:00:00.000Z", "2026-12-31T23:00:00.000Z"]);
  });

  it("a whole day 00:00–24:00 is 23 hours at spring-forward, 25 at fall-back, 24 otherwise", () => {
    const len = (date: string) => {
      const s = localSpan(date, "00:00", "24:00", OSLO);
      return s.end - s.start;
    };
    expect(len("2026-03-29")).toBe(23 * HOUR);
    expect(len("2026-10-25")).toBe(25 * HOUR);
    expect(len("2026-09-03")).toBe(24 * HOUR);
  });

  it("an evening span on the fall-back day lasts as long on the wall as in real time", () => {
    const s = localSpan("2026-10-25", "18:00", "22:00", OSLO);
    expect(asIso(s)).toEqual(["2026-10-25T17:00:00.000Z", "2026-10-25T21:00:00.000Z"]);
  });

  it("01:00–04:00 on the fall-back day holds four real hours (02:00 taken as the first one)", () => {
    const s = localSpan("2026-10-25", "01:00", "04:00", OSLO);
    expect(s.end - s.start).toBe(4 * HOUR);
  });

  it("refuses a start or end in the spring-forward gap", () => {
    expect(thrown(() => localSpan("2026-03-29", "02:30", "04:00", OSLO), NonexistentLocalTime).params).toEqual({
      date: "2026-03-29",
      time: "02:30",
      zone: OSLO,
    });
    expect(thrown(() => localSpan("2026-03-29", "01:00", "02:15", OSLO), NonexistentLocalTime).params.time).toBe("02:15");
  });

  it("'24:00' is only allowed as an end", () => {
    expect(thrown(() => localSpan("2026-09-03", "24:00", "24:00", OSLO), InvalidInput).fields).toEqual({ time: "invalidTime" });
  });

  it("refuses malformed dates, times and zones", () => {
    expect(thrown(() => localSpan("2026-02-30", "10:00", "11:00", OSLO), InvalidInput).fields).toEqual({ date: "invalidDate" });
    expect(thrown(() => localSpan("2026-09-03", "10:00", "24:30", OSLO), InvalidInput).fields).toEqual({ time: "invalidTime" });
    expect(thrown(() => localSpan("2026-09-03", "7:5", "11:00", OSLO), InvalidInput).fields).toEqual({ time: "invalidTime" });
    expect(thrown(() => localSpan("2026-09-03", "10:00", "11:00", "Nowhere/Town"), InvalidInput).fields).toEqual({ zone: "invalidZone" });
  });

  it("does not reorder a reversed span (the rules refuse it)", () => {
    const s = localSpan("2026-09-03", "11:00", "10:00", OSLO);
    expect(s.end).toBeLessThan(s.start);
  });
});

describe("cleanIdempotencyKey", () => {
  it("a missing key is null", () => {
    expect(cleanIdempotencyKey(undefined)).toBeNull();
    expect(cleanIdempotencyKey(null)).toBeNull();
    expect(cleanIdempotencyKey("")).toBeNull();
  });

  it("accepts 8 to 100 characters of letters, digits, '-' and '_'", () => {
    expect(cleanIdempotencyKey("abcdefgh")).toBe("abcdefgh");
    expect(cleanIdempotencyKey("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBe("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    expect(cleanIdempotencyKey("A_b-9".repeat(20))).toHaveLength(100);
  });

  it.each([
    ["7 characters", "abcdefg"],
    ["101 characters", "a".repeat(101)],
    ["a space", "abcd efgh"],
    ["a trailing newline", "abcdefgh\n"],
    ["a leading newline", "\nabcdefgh"],
    ["a non-ASCII letter", "abcdefgå"],
    ["a dot", "abcd.efgh"],
    ["a slash", "abcd/efgh"],
  ])("refuses a key with %s", (_what, key) => {
    expect(thrown(() => cleanIdempotencyKey(key), InvalidInput).fields).toEqual({ idempotencyKey: "invalidKey" });
  });

  it.each([12345678, true, {}, ["abcdefgh"]])("refuses a non-string key %j", (key) => {
    expect(() => cleanIdempotencyKey(key)).toThrow(InvalidInput);
  });
});

describe("cleanId", () => {
  it("accepts positive safe integers", () => {
    expect(cleanId("venueId", 1)).toBe(1);
    expect(cleanId("venueId", 42)).toBe(42);
    expect(cleanId("venueId", Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, "1", "", null, undefined, true, 1n])("refuses %s", (value) => {
    expect(thrown(() => cleanId("venueId", value), InvalidInput).fields).toEqual({ venueId: "invalidId" });
  });
});

describe("cleanDetails", () => {
  it("cleans every field", () => {
    expect(
      cleanDetails({ title: "  Korøving ", purpose: "Øving\r\nfor konsert", isPublic: true, expectedAttendees: "25", noteToCaretaker: undefined }),
    ).toEqual({ title: "Korøving", purpose: "Øving\nfor konsert", isPublic: true, expectedAttendees: 25, noteToCaretaker: "" });
  });

  it("is private unless isPublic is exactly true", () => {
    expect(cleanDetails({ title: "x", expectedAttendees: 1 }).isPublic).toBe(false);
    expect(cleanDetails({ title: "x", expectedAttendees: 1, isPublic: "true" as unknown as boolean }).isPublic).toBe(false);
  });

  it("requires a title of at most 120 characters without control characters", () => {
    expect(thrown(() => cleanDetails({ title: " ", expectedAttendees: 1 }), InvalidInput).fields).toEqual({ title: "required" });
    expect(thrown(() => cleanDetails({ title: "a".repeat(121), expectedAttendees: 1 }), InvalidInput).fields).toEqual({ title: "tooLong" });
    expect(thrown(() => cleanDetails({ title: "a\nb", expectedAttendees: 1 }), InvalidInput).fields).toEqual({ title: "controlCharacters" });
  });

  it("refuses a purpose of 10,000 characters and a bad attendee count", () => {
    expect(thrown(() => cleanDetails({ title: "x", purpose: "p".repeat(10_000), expectedAttendees: 1 }), InvalidInput).fields).toEqual({
      purpose: "tooLong",
    });
    expect(thrown(() => cleanDetails({ title: "x", expectedAttendees: 0 }), InvalidInput).fields).toEqual({ expectedAttendees: "positiveInteger" });
    expect(thrown(() => cleanDetails({ title: "x", expectedAttendees: 100_001 }), InvalidInput).fields).toEqual({ expectedAttendees: "tooLarge" });
  });
});
