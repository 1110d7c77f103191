// Messages with a count say "1 dato" and "3 datoer" from one text, by each
// language's plural rules (Intl.PluralRules), and a value is never read as a placeholder.
import { describe, expect, it } from "vitest";
import { getLanguage, interpolate, translate } from "../../app/i18n";

const nb = getLanguage("nb");
const en = getLanguage("en");

describe("plural forms in messages", () => {
  it("picks the form for the number in each language", () => {
    expect([0, 1, 2, 21].map((count) => translate(nb, "caretaker.requests.series", { count }))).toEqual([
      "Ukentlig serie: 0 datoer venter",
      "Ukentlig serie: 1 dato venter",
      "Ukentlig serie: 2 datoer venter",
      "Ukentlig serie: 21 datoer venter",
    ]);
    expect(translate(en, "caretaker.requests.approveSeries", { count: 1 })).toBe("Approve the one date");
    expect(translate(en, "caretaker.requests.approveSeries", { count: 4 })).toBe("Approve all 4 dates");
    expect(translate(nb, "caretaker.today.count", { count: 1 })).toBe("1 booking");
  });

  it("falls back to the other form, fills placeholders inside a form, and leaves values alone", () => {
    expect(interpolate("{n|other:mange}", { n: 1 }, "en")).toBe("mange");
    expect(interpolate("{n|one:en|other:alle {n}}", { n: 3 }, "nb")).toBe("alle 3");
    expect(interpolate("{t}: {n|one:a|other:b}", { t: "{n|one:x|other:y}", n: 1 }, "en")).toBe("{n|one:x|other:y}: a");
    // A number formatted for display counts as "other"; a missing value stays as written.
    expect(interpolate("{n|one:a|other:b}", { n: "1 000" }, "nb")).toBe("b");
    expect(interpolate("{m|one:a|other:b}", {}, "nb")).toBe("{m|one:a|other:b}");
  });
});
