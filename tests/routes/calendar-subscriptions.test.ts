// The signed-in side of calendar feeds, as a browser uses it: /account/calendars
// makes subscription links for the feeds a person may have (shown once, stored
// only as a hash), lists them with when made and last used, and revokes them;
// /bookings/:id.ics opens a private booking to those who may see it by their
// session. Real PostgreSQL, real cookies and CSRF tokens.
import { createHash } from "node:crypto";
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import * as account from "../../app/routes/account";
import * as calendars from "../../app/routes/account_.calendars";
import * as bookingPage from "../../app/routes/bookings.$id";
import * as bookingIcs from "../../app/routes/bookings.$id[.ics]";
import * as tokenFeed from "../../app/routes/feeds.t.$token[.ics]";
import { anonymous, daysFromToday, makeWorld, signedIn, type World } from "../helpers/people";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import type { TestBrowser } from "../helpers/browser";
import { parseCalendar } from "../helpers/ical";
import { renderPage } from "./render";

let t: TestDb;
let w: World;
let privateA: string;
let publicA: string;

beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
  const book = async (days: number, title: string, isPublic: boolean) =>
    (
      await requestBooking(
        t.db,
        { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date: daysFromToday(days), start: "18:00", end: "20:00", title, purpose: "Øving", isPublic, expectedAttendees: 12 },
        new Date(),
      )
    ).booking.id;
  privateA = await book(20, "A privat øving", false);
  publicA = await book(21, "A åpen konsert", true);
});
afterAll(() => dropTestDb(t));

interface PageData {
  choices: { scope: string; label: string; hint: string }[];
  tokens: { id: number; label: string; createdAt: string; lastUsedAt: string | null }[];
}
interface Created {
  intent: string;
  created: { feed: string; https: string; webcal: string };
}

const PATH = "/account/calendars";

async function page(browser: TestBrowser) {
  const reply = await browser.visit<PageData>(calendars.loader, PATH);
  expect(reply.status).toBe(200);
  return reply.data;
}

async function create(browser: TestBrowser, scope: string) {
  await page(browser);
  return browser.submit<Created>(calendars.action, PATH, { intent: "create", scope });
}

function tokenOf(created: Created): string {
  const m = /\/feeds\/t\/([A-Za-z0-9_-]{43})\.ics$/.exec(created.created.https);
  expect(m, created.created.https).not.toBeNull();
  return m![1]!;
}

const fetchFeed = (token: string) => anonymous().visit<string>(tokenFeed.loader, `/feeds/t/${token}.ics`, { token });
const tokenRows = (userId: number) => t.db.selectFrom("calendar_tokens").selectAll().where("user_id", "=", userId).execute();

describe("/account/calendars", () => {
  it("offers each person the feeds they may have, and only those", async () => {
    const member = await page(await signedIn(t.db, w.users.memberA.id));
    expect(member.choices.map((c) => c.scope)).toEqual([`person:${w.users.memberA.id}`, `association:${w.a.id}`]);
    expect(member.choices.map((c) => c.label)).toEqual(["Alle bookingene til lagene mine", `Bookingene til ${w.a.name}`]);

    const caretaker = await page(await signedIn(t.db, w.users.caretaker.id));
    expect(caretaker.choices.map((c) => c.scope)).toEqual([`person:${w.users.caretaker.id}`, `venue-staff:${w.venue.id}`]);
    expect(caretaker.choices[1]!.label).toContain(w.venue.name);

    const admin = await page(await signedIn(t.db, w.users.admin.id));
    expect(admin.choices.map((c) => c.scope)).toContain(`venue-staff:${w.venue.id}`);

    const outsider = await page(await signedIn(t.db, w.users.outsider.id));
    expect(outsider.choices.map((c) => c.scope)).toEqual([`person:${w.users.outsider.id}`]);
    expect(outsider.tokens).toEqual([]);
  });

  it("asks whoever is not signed in to sign in first", async () => {
    const reply = await anonymous().visit(calendars.loader, PATH);
    expect(reply.status).toBe(302);
    expect(reply.location).toBe(`/signin?next=${encodeURIComponent(PATH)}`);
  });

  it("makes a link for each kind of feed, shows it once, and keeps only its hash", async () => {
    const member = await signedIn(t.db, w.users.memberA.id);
    const caretaker = await signedIn(t.db, w.users.caretaker.id);
    const made: { browser: TestBrowser; userId: number; scope: string; reply: Created }[] = [];
    for (const [browser, userId, scope] of [
      [member, w.users.memberA.id, `person:${w.users.memberA.id}`],
      [member, w.users.memberA.id, `association:${w.a.id}`],
      [caretaker, w.users.caretaker.id, `venue-staff:${w.venue.id}`],
    ] as const) {
      const reply = await create(browser, scope);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("Cache-Control")).toContain("no-store");
      made.push({ browser, userId, scope, reply: reply.data });
    }

    for (const { browser, userId, scope, reply } of made) {
      const token = tokenOf(reply);
      expect(reply.created.webcal).toBe(reply.created.https.replace(/^https?:/, "webcal:"));
      expect(reply.created.feed).not.toBe("");

      // The database holds the SHA-256 of the token, never the token.
      const rows = await tokenRows(userId);
      const row = rows.find((r) => r.scope === scope && r.revoked_at === null)!;
      expect(Buffer.from(row.token_hash)).toEqual(createHash("sha256").update(token).digest());
      for (const r of rows) expect(JSON.stringify(r)).not.toContain(token);

      // The page afterwards lists the link but cannot show the token again.
      const again = await browser.visit<PageData>(calendars.loader, PATH);
      expect(JSON.stringify(again.data)).not.toContain(token);
      expect(again.data.tokens.map((tk) => tk.id)).toContain(row.id);

      // And the link opens the feed, in the subscriber's detail.
      const feed = await fetchFeed(token);
      expect(feed.status).toBe(200);
      const cal = parseCalendar(feed.data);
      expect(cal.method).toBeNull();
      if (scope.startsWith("venue-staff")) expect(cal.events.map((e) => e.summary)).toEqual(["A privat øving", "A åpen konsert"]);
    }
  });

  it("lists the links with when they were made and last used; last used is set once the feed is fetched", async () => {
    const leader = await signedIn(t.db, w.users.leaderA.id);
    const token = tokenOf((await create(leader, `association:${w.a.id}`)).data);
    const before = await page(leader);
    expect(before.tokens).toHaveLength(1);
    expect(before.tokens[0]).toMatchObject({ label: `Bookingene til ${w.a.name}`, lastUsedAt: null });
    expect(before.tokens[0]!.createdAt).toMatch(/\d/);

    const feed = await fetchFeed(token);
    expect(feed.status).toBe(200);
    expect(parseCalendar(feed.data).events.map((e) => e.summary)).toContain("A privat øving");

    const after = await page(leader);
    expect(after.tokens[0]!.lastUsedAt).toMatch(/\d/);

    const html = await renderCalendars(leader);
    expect(html).toMatch(/<h1[^>]*>Kalenderlenker<\/h1>/);
    expect(html).toContain(`<time dateTime=`);
    expect(html).toMatch(/<button[^>]*aria-label="Trekk tilbake lenken til Bookingene til [^"]*"[^>]*>Trekk tilbake<\/button>/);
    expect(html).toMatch(/<button[^>]*aria-label="Lag lenke: Alle bookingene til lagene mine"[^>]*>Lag lenke<\/button>/);
    expect(html).toContain('name="csrf"');
  });

  it("a new link to the same feed replaces the old one", async () => {
    const browser = await signedIn(t.db, w.users.memberB.id);
    const first = tokenOf((await create(browser, `association:${w.b.id}`)).data);
    const second = tokenOf((await create(browser, `association:${w.b.id}`)).data);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);
    expect((await page(browser)).tokens).toHaveLength(1);
  });

  it("revokes a link: a clear message, gone from the list, and the feed answers 404", async () => {
    const browser = await signedIn(t.db, w.users.admin.id);
    const token = tokenOf((await create(browser, `venue-staff:${w.venue.id}`)).data);
    const [listed] = (await page(browser)).tokens;
    const reply = await browser.submit<{ intent: string; revoked: string }>(calendars.action, PATH, { intent: "revoke", tokenId: listed!.id });
    expect(reply.status).toBe(200);
    expect(reply.data).toEqual({ intent: "revoke", revoked: listed!.label });
    expect((await page(browser)).tokens).toEqual([]);
    const feed = await fetchFeed(token);
    expect(feed.status).toBe(404);
    expect(feed.data).toBe("Not found\n");
    expect(feed.data).toBe((await fetchFeed("x".repeat(43))).data);
  });

  it("revoking a link already revoked (a second tab, Back and send again) says so, not 'page not found'", async () => {
    const browser = await signedIn(t.db, w.users.memberA.id);
    await create(browser, `person:${w.users.memberA.id}`);
    const id = (await page(browser)).tokens.find((tk) => tk.label === "Alle bookingene til lagene mine")!.id;
    expect((await browser.submit(calendars.action, PATH, { intent: "revoke", tokenId: id })).status).toBe(200);
    const again = await browser.submit<{ intent: string; alreadyRevoked: boolean }>(calendars.action, PATH, { intent: "revoke", tokenId: id });
    expect(again.status).toBe(200);
    expect(again.data).toEqual({ intent: "revoke", alreadyRevoked: true });
    expect(again.headers.get("Cache-Control")).toContain("no-store");
  });

  it("names a tampered link to revoke in words, not by the form's field", async () => {
    const browser = await signedIn(t.db, w.users.admin.id);
    await page(browser);
    const reply = await browser.submit(calendars.action, PATH, { intent: "revoke", tokenId: "abc" });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.data)).toContain("Kalenderlenken er ikke gyldig");
    expect(JSON.stringify(reply.data)).not.toContain("TokenId");
  });

  it("refuses links to feeds the person has no right to: nothing is made", async () => {
    const member = await signedIn(t.db, w.users.memberA.id);
    const before = (await tokenRows(w.users.memberA.id)).length;
    for (const scope of [`association:${w.b.id}`, `venue-staff:${w.venue.id}`, `person:${w.users.memberB.id}`]) {
      const reply = await create(member, scope);
      expect(reply.status, scope).toBe(403);
      expect(reply.thrown).toBe(true);
    }
    const garbled = await create(member, "association:abc");
    expect(garbled.status).toBe(400);
    expect((await tokenRows(w.users.memberA.id)).length).toBe(before);
    expect(await t.db.selectFrom("calendar_tokens").select("id").where("scope", "=", `association:${w.b.id}`).where("user_id", "=", w.users.memberA.id).execute()).toEqual([]);
  });

  it("revokes only the person's own links: another's answers 404 and stays active", async () => {
    const owner = await signedIn(t.db, w.users.caretaker.id);
    const token = tokenOf((await create(owner, `person:${w.users.caretaker.id}`)).data);
    const id = (await page(owner)).tokens.find((tk) => tk.label === "Alle bookingene til lagene mine")!.id;
    const other = await signedIn(t.db, w.users.memberB.id);
    await page(other);
    const reply = await other.submit(calendars.action, PATH, { intent: "revoke", tokenId: id });
    expect(reply.status).toBe(404);
    expect((await fetchFeed(token)).status).toBe(200);
  });

  it("is linked from /account", async () => {
    const browser = await signedIn(t.db, w.users.memberA.id);
    const { html } = await renderPage(
      "/",
      { loader: async ({ request }) => account.loader({ request, params: {}, context: {} }), Component: account.default as ComponentType },
      { Cookie: browser.cookieHeader() },
    );
    expect(html).toContain('href="/account/calendars"');
  });
});

async function renderCalendars(browser: TestBrowser): Promise<string> {
  const { html } = await renderPage(
    "/",
    {
      loader: async ({ request }) => {
        const value = (await calendars.loader({ request, params: {}, context: {} })) as unknown as { data: unknown };
        return value.data;
      },
      Component: calendars.default as ComponentType,
    },
    { Cookie: `${browser.cookieHeader()}; lang=nb` },
  );
  return html;
}

describe("/bookings/:id.ics for signed-in people", () => {
  const ics = (browser: TestBrowser, id: string, query = "") => browser.visit<string>(bookingIcs.loader, `/bookings/${id}.ics${query}`, { id });

  it("gives a private booking to a member of its association, in the members' detail", async () => {
    const reply = await ics(await signedIn(t.db, w.users.memberA.id), privateA);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(reply.headers.get("Cache-Control")).toBe("private, no-cache");
    const [event] = parseCalendar(reply.data).events;
    expect(event!.uid).toBe(`${privateA}@flokk`);
    expect(event!.summary).toBe("A privat øving");
    expect(event!.description).toContain(w.a.name);
    expect(event!.description).not.toContain(w.users.memberA.email);
  });

  it("gives it to the site's caretaker and the owner's admin with contact details", async () => {
    for (const who of [w.users.caretaker, w.users.admin]) {
      const reply = await ics(await signedIn(t.db, who.id), privateA);
      expect(reply.status).toBe(200);
      expect(parseCalendar(reply.data).events[0]!.description).toContain(w.users.memberA.email);
    }
  });

  it("answers a stranger, signed in or not, exactly as an unknown booking", async () => {
    const unknown = await ics(anonymous(), "00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    for (const browser of [anonymous(), await signedIn(t.db, w.users.memberB.id), await signedIn(t.db, w.users.outsider.id)]) {
      const reply = await ics(browser, privateA);
      expect(reply.status).toBe(404);
      expect(reply.data).toBe(unknown.data);
      expect([...reply.headers]).toEqual([...unknown.headers]);
    }
  });

  it("keeps the public and token cases: a public booking for anyone, a token decides alone", async () => {
    for (const browser of [anonymous(), await signedIn(t.db, w.users.outsider.id)]) {
      const reply = await ics(browser, publicA);
      expect(reply.status).toBe(200);
      expect(parseCalendar(reply.data).events[0]!.summary).toBe("A åpen konsert");
    }
    // A member signed in gets the members' detail of a public booking too.
    const member = await ics(await signedIn(t.db, w.users.memberA.id), publicA);
    expect(parseCalendar(member.data).events[0]!.description).toContain(w.a.name);

    const holder = await signedIn(t.db, w.users.leaderA.id);
    const token = tokenOf((await create(holder, `person:${w.users.leaderA.id}`)).data);
    const withToken = await ics(anonymous(), privateA, `?token=${token}`);
    expect(withToken.status).toBe(200);
    expect(parseCalendar(withToken.data).events[0]!.summary).toBe("A privat øving");
    // A bad token is not rescued by a session that could see the booking.
    expect((await ics(await signedIn(t.db, w.users.memberA.id), privateA, "?token=nope")).status).toBe(404);
  });

  it("offers “Add to calendar” on a private booking's page", async () => {
    const browser = await signedIn(t.db, w.users.memberA.id);
    const { html } = await renderPage(
      "/",
      {
        loader: async ({ request }) => {
          const value = (await bookingPage.loader({ request, params: { id: privateA }, context: {} })) as unknown as { data: unknown };
          return value.data;
        },
        Component: bookingPage.default as ComponentType,
      },
      { Cookie: `${browser.cookieHeader()}; lang=nb` },
    );
    expect(html).toContain(`href="/bookings/${privateA}.ics"`);
    expect(html).toContain("Legg i kalenderen (.ics)");
  });
});
