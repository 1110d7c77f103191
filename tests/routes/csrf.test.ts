// Every route with an action refuses a POST that lacks this browser's CSRF
// token, carries another one, or says it came from another site: 403 with a
// translated message, before the action does anything. The walk finds the
// routes by itself, so a new form cannot be added without protection.
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideDatabase } from "../../app/db.server";
import { getLanguage } from "../../app/i18n";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { call, TestBrowser } from "../helpers/browser";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
});
afterAll(() => dropTestDb(t));

const ROUTES_DIR = path.resolve("app/routes");
/** A page with nothing of its own: visiting it runs the root loader (CSRF cookie and token). */
const homeLoader = () => ({});

/** Route modules with an action, by file name. */
async function routesWithActions(): Promise<[string, (args: ActionFunctionArgs) => unknown][]> {
  const found: [string, (args: ActionFunctionArgs) => unknown][] = [];
  for (const file of readdirSync(ROUTES_DIR).sort()) {
    if (!/\.tsx?$/.test(file)) continue;
    const mod = (await import(path.join(ROUTES_DIR, file))) as { action?: (args: ActionFunctionArgs) => unknown };
    if (typeof mod.action === "function") found.push([file, mod.action]);
  }
  return found;
}

// Every dynamic segment a route might have, with a plausible value.
const PARAMS = { id: "1", slug: "storsalen", token: "x", "*": "x" };

const routes = await routesWithActions();

async function refusal(run: () => unknown): Promise<{ status: number; message: string }> {
  try {
    const value = await run();
    const status = value instanceof Response ? value.status : ((value as { init?: { status?: number } })?.init?.status ?? 200);
    return { status, message: "" };
  } catch (e) {
    if (!(e instanceof Response)) throw e;
    const body = (await e.json().catch(() => ({}))) as { message?: string };
    return { status: e.status, message: body.message ?? "" };
  }
}

describe("CSRF protection", () => {
  it("finds the forms of the account pages among the routes", () => {
    const files = routes.map(([file]) => file);
    for (const expected of ["signin._index.tsx", "signin.code.tsx", "signin.verify.tsx", "signout.tsx", "account.tsx", "associations.new.tsx", "associations.$id.tsx"]) {
      expect(files).toContain(expected);
    }
  });

  describe.each(routes)("%s", (_file, action) => {
    it("refuses a POST without a token, in the person's language", async () => {
      for (const [lang, header] of [["nb", "nb-NO"], ["en", "en-GB"]] as const) {
        const browser = new TestBrowser({ language: header });
        await browser.visit(homeLoader, "/");
        const request = browser.request("/x", {
          method: "POST",
          body: new URLSearchParams({ email: "a@example.org", intent: "invite", name: "X" }),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost", "Sec-Fetch-Site": "same-origin" },
        });
        const { status, message } = await refusal(() => action({ request, params: PARAMS, context: browser.context }));
        expect(status).toBe(403);
        expect(message).toBe(getLanguage(lang).messages["error.invalidFormToken"]);
      }
    });

    it("refuses another browser's token, and a token with no CSRF cookie", async () => {
      const mine = new TestBrowser();
      const theirs = new TestBrowser();
      await mine.visit(homeLoader, "/");
      await theirs.visit(homeLoader, "/");
      expect(theirs.csrf).not.toBe(mine.csrf);
      const args = (b: TestBrowser, token: string) => {
        const request = b.request("/x", {
          method: "POST",
          body: new URLSearchParams({ csrf: token }),
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        });
        return { request, params: PARAMS, context: b.context };
      };
      expect((await refusal(() => action(args(mine, theirs.csrf)))).status).toBe(403);
      const fresh = new TestBrowser();
      expect((await refusal(() => action(args(fresh, mine.csrf)))).status).toBe(403);
    });

    it("refuses a POST from another site even with a valid token", async () => {
      const foreign: Record<string, string>[] = [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }, { Origin: "null" }];
      for (const headers of foreign) {
        const browser = new TestBrowser();
        await browser.visit(homeLoader, "/");
        const request = browser.request("/x", {
          method: "POST",
          body: new URLSearchParams({ csrf: browser.csrf }),
          headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
        });
        expect((await refusal(() => action({ request, params: PARAMS, context: browser.context }))).status, JSON.stringify(headers)).toBe(403);
      }
    });
  });

  describe("a body larger than any form", () => {
    const signout = () => routes.find(([file]) => file === "signout.tsx")![1];
    /** A body that says whether anyone read it, `size` bytes of form text when read to the end. */
    const watchedBody = (size: number) => {
      const seen = { bytes: 0 };
      const chunk = new TextEncoder().encode("a".repeat(64 * 1024));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= size) return controller.close();
          sent += chunk.byteLength;
          seen.bytes = sent;
          controller.enqueue(chunk);
        },
      });
      return { body, seen };
    };

    it("is refused with 413 in the person's language, read no further than the limit, Content-Length or not", async () => {
      const { FORM_MAX_BYTES } = await import("../../app/accounts/csrf.server");
      const browser = new TestBrowser({ language: "en-GB" });
      await browser.visit(homeLoader, "/");
      const { body, seen } = watchedBody(50 * 1024 * 1024);
      const request = new Request("http://localhost/signout", {
        method: "POST",
        body,
        duplex: "half",
        headers: { Cookie: browser.cookieHeader(), "Accept-Language": "en-GB", "Content-Type": "application/x-www-form-urlencoded" },
      } as RequestInit);
      const { status, message } = await refusal(() => signout()({ request, params: {}, context: browser.context }));
      expect(status).toBe(413);
      expect(message).toBe(getLanguage("en").messages["error.formTooLarge"]);
      expect(seen.bytes).toBeLessThanOrEqual(FORM_MAX_BYTES + 128 * 1024);
      const declared = browser.request("/signout", {
        method: "POST",
        body: new URLSearchParams({ csrf: browser.csrf }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(FORM_MAX_BYTES + 1) },
      });
      expect((await refusal(() => signout()({ request: declared, params: {}, context: browser.context }))).status).toBe(413);
    });

    it("is not read at all from a browser without the CSRF cookie", async () => {
      const { body, seen } = watchedBody(50 * 1024 * 1024);
      const request = new Request("http://localhost/signout", { method: "POST", body, duplex: "half", headers: { "Content-Type": "application/x-www-form-urlencoded" } } as RequestInit);
      expect((await refusal(() => signout()({ request, params: {}, context: {} }))).status).toBe(403);
      expect(seen.bytes).toBeLessThanOrEqual(64 * 1024);
    });
  });

  describe("a form from this site with a stale token", () => {
    const action = (file: string) => routes.find(([f]) => f === file)![1];
    /** A browser whose page was opened anonymously and which has since signed in (in another tab, say). */
    const signedInSinceThePage = async (language?: string) => {
      const browser = new TestBrowser({ language });
      await browser.visit(homeLoader, "/");
      const stale = browser.csrf;
      const { sessionCookie } = await import("../../app/accounts/session.server");
      const { createSession } = await import("../../app/accounts/sessions.server");
      const user = await t.db.insertInto("users").values({ email: `${randomUUID()}@example.org`, name: "Kari" }).returning("id").executeTakeFirstOrThrow();
      const session = await t.db.transaction().execute((trx) => createSession(trx, user.id, new Date()));
      browser.store(new Headers({ "Set-Cookie": await sessionCookie(session) }));
      await browser.visit(homeLoader, "/");
      expect(browser.csrf).not.toBe(stale);
      return { browser, stale };
    };
    type Resent = { message: string; resend?: { action: string; fields: [string, string][]; token: string; signedInAs: string | null } };
    const written = { title: "Korøving", purpose: "Øving før\njulekonserten", expectedAttendees: "30", amenities: ["projector", "piano"] };
    /** A POST of `fields` with the stale token and exactly these headers (beside Cookie and Content-Type). */
    const post = (browser: TestBrowser, path: string, fields: [string, string][], headers: Record<string, string>) =>
      browser.request(path, { method: "POST", body: new URLSearchParams(fields), headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers } });
    const SAME = { Origin: "http://localhost", "Sec-Fetch-Site": "same-origin" };

    it("comes back refused with what was typed, in order, who is signed in, and this browser's token as it is now", async () => {
      for (const [lang, header] of [["nb", "nb-NO"], ["en", "en-GB"]] as const) {
        const { browser, stale } = await signedInSinceThePage(header);
        const reply = await browser.submit<Resent>(action("venues.$slug_.book.tsx"), "/venues/storsalen/book?date=2030-01-07&start=18:00", written, {
          csrf: stale,
          params: { slug: "storsalen" },
        });
        expect(reply.status).toBe(403);
        expect(reply.data.message).toBe(getLanguage(lang).messages["error.staleFormToken"]);
        expect(reply.data.resend).toEqual({
          action: "/venues/storsalen/book?date=2030-01-07&start=18:00",
          fields: [["title", "Korøving"], ["purpose", "Øving før\njulekonserten"], ["expectedAttendees", "30"], ["amenities", "projector"], ["amenities", "piano"]],
          token: browser.csrf,
          signedInAs: "Kari",
        });
      }
    });

    it("is offered on either proof that the form came from this site: Origin alone, or Sec-Fetch-Site alone", async () => {
      const book = action("venues.$slug_.book.tsx");
      const { browser, stale } = await signedInSinceThePage();
      for (const headers of [{ Origin: "http://localhost" }, { "Sec-Fetch-Site": "same-origin" }] as Record<string, string>[]) {
        const request = post(browser, "/venues/storsalen/book", [["csrf", stale], ["title", "Korøving"]], headers);
        const refused = await call<Resent>(() => book({ request, params: { slug: "storsalen" }, context: browser.context }));
        expect(refused.status, JSON.stringify(headers)).toBe(403);
        expect(refused.data.resend?.fields, JSON.stringify(headers)).toEqual([["title", "Korøving"]]);
      }
    });

    it("says nobody is signed in any more when they signed out in another tab", async () => {
      const { browser, stale } = await signedInSinceThePage();
      const { sessionIdOf, signOut } = await import("../../app/accounts/session.server");
      const request = browser.request("/signout");
      expect(await sessionIdOf(request)).not.toBeNull();
      await signOut(request);
      const reply = await browser.submit<Resent>(action("venues.$slug_.book.tsx"), "/venues/storsalen/book", written, { csrf: stale, params: { slug: "storsalen" } });
      expect(reply.status).toBe(403);
      expect(reply.data.resend?.signedInAs).toBeNull();
    });

    it("is accepted when sent again with the token it came back with", async () => {
      const { browser, stale } = await signedInSinceThePage();
      const account = action("account.tsx");
      const fields = { intent: "name", name: "Kari Nordmann", phone: "" };
      const refused = await browser.submit<Resent>(account, "/account", fields, { csrf: stale });
      expect(refused.status).toBe(403);
      const { resend } = refused.data;
      expect(resend?.fields).toEqual(Object.entries(fields));
      const again = await browser.submit<{ done?: boolean }>(account, resend!.action, Object.fromEntries(resend!.fields), { csrf: resend!.token });
      expect(again.status).toBe(200);
      expect(again.data.done).toBe(true);
    });

    it("is sent back with a field whose name only contains a secret's word (postcode, passengers), not with one that is one (signInCode)", async () => {
      const book = action("venues.$slug_.book.tsx");
      const { browser, stale } = await signedInSinceThePage();
      const plain: [string, string][] = [["title", "Korøving"], ["postcode", "0150"], ["passengers", "12"]];
      const offered = await call<Resent>(() => book({ request: post(browser, "/venues/storsalen/book", [["csrf", stale], ...plain], SAME), params: { slug: "storsalen" }, context: browser.context }));
      expect(offered.status).toBe(403);
      expect(offered.data.resend?.fields).toEqual(plain);
      const secret: [string, string][] = [["title", "Korøving"], ["signInCode", "123456"]];
      const refused = await call<Resent>(() => book({ request: post(browser, "/venues/storsalen/book", [["csrf", stale], ...secret], SAME), params: { slug: "storsalen" }, context: browser.context }));
      expect(refused.status).toBe(403);
      expect(refused.data.resend).toBeUndefined();
    });

    it("is not sent back without proof it came from this site, with nothing typed, a secret, a file, or a path not plainly ours", async () => {
      const book = action("venues.$slug_.book.tsx");
      const { browser, stale } = await signedInSinceThePage();
      const cases: [string, string, [string, string][], Record<string, string>][] = [
        ["no Origin, no Sec-Fetch-Site", "/venues/storsalen/book", [["title", "Korøving"]], {}],
        // An approve button or sign-out: nothing to lose, and a decision is not repeated blind.
        ["nothing typed", "/venues/storsalen/book", [["intent", "approve"], ["id", "1"]], SAME],
        ["a sign-in code among typed fields", "/venues/storsalen/book", [["title", "Korøving"], ["code", "123456"]], SAME],
        ["a token of a link", "/venues/storsalen/book", [["title", "Korøving"], ["token", "abc"]], SAME],
        // "//evil.example/x" reaches the catch-all route; sent again it would go to that host.
        ["a path to another host", "//evil.example/x", [["title", "Korøving"]], SAME],
      ];
      for (const [what, path, fields, headers] of cases) {
        const request = post(browser, path, [["csrf", stale], ...fields], headers);
        const refused = await call<Resent>(() => book({ request, params: { slug: "storsalen" }, context: browser.context }));
        expect(refused.status, what).toBe(403);
        expect(refused.data.message, what).toBe(getLanguage("nb").messages["error.invalidFormToken"]);
        expect(refused.data.resend, what).toBeUndefined();
      }
      const catchAll = action("$.tsx");
      const far = await call<Resent>(() => catchAll({ request: post(browser, "//evil.example/x", [["csrf", stale], ["title", "x"]], SAME), params: { "*": "x" }, context: browser.context }));
      expect(far.status).toBe(403);
      expect(far.data.resend).toBeUndefined();
      const file = new FormData();
      file.set("csrf", stale);
      file.set("title", "Korøving");
      file.set("csv", new Blob(["name\nHall"], { type: "text/csv" }), "venues.csv");
      const upload = new Request("http://localhost/venues/storsalen/book", { method: "POST", body: file, headers: { Cookie: browser.cookieHeader(), ...SAME } });
      const refused = await call<Resent>(() => book({ request: upload, params: { slug: "storsalen" }, context: browser.context }));
      expect(refused.status).toBe(403);
      expect(refused.data.resend).toBeUndefined();
    });
  });

  describe("a form sent after its session ended on the server, its token still valid", () => {
    const action = (file: string) => routes.find(([f]) => f === file)![1];
    type Resent = { message: string; resend?: { action: string; fields: [string, string][]; token: string; signedInAs: string | null } };
    /** A browser signed in as Kari when the page was opened, whose session has since ended (expired, or ended from another device). */
    const endedSinceThePage = async (language?: string) => {
      const browser = new TestBrowser({ language });
      const { sessionCookie } = await import("../../app/accounts/session.server");
      const { createSession, endSession } = await import("../../app/accounts/sessions.server");
      const user = await t.db.insertInto("users").values({ email: `${randomUUID()}@example.org`, name: "Kari" }).returning("id").executeTakeFirstOrThrow();
      const session = await t.db.transaction().execute((trx) => createSession(trx, user.id, new Date()));
      browser.store(new Headers({ "Set-Cookie": await sessionCookie(session) }));
      await browser.visit(homeLoader, "/");
      await endSession(t.db, session);
      return { browser, user };
    };

    it("comes back with what was typed, saying nobody is signed in, instead of the sign-in page that lost it", async () => {
      for (const [lang, header] of [["nb", "nb-NO"], ["en", "en-GB"]] as const) {
        const { browser } = await endedSinceThePage(header);
        const reply = await browser.submit<Resent>(action("account.tsx"), "/account", { intent: "name", name: "Kari Nordmann" });
        expect(reply.status).toBe(403);
        expect(reply.data.message).toBe(getLanguage(lang).messages["error.sessionEnded"]);
        expect(reply.data.resend).toEqual({ action: "/account", fields: [["intent", "name"], ["name", "Kari Nordmann"]], token: browser.csrf, signedInAs: null });
      }
    });

    it("with nothing typed in the form, or never signed in, goes to the sign-in page as before", async () => {
      const { browser } = await endedSinceThePage();
      const untyped = await browser.submit(action("caretaker.requests.tsx"), "/caretaker/requests", { intent: "approve", id: randomUUID() });
      expect(untyped.status).toBe(302);
      expect(untyped.location).toBe("/signin?next=%2Fcaretaker%2Frequests");
      const anonymous = new TestBrowser();
      await anonymous.visit(homeLoader, "/");
      const never = await anonymous.submit(action("account.tsx"), "/account", { intent: "name", name: "Kari Nordmann" });
      expect(never.status).toBe(302);
      expect(never.location).toBe("/signin?next=%2Faccount");
    });

    it("goes through once signed in again: the page comes back once more under the new name, then is saved", async () => {
      const { browser, user } = await endedSinceThePage();
      const account = action("account.tsx");
      const refused = await browser.submit<Resent>(account, "/account", { intent: "name", name: "Kari Nordmann" });
      const { resend } = refused.data;
      const { sessionCookie } = await import("../../app/accounts/session.server");
      const { createSession } = await import("../../app/accounts/sessions.server");
      const again = await t.db.transaction().execute((trx) => createSession(trx, user.id, new Date()));
      browser.store(new Headers({ "Set-Cookie": await sessionCookie(again) }));
      const second = await browser.submit<Resent>(account, resend!.action, Object.fromEntries(resend!.fields), { csrf: resend!.token });
      expect(second.status).toBe(403);
      expect(second.data.resend?.signedInAs).toBe("Kari");
      const saved = await browser.submit<{ done?: boolean }>(account, second.data.resend!.action, Object.fromEntries(second.data.resend!.fields), { csrf: second.data.resend!.token });
      expect(saved.status).toBe(200);
      expect(saved.data.done).toBe(true);
      expect((await t.db.selectFrom("users").select("name").where("id", "=", user.id).executeTakeFirstOrThrow()).name).toBe("Kari Nordmann");
    });
  });

  it("lets a valid token through (the refusals above are the token's doing)", async () => {
    const signout = routes.find(([file]) => file === "signout.tsx")![1];
    const browser = new TestBrowser();
    await browser.visit(homeLoader, "/");
    const reply = await browser.submit(signout, "/signout", {});
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/");
  });

  it("ties the token to the session: signing in or out changes it", async () => {
    const browser = new TestBrowser();
    await browser.visit(homeLoader, "/");
    const anonymous = browser.csrf;
    await browser.visit(homeLoader, "/");
    expect(browser.csrf).toBe(anonymous);
    // A session cookie (even of no live session) changes the token.
    const { sessionCookie } = await import("../../app/accounts/session.server");
    browser.store(new Headers({ "Set-Cookie": await sessionCookie("some-session") }));
    await browser.visit(homeLoader, "/");
    expect(browser.csrf).not.toBe(anonymous);
  });
});
