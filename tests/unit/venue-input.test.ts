// The venue form's and the CSV import's one schema: defaults parse, each
// problem code comes back on its field, slugs are made from Norwegian names.
import { describe, expect, it } from "vitest";
import { AMENITIES, slugify, VENUE_DEFAULTS, VENUE_FIELDS, VENUE_LIMITS, venueInputSchema } from "../../app/admin/venue-input";

const valid = { ...VENUE_DEFAULTS, name: "Storsalen", capacity: "80" };

/** The problem code per field when the input is refused. */
function problems(input: Record<string, unknown>): Record<string, string> {
  const r = venueInputSchema.safeParse(input);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) out[String(issue.path[0])] ??= issue.message;
  return out;
}

describe("venueInputSchema", () => {
  it("accepts the defaults with a name and capacity, and makes the slug from the name", () => {
    expect(venueInputSchema.parse(valid)).toEqual({
      name: "Storsalen",
      slug: "storsalen",
      kind: "meeting-room",
      capacity: 80,
      amenities: [],
      stepFree: false,
      accessibilityNotes: "",
      description: "",
      approvalMode: "auto",
      minDurationMinutes: 30,
      maxDurationMinutes: 240,
      horizonDays: 180,
      minNoticeMinutes: 60,
      bufferMinutes: 0,
      weeklyQuotaMinutes: null,
      slugFromName: true,
    });
    expect(Object.keys(VENUE_DEFAULTS)).toEqual([...VENUE_FIELDS]);
  });

  it("reports a missing name and capacity as required (the defaults alone are not a venue)", () => {
    expect(problems(VENUE_DEFAULTS)).toEqual({ name: "required", capacity: "required" });
  });

  it.each([
    ["name", "tooLong", "x".repeat(VENUE_LIMITS.name + 1)],
    ["slug", "invalidSlug", "Stor Salen"],
    ["slug", "invalidSlug", "-salen"],
    ["kind", "invalidChoice", "castle"],
    ["capacity", "wholeNumber", "mange"],
    ["capacity", "tooSmall", "0"],
    ["capacity", "tooLarge", String(VENUE_LIMITS.capacity + 1)],
    ["amenities", "invalidChoice", "wifi;sauna"],
    ["stepFree", "invalidYesNo", "kanskje"],
    ["accessibilityNotes", "tooLong", "x".repeat(VENUE_LIMITS.accessibilityNotes + 1)],
    ["description", "tooLong", "x".repeat(VENUE_LIMITS.description + 1)],
    ["approvalMode", "invalidChoice", "sometimes"],
    ["approvalMode", "required", ""],
    ["minDurationMinutes", "tooSmall", "4"],
    ["maxDurationMinutes", "maxBelowMin", "20"],
    ["horizonDays", "tooLarge", "1000"],
    ["minNoticeMinutes", "wholeNumber", "-5"],
    ["bufferMinutes", "tooLarge", "241"],
    ["weeklyQuotaMinutes", "tooSmall", "10"],
    ["weeklyQuotaMinutes", "wholeNumber", "1.5"],
  ])("%s → %s", (field, problem, value) => {
    expect(problems({ ...valid, [field]: value })).toEqual({ [field]: problem });
  });

  it("refuses what is not text (a form or CSV only ever sends strings)", () => {
    expect(problems({ ...valid, description: 42 })).toEqual({ description: "invalidText" });
    expect(problems({ ...valid, stepFree: true })).toEqual({ stepFree: "invalidText" });
    expect(problems({ ...valid, amenities: 7 })).toEqual({ amenities: "invalidChoice" });
  });

  it("refuses a name that gives no slug when no slug is typed", () => {
    expect(problems({ ...valid, name: "!!!" })).toEqual({ slug: "invalidSlug" });
    expect(venueInputSchema.parse({ ...valid, name: "!!!", slug: "salen" }).slug).toBe("salen");
  });

  it("takes amenities from checkboxes (an array) and from a CSV cell (a;b or a,b), without duplicates", () => {
    expect(venueInputSchema.parse({ ...valid, amenities: ["wifi", "projector", "wifi"] }).amenities).toEqual(["wifi", "projector"]);
    expect(venueInputSchema.parse({ ...valid, amenities: "wifi; piano" }).amenities).toEqual(["wifi", "piano"]);
    expect(venueInputSchema.parse({ ...valid, amenities: "stage,drums" }).amenities).toEqual(["stage", "drums"]);
    expect(venueInputSchema.parse({ ...valid, amenities: [...AMENITIES] }).amenities).toHaveLength(AMENITIES.length);
  });

  it("reads yes and no from a checkbox and from CSV words", () => {
    for (const yes of ["on", "ja", "Yes", "TRUE", "1"]) expect(venueInputSchema.parse({ ...valid, stepFree: yes }).stepFree).toBe(true);
    for (const no of ["", "nei", "no", "false", "0", undefined]) expect(venueInputSchema.parse({ ...valid, stepFree: no }).stepFree).toBe(false);
  });

  it("keeps a typed slug (lower-cased) and an optional quota", () => {
    const v = venueInputSchema.parse({ ...valid, slug: " Lille-Salen ", weeklyQuotaMinutes: "120" });
    expect(v.slug).toBe("lille-salen");
    expect(v.weeklyQuotaMinutes).toBe(120);
  });
});

describe("slugify", () => {
  it("spells out æ, ø and å and drops other marks", () => {
    expect(slugify("Størsalen på Løvstad")).toBe("storsalen-pa-lovstad");
    expect(slugify("Ærfuglen Kafé")).toBe("aerfuglen-kafe");
    expect(slugify("ÅSEN ØVRE")).toBe("asen-ovre");
  });

  it("turns everything else into single hyphens, none at the ends", () => {
    expect(slugify("  Storsalen A (mot scenen)! ")).toBe("storsalen-a-mot-scenen");
    expect(slugify("---")).toBe("");
  });

  it("stays within the slug limit without a trailing hyphen", () => {
    const s = slugify(`${"a".repeat(VENUE_LIMITS.slug - 1)} b`);
    expect(s.length).toBeLessThanOrEqual(VENUE_LIMITS.slug);
    expect(s.endsWith("-")).toBe(false);
  });
});
