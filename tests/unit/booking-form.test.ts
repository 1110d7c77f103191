// What the booking form makes of what a person typed or a link carried, when
// it is not a date at all: never an exception while the page is drawn (a
// date like 2026-02-30 on the booking form was a 500 with a stack trace).
import { describe, expect, it } from "vitest";
import { prefillFromQuery, seriesLink } from "../../app/booking/booking-form";

const NOT_DATES = ["2026-13-01", "2026-02-30", "0001-01-01", "2026-00-10"];

describe("the booking form's links and prefill", () => {
  it("links to the series form with the day's weekday and date, and the start time", () => {
    // 2026-12-09 is a Wednesday.
    expect(seriesLink("storsalen", { date: "2026-12-09", start: "18:00" })).toBe("/venues/storsalen/series?weekday=3&from=2026-12-09&startTime=18%3A00");
    expect(seriesLink("storsalen", {})).toBe("/venues/storsalen/series");
  });

  it("leaves out a date that does not exist instead of failing", () => {
    for (const date of NOT_DATES) expect(seriesLink("storsalen", { date, start: "18:00" }), date).toBe("/venues/storsalen/series?startTime=18%3A00");
  });

  it("does not fill in a date from a link when it does not exist", () => {
    for (const date of NOT_DATES) {
      const values = prefillFromQuery(new URLSearchParams({ date, from: date, until: date, start: "10:00" }), ["date", "from", "until", "start"]);
      expect(values, date).toEqual({ start: "10:00" });
    }
  });
});
