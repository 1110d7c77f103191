// The pure parts of changing opening hours and closures: the weekly hours
// form's rules, which bookings a change strands (in the venue's wall time,
// across a daylight-saving change), and public holidays as closures.
import { describe, expect, it } from "vitest";
import { insideClosures, outsideHours } from "../../app/admin/affected";
import { validateClosure } from "../../app/admin/closures";
import { holidayClosures, publicHolidays } from "../../app/admin/holidays";
import { MAX_INTERVALS_PER_DAY, validateWeeklyHours } from "../../app/admin/hours";
import { InvalidInput } from "../../app/errors/domain-errors";

const problems = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    if (e instanceof InvalidInput) return e.fields;
    throw e;
  }
  throw new Error("expected InvalidInput");
};

const oslo = (iso: string) => new Date(iso);
const booking = (id: string, start: string, end: string, timeZone = "Europe/Oslo") => ({ id, startsAt: oslo(start), endsAt: oslo(end), timeZone });

describe("validateWeeklyHours", () => {
  it("accepts several intervals a day, touching ones, 24:00 and the ways people type times; empty rows are nothing", () => {
    expect(
      validateWeeklyHours([
        { weekday: 2, row: 0, opens: "16:00", closes: "24:00" },
        { weekday: 2, row: 1, opens: "8.00", closes: "12:00" },
        { weekday: 2, row: 2, opens: "12:00", closes: "16:00" },
        { weekday: 3, row: 0, opens: "", closes: "" },
      ]),
    ).toEqual([
      { weekday: 2, opens: "08:00", closes: "12:00" },
      { weekday: 2, opens: "12:00", closes: "16:00" },
      { weekday: 2, opens: "16:00", closes: "24:00" },
    ]);
  });

  it("names every bad field at once", () => {
    expect(
      problems(() =>
        validateWeeklyHours([
          { weekday: 1, row: 0, opens: "24:00", closes: "24:00" },
          { weekday: 1, row: 1, opens: "12:00", closes: "12:00" },
          { weekday: 2, row: 0, opens: "", closes: "10:00" },
          { weekday: 3, row: 0, opens: "08:00", closes: "18:00" },
          { weekday: 3, row: 1, opens: "09:00", closes: "10:00" },
          { weekday: 3, row: 2, opens: "10:00", closes: "11:00" },
          { weekday: 4, row: 0, opens: "7:60", closes: "abc" },
        ]),
      ),
    ).toEqual({
      "h1-0-opens": "invalidTime",
      "h1-1-closes": "endNotAfterStart",
      "h2-0-opens": "required",
      "h3-1-opens": "overlapsInterval",
      "h3-2-opens": "overlapsInterval",
      "h4-0-opens": "invalidTime",
      "h4-0-closes": "invalidTime",
    });
  });

  it("refuses more than a few intervals a day", () => {
    const rows = Array.from({ length: MAX_INTERVALS_PER_DAY + 1 }, (_, row) => ({ weekday: 5, row, opens: `${String(row + 8).padStart(2, "0")}:00`, closes: `${String(row + 8).padStart(2, "0")}:30` }));
    expect(problems(() => validateWeeklyHours(rows))).toEqual({ [`h5-${MAX_INTERVALS_PER_DAY}-opens`]: "tooManyIntervals" });
  });
});

describe("validateClosure", () => {
  it("takes a range with a reason; refuses reversed, past, too long and reasonless ones", () => {
    expect(validateClosure({ startsOn: "2026-12-24", endsOn: "2026-12-26", reason: " Jul " }, "2026-12-03")).toEqual({ startsOn: "2026-12-24", endsOn: "2026-12-26", reason: "Jul" });
    expect(problems(() => validateClosure({ startsOn: "2026-12-24", endsOn: "2026-12-23", reason: "x" }, "2026-12-03"))).toEqual({ endsOn: "untilBeforeFrom" });
    expect(problems(() => validateClosure({ startsOn: "2026-12-01", endsOn: "2026-12-02", reason: "x" }, "2026-12-03"))).toEqual({ endsOn: "inPast" });
    expect(problems(() => validateClosure({ startsOn: "2026-12-24", endsOn: "2029-01-01", reason: "x" }, "2026-12-03"))).toEqual({ endsOn: "rangeTooLong" });
    // A year far away is too far on its own field, not a broken "date" the form does not have.
    expect(problems(() => validateClosure({ startsOn: "9999-01-01", endsOn: "9999-01-02", reason: "x" }, "2026-12-03"))).toEqual({
      startsOn: "outOfRange",
      endsOn: "outOfRange",
    });
    expect(problems(() => validateClosure({ startsOn: "2026-12-24", endsOn: "9999-12-31", reason: "x" }, "2026-12-03"))).toEqual({ endsOn: "outOfRange" });
    expect(problems(() => validateClosure({ startsOn: "24.12.2026", endsOn: "", reason: "a\u0007" }, "2026-12-03"))).toEqual({
      startsOn: "invalidDate",
      endsOn: "required",
      reason: "controlCharacters",
    });
  });
});

describe("outsideHours", () => {
  const NOW = new Date("2026-03-20T12:00:00Z");
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: "08:00", closes: "20:00" }));

  it("lists what lies partly outside the new hours, in the venue's wall time; ended bookings are history", () => {
    const list = [
      booking("inside", "2026-03-23T07:00:00Z", "2026-03-23T09:00:00Z"), // 08–10 Oslo (winter, +1)
      booking("late", "2026-03-23T18:00:00Z", "2026-03-23T19:30:00Z"), // 19–20:30 Oslo
      booking("ended", "2026-03-19T20:00:00Z", "2026-03-19T21:00:00Z"),
      // Monday after the spring change (+2): 08:00–09:00 Oslo is 06:00Z, inside.
      booking("summer", "2026-03-30T06:00:00Z", "2026-03-30T07:00:00Z"),
      booking("summerEarly", "2026-03-30T05:30:00Z", "2026-03-30T06:30:00Z"),
    ];
    expect(outsideHours(list, weekdays, NOW).map((b) => b.id)).toEqual(["late", "summerEarly"]);
    expect(outsideHours(list, [], NOW).map((b) => b.id)).toEqual(["inside", "late", "summer", "summerEarly"]);
  });
});

describe("insideClosures", () => {
  it("lists bookings touching a closed local date, as the engine counts closures", () => {
    const NOW = new Date("2026-12-03T08:00:00Z");
    const list = [
      booking("eve", "2026-12-13T22:30:00Z", "2026-12-13T23:30:00Z"), // 23:30 on the 13th – 00:30 on the 14th in Oslo
      booking("before", "2026-12-13T10:00:00Z", "2026-12-13T12:00:00Z"),
      booking("until-midnight", "2026-12-13T21:00:00Z", "2026-12-13T23:00:00Z"), // ends at 00:00 Oslo: does not touch the 14th
      booking("last-day", "2026-12-15T10:00:00Z", "2026-12-15T11:00:00Z"),
    ];
    expect(insideClosures(list, [{ startsOn: "2026-12-14", endsOn: "2026-12-15" }], NOW).map((b) => b.id)).toEqual(["eve", "last-day"]);
    expect(insideClosures(list, [], NOW)).toEqual([]);
  });
});

describe("public holidays", () => {
  it("come from date-holidays, public ones only, names in the language, one entry per day", () => {
    const h = publicHolidays("NO", [2027], "no");
    expect(h.find((x) => x.date === "2027-05-17")?.name).toBe("Grunnlovsdagen, Andre pinsedag");
    expect(h.map((x) => x.date)).not.toContain("2027-12-24");
    expect(publicHolidays("NO", [2027], "en").find((x) => x.date === "2027-12-25")?.name).toBe("Christmas Day");
    expect(problems(() => publicHolidays("ZZ", [2027], "en"))).toEqual({ country: "unknownCountry" });
  });

  it("become closures from a date on, skipping closed days and joining consecutive ones", () => {
    const holidays = publicHolidays("NO", [2026, 2027], "no");
    const existing = [{ startsOn: "2027-03-25", endsOn: "2027-03-25" }];
    const closures = holidayClosures(holidays, existing, "2026-12-03");
    expect(closures[0]).toEqual({ startsOn: "2026-12-25", endsOn: "2026-12-26", reason: "Første juledag, Andre juledag" });
    expect(closures.find((c) => c.startsOn <= "2027-03-26" && "2027-03-26" <= c.endsOn)).toEqual({ startsOn: "2027-03-26", endsOn: "2027-03-26", reason: "Langfredag" });
    expect(closures.some((c) => c.startsOn <= "2027-03-25" && "2027-03-25" <= c.endsOn)).toBe(false);
    expect(closures.every((c) => c.startsOn >= "2026-12-03")).toBe(true);
    expect(holidayClosures(holidays, [...existing, ...closures], "2026-12-03")).toEqual([]);
  });
});
