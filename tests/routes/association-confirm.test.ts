// Removing a member, leaving and handing over the leader role are asked about
// first on /associations/:id: the form without confirm=1 changes nothing and
// answers with the question (naming the person from the member list, never
// from the form); only the question's own form, with confirm=1, acts. Through
// the route's action with real requests (session, CSRF) against PostgreSQL,
// and the page as it is rendered without JavaScript.
import type { ActionFunctionArgs } from "@remix-run/node";
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideDatabase } from "../../app/db.server";
import * as accountPage from "../../app/routes/account";
import * as associationPage from "../../app/routes/associations.$id";
import type { TestBrowser } from "../helpers/browser";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeUser } from "../helpers/fixtures";
import { signedIn } from "../helpers/people";
import { renderPage } from "./render";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
});
afterAll(() => dropTestDb(t));

interface Reply {
  intent: string | null;
  done?: boolean;
  confirm?: { change: string; userId: number; name: string; email: string | null };
  fieldErrors?: Record<string, string>;
  formError?: string | null;
}

/** A club with its leader and a member, Kari Hansen, and a browser on its page for each. */
async function club() {
  const { association, leader } = await makeAssociation(t.db);
  const member = await makeUser(t.db, "Kari Hansen");
  await t.db.insertInto("memberships").values({ association_id: association.id, user_id: member.id, role: "member" }).execute();
  const id = String(association.id);
  const open = async (userId: number, language?: string) => {
    const browser = await signedIn(t.db, userId, { language });
    await browser.visit(associationPage.loader, `/associations/${id}`, { id });
    return browser;
  };
  const post = (browser: TestBrowser, fields: Record<string, string | number>) =>
    browser.submit<Reply>(associationPage.action, `/associations/${id}`, fields, { params: { id } });
  return { association, leader, member, id, open, post };
}

const membersOf = (associationId: number) =>
  t.db.selectFrom("memberships").select(["user_id", "role"]).where("association_id", "=", associationId).orderBy("user_id").execute();

describe("asking first", () => {
  it("remove: the first post changes nothing and asks, naming the person from the list, not the form; the confirmed one removes", async () => {
    const c = await club();
    const leader = await c.open(c.leader.id);
    const before = await membersOf(c.association.id);

    const asked = await c.post(leader, { intent: "remove", userId: c.member.id, name: "Mallory" });
    expect(asked.status).toBe(200);
    expect(asked.data.done).toBeUndefined();
    expect(asked.data.confirm).toEqual({ change: "remove", userId: c.member.id, name: "Kari Hansen", email: c.member.email });
    expect(await membersOf(c.association.id)).toEqual(before);

    // Anything but the question's own confirm=1 is asking again.
    const odd = await c.post(leader, { intent: "remove", userId: c.member.id, confirm: "yes" });
    expect(odd.data.confirm?.change).toBe("remove");
    expect(await membersOf(c.association.id)).toEqual(before);

    const confirmed = await c.post(leader, { intent: "remove", userId: c.member.id, confirm: "1" });
    expect(confirmed.status).toBe(200);
    expect(confirmed.data).toMatchObject({ intent: "remove", done: true });
    expect(confirmed.data.confirm).toBeUndefined();
    expect(await membersOf(c.association.id)).toEqual([{ user_id: c.leader.id, role: "leader" }]);
  });

  it("hand over: the first post keeps both roles; the confirmed one swaps them", async () => {
    const c = await club();
    const leader = await c.open(c.leader.id);
    const before = await membersOf(c.association.id);

    const asked = await c.post(leader, { intent: "handOver", userId: c.member.id });
    expect(asked.status).toBe(200);
    expect(asked.data.confirm).toEqual({ change: "handOver", userId: c.member.id, name: "Kari Hansen", email: c.member.email });
    expect(await membersOf(c.association.id)).toEqual(before);

    const confirmed = await c.post(leader, { intent: "handOver", userId: c.member.id, confirm: "1" });
    expect(confirmed.data).toMatchObject({ intent: "handOver", done: true });
    const after = await membersOf(c.association.id);
    expect(after).toEqual(
      [
        { user_id: c.leader.id, role: "member" },
        { user_id: c.member.id, role: "leader" },
      ].sort((a, b) => a.user_id - b.user_id),
    );
  });

  it("leave: a member removing themself is asked to leave; confirmed, they are out and on their own page", async () => {
    const c = await club();
    const member = await c.open(c.member.id);
    const before = await membersOf(c.association.id);

    const asked = await c.post(member, { intent: "remove", userId: c.member.id });
    expect(asked.status).toBe(200);
    expect(asked.data.confirm).toMatchObject({ change: "leave", userId: c.member.id });
    expect(await membersOf(c.association.id)).toEqual(before);

    const confirmed = await c.post(member, { intent: "remove", userId: c.member.id, confirm: "1" });
    expect(confirmed.status).toBe(302);
    expect(confirmed.location).toBe("/account?left=1");
    expect(await membersOf(c.association.id)).toEqual([{ user_id: c.leader.id, role: "leader" }]);
    // Their own page says so, since its list no longer shows the association
    // (rendered at "/" with the redirect's query: the helper's page is an index route).
    const own = (search: string) =>
      renderPage(`/${search}`, { loader: async ({ request }) => accountPage.loader({ request, params: {}, context: {} }), Component: accountPage.default as ComponentType }, { Cookie: member.cookieHeader() });
    const said = "Du har gått ut av laget. Vil du bli med igjen, må en leder invitere deg.";
    expect((await own(new URL(confirmed.location!, "http://localhost").search)).html).toContain(said);
    expect((await own("")).html).not.toContain(said);
  });

  it("a confirm=1 made up for someone who is no member gets the domain's refusal, and nothing changes", async () => {
    const c = await club();
    const stranger = await makeUser(t.db, "Ikke Medlem");
    const leader = await c.open(c.leader.id);
    const before = await membersOf(c.association.id);
    for (const intent of ["remove", "handOver"]) {
      for (const confirm of [{ confirm: "1" }, {}] as Record<string, string>[]) {
        const reply = await c.post(leader, { intent, userId: stranger.id, ...confirm });
        expect(reply.status, intent).toBe(400);
        expect(reply.data.confirm, intent).toBeUndefined();
        expect(reply.data.fieldErrors, intent).toEqual({ userId: "Personen er ikke lenger medlem av laget." });
      }
    }
    expect(await membersOf(c.association.id)).toEqual(before);
  });

  it("what would be refused is refused at once, not asked: a member removing another, handing over to a leader", async () => {
    const c = await club();
    const other = await makeUser(t.db, "Ola Annen");
    await t.db.insertInto("memberships").values({ association_id: c.association.id, user_id: other.id, role: "member" }).execute();
    const member = await c.open(c.member.id);
    const leader = await c.open(c.leader.id);
    const before = await membersOf(c.association.id);
    expect((await c.post(member, { intent: "remove", userId: other.id })).status).toBe(403);
    expect((await c.post(member, { intent: "handOver", userId: other.id })).status).toBe(403);
    const toLeader = await c.post(leader, { intent: "handOver", userId: c.leader.id });
    expect(toLeader.status).toBe(400);
    expect(toLeader.data.fieldErrors).toEqual({ userId: "Personen er allerede leder." });
    expect(await membersOf(c.association.id)).toEqual(before);
  });
});

describe("the question on the page, without JavaScript", () => {
  async function rendered(c: Awaited<ReturnType<typeof club>>, browser: TestBrowser, fields: Record<string, string>) {
    const params = { id: c.id };
    return renderPage(
      "/",
      { loader: async ({ request }) => associationPage.loader({ request, params, context: {} }), Component: associationPage.default as ComponentType },
      { Cookie: browser.cookieHeader(), ...(browser.options.language ? { "Accept-Language": browser.options.language } : {}) },
      {
        action: ((args: ActionFunctionArgs) => associationPage.action({ ...args, params })) as never,
        body: new URLSearchParams({ csrf: browser.csrf, ...fields }),
      },
    );
  }

  it("asks at the top with what it means, a button that sends confirm=1 and a way back; in bokmål and English", async () => {
    const c = await club();
    const name = c.association.name;
    for (const [lang, heading, intro, yes, cancel] of [
      ["nb", `Fjerne Kari Hansen fra ${name}?`, "trenger hen en ny invitasjon", "Ja, fjern Kari Hansen", "Avbryt"],
      ["en", `Remove Kari Hansen from ${name}?`, "needs a new invitation", "Yes, remove Kari Hansen", "Cancel"],
    ] as const) {
      const leader = await c.open(c.leader.id, lang);
      const page = await rendered(c, leader, { intent: "remove", userId: String(c.member.id), name: "Mallory" });
      expect(page.status).toBe(200);
      const panel = page.html.slice(page.html.indexOf('class="ds-alert confirm-panel"'));
      expect(panel, lang).toMatch(new RegExp(`<h2[^>]*id="confirm-heading"[^>]*tabindex="-1"[^>]*>${heading.replace("?", "\\?")}</h2>`));
      expect(panel, lang).toContain(intro);
      // The button is described by what it means, for someone who tabs straight to it.
      expect(panel, lang).toMatch(/<p[^>]*id="confirm-intro"[^>]*>/);
      expect(panel, lang).toMatch(/<button type="submit" aria-describedby="confirm-intro"/);
      // The question comes before the member list.
      expect(page.html.indexOf("confirm-heading")).toBeLessThan(page.html.indexOf("members-heading"));
      const form = panel.slice(panel.indexOf("<form"), panel.indexOf("</form>"));
      expect(form).toContain('name="intent" value="remove"');
      expect(form).toContain(`name="userId" value="${c.member.id}"`);
      expect(form).toContain('name="confirm" value="1"');
      expect(form).toMatch(new RegExp(`<button type="submit"[^>]*data-color="danger"[^>]*>${yes}</button>`));
      expect(form).toContain(`href="/associations/${c.id}"`);
      expect(form).toContain(`>${cancel}</a>`);
      expect(page.html).not.toContain("Mallory");
    }
    expect(await membersOf(c.association.id)).toHaveLength(2);
  });

  it("hand over and leave say what they mean", async () => {
    const c = await club();
    const leader = await c.open(c.leader.id);
    const handOver = await rendered(c, leader, { intent: "handOver", userId: String(c.member.id) });
    expect(handOver.html).toContain(`Gjøre Kari Hansen til leder for ${c.association.name}?`);
    expect(handOver.html).toContain("du blir vanlig medlem");
    const member = await c.open(c.member.id, "en");
    const leave = await rendered(c, member, { intent: "remove", userId: String(c.member.id) });
    expect(leave.html).toContain(`Leave ${c.association.name}?`);
    expect(leave.html).toContain("Yes, leave");
    expect(await membersOf(c.association.id)).toHaveLength(2);
  });

  it("the confirmed removal says so at the top, as a status", async () => {
    const c = await club();
    const leader = await c.open(c.leader.id);
    const page = await rendered(c, leader, { intent: "remove", userId: String(c.member.id), confirm: "1" });
    expect(page.status).toBe(200);
    expect(page.html).toContain('role="status">Medlemmet er fjernet fra laget.<');
    expect(page.html).not.toContain("confirm-heading");
    expect(page.html).not.toContain("Kari Hansen");
  });
});
