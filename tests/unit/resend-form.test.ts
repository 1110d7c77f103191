// What a refused form's page shows of what was written (app/components/resend-form.tsx):
// values read as the form showed them, in the person's language.
import { describe, expect, it } from "vitest";
import { shownValue } from "~/components/resend-form";
import { getLanguage } from "~/i18n";

const nb = getLanguage("nb");
const en = getLanguage("en");

describe("a refused form's values", () => {
  it("reads dates, weekdays and lengths as the form showed them", () => {
    expect(shownValue(nb, "date", "2026-12-11")).toBe("11. desember 2026");
    expect(shownValue(en, "until", "2027-06-18")).toBe("18 June 2027");
    expect(shownValue(nb, "weekday", "3")).toBe("onsdag");
    expect(shownValue(en, "weekday", "7")).toBe("Sunday");
    expect(shownValue(nb, "durationMinutes", "90")).toBe("1 time og 30 minutter");
  });

  it("shows anything else, or a value that is not what the field takes, as it was sent", () => {
    expect(shownValue(nb, "title", "Korøving 2026-12-11")).toBe("Korøving 2026-12-11");
    expect(shownValue(nb, "weekday", "8")).toBe("8");
    expect(shownValue(nb, "durationMinutes", "lenge")).toBe("lenge");
    expect(shownValue(nb, "date", "11.12.2026")).toBe("11.12.2026");
  });
});
