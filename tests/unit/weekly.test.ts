import { describe, expect, it } from "vitest";
import { InvalidInput, NonexistentLocalTime } from "~/errors/domain-errors";
import { MAX_OCCURRENCES, type WeeklyRule, weeklyDates, weeklyOccurrences } from "~/time/weekly";
import { addDays, instantToLocal, weekdayOf } from "~/time/zoned";
import { iso, thrown } from "./support";

const OSLO = "Europe/Oslo";
const CPH = "Europe/Copenhagen";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("weeklyDates", () => {
  it("starts on the first matching weekday on or after `from`", () => {
    // 2026-09-01 is a Tuesday; the first Thursday is 2026-09-03.
    expect(weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-09-01", until: "2026-09-30" })).toEqual([
      "2026-09-03",
      "2026-09-10",
      "2026-09-17",
      "2026-09-24",
    ]);
  });
  it("includes `from` when it falls on the weekday", () => {
    expect(weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-09-03", until: "2026-09-10" })).toEqual(["2026-09-03", "2026-09-10"]);
  });
  it("wraps into the next week when the weekday is earlier than `from`'s", () => {
    // From a Thursday, the first Monday is the following week.
    expect(weeklyDates({ weekday: 1, intervalWeeks: 1, from: "2026-09-03", until: "2026-09-20" })).toEqual(["2026-09-07", "2026-09-14"]);
  });
  it("`until` is inclusive", () => {
    expect(weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-09-03", until: "2026-09-17" })).toEqual([
      "2026-09-03",
      "2026-09-10",
      "2026-09-17",
    ]);
    expect(weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-09-03", until: "2026-09-16" })).toEqual(["2026-09-03", "2026-09-10"]);
  });
  it("a single-day range on the weekday gives that day", () => {
    expect(weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-09-03", until: "2026-09-03" })).toEqual(["2026-09-03"]);
  });
  it("gives no dates when the weekday does not occur in the range", () => {
    expect(weeklyDates({ weekday: 1, intervalWeeks: 1, from: "2026-09-01", until: "2026-09-06" })).toEqual([]);
  });
  it("every 2 and every 3 weeks", () => {
    expect(weeklyDates({ weekday: 4, intervalWeeks: 2, from: "2026-09-01", until: "2026-10-31" })).toEqual([
      "2026-09-03",
      "2026-09-17",
      "2026-10-01",
      "2026-10-15",
      "2026-10-29",
    ]);
    expect(weeklyDates({ weekday: 6, intervalWeeks: 3, from: "2026-12-01", until: "2027-02-28" })).toEqual([
      "2026-12-05",
      "2026-12-26",
      "2027-01-16",
      "2027-02-06",
      "2027-02-27",
    ]);
  });
  it("every 52 weeks is allowed", () => {
    expect(weeklyDates({ weekday: 4, intervalWeeks: 52, from: "2026-09-03", until: "2027-12-31" })).toEqual(["2026-09-03", "2027-09-02"]);
  });
  it("every date it gives falls on the weekday, across a year end", () => {
    const dates = weeklyDates({ weekday: 3, intervalWeeks: 1, from: "2026-11-01", until: "2027-03-01" });
    expect(dates.length).toBe(17);
    for (const d of dates) expect(weekdayOf(d)).toBe(3);
    expect(dates).toContain("2026-12-30");
    expect(dates).toContain("2027-01-06");
  });
  it(`allows exactly MAX_OCCURRENCES (${MAX_OCCURRENCES}) dates`, () => {
    const from = "2026-01-01"; // a Thursday
    const until = addDays(from, 7 * (MAX_OCCURRENCES - 1));
    const dates = weeklyDates({ weekday: 4, intervalWeeks: 1, from, until });
    expect(dates.length).toBe(MAX_OCCURRENCES);
    expect(dates.at(-1)).toBe(until);
  });
  it("refuses one more than MAX_OCCURRENCES", () => {
    const from = "2026-01-01";
    const until = addDays(from, 7 * MAX_OCCURRENCES);
    const err = thrown(() => weeklyDates({ weekday: 4, intervalWeeks: 1, from, until }), InvalidInput);
    expect(err.fields).toEqual({ until: "tooManyOccurrences" });
  });
  it("refuses a series running for centuries without looping forever", () => {
    expect(() => weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-01-01", until: "9999-12-31" })).toThrow(InvalidInput);
  });
  it.each([0, 8, -1, 1.5, Number.NaN])("refuses weekday %s", (weekday) => {
    const err = thrown(() => weeklyDates({ weekday, intervalWeeks: 1, from: "2026-09-01", until: "2026-09-30" }), InvalidInput);
    expect(err.fields).toEqual({ weekday: "invalidWeekday" });
  });
  it.each([0, -1, 53, 1.5, Number.NaN])("refuses interval %s weeks", (intervalWeeks) => {
    const err = thrown(() => weeklyDates({ weekday: 4, intervalWeeks, from: "2026-09-01", until: "2026-09-30" }), InvalidInput);
    expect(err.fields).toEqual({ intervalWeeks: "invalidInterval" });
  });
  it("refuses `until` before `from`", () => {
    const err = thrown(() => weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-09-30", until: "2026-09-01" }), InvalidInput);
    expect(err.fields).toEqual({ until: "untilBeforeFrom" });
  });
  it("refuses invalid dates, naming the field", () => {
    expect(thrown(() => weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-02-30", until: "2026-09-30" }), InvalidInput).fields).toEqual({
      from: "invalidDate",
    });
    expect(thrown(() => weeklyDates({ weekday: 4, intervalWeeks: 1, from: "2026-09-01", until: "2026-13-01" }), InvalidInput).fields).toEqual({
      until: "invalidDate",
    });
  });
});

const thursdaySeason = (zone: string): WeeklyRule => ({
  weekday: 4,
  startTime: "18:00",
  durationMinutes: 120,
  intervalWeeks: 1,
  from: "2026-09-03",
  until: "2027-04-29",
  zone,
});

describe.each([OSLO, CPH])("weeklyOccurrences of a Thursday 18:00 season in %s", (zone) => {
  const occ = weeklyOccurrences(thursdaySeason(zone));
  const byDate = new Map(occ.map((o) => [o.date, o]));

  it("covers every Thursday from 2026-09-03 to 2027-04-29 inclusive", () => {
    expect(occ.length).toBe(35);
    expect(occ[0]!.date).toBe("2026-09-03");
    expect(occ.at(-1)!.date).toBe("2027-04-29");
  });
  it("is 16:00Z in summer before the autumn change (2026-10-22)", () => {
    expect(iso(byDate.get("2026-09-03")!.start)).toBe("2026-09-03T16:00:00.000Z");
    expect(iso(byDate.get("2026-10-22")!.start)).toBe("2026-10-22T16:00:00.000Z");
  });
  it("is 17:00Z in winter after 2026-10-25 and until 2027-03-28", () => {
    expect(iso(byDate.get("2026-10-29")!.start)).toBe("2026-10-29T17:00:00.000Z");
    expect(iso(byDate.get("2027-01-07")!.start)).toBe("2027-01-07T17:00:00.000Z");
    expect(iso(byDate.get("2027-03-25")!.start)).toBe("2027-03-25T17:00:00.000Z");
  });
  it("is 16:00Z again in summer after 2027-03-28", () => {
    expect(iso(byDate.get("2027-04-01")!.start)).toBe("2027-04-01T16:00:00.000Z");
    expect(iso(byDate.get("2027-04-29")!.start)).toBe("2027-04-29T16:00:00.000Z");
  });
  it("every occurrence starts at 18:00 on a Thursday on the wall and lasts exactly 120 minutes", () => {
    for (const o of occ) {
      const local = instantToLocal(o.start, zone);
      expect(local.toFormat("HH:mm")).toBe("18:00");
      expect(local.weekday).toBe(4);
      expect(local.toISODate()).toBe(o.date);
      expect(o.end - o.start).toBe(120 * MINUTE);
    }
  });
  it("the dates are consecutive weeks", () => {
    for (let i = 1; i < occ.length; i++) expect(occ[i]!.date).toBe(addDays(occ[i - 1]!.date, 7));
  });
});

describe("weeklyOccurrences", () => {
  it("a Sunday 02:30 series across spring-forward throws NonexistentLocalTime naming the date", () => {
    const rule: WeeklyRule = { weekday: 7, startTime: "02:30", durationMinutes: 60, intervalWeeks: 1, from: "2026-03-01", until: "2026-04-30", zone: OSLO };
    const err = thrown(() => weeklyOccurrences(rule), NonexistentLocalTime);
    expect(err.params).toEqual({ date: "2026-03-29", time: "02:30", zone: OSLO });
  });
  it("the same Sunday 02:30 series in Copenhagen names 2027-03-28 the next year", () => {
    const rule: WeeklyRule = { weekday: 7, startTime: "02:30", durationMinutes: 60, intervalWeeks: 1, from: "2027-03-01", until: "2027-04-30", zone: CPH };
    expect(thrown(() => weeklyOccurrences(rule), NonexistentLocalTime).params.date).toBe("2027-03-28");
  });
  it("a Sunday 02:30 series that skips the gap date (every 2 weeks) is fine", () => {
    // 2026-03-22, 2026-04-05: the gap date 2026-03-29 is not among them.
    const rule: WeeklyRule = { weekday: 7, startTime: "02:30", durationMinutes: 60, intervalWeeks: 2, from: "2026-03-22", until: "2026-04-05", zone: OSLO };
    expect(weeklyOccurrences(rule).map((o) => iso(o.start))).toEqual(["2026-03-22T01:30:00.000Z", "2026-04-05T00:30:00.000Z"]);
  });
  it("a Sunday 02:30 series across fall-back takes the first 02:30 (summer time)", () => {
    const rule: WeeklyRule = { weekday: 7, startTime: "02:30", durationMinutes: 60, intervalWeeks: 1, from: "2026-10-18", until: "2026-11-01", zone: OSLO };
    expect(weeklyOccurrences(rule).map((o) => iso(o.start))).toEqual([
      "2026-10-18T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-11-01T01:30:00.000Z",
    ]);
  });
  it("durations are absolute: 4 hours from 23:00 the night before fall-back ends at 02:00 on the wall", () => {
    const rule: WeeklyRule = { weekday: 6, startTime: "23:00", durationMinutes: 240, intervalWeeks: 1, from: "2026-10-24", until: "2026-10-31", zone: OSLO };
    const [fallBack, normal] = weeklyOccurrences(rule);
    expect(fallBack!.end - fallBack!.start).toBe(4 * HOUR);
    expect(iso(fallBack!.start)).toBe("2026-10-24T21:00:00.000Z");
    expect(instantToLocal(fallBack!.end, OSLO).toFormat("yyyy-MM-dd HH:mm")).toBe("2026-10-25 02:00");
    expect(normal!.end - normal!.start).toBe(4 * HOUR);
    expect(instantToLocal(normal!.end, OSLO).toFormat("yyyy-MM-dd HH:mm")).toBe("2026-11-01 03:00");
  });
  it("durations are absolute across spring-forward: 4 hours from 23:00 ends at 04:00 on the wall", () => {
    const rule: WeeklyRule = { weekday: 6, startTime: "23:00", durationMinutes: 240, intervalWeeks: 1, from: "2026-03-28", until: "2026-03-28", zone: OSLO };
    const [o] = weeklyOccurrences(rule);
    expect(o!.end - o!.start).toBe(4 * HOUR);
    expect(instantToLocal(o!.end, OSLO).toFormat("yyyy-MM-dd HH:mm")).toBe("2026-03-29 04:00");
  });
  it("carries the local date of each start", () => {
    const rule: WeeklyRule = { weekday: 5, startTime: "00:30", durationMinutes: 30, intervalWeeks: 1, from: "2026-07-01", until: "2026-07-10", zone: OSLO };
    const occ = weeklyOccurrences(rule);
    // 00:30 local on Friday 2026-07-03 is still Thursday in UTC; the date is the local one.
    expect(occ.map((o) => o.date)).toEqual(["2026-07-03", "2026-07-10"]);
    expect(iso(occ[0]!.start)).toBe("2026-07-02T22:30:00.000Z");
  });
  it("returns nothing when no date matches", () => {
    expect(weeklyOccurrences({ ...thursdaySeason(OSLO), from: "2026-09-04", until: "2026-09-09" })).toEqual([]);
  });
  it.each([0, -30, 1.5, Number.NaN])("refuses duration %s", (durationMinutes) => {
    const err = thrown(() => weeklyOccurrences({ ...thursdaySeason(OSLO), durationMinutes }), InvalidInput);
    expect(err.fields).toEqual({ durationMinutes: "invalidDuration" });
  });
  it("refuses an invalid weekday and interval", () => {
    expect(thrown(() => weeklyOccurrences({ ...thursdaySeason(OSLO), weekday: 8 }), InvalidInput).fields).toEqual({ weekday: "invalidWeekday" });
    expect(thrown(() => weeklyOccurrences({ ...thursdaySeason(OSLO), intervalWeeks: 0 }), InvalidInput).fields).toEqual({
      intervalWeeks: "invalidInterval",
    });
  });
  it("refuses an invalid start time and zone", () => {
    expect(thrown(() => weeklyOccurrences({ ...thursdaySeason(OSLO), startTime: "24:00" }), InvalidInput).fields).toEqual({ time: "invalidTime" });
    expect(thrown(() => weeklyOccurrences({ ...thursdaySeason(OSLO), zone: "Europe/Nowhere" }), InvalidInput).fields).toEqual({ zone: "invalidZone" });
  });
  it("refuses too many occurrences", () => {
    expect(thrown(() => weeklyOccurrences({ ...thursdaySeason(OSLO), from: "2026-01-01", until: "2031-12-31" }), InvalidInput).fields).toEqual({
      until: "tooManyOccurrences",
    });
  });
});
