import { LANG_COOKIE } from "./index";

/** Set-Cookie remembering a language for a year (read back by pickLanguage). */
export function languageCookie(code: string): string {
  return `${LANG_COOKIE}=${encodeURIComponent(code)}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly`;
}
