import { describe, expect, it } from "vitest";
import { InvalidInput } from "~/errors/domain-errors";
import { cleanPositiveInt, cleanText } from "~/booking/text";
import { thrown } from "./support";

const single = { max: 120 };
const multi = { max: 2000, multiline: true };
const fieldsOf = (f: () => unknown) => thrown(f, InvalidInput).fields;

describe("cleanText", () => {
  it("returns ordinary text unchanged, including Norwegian letters and emoji", () => {
    expect(cleanText("title", "Korøvelse i Øvre Årdal – sal 2 🎵", single)).toBe("Korøvelse i Øvre Årdal – sal 2 🎵");
  });

  it("trims surrounding whitespace", () => {
    expect(cleanText("title", "  Yoga  ", single)).toBe("Yoga");
    expect(cleanText("purpose", "\n  Line one\nLine two  \n", multi)).toBe("Line one\nLine two");
  });

  it("counts the length after trimming", () => {
    const exactly = "x".repeat(120);
    expect(cleanText("title", `   ${exactly}   `, single)).toBe(exactly);
  });

  it("normalises to NFC", () => {
    const decomposed = "A\u030Asen og Re\u0301my"; // Å and é as base letter + combining mark
    const out = cleanText("title", decomposed, single);
    expect(out).toBe("\u00C5sen og R\u00E9my");
    expect(out.normalize("NFC")).toBe(out);
    expect(out.length).toBe(decomposed.length - 2);
  });

  it("counts the length after NFC normalisation", () => {
    expect(cleanText("title", "A\u030A".repeat(3), { max: 3 })).toBe("\u00C5\u00C5\u00C5");
  });

  it("accepts text of exactly the maximum length and refuses one character more", () => {
    expect(cleanText("title", "a".repeat(120), single)).toHaveLength(120);
    expect(fieldsOf(() => cleanText("title", "a".repeat(121), single))).toEqual({ title: "tooLong" });
  });

  it("refuses a 10,000-character string", () => {
    const huge = "a".repeat(10_000);
    expect(fieldsOf(() => cleanText("title", huge, single))).toEqual({ title: "tooLong" });
    expect(fieldsOf(() => cleanText("purpose", huge, multi))).toEqual({ purpose: "tooLong" });
  });

  it.each([
    ["NUL", "\u0000"],
    ["ESC", "\u001b"],
    ["BEL", "\u0007"],
    ["DEL", "\u007f"],
    ["NEL", "\u0085"],
    ["C1 CSI", "\u009b"],
    ["LINE SEPARATOR", "\u2028"],
    ["PARAGRAPH SEPARATOR", "\u2029"],
    ["vertical tab", "\u000b"],
    ["form feed", "\u000c"],
  ])("refuses %s inside single-line and multi-line text", (_name, ch) => {
    expect(fieldsOf(() => cleanText("title", `Hello${ch}world`, single))).toEqual({ title: "controlCharacters" });
    expect(fieldsOf(() => cleanText("purpose", `Hello${ch}world`, multi))).toEqual({ purpose: "controlCharacters" });
  });

  it("refuses an ANSI escape sequence", () => {
    expect(() => cleanText("title", "Red \u001b[31malert\u001b[0m", single)).toThrow(InvalidInput);
  });

  it("refuses NUL and NEL even at the edges (trimming does not hide them)", () => {
    expect(() => cleanText("title", "\u0000Hello", single)).toThrow(InvalidInput);
    expect(() => cleanText("title", "Hello\u0085", single)).toThrow(InvalidInput);
  });

  it("allows newline and tab only in multi-line text", () => {
    expect(fieldsOf(() => cleanText("title", "Line one\nLine two", single))).toEqual({ title: "controlCharacters" });
    expect(fieldsOf(() => cleanText("title", "Line one\r\nLine two", single))).toEqual({ title: "controlCharacters" });
    expect(fieldsOf(() => cleanText("title", "a\tb", single))).toEqual({ title: "controlCharacters" });
    expect(cleanText("purpose", "Line one\nLine two", multi)).toBe("Line one\nLine two");
    expect(cleanText("purpose", "a\tb", multi)).toBe("a\tb");
  });

  it("turns CRLF and lone CR into LF in multi-line text", () => {
    expect(cleanText("purpose", "one\r\ntwo\rthree\nfour", multi)).toBe("one\ntwo\nthree\nfour");
  });

  it("required text must not be empty or blank", () => {
    expect(fieldsOf(() => cleanText("title", "", { max: 10, required: true }))).toEqual({ title: "required" });
    expect(fieldsOf(() => cleanText("title", "   \n ", { max: 10, required: true }))).toEqual({ title: "required" });
    expect(fieldsOf(() => cleanText("title", undefined, { max: 10, required: true }))).toEqual({ title: "required" });
    expect(fieldsOf(() => cleanText("title", null, { max: 10, required: true }))).toEqual({ title: "required" });
    expect(cleanText("title", " x ", { max: 10, required: true })).toBe("x");
  });

  it("optional text may be missing and becomes the empty string", () => {
    expect(cleanText("purpose", undefined, multi)).toBe("");
    expect(cleanText("purpose", null, multi)).toBe("");
    expect(cleanText("purpose", "   ", multi)).toBe("");
  });

  it.each([42, true, {}, ["a"]])("refuses a non-string value %j", (value) => {
    expect(fieldsOf(() => cleanText("title", value, single))).toEqual({ title: "invalidText" });
  });
});

describe("cleanPositiveInt", () => {
  it("accepts positive integers as numbers or digit strings", () => {
    expect(cleanPositiveInt("n", 1, 100)).toBe(1);
    expect(cleanPositiveInt("n", 30, 100)).toBe(30);
    expect(cleanPositiveInt("n", "30", 100)).toBe(30);
    expect(cleanPositiveInt("n", " 30 ", 100)).toBe(30);
    expect(cleanPositiveInt("n", "007", 100)).toBe(7);
  });

  it("accepts the maximum and refuses one more", () => {
    expect(cleanPositiveInt("n", 100, 100)).toBe(100);
    expect(cleanPositiveInt("n", "100", 100)).toBe(100);
    expect(fieldsOf(() => cleanPositiveInt("n", 101, 100))).toEqual({ n: "tooLarge" });
    expect(fieldsOf(() => cleanPositiveInt("n", "99999999999999999999", 100))).toEqual({ n: "tooLarge" });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "0", "-1", "1.5", "1e3", "0x10", "", "  ", "abc", "12abc", null, undefined, true, [5], {}])(
    "refuses %j",
    (value) => {
      expect(fieldsOf(() => cleanPositiveInt("expectedAttendees", value, 100_000))).toEqual({ expectedAttendees: "positiveInteger" });
    },
  );
});
