// Norwegian organisation numbers (Enhetsregisteret): nine digits, the last a
// mod-11 check digit over the first eight with weights 3 2 7 6 5 4 3 2.
// The database checks the same rule (flokk_valid_org_number).

const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

/** The check digit for eight digits, or null when none exists (remainder 1). */
export function orgNumberCheckDigit(first8: string): number | null {
  if (!/^\d{8}$/.test(first8)) return null;
  const r = [...first8].reduce((s, d, i) => s + Number(d) * WEIGHTS[i]!, 0) % 11;
  if (r === 1) return null;
  return r === 0 ? 0 : 11 - r;
}

/** Accepts spaces as people write them ("974 760 673"); returns the 9 digits or null. */
export function normaliseOrgNumber(input: string): string | null {
  const digits = input.replace(/\s+/g, "");
  if (!/^\d{9}$/.test(digits)) return null;
  return orgNumberCheckDigit(digits.slice(0, 8)) === Number(digits[8]) ? digits : null;
}
