// The people, associations and booking-history pages through real sign-in
// (session cookie, CSRF token) against real PostgreSQL: POST → redirect when
// it works; bad input → 4xx with the message in the person's language (bokmål
// or English) and nothing written; the pages render without JavaScript.
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import * as associationsRoute from "../../app/routes/admin.associations";
import * as peopleRoute from "../../app/routes/admin.people";
import * as historyRoute from "../../app/routes/bookings.$id_.history";
import * as bookingRoute from "../../app/routes/bookings.$id";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser, withCheckDigit } from "../helpers/fixtures";
import { daysFromToday, makeWorld, signedIn, type World } from "../helpers/people";
import { renderPage } from "./render";

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
});
afterAll(() => dropTestDb(t));

type Reply = { intent: string | null; fieldErrors: Record<string, string>; formError: string | null; values: Record<string, string> };

/** The admin's browser on a page (it has the CSRF token), in a language. */
async function adminOn(path: string, loader: typeof peopleRoute.loader | typeof associationsRoute.loader, language = "nb", userId = w.users.admin.id) {
  const b = await signedIn(t.db, userId, { language });
  await b.visit(loader, path);
  return b;
}

const counts = async () => ({
  caretakers: (await t.db.selectFrom("site_caretakers").select("user_id").execute()).length,
  admins: (await t.db.selectFrom("owner_admins").select("user_id").execute()).length,
  audit: (await t.db.selectFrom("audit_log").select("id").where("entity", "in", ["site", "owner", "association"]).execute()).length,
  outbox: (await t.db.selectFrom("outbox").select("id").where("kind", "=", "association-rejected").execute()).length,
});

async function render(path: string, route: { loader: unknown; default: unknown }, userId: number, lang = "nb", params: Record<string, string> = {}) {
  const b = await signedIn(t.db, userId);
  return renderPage(
    path,
    {
      loader: async ({ request }) => ((await (route.loader as typeof peopleRoute.loader)({ request, params, context: {} })) as unknown as { data: unknown }).data,
      Component: route.default as ComponentType,
    },
    { Cookie: `${b.cookieHeader()}; lang=${lang}` },
  );
}

describe("/admin/people", () => {
  it("assigns a caretaker by e-mail: 302 back to the page with a confirmation", async () => {
    const person = await makeUser(t.db, "Kari Vaktmester");
    const b = await adminOn("/admin/people", peopleRoute.loader);
    const reply = await b.submit(peopleRoute.action, "/admin/people", { intent: "assign", siteId: w.site.id, ownerId: w.owner.id, email: person.email });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe(`/admin/people?owner=${w.owner.id}&done=assigned`);
    const page = await b.visit<{ sites: { caretakers: { userId: number }[] }[]; done: string }>(peopleRoute.loader, reply.location!);
    expect(page.data.done).toBe("assigned");
    expect(page.data.sites[0]!.caretakers.map((c) => c.userId)).toContain(person.id);
  });

  it.each([
    ["nb", "nobody@example.org", "E-postadressen tilhører ingen bruker i Flokk"],
    ["en", "nobody@example.org", "does not belong to anyone in Flokk"],
    ["nb", "ikke-en-adresse", "E-postadressen er ikke en gyldig e-postadresse."],
    ["en", "", "The e-mail address must be filled in."],
  ])("bad e-mail (%s, %j): 400 with the message beside the field, nothing written", async (language, email, text) => {
    const before = await counts();
    const b = await adminOn("/admin/people", peopleRoute.loader, language);
    const reply = await b.submit<Reply>(peopleRoute.action, "/admin/people", { intent: "assign", siteId: w.site.id, email });
    expect(reply.status).toBe(400);
    expect(reply.data.fieldErrors.email).toContain(text);
    expect(reply.data.values.siteId).toBe(String(w.site.id));
    expect(await counts()).toEqual(before);
  });

  it("a site id that is no id: 400; someone else's site: 403; nothing written", async () => {
    const before = await counts();
    const b = await adminOn("/admin/people", peopleRoute.loader);
    const bad = await b.submit<Reply>(peopleRoute.action, "/admin/people", { intent: "assign", siteId: "abc", email: w.users.outsider.email });
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors.siteId).toBe("Stedet er ikke gyldig.");
    // A property every object has is no intent of this page (it was a 500).
    for (const intent of ["toString", "constructor", "__proto__"]) {
      const odd = await b.submit<Reply>(peopleRoute.action, "/admin/people", { intent, siteId: "abc", email: w.users.outsider.email });
      expect(odd.status, intent).toBe(400);
    }
    const c = await signedIn(t.db, w.users.caretaker.id);
    await c.visit(() => ({}), "/");
    const refused = await c.submit(peopleRoute.action, "/admin/people", { intent: "assign", siteId: w.site.id, email: w.users.outsider.email });
    expect(refused.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("a form the page does not know: 400 with the message at the top in bokmål and English, nothing written (it was read as 'assign')", async () => {
    const person = await makeUser(t.db, "Ukjent Skjema");
    const before = await counts();
    for (const [language, text] of [
      ["nb", "Skjemaet er ukjent for denne siden, så ingenting er endret."],
      ["en", "The form is not one this page knows, so nothing was changed."],
    ] as const) {
      const b = await adminOn("/admin/people", peopleRoute.loader, language);
      // A new person and one already caretaker: the first was assigned, the second answered "unchanged".
      for (const email of [person.email, w.users.caretaker.email]) {
        const reply = await b.submit<Reply>(peopleRoute.action, "/admin/people", { intent: "bogus", siteId: w.site.id, ownerId: w.owner.id, email });
        expect(reply.status).toBe(400);
        expect(reply.data.fieldErrors.intent).toContain(text);
      }
    }
    expect(await counts()).toEqual(before);
    const b = await adminOn("/admin/people", peopleRoute.loader);
    const page = await renderPage(
      "/",
      {
        loader: async ({ request }) => ((await peopleRoute.loader({ request, params: {}, context: {} })) as unknown as { data: unknown }).data,
        Component: peopleRoute.default as ComponentType,
      },
      { Cookie: b.cookieHeader() },
      { action: peopleRoute.action as never, body: new URLSearchParams({ csrf: b.csrf, intent: "bogus", siteId: String(w.site.id), email: person.email }) },
    );
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/role="alert"[^>]*>Skjemaet er ukjent for denne siden/);
  });

  it("a site's form whose owner was changed: 400 saying so, nothing written, no redirect to the other owner's page", async () => {
    // An admin of this owner and of a second one: its page is one they may see.
    const second = await makeOwner(t.db);
    const admin = await makeUser(t.db, "To Kommuner");
    await t.db.insertInto("owner_admins").values([{ owner_id: w.owner.id, user_id: admin.id }, { owner_id: second.owner.id, user_id: admin.id }]).execute();
    const stranger = await makeOwner(t.db);
    const person = await makeUser(t.db, "Feil Kommune");
    const before = await counts();
    for (const [language, text] of [
      ["nb", "Stedet hører ikke til kommunen på siden du var på, så ingenting er endret."],
      ["en", "The place does not belong to the owner of the page you were on, so nothing was changed."],
    ] as const) {
      const b = await adminOn("/admin/people", peopleRoute.loader, language, admin.id);
      for (const ownerId of [second.owner.id, stranger.owner.id]) {
        const assign = await b.submit<Reply>(peopleRoute.action, "/admin/people", { intent: "assign", siteId: w.site.id, ownerId, email: person.email });
        expect(assign.status, `assign, owner ${ownerId}`).toBe(400);
        expect(assign.data.fieldErrors.siteId).toContain(text);
        const remove = await b.submit<Reply>(peopleRoute.action, "/admin/people", { intent: "removeCaretaker", siteId: w.site.id, ownerId, userId: w.users.caretaker.id });
        expect(remove.status, `remove, owner ${ownerId}`).toBe(400);
        expect(remove.data.fieldErrors.siteId).toContain(text);
      }
      // The page's address names the other owner, the form none: refused the same way.
      const viaAddress = await b.submit<Reply>(peopleRoute.action, `/admin/people?owner=${second.owner.id}`, { intent: "assign", siteId: w.site.id, email: person.email });
      expect(viaAddress.status).toBe(400);
    }
    expect(await counts()).toEqual(before);
    // The form as the page made it still goes back to the site's owner.
    const b = await adminOn("/admin/people", peopleRoute.loader, "nb", admin.id);
    const done = await b.submit(peopleRoute.action, `/admin/people?owner=${w.owner.id}`, { intent: "assign", siteId: w.site.id, ownerId: w.owner.id, email: person.email });
    expect(done.location).toBe(`/admin/people?owner=${w.owner.id}&done=assigned`);
    // The other tests count this owner's caretakers and admins.
    await t.db.deleteFrom("site_caretakers").where("user_id", "=", person.id).execute();
    await t.db.deleteFrom("owner_admins").where("owner_id", "=", w.owner.id).where("user_id", "=", admin.id).execute();
  });

  it("taking the last admin: 409 with the reason in bokmål and English, nothing changed", async () => {
    const before = await counts();
    for (const [language, text] of [
      ["nb", "Kommunen må ha minst én administrator"],
      ["en", "The owner must keep at least one admin"],
    ] as const) {
      const b = await adminOn("/admin/people", peopleRoute.loader, language);
      const reply = await b.submit<Reply>(peopleRoute.action, "/admin/people", { intent: "takeAdmin", ownerId: w.owner.id, userId: w.users.admin.id });
      expect(reply.status).toBe(409);
      expect(reply.data.formError).toContain(text);
    }
    expect(await counts()).toEqual(before);
  });

  it("gives the admin role, and taking one's own role (another remains) leaves the admin pages", async () => {
    const b = await adminOn("/admin/people", peopleRoute.loader);
    const given = await b.submit(peopleRoute.action, "/admin/people", { intent: "giveAdmin", ownerId: w.owner.id, email: w.users.outsider.email });
    expect(given.location).toBe(`/admin/people?owner=${w.owner.id}&done=given`);
    const o = await adminOn("/admin/people", peopleRoute.loader, "nb", w.users.outsider.id);
    const left = await o.submit(peopleRoute.action, "/admin/people", { intent: "takeAdmin", ownerId: w.owner.id, userId: w.users.outsider.id });
    expect(left.status).toBe(302);
    expect(left.location).toBe("/");
    expect((await t.db.selectFrom("owner_admins").select("user_id").where("owner_id", "=", w.owner.id).execute()).map((r) => r.user_id)).toEqual([w.users.admin.id]);
  });

  it("renders the sites, caretakers, admins and forms without JavaScript, in both languages", async () => {
    const nb = await render("/", peopleRoute, w.users.admin.id, "nb");
    expect(nb.status).toBe(200);
    expect(nb.html).toContain("Vaktmestere per bygg");
    expect(nb.html).toContain(w.site.name);
    expect(nb.html).toContain("Ola Vaktmester");
    expect(nb.html).toContain('name="csrf"');
    expect(nb.html).toContain("Du er eneste administrator");
    const en = await render("/", peopleRoute, w.users.admin.id, "en");
    expect(en.html).toContain("Caretakers by building");
  });
});

describe("/admin/associations", () => {
  let n = 0;
  const waiting = async (name: string) =>
    t.db
      .insertInto("associations")
      .values({ name, org_number: withCheckDigit(String(60_000_000 + ++n * 11)), contact_email: `${n}@lag.example.org`, verified: false })
      .returningAll()
      .executeTakeFirstOrThrow();

  it.each([
    ["nb", "", "Begrunnelse må fylles ut."],
    ["en", "   ", "Reason must be filled in."],
  ])("rejecting without a reason (%s): 400 beside the field, nothing written", async (language, reason, text) => {
    const a = await waiting(`Uten grunn ${language}`);
    const before = await counts();
    const b = await adminOn("/admin/associations", associationsRoute.loader, language);
    const reply = await b.submit<Reply>(associationsRoute.action, "/admin/associations", { intent: "reject", associationId: a.id, reason });
    expect(reply.status).toBe(400);
    expect(reply.data.fieldErrors.reason).toContain(text);
    expect(reply.data.values.associationId).toBe(String(a.id));
    expect(await counts()).toEqual(before);
  });

  it("verifies and rejects: 302 with a confirmation; the list shows the states", async () => {
    const v = await waiting("Skal godkjennes");
    const r = await waiting("Skal avvises");
    const b = await adminOn("/admin/associations", associationsRoute.loader);
    expect((await b.submit(associationsRoute.action, "/admin/associations", { intent: "verify", associationId: v.id })).location).toBe("/admin/associations?done=verified");
    const rejected = await b.submit(associationsRoute.action, "/admin/associations", { intent: "reject", associationId: r.id, reason: "Ukjent lag" });
    expect(rejected.location).toBe("/admin/associations?done=rejected");
    const page = await render("/?done=rejected", associationsRoute, w.users.admin.id, "nb");
    expect(page.html).toContain("Laget er avvist");
    expect(page.html).toContain("Ukjent lag");
    expect(page.html).toContain("gyldig kontrollsiffer");
    const en = await render("/", associationsRoute, w.users.admin.id, "en");
    expect(en.html).toContain("Verifying associations");
  });

  it("says what went wrong at the top when the form names no association on the page (a changed id)", async () => {
    await waiting("På listen");
    const b = await adminOn("/admin/associations", associationsRoute.loader);
    const page = await renderPage(
      "/",
      {
        loader: async ({ request }) => ((await associationsRoute.loader({ request, params: {}, context: {} })) as unknown as { data: unknown }).data,
        Component: associationsRoute.default as ComponentType,
      },
      { Cookie: b.cookieHeader() },
      { action: associationsRoute.action as never, body: new URLSearchParams({ csrf: b.csrf, intent: "verify", associationId: "abc" }) },
    );
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/role="alert"[^>]*>Laget er ikke gyldig\./);
  });

  it("verifying a number another association holds: 409 naming it, in English too", async () => {
    const holder = await waiting("Innehaver");
    await t.db.updateTable("associations").set({ verified: true }).where("id", "=", holder.id).execute();
    const copy = await t.db
      .insertInto("associations")
      .values({ name: "Kopi", org_number: holder.org_number, contact_email: "kopi@example.org", rejected_at: new Date(), rejection_reason: "Kopi" })
      .returningAll()
      .executeTakeFirstOrThrow();
    const b = await adminOn("/admin/associations", associationsRoute.loader, "en");
    const reply = await b.submit<Reply>(associationsRoute.action, "/admin/associations", { intent: "verify", associationId: copy.id });
    expect(reply.status).toBe(409);
    expect(reply.data.formError).toBe(`Organisation number ${holder.org_number} is already registered to another association (Innehaver). Two associations cannot share a number.`);
    expect((await t.db.selectFrom("associations").select("verified").where("id", "=", copy.id).executeTakeFirstOrThrow()).verified).toBe(false);
  });
});

describe("/bookings/:id/history", () => {
  it("shows the history to the admin, and the booking page links to it for staff only", async () => {
    const { booking } = await requestBooking(
      t.db,
      { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date: daysFromToday(30), start: "10:00", end: "11:00", title: "Historikk", expectedAttendees: 5 },
      new Date(),
    );
    const page = await render("/", historyRoute, w.users.admin.id, "nb", { id: booking.id });
    expect(page.status).toBe(200);
    expect(page.html).toContain("Historikk for bookingen");
    expect(page.html).toContain("Booket");
    const staff = await render("/", bookingRoute, w.users.caretaker.id, "nb", { id: booking.id });
    expect(staff.html).toContain(`/bookings/${booking.id}/history`);
    const member = await render("/", bookingRoute, w.users.memberA.id, "nb", { id: booking.id });
    expect(member.html).not.toContain("/history");
  });
});
