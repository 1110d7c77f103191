// The signed-in person, for loaders and actions: getUser / requireUser, and the
// Set-Cookie headers that start and end sessions. The rules (expiry, hashing)
// live in sessions.server.ts; this file only connects them to requests.
import { redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { SessionEnded } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { CSRF_FIELD, type FormToResend, resendableFields } from "~/forms/resend";
import { pickLanguage } from "~/i18n";
import { languageCookie } from "~/i18n/cookie";
import { accountCookies, clearCookie, readCookie } from "./cookies.server";
import { postedForm } from "./posted-form.server";
import { endAllSessions, endSession, type FoundSession, findSession } from "./sessions.server";
import type { CurrentUser, SessionUser } from "./users.server";

interface RequestSession {
  /** The id in the cookie, whether or not it names a live session. */
  id: string | null;
  found: FoundSession | null;
}

// Loaders of one request share one lookup.
const perRequest = new WeakMap<Request, Promise<RequestSession>>();

/** The session id the request's (validly signed) cookie carries. */
export function sessionIdOf(request: Request): Promise<string | null> {
  return readCookie(accountCookies().session, request);
}

function readSession(request: Request): Promise<RequestSession> {
  let session = perRequest.get(request);
  if (!session) {
    session = (async () => {
      const id = await sessionIdOf(request);
      return { id, found: id ? await findSession(getDb(), id, new Date()) : null };
    })();
    perRequest.set(request, session);
  }
  return session;
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  return (await readSession(request)).found?.user ?? null;
}

/** The signed-in person; anyone else is sent to sign in and brought back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const { id, found } = await readSession(request);
  if (found) return found.user;
  const url = new URL(request.url);
  // A form sent after this browser's session ended (it expired while the page
  // was open, or was ended from another device): the sign-in redirect would
  // lose what was typed, so it comes back to be sent again after signing in.
  const action = `${url.pathname}${url.search}`;
  const form = id ? postedForm(request) : undefined;
  const fields = form ? resendableFields(form, action) : null;
  if (form && fields) {
    const resend: FormToResend = { action, fields, token: String(form.get(CSRF_FIELD)), signedInAs: null };
    throw errorResponse(new SessionEnded(), pickLanguage(request), { resend });
  }
  throw redirect(`/signin?${new URLSearchParams({ next: action })}`, {
    headers: { "Cache-Control": "no-store" },
  });
}

/** Set-Cookie for a new session. */
export function sessionCookie(sessionId: string): Promise<string> {
  return accountCookies().session.serialize(sessionId);
}

/** Set-Cookie renewing the cookie's lifetime when this request slid the session's expiry; else null. */
export async function renewedSessionCookie(request: Request): Promise<string | null> {
  const { id, found } = await readSession(request);
  return id && found?.refreshed ? sessionCookie(id) : null;
}

/** Ends this browser's session; returns the Set-Cookie that removes the cookie. */
export async function signOut(request: Request): Promise<string> {
  const id = await sessionIdOf(request);
  if (id) await endSession(getDb(), id);
  return clearCookie(accountCookies().session);
}

/** Ends every session of the signed-in person (this one included); returns the Set-Cookie removing this browser's. */
export async function signOutEverywhere(request: Request): Promise<string> {
  const user = await getUser(request);
  if (user) await endAllSessions(getDb(), user.id);
  return clearCookie(accountCookies().session);
}

/**
 * The response to a completed sign-in: the new session's cookie (ending any
 * session this browser had), the pending-sign-in cookie gone, the person's
 * language remembered, and on to where they were going (else their page).
 */
export async function signedInRedirect(request: Request, signedIn: { sessionId: string; next: string; user: CurrentUser }): Promise<Response> {
  const previous = await sessionIdOf(request);
  if (previous && previous !== signedIn.sessionId) await endSession(getDb(), previous);
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", await sessionCookie(signedIn.sessionId));
  headers.append("Set-Cookie", await clearCookie(accountCookies().pending));
  headers.append("Set-Cookie", languageCookie(signedIn.user.locale));
  return redirect(signedIn.next === "/" ? "/account" : signedIn.next, { headers });
}
