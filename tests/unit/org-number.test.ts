import { describe, expect, it } from "vitest";
import { normaliseOrgNumber, orgNumberCheckDigit } from "~/associations/org-number";

const KNOWN_VALID = ["974760673", "971524960", "983887457"];

describe("orgNumberCheckDigit", () => {
  it("computes the check digit of known organisation numbers", () => {
    expect(orgNumberCheckDigit("97476067")).toBe(3);
    expect(orgNumberCheckDigit("97152496")).toBe(0); // remainder 0 gives check digit 0
    expect(orgNumberCheckDigit("98388745")).toBe(7);
  });

  it("has no check digit when the weighted sum leaves remainder 1", () => {
    // 9·3 + 9·2 = 45 = 4·11 + 1
    expect(orgNumberCheckDigit("99000000")).toBeNull();
    // 4·3 = 12 = 11 + 1
    expect(orgNumberCheckDigit("00000040")).toBeNull();
  });

  it("gives a digit 0–9 (never 10) for every other base", () => {
    for (let i = 0; i < 2000; i++) {
      const base = String(90_000_000 + i * 4_999).slice(0, 8);
      const d = orgNumberCheckDigit(base);
      if (d === null) continue;
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(9);
    }
  });

  it.each(["9747606", "974760673", "9747606a", "", "9747 6067"])("is null for %j, which is not eight digits", (s) => {
    expect(orgNumberCheckDigit(s)).toBeNull();
  });
});

describe("normaliseOrgNumber", () => {
  it.each(KNOWN_VALID)("accepts the known valid number %s", (n) => {
    expect(normaliseOrgNumber(n)).toBe(n);
  });

  it("accepts exactly one check digit for a base", () => {
    const accepted = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => normaliseOrgNumber(`97476067${d}`) !== null);
    expect(accepted).toEqual([3]);
  });

  it.each(["974760674", "974760670", "971524961", "983887456", "123456789"])("refuses %s with a wrong check digit", (n) => {
    expect(normaliseOrgNumber(n)).toBeNull();
  });

  it("refuses every number whose base has no check digit (remainder 1)", () => {
    for (let d = 0; d <= 9; d++) expect(normaliseOrgNumber(`99000000${d}`)).toBeNull();
  });

  it("accepts spaces as people write them", () => {
    expect(normaliseOrgNumber("974 760 673")).toBe("974760673");
    expect(normaliseOrgNumber(" 974760673 ")).toBe("974760673");
    expect(normaliseOrgNumber("974  760\t673")).toBe("974760673");
    expect(normaliseOrgNumber("974\u00a0760\u00a0673")).toBe("974760673");
  });

  it.each(["974-760-673", "974.760.673", "97476067a", "NO974760673MVA", "974760673MVA", "", "   ", "97476067", "9747606730", "+974760673", "９７４７６０６７３"])(
    "refuses %j",
    (s) => {
      expect(normaliseOrgNumber(s)).toBeNull();
    },
  );
});
