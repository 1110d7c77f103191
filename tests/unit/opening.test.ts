import { describe, expect, it } from "vitest";
import { InvalidInput } from "~/errors/domain-errors";
import { type Closure, closureOn, type OpeningRule, openIntervals } from "~/time/opening";
import { instantToLocal } from "~/time/zoned";
import { iso, thrown } from "./support";

const OSLO = "Europe/Oslo";
const CPH = "Europe/Copenhagen";
const HOUR = 3_600_000;

const weekdays = (opens: string, closes: string): OpeningRule[] => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens, closes }));
const asIso = (xs: { start: number; end: number }[]) => xs.map((i) => [iso(i.start), iso(i.end)]);

describe("openIntervals", () => {
  it("gives one interval per matching day in the venue's zone", () => {
    // 2026-09-07 is a Monday; Oslo is on summer time (+02:00).
    const out = openIntervals(weekdays("08:00", "16:00"), [], "2026-09-07", "2026-09-13", OSLO);
    expect(asIso(out)).toEqual([
      ["2026-09-07T06:00:00.000Z", "2026-09-07T14:00:00.000Z"],
      ["2026-09-08T06:00:00.000Z", "2026-09-08T14:00:00.000Z"],
      ["2026-09-09T06:00:00.000Z", "2026-09-09T14:00:00.000Z"],
      ["2026-09-10T06:00:00.000Z", "2026-09-10T14:00:00.000Z"],
      ["2026-09-11T06:00:00.000Z", "2026-09-11T14:00:00.000Z"],
    ]);
  });

  it("keeps several intervals on one day, sorted, whatever the rule order", () => {
    const rules: OpeningRule[] = [
      { weekday: 1, opens: "17:00", closes: "22:00" },
      { weekday: 1, opens: "08:00", closes: "12:00" },
      { weekday: 1, opens: "12:30", closes: "16:00" },
    ];
    const out = openIntervals(rules, [], "2026-09-07", "2026-09-07", OSLO);
    expect(asIso(out)).toEqual([
      ["2026-09-07T06:00:00.000Z", "2026-09-07T10:00:00.000Z"],
      ["2026-09-07T10:30:00.000Z", "2026-09-07T14:00:00.000Z"],
      ["2026-09-07T15:00:00.000Z", "2026-09-07T20:00:00.000Z"],
    ]);
  });

  it("sorts across days too", () => {
    const rules: OpeningRule[] = [
      { weekday: 2, opens: "09:00", closes: "10:00" },
      { weekday: 1, opens: "20:00", closes: "21:00" },
      { weekday: 1, opens: "09:00", closes: "10:00" },
    ];
    const out = openIntervals(rules, [], "2026-09-07", "2026-09-08", OSLO);
    expect(out.map((i) => iso(i.start))).toEqual(["2026-09-07T07:00:00.000Z", "2026-09-07T18:00:00.000Z", "2026-09-08T07:00:00.000Z"]);
  });

  it("returns nothing for days without rules", () => {
    // 2026-09-12/13 are Saturday and Sunday.
    expect(openIntervals(weekdays("08:00", "16:00"), [], "2026-09-12", "2026-09-13", OSLO)).toEqual([]);
  });

  it("returns nothing when the range is empty (from after to)", () => {
    expect(openIntervals(weekdays("08:00", "16:00"), [], "2026-09-08", "2026-09-07", OSLO)).toEqual([]);
  });

  it("a closure removes every day of its inclusive range, and only those", () => {
    const closures: Closure[] = [{ startsOn: "2026-09-08", endsOn: "2026-09-10", reason: "Maintenance" }];
    const out = openIntervals(weekdays("08:00", "16:00"), closures, "2026-09-07", "2026-09-11", OSLO);
    expect(out.map((i) => instantToLocal(i.start, OSLO).toISODate())).toEqual(["2026-09-07", "2026-09-11"]);
  });

  it("a one-day closure removes that day; several closures combine", () => {
    const closures: Closure[] = [
      { startsOn: "2026-09-07", endsOn: "2026-09-07", reason: "Staff day" },
      { startsOn: "2026-09-11", endsOn: "2026-09-20", reason: "Painting" },
    ];
    const out = openIntervals(weekdays("08:00", "16:00"), closures, "2026-09-07", "2026-09-11", OSLO);
    expect(out.map((i) => instantToLocal(i.start, OSLO).toISODate())).toEqual(["2026-09-08", "2026-09-09", "2026-09-10"]);
  });

  it("closes at '24:00' means midnight at the end of the day", () => {
    const rules: OpeningRule[] = [{ weekday: 5, opens: "18:00", closes: "24:00" }];
    // Friday 2026-12-04, winter time.
    expect(asIso(openIntervals(rules, [], "2026-12-04", "2026-12-04", OSLO))).toEqual([["2026-12-04T17:00:00.000Z", "2026-12-04T23:00:00.000Z"]]);
    // Friday 2026-09-04, summer time.
    expect(asIso(openIntervals(rules, [], "2026-09-04", "2026-09-04", OSLO))).toEqual([["2026-09-04T16:00:00.000Z", "2026-09-04T22:00:00.000Z"]]);
  });

  it("'24:00' on the last day of a month and year ends at the next local midnight", () => {
    const rules: OpeningRule[] = [{ weekday: 4, opens: "20:00", closes: "24:00" }];
    // 2026-12-31 is a Thursday.
    expect(asIso(openIntervals(rules, [], "2026-12-31", "2026-12-31", OSLO))).toEqual([["2026-12-31T19:00:00.000Z", "2026-12-31T23:00:00.000Z"]]);
  });

  it("accepts times with seconds (as the database returns them)", () => {
    const rules: OpeningRule[] = [{ weekday: 1, opens: "08:00:00", closes: "16:00:00" }];
    expect(asIso(openIntervals(rules, [], "2026-09-07", "2026-09-07", OSLO))).toEqual([["2026-09-07T06:00:00.000Z", "2026-09-07T14:00:00.000Z"]]);
  });

  it("skips a rule whose closing time is not after its opening time", () => {
    const rules: OpeningRule[] = [
      { weekday: 1, opens: "22:00", closes: "18:00" },
      { weekday: 1, opens: "10:00", closes: "10:00" },
    ];
    expect(openIntervals(rules, [], "2026-09-07", "2026-09-07", OSLO)).toEqual([]);
  });

  it("refuses a malformed opening time instead of guessing", () => {
    const rules: OpeningRule[] = [{ weekday: 1, opens: "25:00", closes: "26:00" }];
    expect(() => openIntervals(rules, [], "2026-09-07", "2026-09-07", OSLO)).toThrow(InvalidInput);
  });

  it("refuses an invalid zone", () => {
    const err = thrown(() => openIntervals(weekdays("08:00", "16:00"), [], "2026-09-07", "2026-09-07", "Europe/Nowhere"), InvalidInput);
    expect(err.fields).toEqual({ zone: "invalidZone" });
  });

  describe.each([OSLO, CPH])("across daylight-saving changes in %s", (zone) => {
    const sundayEvening: OpeningRule[] = [{ weekday: 7, opens: "18:00", closes: "22:00" }];

    it("an 18:00–22:00 Sunday opening stays 18:00–22:00 on the wall around spring-forward", () => {
      const out = openIntervals(sundayEvening, [], "2026-03-22", "2026-04-05", zone);
      expect(asIso(out)).toEqual([
        ["2026-03-22T17:00:00.000Z", "2026-03-22T21:00:00.000Z"],
        ["2026-03-29T16:00:00.000Z", "2026-03-29T20:00:00.000Z"],
        ["2026-04-05T16:00:00.000Z", "2026-04-05T20:00:00.000Z"],
      ]);
      for (const i of out) {
        expect(instantToLocal(i.start, zone).toFormat("HH:mm")).toBe("18:00");
        expect(instantToLocal(i.end, zone).toFormat("HH:mm")).toBe("22:00");
      }
    });

    it("an 18:00–22:00 Sunday opening stays 18:00–22:00 on the wall around fall-back", () => {
      const out = openIntervals(sundayEvening, [], "2026-10-18", "2026-11-01", zone);
      expect(asIso(out)).toEqual([
        ["2026-10-18T16:00:00.000Z", "2026-10-18T20:00:00.000Z"],
        ["2026-10-25T17:00:00.000Z", "2026-10-25T21:00:00.000Z"],
        ["2026-11-01T17:00:00.000Z", "2026-11-01T21:00:00.000Z"],
      ]);
      for (const i of out) expect(i.end - i.start).toBe(4 * HOUR);
    });

    it("an all-day opening lasts 23 hours on spring-forward day and 25 on fall-back day", () => {
      const allDay: OpeningRule[] = [{ weekday: 7, opens: "00:00", closes: "24:00" }];
      const [spring] = openIntervals(allDay, [], "2026-03-29", "2026-03-29", zone);
      const [autumn] = openIntervals(allDay, [], "2026-10-25", "2026-10-25", zone);
      const [ordinary] = openIntervals(allDay, [], "2026-09-06", "2026-09-06", zone);
      expect(spring!.end - spring!.start).toBe(23 * HOUR);
      expect(autumn!.end - autumn!.start).toBe(25 * HOUR);
      expect(ordinary!.end - ordinary!.start).toBe(24 * HOUR);
      expect(iso(spring!.start)).toBe("2026-03-28T23:00:00.000Z");
      expect(iso(autumn!.end)).toBe("2026-10-25T23:00:00.000Z");
    });

    it("a 01:00–04:00 opening spans the skipped hour (2 real hours) and the repeated hour (4 real hours)", () => {
      const night: OpeningRule[] = [{ weekday: 7, opens: "01:00", closes: "04:00" }];
      const [spring] = openIntervals(night, [], "2026-03-29", "2026-03-29", zone);
      const [autumn] = openIntervals(night, [], "2026-10-25", "2026-10-25", zone);
      expect(spring!.end - spring!.start).toBe(2 * HOUR);
      expect(autumn!.end - autumn!.start).toBe(4 * HOUR);
    });

    it("opening at 02:00 on spring-forward night opens when the clock resumes at 03:00", () => {
      const [i] = openIntervals([{ weekday: 7, opens: "02:00", closes: "06:00" }], [], "2026-03-29", "2026-03-29", zone);
      expect(iso(i!.start)).toBe("2026-03-29T01:00:00.000Z");
      expect(instantToLocal(i!.start, zone).toFormat("HH:mm")).toBe("03:00");
      expect(iso(i!.end)).toBe("2026-03-29T04:00:00.000Z");
    });
  });
});

describe("closureOn", () => {
  const closures: Closure[] = [
    { startsOn: "2026-12-23", endsOn: "2027-01-02", reason: "Christmas" },
    { startsOn: "2027-04-01", endsOn: "2027-04-01", reason: "Inspection" },
  ];
  it("finds the closure for a date inside its range, including both ends", () => {
    expect(closureOn("2026-12-23", closures)?.reason).toBe("Christmas");
    expect(closureOn("2026-12-31", closures)?.reason).toBe("Christmas");
    expect(closureOn("2027-01-01", closures)?.reason).toBe("Christmas");
    expect(closureOn("2027-01-02", closures)?.reason).toBe("Christmas");
    expect(closureOn("2027-04-01", closures)).toBe(closures[1]);
  });
  it("finds nothing just outside the ranges", () => {
    expect(closureOn("2026-12-22", closures)).toBeUndefined();
    expect(closureOn("2027-01-03", closures)).toBeUndefined();
    expect(closureOn("2027-03-31", closures)).toBeUndefined();
    expect(closureOn("2027-04-02", closures)).toBeUndefined();
  });
  it("finds nothing in an empty list", () => {
    expect(closureOn("2026-12-24", [])).toBeUndefined();
  });
});
