// The account pages through their loaders and actions, with real requests and
// a cookie-keeping stand-in for a browser: sign-in by link and by code, the
// current user, the account page, sign-out, and the association pages.
import type { ActionFunctionArgs } from "@remix-run/node";
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideDatabase } from "../../app/db.server";
import * as account from "../../app/routes/account";
import * as associationPage from "../../app/routes/associations.$id";
import * as newAssociation from "../../app/routes/associations.new";
import * as lang from "../../app/routes/lang";
import * as signin from "../../app/routes/signin._index";
import * as code from "../../app/routes/signin.code";
import * as verify from "../../app/routes/signin.verify";
import * as signout from "../../app/routes/signout";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { TestBrowser } from "../helpers/browser";
import { makeAssociation, makeUser, withCheckDigit } from "../helpers/fixtures";
import { renderPage } from "./render";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
});
afterAll(() => dropTestDb(t));

let n = 0;
const address = (name = "person") => `${name}${++n}@example.org`;
let clientNo = 0;
const newBrowser = (language?: string) => new TestBrowser({ language, clientAddress: `192.0.2.${++clientNo}` });

interface FormReply {
  intent: string | null;
  fieldErrors: Record<string, string>;
  formError: string | null;
  values: Record<string, string>;
  done?: boolean;
}

async function signInMail(email: string): Promise<{ url: string; code: string }> {
  const row = await t.db.selectFrom("outbox").select("payload").where("kind", "=", "sign-in").where("recipient", "=", email).orderBy("id", "desc").executeTakeFirstOrThrow();
  return row.payload as { url: string; code: string };
}

/** Asks for a mail on /signin, as a person does. */
async function ask(browser: TestBrowser, email: string, next?: string) {
  await browser.visit(signin.loader, `/signin${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  return browser.submit<FormReply>(signin.action, "/signin", { email, ...(next ? { next } : {}) });
}

/** Signs in by following the mail's link in the same browser. */
async function signInAs(browser: TestBrowser, email: string) {
  await ask(browser, email);
  const { url } = await signInMail(email);
  const path = url.replace(/^https?:\/\/[^/]+/, "");
  await browser.visit(verify.loader, path);
  const token = new URL(url).searchParams.get("token")!;
  const reply = await browser.submit(verify.action, "/signin/verify", { token });
  expect(reply.status).toBe(302);
  return reply;
}

describe("signing in", () => {
  it("by link: ask, confirm on the link's page, signed in and on to the account page", async () => {
    const browser = newBrowser("en");
    const email = address();
    const asked = await ask(browser, email);
    expect(asked.status).toBe(302);
    expect(asked.location).toBe("/signin/code");
    expect(browser.cookies.has("flokk_signin")).toBe(true);

    const waiting = await browser.visit<{ pending: { email: string; live: boolean } }>(code.loader, "/signin/code");
    expect(waiting.data.pending).toEqual({ email, live: true });

    const { url } = await signInMail(email);
    const path = url.replace(/^https?:\/\/[^/]+/, "");
    const page = await browser.visit<{ email: string | null }>(verify.loader, path);
    expect(page.status).toBe(200);
    expect(page.data.email).toBe(email);
    // Only opening the link (a mail scanner) signs nobody in.
    expect(await browser.whoAmI()).toBeNull();

    const done = await browser.submit(verify.action, "/signin/verify", { token: new URL(url).searchParams.get("token")! });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/account");
    expect(done.headers.getSetCookie().join("\n")).toMatch(/flokk_session=[^;]+; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax/);
    expect(browser.cookies.has("flokk_signin")).toBe(false);
    expect(browser.cookies.get("lang")).toBe("en");
    expect(await browser.whoAmI()).toBe(email);

    // The link is used up.
    const again = await browser.visit<{ email: string | null }>(verify.loader, path);
    expect(again.status).toBe(410);
    expect(again.data.email).toBeNull();
  });

  it("by code in the browser that asked, back to where the person was going", async () => {
    const browser = newBrowser();
    const email = address();
    await ask(browser, email, "/associations/new");
    const mail = await signInMail(email);
    await browser.visit(code.loader, "/signin/code");
    const done = await browser.submit(code.action, "/signin/code", { code: mail.code });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/associations/new");
    expect(await browser.whoAmI()).toBe(email);
  });

  it("a code typed in another browser signs nobody in, with the reason beside the field", async () => {
    const asker = newBrowser();
    const email = address();
    await ask(asker, email);
    const mail = await signInMail(email);
    const other = newBrowser("en");
    await other.visit(code.loader, "/signin/code");
    const reply = await other.submit<FormReply>(code.action, "/signin/code", { code: mail.code });
    expect(reply.status).toBe(400);
    expect(reply.data.fieldErrors.code).toBe("The code has expired or has been used up. Ask for a new e-mail.");
    expect(await other.whoAmI()).toBeNull();
  });

  it("a wrong code says so in the person's language, with 400", async () => {
    const browser = newBrowser();
    const email = address();
    await ask(browser, email);
    const reply = await browser.submit<FormReply>(code.action, "/signin/code", { code: "AAAA-AAAB" });
    expect(reply.status).toBe(400);
    expect(reply.data.fieldErrors.code).toMatch(/^Koden er feil\./);
  });

  it("refuses a bad address beside the field, keeping what was typed, and sends nothing", async () => {
    for (const [language, expected] of [
      ["nb", "E-postadressen er ikke en gyldig e-postadresse."],
      ["en", "The e-mail address is not a valid e-mail address."],
    ] as const) {
      const browser = newBrowser(language);
      const reply = await ask(browser, "kari.example.org");
      expect(reply.status).toBe(400);
      expect(reply.data.fieldErrors).toEqual({ email: expected });
      expect(reply.data.values.email).toBe("kari.example.org");
    }
    expect(await t.db.selectFrom("outbox").select("id").where("recipient", "=", "kari.example.org").execute()).toEqual([]);
  });

  it("answers alike for an address with and without a user", async () => {
    const known = await makeUser(t.db, "Kjent");
    const replies = [];
    for (const email of [known.email, address("ukjent")]) {
      const reply = await ask(newBrowser(), email);
      replies.push({ status: reply.status, location: reply.location, cookies: reply.headers.getSetCookie().map((c) => c.split("=")[0]) });
    }
    expect(replies[0]).toEqual(replies[1]);
  });

  it("says 429 in the person's language when one address asks too often", async () => {
    const email = address("mye");
    for (let i = 0; i < 5; i++) expect((await ask(newBrowser(), email)).status).toBe(302);
    const reply = await ask(newBrowser("en"), email);
    expect(reply.status).toBe(429);
    expect(reply.data.formError).toMatch(/^There have been too many attempts\. Wait \d+ minutes? and try again\.$/);
    expect(Number(reply.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("never sends anyone elsewhere after signing in", async () => {
    const browser = newBrowser();
    const email = address();
    await ask(browser, email, "//evil.example/steal");
    const mail = await signInMail(email);
    const done = await browser.submit(code.action, "/signin/code", { code: mail.code });
    expect(done.location).toBe("/account");
  });

  it("ends the session a browser had when someone else signs in on it", async () => {
    const browser = newBrowser();
    const first = address("first");
    await signInAs(browser, first);
    const before = browser.cookies.get("flokk_session")!;
    await signInAs(browser, address("second"));
    const stale = newBrowser();
    stale.cookies.set("flokk_session", before);
    expect(await stale.whoAmI()).toBeNull();
  });
});

describe("pages for signed-in people", () => {
  it("send everyone else to sign in, and back afterwards", async () => {
    const browser = newBrowser();
    for (const [loader, path] of [
      [account.loader, "/account"],
      [newAssociation.loader, "/associations/new"],
    ] as const) {
      const reply = await browser.visit(loader, path);
      expect(reply.status).toBe(302);
      expect(reply.location).toBe(`/signin?next=${encodeURIComponent(path)}`);
    }
    const page = await browser.visit(associationPage.loader, "/associations/1?x=1", { id: "1" });
    expect(page.location).toBe(`/signin?next=${encodeURIComponent("/associations/1?x=1")}`);
  });

  it("the account page lists the person's associations; name and language are saved", async () => {
    const browser = newBrowser();
    const email = address("kontoside");
    await signInAs(browser, email);
    const user = await t.db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    const { association } = await makeAssociation(t.db);
    await t.db.insertInto("memberships").values({ association_id: association.id, user_id: user.id, role: "member" }).execute();

    const page = await browser.visit<{ user: { email: string }; associations: { id: number; role: string }[] }>(account.loader, "/account");
    expect(page.data.user.email).toBe(email);
    expect(page.data.associations).toEqual([{ id: association.id, name: association.name, verified: true, rejected: false, role: "member" }]);

    const empty = await browser.submit<FormReply>(account.action, "/account", { intent: "name", name: "   " });
    expect(empty.status).toBe(400);
    expect(empty.data.fieldErrors.name).toBe("Navn må fylles ut.");
    const saved = await browser.submit<FormReply>(account.action, "/account", { intent: "name", name: "Åse Ødegård" });
    expect(saved.status).toBe(200);
    expect(saved.data.done).toBe(true);

    const switched = await browser.submit(account.action, "/account", { intent: "language", locale: "en" });
    expect(switched.status).toBe(302);
    expect(browser.cookies.get("lang")).toBe("en");
    // A code written otherwise (a tampered form) is saved as the language's own code, in the cookie too.
    const upper = await browser.submit(account.action, "/account", { intent: "language", locale: "NB" });
    expect(upper.status).toBe(302);
    expect(browser.cookies.get("lang")).toBe("nb");
    await browser.submit(account.action, "/account", { intent: "language", locale: "en" });
    const bad = await browser.submit<FormReply>(account.action, "/account", { intent: "language", locale: "xx" });
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors.locale).toBe("The language is not a language Flokk has.");
    expect(await t.db.selectFrom("users").select(["name", "locale"]).where("id", "=", user.id).executeTakeFirst()).toEqual({ name: "Åse Ødegård", locale: "en" });
  });

  it("saves a phone number for the caretakers to reach the person, and names a wrong one beside both fields' problems", async () => {
    const browser = newBrowser();
    const email = address("telefon");
    await signInAs(browser, email);
    await browser.visit(account.loader, "/account");
    const both = await browser.submit<FormReply>(account.action, "/account", { intent: "name", name: "", phone: "ring meg" });
    expect(both.status).toBe(400);
    expect(both.data.fieldErrors).toEqual({ name: "Navn må fylles ut.", phone: "Telefon er ikke et telefonnummer (minst åtte sifre)." });
    expect(both.data.values).toMatchObject({ phone: "ring meg" });
    expect((await browser.submit<FormReply>(account.action, "/account", { intent: "name", name: "Per", phone: "1234" })).status).toBe(400);
    const saved = await browser.submit<FormReply>(account.action, "/account", { intent: "name", name: "Per Persen", phone: "+47 912 34 567" });
    expect(saved.status).toBe(200);
    const stored = () => t.db.selectFrom("users").select(["name", "phone"]).where("email", "=", email).executeTakeFirstOrThrow();
    expect(await stored()).toEqual({ name: "Per Persen", phone: "+47 912 34 567" });
    const page = await browser.visit<{ user: { phone: string } }>(account.loader, "/account");
    expect(page.data.user.phone).toBe("+47 912 34 567");
    // Without the field (an older page): kept. Emptied: no number.
    await browser.submit<FormReply>(account.action, "/account", { intent: "name", name: "Per P." });
    expect(await stored()).toEqual({ name: "Per P.", phone: "+47 912 34 567" });
    await browser.submit<FormReply>(account.action, "/account", { intent: "name", name: "Per Persen", phone: "" });
    expect((await stored()).phone).toBe("");
  });

  it("the language link remembers the choice on the user too", async () => {
    const browser = newBrowser();
    const email = address("spraak");
    await signInAs(browser, email);
    const reply = await browser.visit(lang.loader, "/lang?to=en&back=/account");
    expect(reply.status).toBe(303);
    expect((await t.db.selectFrom("users").select("locale").where("email", "=", email).executeTakeFirstOrThrow()).locale).toBe("en");
  });

  it("a language link on another site changes this browser's language, not the user's saved one", async () => {
    const browser = newBrowser();
    const email = address("lenke");
    await signInAs(browser, email);
    const request = browser.request("/lang?to=en&back=/", { headers: { "Sec-Fetch-Site": "cross-site" } });
    const res = (await lang.loader({ request, params: {}, context: browser.context })) as Response;
    expect(res.status).toBe(303);
    expect(res.headers.get("Set-Cookie")).toContain("lang=en");
    expect((await t.db.selectFrom("users").select("locale").where("email", "=", email).executeTakeFirstOrThrow()).locale).toBe("nb");
  });
});

describe("signing out", () => {
  it("ends this browser's session and clears its cookie", async () => {
    const browser = newBrowser();
    await signInAs(browser, address());
    const other = newBrowser();
    const email = address();
    await signInAs(other, email);
    await browser.visit(signout.loader, "/signout");
    const reply = await browser.submit(signout.action, "/signout", {});
    expect(reply.location).toBe("/");
    expect(browser.cookies.has("flokk_session")).toBe(false);
    expect(await browser.whoAmI()).toBeNull();
    expect(await other.whoAmI()).toBe(email);
  });

  it("everywhere: every browser of the person is signed out", async () => {
    const email = address("overalt");
    const laptop = newBrowser();
    const phone = newBrowser();
    await signInAs(laptop, email);
    await signInAs(phone, email);
    await laptop.visit(account.loader, "/account");
    await laptop.submit(signout.action, "/signout", { scope: "everywhere" });
    expect(await laptop.whoAmI()).toBeNull();
    expect(await phone.whoAmI()).toBeNull();
    expect((await phone.visit(account.loader, "/account")).status).toBe(302);
  });
});

describe("association pages", () => {
  let orgBase = 51_000_000;
  const orgNumber = () => {
    orgBase += 11;
    return withCheckDigit(String(orgBase));
  };

  it("register: a leader of a new, unverified association; bad input beside the field and nothing saved", async () => {
    const browser = newBrowser();
    await signInAs(browser, address("leder"));
    await browser.visit(newAssociation.loader, "/associations/new");
    const bad = await browser.submit<FormReply>(newAssociation.action, "/associations/new", {
      name: "Turlaget",
      orgNumber: "123456789",
      contactEmail: "tur@example.org",
    });
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors).toEqual({ orgNumber: "Organisasjonsnummeret er ikke et gyldig organisasjonsnummer (ni siffer)." });
    expect(bad.data.values.name).toBe("Turlaget");
    expect(await t.db.selectFrom("associations").select("id").where("name", "=", "Turlaget").execute()).toEqual([]);
    // Every field's problem in one round: a wrong number shows beside a missing name.
    const both = await browser.submit<FormReply>(newAssociation.action, "/associations/new", { name: "", orgNumber: "123456789", contactEmail: "tur@example.org" });
    expect(both.status).toBe(400);
    expect(Object.keys(both.data.fieldErrors ?? {}).sort()).toEqual(["name", "orgNumber"]);
    expect(both.data.fieldErrors?.orgNumber).toBe("Organisasjonsnummeret er ikke et gyldig organisasjonsnummer (ni siffer).");

    const number = orgNumber();
    const created = await browser.submit(newAssociation.action, "/associations/new", { name: "Turlaget", orgNumber: number, contactEmail: "tur@example.org" });
    expect(created.status).toBe(302);
    const id = Number(created.location!.match(/^\/associations\/(\d+)\?registered=1$/)![1]);
    const page = await browser.visit<{ association: { name: string; verified: boolean }; myRole: string; registered: boolean }>(
      associationPage.loader,
      `/associations/${id}?registered=1`,
      { id: String(id) },
    );
    expect(page.data).toMatchObject({ association: { name: "Turlaget", verified: false }, myRole: "leader", registered: true });
  });

  it("invite, accept by signing in, hand over, remove; the last leader is protected", async () => {
    const leaderMail = address("sjef");
    const leader = newBrowser();
    await signInAs(leader, leaderMail);
    await leader.visit(newAssociation.loader, "/associations/new");
    const created = await leader.submit(newAssociation.action, "/associations/new", { name: "Sangkoret", orgNumber: orgNumber(), contactEmail: "kor@example.org" });
    const id = created.location!.match(/\d+/)![0];
    const at = { params: { id } };

    await leader.visit(associationPage.loader, `/associations/${id}`, { id });
    const memberMail = address("sanger");
    const invited = await leader.submit<{ done: boolean; email: string }>(associationPage.action, `/associations/${id}`, { intent: "invite", email: memberMail }, at);
    expect(invited.status).toBe(200);
    expect(invited.data).toMatchObject({ done: true, email: memberMail });
    const mail = await t.db.selectFrom("outbox").select("payload").where("kind", "=", "association-invitation").where("recipient", "=", memberMail).executeTakeFirstOrThrow();
    const invitationUrl = new URL((mail.payload as { url: string }).url);
    expect(invitationUrl.pathname).toBe("/signin");

    // The invited person follows the invitation: the sign-in page has the address filled in.
    const member = newBrowser();
    const signinPage = await member.visit<{ email: string; next: string }>(signin.loader, `${invitationUrl.pathname}${invitationUrl.search}`);
    expect(signinPage.data).toMatchObject({ email: memberMail, next: `/associations/${id}` });
    await member.submit(signin.action, "/signin", { email: memberMail, next: signinPage.data.next });
    const { code: memberCode } = await signInMail(memberMail);
    const joined = await member.submit(code.action, "/signin/code", { code: memberCode });
    expect(joined.location).toBe(`/associations/${id}`);
    const asMember = await member.visit<{ myRole: string; members: { userId: number; role: string; email: string | null }[] }>(
      associationPage.loader,
      `/associations/${id}`,
      { id },
    );
    expect(asMember.data.myRole).toBe("member");
    expect(asMember.data.members.map((m) => m.role)).toEqual(["leader", "member"]);
    const memberId = asMember.data.members[1]!.userId;

    // A member may not invite.
    const notLeader = await member.submit(associationPage.action, `/associations/${id}`, { intent: "invite", email: address() }, at);
    expect(notLeader.status).toBe(403);

    // The only leader cannot leave: not asked to confirm it, and refused when confirmed anyway.
    const leaderId = asMember.data.members[0]!.userId;
    for (const confirm of [{}, { confirm: "1" }] as Record<string, string>[]) {
      const lonely = await leader.submit<FormReply>(associationPage.action, `/associations/${id}`, { intent: "remove", userId: leaderId, ...confirm }, at);
      expect(lonely.status).toBe(409);
      expect(lonely.data.formError).toBe("Laget må ha minst én leder. Gi lederrollen til et annet medlem først.");
    }

    // Hand over, then the new leader removes the old one (each confirmed, as its question's button sends it).
    const handed = await leader.submit<FormReply>(associationPage.action, `/associations/${id}`, { intent: "handOver", userId: memberId, confirm: "1" }, at);
    expect(handed.status).toBe(200);
    expect(handed.data.done).toBe(true);
    await member.visit(associationPage.loader, `/associations/${id}`, { id });
    const removed = await member.submit<FormReply>(associationPage.action, `/associations/${id}`, { intent: "remove", userId: leaderId, confirm: "1" }, at);
    expect(removed.status).toBe(200);
    expect(removed.data.done).toBe(true);
    // The same form sent again (a second tab, Back and send), confirmed or not: said on the page, not a 404 for a page that exists.
    for (const intent of ["remove", "handOver"]) {
      for (const confirm of [{}, { confirm: "1" }] as Record<string, string>[]) {
        const again = await member.submit<FormReply>(associationPage.action, `/associations/${id}`, { intent, userId: leaderId, ...confirm }, at);
        expect(again.status, intent).toBe(400);
        expect(again.thrown, intent).toBeFalsy();
        expect(again.data.fieldErrors, intent).toEqual({ userId: "Personen er ikke lenger medlem av laget." });
      }
    }
    const gone = await leader.visit(associationPage.loader, `/associations/${id}`, { id });
    expect(gone.status).toBe(404);
    expect(gone.thrown).toBe(true);
  });

  it("a member of A gets 404 for B's page and for changes to B, and B is unchanged", async () => {
    const { association: b, leader: bLeader } = await makeAssociation(t.db);
    const outsider = newBrowser("en");
    const email = address("utenfor");
    await signInAs(outsider, email);
    const me = await t.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    const { association: a } = await makeAssociation(t.db);
    await t.db.insertInto("memberships").values({ association_id: a.id, user_id: me.id, role: "leader" }).execute();

    const id = String(b.id);
    const page = await outsider.visit<{ message: string }>(associationPage.loader, `/associations/${id}`, { id });
    expect(page.status).toBe(404);
    expect(page.data.message).toBe("Could not find the association.");
    const attempts: Record<string, string | number>[] = [
      { intent: "invite", email: "x@example.org" },
      { intent: "remove", userId: bLeader.id },
      { intent: "remove", userId: bLeader.id, confirm: "1" },
      { intent: "handOver", userId: bLeader.id },
      { intent: "handOver", userId: bLeader.id, confirm: "1" },
      { intent: "withdraw", email: "x@example.org" },
    ];
    for (const fields of attempts) {
      const reply = await outsider.submit(associationPage.action, `/associations/${id}`, fields, { params: { id } });
      expect(reply.status, String(fields.intent)).toBe(404);
    }
    const members = await t.db.selectFrom("memberships").select(["user_id", "role"]).where("association_id", "=", b.id).execute();
    expect(members).toEqual([{ user_id: bLeader.id, role: "leader" }]);
    expect(await t.db.selectFrom("invitations").select("id").where("association_id", "=", b.id).execute()).toEqual([]);
    // Nonsense ids are just pages that do not exist.
    expect((await outsider.visit(associationPage.loader, "/associations/abc", { id: "abc" })).status).toBe(404);
  });

  it("an unknown form intent is refused beside the form", async () => {
    const browser = newBrowser();
    await signInAs(browser, address());
    // The token of the page before signing in no longer works once signed in.
    const { association } = await makeAssociation(t.db);
    const id = String(association.id);
    const stale = await browser.submit(associationPage.action, `/associations/${id}`, { intent: "explode" }, { params: { id } });
    expect(stale.status).toBe(403);
    await browser.visit(account.loader, "/account");
    const reply = await browser.submit<FormReply>(associationPage.action, `/associations/${id}`, { intent: "explode" }, { params: { id } });
    expect(reply.status).toBe(400);
    expect(reply.data.fieldErrors).toEqual({ intent: "Skjemaet er ikke et av valgene." });
  });

  it("a refusal no field shows (an unknown form, a garbled address to withdraw) is at the top of the page, where it is seen", async () => {
    const browser = newBrowser();
    const email = address("leder");
    await signInAs(browser, email);
    const me = await t.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    const { association } = await makeAssociation(t.db);
    await t.db.insertInto("memberships").values({ association_id: association.id, user_id: me.id, role: "leader" }).execute();
    const params = { id: String(association.id) };
    await browser.visit(account.loader, "/account");
    for (const [fields, said] of [
      [{ intent: "explode" }, "Skjemaet er ikke et av valgene."],
      [{ intent: "withdraw", email: "no-at-sign" }, "E-postadressen er ikke en gyldig e-postadresse."],
    ] as const) {
      const page = await renderPage(
        "/",
        { loader: async ({ request }) => associationPage.loader({ request, params, context: {} }), Component: associationPage.default as ComponentType },
        { Cookie: browser.cookieHeader() },
        {
          action: ((args: ActionFunctionArgs) => associationPage.action({ ...args, params })) as never,
          body: new URLSearchParams({ csrf: browser.csrf, ...fields }),
        },
      );
      expect(page.status, fields.intent).toBe(400);
      expect(page.html, fields.intent).toContain(`role="alert">${said}<`);
    }
  });
});
