// CSRF protection for every form (docs/decisions/009-accounts.md).
//
// Each browser gets a random secret in a signed, HttpOnly cookie. A form's
// token is an HMAC of that secret and the session id in the session cookie,
// so it changes when the person signs in or out and cannot be made without
// the server's key. Every action calls requireValidForm() first: it refuses a
// request whose Origin or Sec-Fetch-Site says it came from another site, and
// one whose token does not match, with 403 and a translated message. A form
// from one of our own pages whose token has only gone stale comes back with
// what was typed in it, to be sent again (staleOrRefused).
import { randomToken, keyedHash, sameBytes } from "./secrets.server";
import { publicUrl } from "~/config/env.server";
import { FormTooLarge, InvalidFormToken, StaleFormToken } from "~/errors/domain-errors";
import { limitBody } from "~/http/body-limit.server";
import { errorResponse } from "~/errors/http";
import { type Language, pickLanguage } from "~/i18n";
import { CSRF_FIELD, type FormToResend, resendableFields } from "~/forms/resend";
import { keepPostedForm } from "./posted-form.server";
import { accountCookies, readCookie } from "./cookies.server";
import { getUser, sessionIdOf } from "./session.server";

export { CSRF_FIELD };

function tokenFor(browserSecret: string, sessionId: string | null): string {
  return keyedHash("csrf", `${browserSecret}\0${sessionId ?? ""}`).toString("base64url");
}

export interface CsrfState {
  /** For the hidden field of every form on the page. */
  token: string;
  /** Set-Cookie for a browser that has no secret yet; null when it has one. */
  setCookie: string | null;
}

/** The token for this request's forms (the root loader hands it to every page). */
export async function csrfState(request: Request): Promise<CsrfState> {
  const cookies = accountCookies();
  const existing = await readCookie(cookies.csrf, request);
  const browserSecret = existing ?? randomToken();
  return {
    token: tokenFor(browserSecret, await sessionIdOf(request)),
    setCookie: existing ? null : await cookies.csrf.serialize(browserSecret),
  };
}

/** Defence in depth: a browser that says where the request came from must say "here". */
function fromThisSite(request: Request): boolean {
  const site = request.headers.get("Sec-Fetch-Site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("Origin");
  if (origin === null) return true;
  return origin === new URL(request.url).origin || origin === new URL(publicUrl()).origin;
}

/**
 * The most a form's body may hold, unless its route says otherwise (the CSV
 * import). The largest form is an archive confirmation naming up to 2,000
 * bookings (about 75 kB); a body is read no further than this, so a huge one
 * costs no memory (a review saw 300 MB posted to /signin held in full).
 */
export const FORM_MAX_BYTES = 256 * 1024;

/**
 * The form of a POST (or any unsafe method), after checking that it comes from
 * our own page in this browser. Anything else throws a 403 Response (413 for
 * a body over `maxBytes`). Nothing is read from a browser without the secret.
 */
export async function requireValidForm(request: Request, { maxBytes = FORM_MAX_BYTES }: { maxBytes?: number } = {}): Promise<FormData> {
  const lang = pickLanguage(request);
  const refuse = () => errorResponse(new InvalidFormToken(), lang);
  if (!fromThisSite(request)) throw refuse();
  const browserSecret = await readCookie(accountCookies().csrf, request);
  if (!browserSecret) throw refuse();
  const limited = await limitBody(request, maxBytes);
  if (!limited) throw errorResponse(new FormTooLarge(), lang);
  let form: FormData;
  try {
    form = await limited.formData();
  } catch {
    throw refuse();
  }
  const sent = form.get(CSRF_FIELD);
  if (typeof sent !== "string" || sent.length > 100) throw refuse();
  const expected = tokenFor(browserSecret, await sessionIdOf(request));
  if (!sameBytes(Buffer.from(sent), Buffer.from(expected))) throw (await staleOrRefused(request, form, expected, lang)) ?? refuse();
  keepPostedForm(request, form);
  return form;
}

/**
 * A form refused only for a stale token, when the browser says it was sent
 * from one of our pages (Origin or Sec-Fetch-Site; neither can be set by
 * another site): 403 with the fields to send again, so a person who signed
 * in or out in another tab does not lose what they typed. Null, and the
 * plain refusal, for anything else: a request that does not prove where it
 * came from, a form with nothing typed in it, a file, a field that holds a
 * secret, or a path that is not plainly one of ours.
 */
async function staleOrRefused(request: Request, form: FormData, freshToken: string, lang: Language): Promise<Response | null> {
  const origin = request.headers.get("Origin");
  const ours = request.headers.get("Sec-Fetch-Site") === "same-origin" || (origin !== null && origin !== "null");
  if (!ours) return null;
  const url = new URL(request.url);
  const action = `${url.pathname}${url.search}`;
  const fields = resendableFields(form, action);
  if (!fields) return null;
  const user = await getUser(request);
  const resend: FormToResend = { action, fields, token: freshToken, signedInAs: user ? user.name || user.email : null };
  return errorResponse(new StaleFormToken(), lang, { resend });
}
