// Sign-in by e-mail on real PostgreSQL: link and code work once, expire, are
// stored hashed, are rate-limited, and nothing tells whether an address has
// a user.
import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_ATTEMPTS, requestSignIn, SIGN_IN_LIMITS, signInWithCode, signInWithLink } from "../../app/accounts/sign-in.server";
import { createSession, findSession } from "../../app/accounts/sessions.server";
import { InvalidInput, TooManyRequests } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeUser } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

let clients = 0;
/** A fresh client address per call, so per-client limits do not leak between tests. */
const client = () => `198.51.100.${++clients}`;
let addresses = 0;
const address = (name = "person") => `${name}${++addresses}@example.org`;

const T0 = new Date("2027-02-01T10:00:00Z");
const minutes = (n: number, from = T0) => new Date(from.getTime() + n * 60_000);

interface Mail {
  url: string;
  code: string;
  expiresMinutes: number;
  locale?: string;
}

async function lastMail(email: string): Promise<Mail> {
  const row = await t.db
    .selectFrom("outbox")
    .select(["kind", "payload"])
    .where("recipient", "=", email)
    .where("kind", "=", "sign-in")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  return row.payload as Mail;
}

const tokenOf = (mail: Mail) => new URL(mail.url).searchParams.get("token")!;

async function ask(email: string, now = T0, locale = "nb") {
  const started = await requestSignIn(t.db, { email, locale, client: client() }, now);
  return { ...started, mail: await lastMail(email) };
}

async function problemOf(run: Promise<unknown>): Promise<Record<string, string>> {
  const e = await run.catch((err) => err);
  expect(e).toBeInstanceOf(InvalidInput);
  return (e as InvalidInput).fields;
}

describe("asking for a sign-in mail", () => {
  it("also purges expired sessions, so dead ones do not pile up", async () => {
    const user = await makeUser(t.db, "Gammel økt");
    const longAgo = new Date(T0.getTime() - 90 * 86_400_000);
    await t.db.transaction().execute((trx) => createSession(trx, user.id, longAgo));
    await t.db.transaction().execute((trx) => createSession(trx, user.id, T0));
    await ask(address());
    const left = await t.db.selectFrom("sessions").select(["id_hash", "expires_at"]).where("user_id", "=", user.id).execute();
    expect(left).toHaveLength(1);
    expect(left[0]!.expires_at.getTime()).toBeGreaterThan(T0.getTime());
  });

  it("drops links and codes of expired, never-sent sign-in mail from the outbox", async () => {
    const stale = address();
    await ask(stale);
    await t.db.updateTable("outbox").set({ created_at: sql<Date>`now() - interval '16 minutes'` }).where("recipient", "=", stale).execute();
    const fresh = address();
    await ask(fresh);
    const payload = async (email: string) =>
      (await t.db.selectFrom("outbox").select("payload").where("recipient", "=", email).executeTakeFirstOrThrow()).payload;
    expect(await payload(stale)).toEqual({ expiresMinutes: 15, locale: "nb" });
    expect(await payload(fresh)).toMatchObject({ code: expect.any(String), url: expect.any(String) });
  });

  it("queues one mail with a link, a short code and the expiry, in the asker's language", async () => {
    const email = address();
    const { mail, browserNonce } = await ask(email, T0, "en");
    expect(mail.expiresMinutes).toBe(15);
    expect(mail.locale).toBe("en");
    expect(mail.url).toMatch(/^http:\/\/localhost:\d+\/signin\/verify\?token=[A-Za-z0-9_-]{43}$/);
    // 256 bits of randomness in the token; the code from an alphabet without look-alikes.
    expect(Buffer.from(tokenOf(mail), "base64url")).toHaveLength(32);
    expect(mail.code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(browserNonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses an address that is not one, beside the field", async () => {
    expect(await problemOf(requestSignIn(t.db, { email: "not an address", locale: "nb", client: client() }, T0))).toEqual({ email: "invalidEmail" });
    expect(await problemOf(requestSignIn(t.db, { email: "  ", locale: "nb", client: client() }, T0))).toEqual({ email: "required" });
  });

  it("stores neither the token, the code nor the browser nonce, only their hashes (the code keyed)", async () => {
    const email = address();
    const { mail, browserNonce } = await ask(email);
    const token = tokenOf(mail);
    const code = mail.code.replace("-", "");
    // Every table but the outbox (which carries the mail itself until it is sent).
    const { rows: tables } = await sql<{ name: string }>`
      SELECT quote_ident(tablename) AS name FROM pg_tables
      WHERE schemaname = current_schema() AND tablename <> 'outbox'`.execute(t.db);
    for (const { name } of tables) {
      const { rows } = await sql<{ row: string }>`SELECT x::text AS row FROM ${sql.raw(name)} x`.execute(t.db);
      for (const { row } of rows) {
        for (const secret of [token, code, mail.code, browserNonce]) expect(row, name).not.toContain(secret);
      }
    }
    const stored = await t.db.selectFrom("sign_in_requests").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    expect(stored.token_hash.equals(createHash("sha256").update(token).digest())).toBe(true);
    expect(stored.browser_hash.equals(createHash("sha256").update(browserNonce).digest())).toBe(true);
    // An unkeyed hash of a 40-bit code could be reversed by trying them all.
    expect(stored.code_hash.equals(createHash("sha256").update(code).digest())).toBe(false);
    expect(stored.code_hash).toHaveLength(32);
  });

  it("does not say whether the address has a user: same answer, same mail, no user made", async () => {
    const existing = await makeUser(t.db, "Eksisterende");
    const unknown = address("unknown");
    const users = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(t.db)).rows[0]!.n;
    const before = await users();
    const a = await ask(existing.email);
    const b = await ask(unknown);
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(Object.keys(a.mail).sort()).toEqual(Object.keys(b.mail).sort());
    expect(await users()).toBe(before);
    const mails = await t.db.selectFrom("outbox").select("recipient").where("recipient", "in", [existing.email, unknown]).execute();
    expect(mails).toHaveLength(2);
  });
});

describe("following the link", () => {
  it("signs in once: a user is made with the asker's language, a session started", async () => {
    const email = address("Ny.Person");
    const { mail } = await ask(email, T0, "en");
    const signedIn = await signInWithLink(t.db, tokenOf(mail), minutes(3));
    expect(signedIn.user).toMatchObject({ email, name: "", locale: "en" });
    expect(signedIn.next).toBe("/");
    expect((await findSession(t.db, signedIn.sessionId, minutes(4)))?.user.id).toBe(signedIn.user.id);
    expect(await problemOf(signInWithLink(t.db, tokenOf(mail), minutes(4)))).toEqual({ token: "linkExpired" });
  });

  it("finds an existing user without regard to case, keeping their language and name", async () => {
    const user = await makeUser(t.db, "Kari Hansen");
    const { mail } = await ask(user.email.toUpperCase(), T0, "en");
    const signedIn = await signInWithLink(t.db, tokenOf(mail), minutes(1));
    expect(signedIn.user).toMatchObject({ id: user.id, name: "Kari Hansen", locale: "nb" });
  });

  it("works until 15 minutes have passed, not after", async () => {
    const early = await ask(address());
    await expect(signInWithLink(t.db, tokenOf(early.mail), minutes(14.99))).resolves.toBeTruthy();
    const late = await ask(address());
    expect(await problemOf(signInWithLink(t.db, tokenOf(late.mail), minutes(15)))).toEqual({ token: "linkExpired" });
  });

  it("refuses a token that was never sent", async () => {
    expect(await problemOf(signInWithLink(t.db, "x".repeat(43), T0))).toEqual({ token: "linkExpired" });
    expect(await problemOf(signInWithLink(t.db, "", T0))).toEqual({ token: "linkExpired" });
  });

  it("signs in once when two clicks race", async () => {
    const { mail } = await ask(address());
    const results = await Promise.allSettled([signInWithLink(t.db, tokenOf(mail), minutes(1)), signInWithLink(t.db, tokenOf(mail), minutes(1))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });
});

describe("typing the code", () => {
  it("signs in once, in the browser that asked, ignoring case, spaces and the dash", async () => {
    const email = address();
    const { mail, browserNonce } = await ask(email);
    const typed = ` ${mail.code.toLowerCase().replace("-", " ")} `;
    const signedIn = await signInWithCode(t.db, { browserNonce, code: typed }, minutes(2));
    expect(signedIn.user.email).toBe(email);
    expect(await problemOf(signInWithCode(t.db, { browserNonce, code: mail.code }, minutes(3)))).toEqual({ code: "codeExpired" });
  });

  it("is useless in another browser: without the asking browser's nonce the code signs in nobody", async () => {
    const victim = await ask(address("victim"));
    const attacker = await ask(address("attacker"));
    // The attacker's own pending sign-in, with the victim's code: wrong code for that request.
    expect(await problemOf(signInWithCode(t.db, { browserNonce: attacker.browserNonce, code: victim.mail.code }, minutes(1)))).toEqual({ code: "codeWrong" });
    expect(await problemOf(signInWithCode(t.db, { browserNonce: null, code: victim.mail.code }, minutes(1)))).toEqual({ code: "codeExpired" });
    expect(await problemOf(signInWithCode(t.db, { browserNonce: "made-up", code: victim.mail.code }, minutes(1)))).toEqual({ code: "codeExpired" });
    // The victim's own browser still can.
    await expect(signInWithCode(t.db, { browserNonce: victim.browserNonce, code: victim.mail.code }, minutes(2))).resolves.toBeTruthy();
  });

  it(`allows ${CODE_ATTEMPTS - 1} wrong codes; the ${CODE_ATTEMPTS}th ends the request, even for the right code`, async () => {
    const { mail, browserNonce } = await ask(address());
    const wrong = mail.code.startsWith("A") ? "BBBB-BBBB" : "AAAA-AAAA";
    for (let i = 1; i < CODE_ATTEMPTS; i++) {
      expect(await problemOf(signInWithCode(t.db, { browserNonce, code: wrong }, minutes(1)))).toEqual({ code: "codeWrong" });
    }
    expect(await problemOf(signInWithCode(t.db, { browserNonce, code: wrong }, minutes(1)))).toEqual({ code: "codeExpired" });
    expect(await problemOf(signInWithCode(t.db, { browserNonce, code: mail.code }, minutes(1)))).toEqual({ code: "codeExpired" });
    // …and the link of that request, which is a separate secret, still works.
    await expect(signInWithLink(t.db, tokenOf(mail), minutes(2))).resolves.toBeTruthy();
  });

  it("expires after 15 minutes", async () => {
    const { mail, browserNonce } = await ask(address());
    expect(await problemOf(signInWithCode(t.db, { browserNonce, code: mail.code }, minutes(15)))).toEqual({ code: "codeExpired" });
  });

  it("counts text that cannot be a code as a wrong code", async () => {
    const { browserNonce } = await ask(address());
    expect(await problemOf(signInWithCode(t.db, { browserNonce, code: "hello" }, minutes(1)))).toEqual({ code: "codeWrong" });
    expect(await problemOf(signInWithCode(t.db, { browserNonce, code: "" }, minutes(1)))).toEqual({ code: "required" });
  });

  it("using the link uses up the code, and the other way round", async () => {
    const a = await ask(address());
    await signInWithLink(t.db, tokenOf(a.mail), minutes(1));
    expect(await problemOf(signInWithCode(t.db, { browserNonce: a.browserNonce, code: a.mail.code }, minutes(2)))).toEqual({ code: "codeExpired" });
    const b = await ask(address());
    await signInWithCode(t.db, { browserNonce: b.browserNonce, code: b.mail.code }, minutes(1));
    expect(await problemOf(signInWithLink(t.db, tokenOf(b.mail), minutes(2)))).toEqual({ token: "linkExpired" });
  });
});

describe("rate limits", () => {
  it(`allows ${SIGN_IN_LIMITS.perAddress.max} mails per address per quarter hour, whatever the case or the client`, async () => {
    const email = address("busy");
    const at = new Date("2027-03-01T12:00:00Z");
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress.max; i++) {
      const typed = i % 2 ? email.toUpperCase() : email;
      await requestSignIn(t.db, { email: typed, locale: "nb", client: client() }, minutes(i, at));
    }
    const e = await requestSignIn(t.db, { email, locale: "nb", client: client() }, minutes(6, at)).catch((err) => err);
    expect(e).toBeInstanceOf(TooManyRequests);
    expect(e.status).toBe(429);
    expect(e.params.minutes).toBe(9);
    // A refused request sends nothing.
    const sent = await t.db.selectFrom("outbox").select("id").where("recipient", "=", email).execute();
    expect(sent).toHaveLength(SIGN_IN_LIMITS.perAddress.max);
    // Another address is not held up; the next window is free again.
    await expect(requestSignIn(t.db, { email: address(), locale: "nb", client: client() }, minutes(6, at))).resolves.toBeTruthy();
    await expect(requestSignIn(t.db, { email, locale: "nb", client: client() }, minutes(15, at))).resolves.toBeTruthy();
  });

  it(`allows ${SIGN_IN_LIMITS.perClient.max} mails per client per hour, whatever the addresses`, async () => {
    const from = "203.0.113.77";
    const at = new Date("2027-03-02T12:00:00Z");
    for (let i = 0; i < SIGN_IN_LIMITS.perClient.max; i++) {
      await requestSignIn(t.db, { email: address("many"), locale: "nb", client: from }, minutes(i, at));
    }
    await expect(requestSignIn(t.db, { email: address("many"), locale: "nb", client: from }, minutes(31, at))).rejects.toBeInstanceOf(TooManyRequests);
    await expect(requestSignIn(t.db, { email: address("many"), locale: "nb", client: "203.0.113.78" }, minutes(31, at))).resolves.toBeTruthy();
    await expect(requestSignIn(t.db, { email: address("many"), locale: "nb", client: from }, minutes(60, at))).resolves.toBeTruthy();
  });

  it("counts concurrent requests exactly (the counter is one upsert)", async () => {
    const email = address("race");
    const at = new Date("2027-03-03T12:00:00Z");
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => requestSignIn(t.db, { email, locale: "nb", client: client() }, at)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(SIGN_IN_LIMITS.perAddress.max);
    expect(results.filter((r) => r.status === "rejected" && r.reason instanceof TooManyRequests)).toHaveLength(12 - SIGN_IN_LIMITS.perAddress.max);
  });
});
