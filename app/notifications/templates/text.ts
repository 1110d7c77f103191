// Text from people (titles, reasons, names) on its way into a mail. The booking
// engine already refuses control characters, but rows can come from elsewhere
// (imports, an older version, a hand-written fix): the mail layer defends itself.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line: every control character (CR and LF included) becomes a space, so a value can never start a new header. */
export function oneLine(text: string, max = 200): string {
  const line = text.replace(CONTROL, " ").replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Several lines: newlines kept (CRLF and CR become LF), other control characters removed. */
export function paragraphText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL_BUT_NEWLINE, " ").trim();
}

/** A single plain e-mail address, or null: no display name, no list, no line breaks. */
export function plainAddress(address: string): string | null {
  const a = address.trim();
  // Deliberately narrow: what users.email and sign-in accept, nothing that needs quoting.
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(a)
    ? a
    : null;
}
