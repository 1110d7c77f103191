// Random values and their hashes. High-entropy secrets (link tokens, session
// ids, browser nonces: 256 random bits) are stored as plain SHA-256, which no
// one can reverse; short codes are guessable offline from an unkeyed hash, so
// they are stored as an HMAC keyed with the session secret, which never
// touches the database.
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { sessionSecret } from "./secret.server";

/** 256 random bits, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/** HMAC-SHA-256 under the session secret; `purpose` keeps one use's MACs from standing in for another's. */
export function keyedHash(purpose: string, value: string): Buffer {
  return createHmac("sha256", sessionSecret()).update(`${purpose}\0${value}`, "utf8").digest();
}

export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** No 0/O, 1/I/L: nothing that reads as another character on a phone screen. */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 8;

/** 8 characters from 31: about 40 bits, against at most a handful of guesses per code. */
export function newCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** As the mail shows it: "ABCD-EFGH". */
export function displayCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person typed, as stored: case, spaces and dashes do not matter. Null when it cannot be a code. */
export function normaliseCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]+/g, "");
  if (code.length !== CODE_LENGTH) return null;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return null;
  return code;
}
