// Sessions on real PostgreSQL: stored hashed, sliding expiry with an explicit
// `now`, sign-out, sign-out everywhere, and a tampered cookie reads as nobody.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountCookies } from "../../app/accounts/cookies.server";
import { getUser, sessionCookie, signOut, signOutEverywhere } from "../../app/accounts/session.server";
import { createSession, endAllSessions, endSession, findSession, purgeExpiredSessions, SESSION_DAYS, TOUCH_MINUTES } from "../../app/accounts/sessions.server";
import { env } from "../../app/config/env.server";
import { provideDatabase } from "../../app/db.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
});
afterAll(() => dropTestDb(t));

const T0 = new Date("2027-01-10T08:00:00Z");
const later = (ms: number, from = T0) => new Date(from.getTime() + ms);
const MIN = 60_000;
const DAY = 86_400_000;

const start = (userId: number, now = T0) => t.db.transaction().execute((trx) => createSession(trx, userId, now));

describe("sessions", () => {
  it("keep only the SHA-256 of the id, and find the user by the id", async () => {
    const user = await makeUser(t.db, "Sesjon");
    const id = await start(user.id);
    expect(Buffer.from(id, "base64url")).toHaveLength(32);
    const rows = await t.db.selectFrom("sessions").selectAll().where("user_id", "=", user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash.equals(createHash("sha256").update(id).digest())).toBe(true);
    expect(rows[0]!.id_hash.toString("hex")).not.toContain(Buffer.from(id).toString("hex"));
    const found = await findSession(t.db, id, later(MIN));
    expect(found?.user).toEqual({ id: user.id, email: user.email, name: "Sesjon", locale: "nb", managesSites: false, isAdmin: false });
    expect(await findSession(t.db, `${id}x`, later(MIN))).toBeNull();
  });

  it("say whether the person takes care of a site, for the header's caretaker links", async () => {
    const user = await makeUser(t.db, "Vaktmester");
    const { site } = await makeOwner(t.db);
    await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: user.id }).execute();
    const found = await findSession(t.db, await start(user.id), later(MIN));
    expect(found?.user.managesSites).toBe(true);
  });

  it(`expire ${SESSION_DAYS} days after last use, and each use (at most every ${TOUCH_MINUTES} minutes) moves that on`, async () => {
    const user = await makeUser(t.db);
    const idle = await start(user.id);
    expect(await findSession(t.db, idle, later(SESSION_DAYS * DAY - 1))).not.toBeNull();
    const idle2 = await start(user.id);
    expect(await findSession(t.db, idle2, later(SESSION_DAYS * DAY))).toBeNull();

    const busy = await start(user.id);
    let now = T0;
    for (let i = 0; i < 4; i++) {
      now = later(20 * DAY, now);
      const found = await findSession(t.db, busy, now);
      expect(found?.refreshed).toBe(true);
      expect(found?.expiresAt.getTime()).toBe(now.getTime() + SESSION_DAYS * DAY);
    }
    // 80 days after sign-in and still alive; a read within the touch interval writes nothing.
    const again = await findSession(t.db, busy, later(TOUCH_MINUTES * MIN - 1, now));
    expect(again?.refreshed).toBe(false);
    const row = await t.db.selectFrom("sessions").select("last_seen_at").where("id_hash", "=", createHash("sha256").update(busy).digest()).executeTakeFirstOrThrow();
    expect(row.last_seen_at.getTime()).toBe(now.getTime());
  });

  it("end one at a time, or all of a person's at once without touching anyone else's", async () => {
    const me = await makeUser(t.db);
    const other = await makeUser(t.db);
    const phone = await start(me.id);
    const laptop = await start(me.id);
    const tablet = await start(me.id);
    const theirs = await start(other.id);
    await endSession(t.db, phone);
    expect(await findSession(t.db, phone, later(MIN))).toBeNull();
    expect(await findSession(t.db, laptop, later(MIN))).not.toBeNull();
    expect(await endAllSessions(t.db, me.id)).toBe(2);
    expect(await findSession(t.db, laptop, later(MIN))).toBeNull();
    expect(await findSession(t.db, tablet, later(MIN))).toBeNull();
    expect(await findSession(t.db, theirs, later(MIN))).not.toBeNull();
  });

  it("an ended session stays ended even if a read was about to slide it", async () => {
    const user = await makeUser(t.db);
    const id = await start(user.id);
    await endSession(t.db, id);
    expect(await findSession(t.db, id, later(10 * MIN))).toBeNull();
  });

  it("are purged once expired", async () => {
    const user = await makeUser(t.db);
    const id = await start(user.id);
    expect(await purgeExpiredSessions(t.db, later(SESSION_DAYS * DAY + 1))).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom("sessions").select("user_id").where("id_hash", "=", createHash("sha256").update(id).digest()).executeTakeFirst()).toBeUndefined();
  });
});

describe("the session cookie", () => {
  const cookieFrom = (setCookie: string) => setCookie.split(";")[0]!;
  const requestWith = (cookie: string) => new Request("http://localhost/account", { headers: { Cookie: cookie } });

  it("is signed, HttpOnly, SameSite=Lax, for the whole site, and lasts as long as a session", async () => {
    const header = await sessionCookie("some-id");
    expect(header).toMatch(/^flokk_session=[^;]+\.[^;]+;/);
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).toContain("Path=/");
    expect(header).toContain(`Max-Age=${SESSION_DAYS * 86_400}`);
    expect(header).not.toContain("Secure");
    expect(header).not.toContain("some-id");
  });

  it("is Secure (and __Host-) when Flokk is served over https", async () => {
    // The configuration is read once per process; change it in place for this case.
    const config = env();
    const saved = config.PUBLIC_URL;
    try {
      config.PUBLIC_URL = "https://flokk.example";
      const header = await sessionCookie("some-id");
      expect(header).toMatch(/^__Host-flokk_session=/);
      expect(header).toContain("Secure");
    } finally {
      config.PUBLIC_URL = saved;
    }
  });

  it("signs the person in; a tampered or forged one reads as nobody", async () => {
    const user = await makeUser(t.db, "Cookie");
    const id = await start(user.id, new Date());
    const good = cookieFrom(await sessionCookie(id));
    expect((await getUser(requestWith(good)))?.id).toBe(user.id);

    const [name, value] = good.split("=") as [string, string];
    const [payload, signature] = value.split(".") as [string, string];
    const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(await getUser(requestWith(`${name}=${payload}.${flipped}`))).toBeNull();
    // The id alone, unsigned, as someone who read it from the database could not even do.
    expect(await getUser(requestWith(`${name}=${payload}`))).toBeNull();
    // Another id with a signature copied from the good cookie.
    const other = cookieFrom(await sessionCookie("another-id")).split("=")[1]!.split(".")[0]!;
    expect(await getUser(requestWith(`${name}=${other}.${signature}`))).toBeNull();
    // A cookie signed with another secret.
    const { createCookie } = await import("@remix-run/node");
    const foreign = await createCookie(name, { secrets: ["another secret that is long enough......"] }).serialize(id);
    expect(await getUser(requestWith(cookieFrom(foreign)))).toBeNull();
    // A validly signed id of no session.
    expect(await getUser(requestWith(cookieFrom(await sessionCookie("no-such-session"))))).toBeNull();
  });

  it("sign-out ends this session and clears the cookie; sign-out everywhere ends them all", async () => {
    const user = await makeUser(t.db);
    const here = cookieFrom(await sessionCookie(await start(user.id, new Date())));
    const there = cookieFrom(await sessionCookie(await start(user.id, new Date())));
    const cleared = await signOut(requestWith(here));
    expect(cleared).toMatch(/^flokk_session=;/);
    expect(cleared).toMatch(/Max-Age=0/);
    expect(await getUser(requestWith(here))).toBeNull();
    expect((await getUser(requestWith(there)))?.id).toBe(user.id);

    const third = cookieFrom(await sessionCookie(await start(user.id, new Date())));
    await signOutEverywhere(requestWith(there));
    expect(await getUser(requestWith(there))).toBeNull();
    expect(await getUser(requestWith(third))).toBeNull();
  });

  it("uses names the app owns", () => {
    const cookies = accountCookies();
    expect([cookies.session.name, cookies.csrf.name, cookies.pending.name]).toEqual(["flokk_session", "flokk_csrf", "flokk_signin"]);
  });
});
