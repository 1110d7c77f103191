import { describe, expect, it } from "vitest";
import {
  BeyondHorizon,
  DomainError,
  DurationOutOfRange,
  EndNotAfterStart,
  InClosure,
  OutsideOpeningHours,
  OverCapacity,
  TooShortNotice,
} from "~/errors/domain-errors";
import { checkBookingRules, type VenueRules } from "~/booking/rules";
import { localSpan } from "~/booking/request";
import type { Interval } from "~/time/interval";
import { thrown } from "./support";

const OSLO = "Europe/Oslo";
const MINUTE = 60_000;

// Tuesday 2026-09-01 10:00 in Oslo (summer time).
const NOW = new Date("2026-09-01T08:00:00Z");

const rules: VenueRules = {
  timeZone: OSLO,
  capacity: 40,
  minDurationMinutes: 30,
  maxDurationMinutes: 240,
  horizonDays: 90,
  minNoticeMinutes: 120,
  openingHours: [
    // Weekdays: two adjacent intervals that together make 08–16.
    ...[1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, opens: "08:00", closes: "12:00" },
      { weekday, opens: "12:00", closes: "16:00" },
    ]),
    // Saturday: a gap between 12 and 14.
    { weekday: 6, opens: "10:00", closes: "12:00" },
    { weekday: 6, opens: "14:00", closes: "18:00" },
  ],
  closures: [{ startsOn: "2026-10-12", endsOn: "2026-10-16", reason: "Autumn break" }],
};

const span = (date: string, start: string, end: string): Interval => localSpan(date, start, end, OSLO);
const check = (s: Interval, attendees = 20, r: VenueRules = rules, now: Date = NOW) => checkBookingRules(r, s, attendees, now);

describe("checkBookingRules", () => {
  it("passes a booking that keeps every rule", () => {
    expect(() => check(span("2026-09-03", "10:00", "11:00"))).not.toThrow();
  });

  it("passes a booking that fills one opening interval exactly", () => {
    expect(() => check(span("2026-09-03", "08:00", "12:00"))).not.toThrow();
    expect(() => check(span("2026-09-03", "12:00", "16:00"))).not.toThrow();
  });

  it("passes a booking spanning two adjacent opening intervals (08–12 and 12–16)", () => {
    expect(() => check(span("2026-09-03", "10:00", "14:00"))).not.toThrow();
  });

  it("refuses a booking spanning the gap between two intervals", () => {
    // Saturday 2026-09-05: open 10–12 and 14–18.
    expect(() => check(span("2026-09-05", "11:00", "15:00"))).toThrow(OutsideOpeningHours);
    expect(() => check(span("2026-09-05", "11:00", "12:30"))).toThrow(OutsideOpeningHours);
    // Inside either interval is fine.
    expect(() => check(span("2026-09-05", "11:00", "12:00"))).not.toThrow();
    expect(() => check(span("2026-09-05", "14:00", "15:00"))).not.toThrow();
  });

  it("refuses a booking that starts before opening or ends after closing", () => {
    expect(() => check(span("2026-09-03", "07:30", "08:30"))).toThrow(OutsideOpeningHours);
    expect(() => check(span("2026-09-03", "15:30", "16:30"))).toThrow(OutsideOpeningHours);
  });

  it("refuses a booking on a day without opening hours", () => {
    // Sunday 2026-09-06.
    const err = thrown(() => check(span("2026-09-06", "10:00", "11:00")), OutsideOpeningHours);
    expect(err.code).toBe("outsideOpeningHours");
  });

  it("EndNotAfterStart when the end is not after the start", () => {
    const start = new Date("2026-09-03T08:00:00Z").getTime();
    expect(() => check({ start, end: start })).toThrow(EndNotAfterStart);
    expect(() => check({ start, end: start - 60 * MINUTE })).toThrow(EndNotAfterStart);
    expect(() => check(span("2026-09-03", "11:00", "10:00"))).toThrow(EndNotAfterStart);
  });

  it("EndNotAfterStart for NaN instants instead of letting them through", () => {
    expect(() => check({ start: Number.NaN, end: Number.NaN })).toThrow(EndNotAfterStart);
  });

  it("DurationOutOfRange below the minimum and above the maximum, with the limits as parameters", () => {
    const short = thrown(() => check(span("2026-09-03", "10:00", "10:15")), DurationOutOfRange);
    expect(short.params).toEqual({ min: 30, max: 240 });
    const long = thrown(() => check(span("2026-09-03", "08:00", "12:01")), DurationOutOfRange);
    expect(long.params).toEqual({ min: 30, max: 240 });
  });

  it("the duration limits themselves are allowed", () => {
    expect(() => check(span("2026-09-03", "10:00", "10:30"))).not.toThrow();
    expect(() => check(span("2026-09-03", "08:00", "12:00"))).not.toThrow();
    expect(() => check(span("2026-09-03", "10:00", "10:29"))).toThrow(DurationOutOfRange);
  });

  it("TooShortNotice when the start is closer to `now` than the minimum notice", () => {
    // now + 120 min = Tuesday 12:00 local.
    const err = thrown(() => check(span("2026-09-01", "11:30", "12:30")), TooShortNotice);
    expect(err.params).toEqual({ minutes: 120 });
    expect(() => check({ start: NOW.getTime() + 120 * MINUTE - 1, end: NOW.getTime() + 180 * MINUTE })).toThrow(TooShortNotice);
  });

  it("a start exactly at the minimum notice is allowed", () => {
    expect(() => check(span("2026-09-01", "12:00", "13:00"))).not.toThrow();
  });

  it("TooShortNotice for a booking in the past, worded as a start that has passed", () => {
    expect(() => check(span("2026-08-31", "10:00", "11:00"))).toThrow(TooShortNotice);
    expect(thrown(() => check(span("2026-08-31", "10:00", "11:00")), TooShortNotice).code).toBe("startPassed");
    expect(thrown(() => check(span("2026-09-01", "11:30", "12:30")), TooShortNotice).code).toBe("tooShortNotice");
  });

  it("uses the `now` it is given, not the clock", () => {
    const s = span("2026-09-03", "10:00", "11:00");
    expect(() => check(s, 20, rules, new Date("2026-09-03T07:30:00Z"))).toThrow(TooShortNotice);
    expect(() => check(s, 20, rules, new Date("2026-06-01T08:00:00Z"))).toThrow(BeyondHorizon);
    expect(() => check(s, 20, rules, new Date("2026-09-01T08:00:00Z"))).not.toThrow();
  });

  it("BeyondHorizon when the start is further ahead than the horizon", () => {
    // now + 90 days = 2026-11-30T08:00Z = Monday 09:00 local (winter time).
    const err = thrown(() => check(span("2026-11-30", "09:30", "10:30")), BeyondHorizon);
    expect(err.params).toEqual({ days: 90 });
    expect(() => check(span("2026-12-03", "10:00", "11:00"))).toThrow(BeyondHorizon);
  });

  it("a start exactly at the horizon is allowed", () => {
    expect(() => check(span("2026-11-30", "09:00", "10:00"))).not.toThrow();
  });

  it("OverCapacity above the venue's capacity; exactly the capacity is allowed", () => {
    const s = span("2026-09-03", "10:00", "11:00");
    const err = thrown(() => check(s, 41), OverCapacity);
    expect(err.params).toEqual({ capacity: 40 });
    expect(() => check(s, 40)).not.toThrow();
  });

  it("InClosure on any day of the inclusive closure, naming the reason and range", () => {
    for (const date of ["2026-10-12", "2026-10-14", "2026-10-16"]) {
      const err = thrown(() => check(span(date, "10:00", "11:00")), InClosure);
      expect(err.params).toEqual({ reason: "Autumn break", from: "2026-10-12", to: "2026-10-16" });
    }
  });

  it("the days just outside a closure are open", () => {
    expect(() => check(span("2026-10-09", "10:00", "11:00"))).not.toThrow();
    expect(() => check(span("2026-10-19", "10:00", "11:00"))).not.toThrow();
  });

  it("an overnight booking reaching into a closure is refused; one ending at its midnight is not", () => {
    const allDay: VenueRules = {
      ...rules,
      maxDurationMinutes: 24 * 60,
      openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: "00:00", closes: "24:00" })),
    };
    const into = { start: span("2026-10-11", "23:00", "24:00").start, end: span("2026-10-12", "00:00", "01:00").end };
    expect(thrown(() => check(into, 20, allDay), InClosure).params.reason).toBe("Autumn break");
    expect(() => check(span("2026-10-11", "23:00", "24:00"), 20, allDay)).not.toThrow();
    // Across an ordinary midnight the two days' openings join into one.
    const overnight = { start: span("2026-09-04", "22:00", "24:00").start, end: span("2026-09-05", "00:00", "02:00").end };
    expect(() => check(overnight, 20, allDay)).not.toThrow();
  });

  it("a booking ending at a '24:00' closing time passes", () => {
    const evening: VenueRules = { ...rules, openingHours: [{ weekday: 4, opens: "18:00", closes: "24:00" }] };
    expect(() => check(span("2026-09-03", "22:00", "24:00"), 20, evening)).not.toThrow();
    const past = { start: span("2026-09-03", "23:00", "24:00").start, end: span("2026-09-04", "00:00", "00:30").end };
    expect(() => check(past, 20, evening)).toThrow(OutsideOpeningHours);
  });

  it("opening hours are read in the venue's zone across the autumn change", () => {
    // Monday 2026-10-26 (winter time): open 08–16 local = 07–15Z.
    expect(() => check(span("2026-10-26", "15:00", "16:00"))).not.toThrow();
    expect(() => check({ start: new Date("2026-10-26T14:30:00Z").getTime(), end: new Date("2026-10-26T15:30:00Z").getTime() })).toThrow(
      OutsideOpeningHours,
    );
  });

  it("checks in the order a person would fix them", () => {
    // Reversed AND too many people AND closed: the reversal comes first.
    expect(() => check(span("2026-10-14", "11:00", "10:00"), 99)).toThrow(EndNotAfterStart);
    // Too short AND in the past AND over capacity: duration first.
    expect(() => check(span("2026-08-31", "10:00", "10:10"), 99)).toThrow(DurationOutOfRange);
    // In the past AND over capacity: notice before capacity.
    expect(() => check(span("2026-08-31", "10:00", "11:00"), 99)).toThrow(TooShortNotice);
    // Beyond the horizon AND over capacity: horizon before capacity.
    expect(() => check(span("2026-12-03", "10:00", "11:00"), 99)).toThrow(BeyondHorizon);
    // Over capacity AND in a closure AND outside hours: capacity first.
    expect(() => check(span("2026-10-14", "20:00", "21:00"), 99)).toThrow(OverCapacity);
    // In a closure AND outside hours: the closure is the clearer reason.
    expect(() => check(span("2026-10-14", "20:00", "21:00"))).toThrow(InClosure);
  });

  it("every refusal is a 422 domain error", () => {
    const refusals = [
      () => check(span("2026-09-03", "11:00", "10:00")),
      () => check(span("2026-09-03", "10:00", "10:10")),
      () => check(span("2026-08-31", "10:00", "11:00")),
      () => check(span("2026-12-03", "10:00", "11:00")),
      () => check(span("2026-09-03", "10:00", "11:00"), 41),
      () => check(span("2026-10-14", "10:00", "11:00")),
      () => check(span("2026-09-06", "10:00", "11:00")),
    ];
    for (const f of refusals) {
      const err = thrown(f, DomainError);
      expect(err.status).toBe(422);
    }
  });
});
