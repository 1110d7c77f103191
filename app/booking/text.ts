// Free text from people: refused (not silently cleaned) when it holds control
// characters, so nothing odd reaches mail headers, calendar lines or the log.
import { InvalidInput } from "~/errors/domain-errors";

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// The same, but newline and tab are allowed in multi-line text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

export interface TextRule {
  max: number;
  required?: boolean;
  multiline?: boolean;
}

export function cleanText(field: string, value: unknown, rule: TextRule): string {
  const checked = checkText(value, rule);
  if ("problem" in checked) throw new InvalidInput({ [field]: checked.problem });
  return checked.text;
}

/** cleanText's rules without a field: the text as kept, or the problem code (for zod fields, app/booking/booking-form.ts). */
export function checkText(value: unknown, rule: TextRule): { text: string } | { problem: string } {
  if (value === undefined || value === null) value = "";
  if (typeof value !== "string") return { problem: "invalidText" };
  const text = (rule.multiline ? value.replace(/\r\n?/g, "\n") : value).trim().normalize("NFC");
  if (rule.required && text.length === 0) return { problem: "required" };
  if (text.length > rule.max) return { problem: "tooLong" };
  if (hasControlCharacters(text, rule.multiline ?? false)) return { problem: "controlCharacters" };
  return { text };
}

/** What cleanText refuses, for a check that reports a problem code of its own (the CSV import's site and address). */
export function hasControlCharacters(text: string, multiline: boolean): boolean {
  return (multiline ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).test(text);
}

export function cleanPositiveInt(field: string, value: unknown, max: number): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n <= 0) throw new InvalidInput({ [field]: "positiveInteger" });
  if (n > max) throw new InvalidInput({ [field]: "tooLarge" });
  return n;
}
