// The cookies accounts use. All are signed with the session secret (Remix's
// createCookie: HMAC-SHA-256; a cookie whose signature does not match reads as
// absent), HttpOnly, SameSite=Lax and Path=/, and Secure when Flokk is served
// over https — then also named with the __Host- prefix, which browsers only
// accept from this very host over https.
import { type Cookie, createCookie } from "@remix-run/node";
import { env } from "~/config/env.server";
import { sessionSecret } from "./secret.server";
import { SESSION_DAYS } from "./sessions.server";
import { SIGN_IN_MINUTES } from "./sign-in.server";

export interface AccountCookies {
  /** The session id. */
  session: Cookie;
  /** This browser's CSRF secret (docs/decisions/009-accounts.md). */
  csrf: Cookie;
  /** The nonce binding a sign-in code to the browser that asked for it. */
  pending: Cookie;
}

// Made once per secret and scheme (tests change PUBLIC_URL between cases).
let made: { secret: string; secure: boolean; cookies: AccountCookies } | undefined;

export function accountCookies(): AccountCookies {
  const secret = sessionSecret();
  const secure = env().PUBLIC_URL?.startsWith("https:") ?? false;
  if (made?.secret === secret && made.secure === secure) return made.cookies;
  const options = { secrets: [secret], httpOnly: true, sameSite: "lax" as const, secure, path: "/" };
  const name = (base: string) => (secure ? `__Host-${base}` : base);
  const cookies: AccountCookies = {
    session: createCookie(name("flokk_session"), { ...options, maxAge: SESSION_DAYS * 86_400 }),
    csrf: createCookie(name("flokk_csrf"), { ...options, maxAge: 400 * 86_400 }),
    pending: createCookie(name("flokk_signin"), { ...options, maxAge: SIGN_IN_MINUTES * 60 }),
  };
  made = { secret, secure, cookies };
  return cookies;
}

/** A string value of a signed cookie, or null when absent, cleared, tampered with or odd. */
export async function readCookie(cookie: Cookie, request: Request): Promise<string | null> {
  const value: unknown = await cookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 && value.length <= 200 ? value : null;
}

/** A Set-Cookie header that removes the cookie. */
export function clearCookie(cookie: Cookie): Promise<string> {
  return cookie.serialize("", { maxAge: 0, expires: new Date(0) });
}
