// Sign-in by e-mail, no passwords (docs/decisions/009-accounts.md).
//
// A person types an address; we send a link (a 256-bit token) and a short
// code. The link works in any browser; the code only in the browser that
// asked, which holds a nonce in its pending-sign-in cookie — so a code read
// off a phone is typed on the computer, and a code alone is useless anywhere
// else. Both expire after SIGN_IN_MINUTES, work once (using either uses up
// both), and are stored hashed. Requests are counted per address and per
// client. Nothing here depends on whether the address has a user: the answer,
// the mail and the work done are the same, so nobody learns who has an account.
import { type Kysely, sql, type Transaction } from "kysely";
import { clientKey } from "~/http/client.server";
import type { DB } from "db/schema";
import { acceptInvitations } from "~/associations/members.server";
import { publicUrl } from "~/config/env.server";
import { InvalidInput } from "~/errors/domain-errors";
import { message } from "~/notifications/messages";
import { enqueue } from "~/notifications/outbox.server";
import { safeBackPath } from "~/http/local-path";
import { countRequest, type Limit, purgeRateLimits } from "./rate-limit.server";
import { displayCode, keyedHash, newCode, normaliseCode, randomToken, sameBytes, sha256 } from "./secrets.server";
import { createSession, purgeExpiredSessions } from "./sessions.server";
import { cleanEmail, type CurrentUser, findOrCreateUser } from "./users.server";

export const SIGN_IN_MINUTES = 15;
/** Wrong codes allowed per request; then the request is dead and a new mail is needed. */
export const CODE_ATTEMPTS = 5;

/** Per address: a few resends and typos. Per client: a school's shared connection, not a script. */
export const SIGN_IN_LIMITS = {
  perAddress: { max: 5, windowSeconds: 15 * 60 },
  perClient: { max: 30, windowSeconds: 60 * 60 },
} as const;

const MINUTE = 60_000;

/** A key for the address that does not put the address itself in the counters table. */
const addressKey = (email: string) => sha256(email.toLowerCase()).toString("hex").slice(0, 32);

export function signInLimits(email: string, client: string): Limit[] {
  return [
    { bucket: `signin:email:${addressKey(email)}`, ...SIGN_IN_LIMITS.perAddress },
    { bucket: `signin:client:${clientKey(client)}`, ...SIGN_IN_LIMITS.perClient },
  ];
}

export interface SignInRequest {
  email: unknown;
  /** The language of the page the person asked from: the new user's, and the mail's if they have none. */
  locale: string;
  /** The client's address (or another key for "this client"), for the rate limit. */
  client: string;
  /** Where to go once signed in: a path on this site. */
  next?: string | null;
}

export interface StartedSignIn {
  /** For the pending-sign-in cookie of the browser that asked; never stored as is. */
  browserNonce: string;
}

/** Queues the sign-in mail; the same for an address with or without a user. */
export async function requestSignIn(db: Kysely<DB>, req: SignInRequest, now: Date): Promise<StartedSignIn> {
  const email = cleanEmail("email", req.email);
  const token = randomToken();
  const code = newCode();
  const browserNonce = randomToken();
  await db.transaction().execute(async (trx) => {
    await countRequest(trx, signInLimits(email, req.client), now);
    await trx
      .insertInto("sign_in_requests")
      .values({
        email,
        token_hash: sha256(token),
        code_hash: keyedHash("sign-in-code", code),
        browser_hash: sha256(browserNonce),
        locale: req.locale,
        next_path: safeBackPath(req.next ?? null),
        created_at: now,
        expires_at: new Date(now.getTime() + SIGN_IN_MINUTES * MINUTE),
      })
      .execute();
    await enqueue(trx, [
      message("sign-in", email, {
        url: `${publicUrl()}/signin/verify?${new URLSearchParams({ token })}`,
        code: displayCode(code),
        expiresMinutes: SIGN_IN_MINUTES,
        locale: req.locale,
      }),
    ]);
    // Housekeeping while we are here: requests a day past their expiry, old counters.
    await trx.deleteFrom("sign_in_requests").where("expires_at", "<", new Date(now.getTime() - 1440 * MINUTE)).execute();
    // Links and codes left in the outbox (never sent: no SMTP, or still failing)
    // are dead once expired; drop them so the table holds no credentials.
    // Measured on the database's clock, which stamped created_at.
    await trx
      .updateTable("outbox")
      .set({ payload: sql`payload - 'url' - 'code'` })
      .where("kind", "=", "sign-in")
      .where("created_at", "<", sql<Date>`now() - make_interval(mins => ${SIGN_IN_MINUTES})`)
      .where(sql<boolean>`payload ? 'code'`)
      .execute();
    await purgeRateLimits(trx, now);
    await purgeExpiredSessions(trx, now);
  });
  return { browserNonce };
}

export interface SignedIn {
  user: CurrentUser;
  /** For the session cookie. */
  sessionId: string;
  /** Where the person was going when asked to sign in. */
  next: string;
  /** Associations joined by accepting invitations to this address. */
  joined: number[];
}

type UsedRequest = { email: string; locale: string; next_path: string };

/** The used request becomes a user (made now if new) with a session, and their invitations memberships. */
async function finish(trx: Transaction<DB>, used: UsedRequest, now: Date): Promise<SignedIn> {
  const row = await findOrCreateUser(trx, used.email, used.locale);
  const user: CurrentUser = { id: row.id, email: row.email, name: row.name, locale: row.locale };
  const joined = await acceptInvitations(trx, user, now);
  const sessionId = await createSession(trx, user.id, now);
  return { user, sessionId, next: used.next_path, joined };
}

const linkExpired = () => new InvalidInput({ token: "linkExpired" });

/** The address a live link is for, to show before the person confirms; null when it cannot be used. */
export async function findSignInLink(db: Kysely<DB>, token: string, now: Date): Promise<{ email: string } | null> {
  if (!token) return null;
  const row = await db
    .selectFrom("sign_in_requests")
    .select("email")
    .where("token_hash", "=", sha256(token))
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row ?? null;
}

/** Follows a link: once, before it expires, from any browser. */
export async function signInWithLink(db: Kysely<DB>, token: unknown, now: Date): Promise<SignedIn> {
  if (typeof token !== "string" || token.length === 0 || token.length > 100) throw linkExpired();
  return db.transaction().execute(async (trx) => {
    // One statement marks it used, so two clicks at once sign in once.
    const used = await trx
      .updateTable("sign_in_requests")
      .set({ used_at: now })
      .where("token_hash", "=", sha256(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returning(["email", "locale", "next_path"])
      .executeTakeFirst();
    if (!used) throw linkExpired();
    return finish(trx, used, now);
  });
}

export interface PendingSignIn {
  email: string;
  /** False when it can no longer be used (expired, used, or too many wrong codes). */
  live: boolean;
}

/** What the browser holding this nonce asked for, to show on the code page. */
export async function findPendingSignIn(db: Kysely<DB>, browserNonce: string, now: Date): Promise<PendingSignIn | null> {
  if (!browserNonce) return null;
  const row = await db
    .selectFrom("sign_in_requests")
    .select(["email", "used_at", "expires_at", "code_attempts"])
    .where("browser_hash", "=", sha256(browserNonce))
    .executeTakeFirst();
  if (!row) return null;
  return { email: row.email, live: row.used_at === null && row.expires_at > now && row.code_attempts < CODE_ATTEMPTS };
}

export interface CodeAttempt {
  /** From the pending-sign-in cookie; missing when the browser did not ask (or the cookie expired). */
  browserNonce: string | null;
  code: unknown;
}

/**
 * Types the code in the browser that asked. A wrong code counts against the
 * request (committed even though the attempt fails); the CODE_ATTEMPTS-th
 * wrong one ends it.
 */
export async function signInWithCode(db: Kysely<DB>, attempt: CodeAttempt, now: Date): Promise<SignedIn> {
  const code = typeof attempt.code === "string" ? normaliseCode(attempt.code) : null;
  if (typeof attempt.code !== "string" || attempt.code.trim() === "") throw new InvalidInput({ code: "required" });
  if (!attempt.browserNonce) throw new InvalidInput({ code: "codeExpired" });
  const browserHash = sha256(attempt.browserNonce);
  const outcome = await db.transaction().execute(async (trx): Promise<SignedIn | "wrong" | "dead"> => {
    const row = await trx
      .selectFrom("sign_in_requests")
      .select(["id", "email", "locale", "next_path", "code_hash", "code_attempts", "used_at", "expires_at"])
      .where("browser_hash", "=", browserHash)
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.used_at !== null || row.expires_at <= now || row.code_attempts >= CODE_ATTEMPTS) return "dead";
    if (!code || !sameBytes(keyedHash("sign-in-code", code), row.code_hash)) {
      await trx.updateTable("sign_in_requests").set({ code_attempts: row.code_attempts + 1 }).where("id", "=", row.id).execute();
      return row.code_attempts + 1 >= CODE_ATTEMPTS ? "dead" : "wrong";
    }
    await trx.updateTable("sign_in_requests").set({ used_at: now }).where("id", "=", row.id).execute();
    return finish(trx, row, now);
  });
  if (outcome === "wrong") throw new InvalidInput({ code: "codeWrong" });
  if (outcome === "dead") throw new InvalidInput({ code: "codeExpired" });
  return outcome;
}
