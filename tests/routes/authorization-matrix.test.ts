// Every route × every role → the status (or the way to sign in) it must get
// (invariant 5). The routes come from app/routes itself: a route file without
// an entry here, or a loader or action without a probe, fails the first test,
// so a new page cannot ship without saying who may use it.
//
// Roles: nobody signed in, a member of association A, a member of B, A's
// leader, a caretaker of the venue's site, and an admin of the venue's owner.
// Requests are real (cookies, CSRF tokens) against real PostgreSQL. Probes
// that change something get fresh data for each role.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { createToken } from "../../app/calendar/tokens.server";
import { blockTime } from "../../app/caretaker/blocks.server";
import { provideDatabase } from "../../app/db.server";
import { VENUE_DEFAULTS as ADMIN_VENUE_DEFAULTS } from "../../app/admin/venue-input";
import { makeVenue as makeMatrixVenue } from "../helpers/fixtures";
import type { TestBrowser } from "../helpers/browser";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeUser as makeMatrixUser, withCheckDigit as matrixOrgNumber } from "../helpers/fixtures";
import { browserFor, daysFromToday, makeWorld, type Role, type World } from "../helpers/people";

const ROLES = ["anonymous", "memberA", "memberB", "leaderA", "caretaker", "admin"] as const satisfies readonly Role[];
type MatrixRole = (typeof ROLES)[number];

/** A status, or "signin": a redirect to /signin that comes back (?next=). */
type Outcome = number | "signin";
type Table = Record<MatrixRole, Outcome>;

const everyone = (o: Outcome): Table => Object.fromEntries(ROLES.map((r) => [r, o])) as Table;
const signedInOnly = (o: Outcome): Table => ({ ...everyone(o), anonymous: "signin" });

interface Ctx {
  w: World;
  /** A's private booking, B's private booking, A's public booking. */
  privateA: string;
  privateB: string;
  publicA: string;
  feedToken: string;
  outboxId: number;
}

interface Probe {
  what: string;
  method: "GET" | "POST";
  /** Fresh data for one role's request, when the request changes something. */
  fresh?: (ctx: Ctx, role: MatrixRole, index: number) => Promise<Record<string, string>>;
  path: (ctx: Ctx, extra: Record<string, string>) => string;
  params?: (ctx: Ctx, extra: Record<string, string>) => Record<string, string>;
  fields?: (ctx: Ctx, extra: Record<string, string>, role: MatrixRole) => Record<string, string | number>;
  /** Every role, unless a comment says why one is left out. */
  expect: Partial<Table>;
  /**
   * Why an emptied form may be answered (400) before the refusal: the form
   * itself names what is asked for (a feed's scope, the association to book
   * for), so without it there is nothing to refuse. See "authorization before validation".
   */
  formFirst?: string;
  /** Further checks after a role's request. */
  check?: (ctx: Ctx, role: MatrixRole, reply: { outcome: Outcome; body: string }, extra: Record<string, string>) => Promise<void>;
}

let t: TestDb;
let ctx: Ctx;

const venueParams = (c: Ctx) => ({ slug: c.w.venue.slug });
const activeTokens = async (userId: number, scope: string) =>
  (await t.db.selectFrom("calendar_tokens").select("id").where("user_id", "=", userId).where("scope", "=", scope).where("revoked_at", "is", null).execute()).length;
const bookingStatus = async (id: string) => (await t.db.selectFrom("bookings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

async function bookFor(c: Ctx, association: "a" | "b", date: string, title: string, isPublic = false): Promise<string> {
  const actor = association === "a" ? c.w.users.memberA : c.w.users.memberB;
  const { booking } = await requestBooking(
    t.db,
    { actorId: actor.id, associationId: c.w[association].id, venueId: c.w.venue.id, date, start: "10:00", end: "12:00", title, purpose: `${title} purpose`, isPublic, expectedAttendees: 5 },
    new Date(),
  );
  return booking.id;
}

const MATRIX: Record<string, Probe[]> = {
  // Any path no page has: not found, for everyone alike (a form sent there with its token too).
  "$.tsx": [
    { what: "a path no page has", method: "GET", path: () => "/no-such-page", expect: everyone(404) },
    { what: "a form sent to it", method: "POST", path: () => "/no-such-page", expect: everyone(404) },
  ],
  "_index.tsx": [{ what: "find a venue", method: "GET", path: () => "/", expect: everyone(200) }],
  "account.tsx": [
    { what: "my page", method: "GET", path: () => "/account", expect: signedInOnly(200) },
    { what: "change my name", method: "POST", path: () => "/account", fields: (_c, _e, role) => ({ intent: "name", name: `Navn ${role}` }), expect: signedInOnly(200) },
  ],
  // Calendar subscription links: the right behind each feed is checked by createToken (403 when
  // missing); a link is revoked only by its holder (404 for anyone else). memberA's own person
  // feed is not made here: it would replace ctx.feedToken, which the feed probes below use.
  "account_.calendars.tsx": [
    { what: "my calendar subscriptions", method: "GET", path: () => "/account/calendars", expect: signedInOnly(200) },
    {
      what: "a link to A's feed",
      method: "POST",
      formFirst: "the form names the feed asked for",
      path: () => "/account/calendars",
      fields: (c) => ({ intent: "create", scope: `association:${c.w.a.id}` }),
      expect: { anonymous: "signin", memberA: 200, memberB: 403, leaderA: 200, caretaker: 403, admin: 403 },
      check: async (c, role, reply) => {
        if (role === "anonymous") return;
        expect(await activeTokens(c.w.users[role].id, `association:${c.w.a.id}`)).toBe(reply.outcome === 200 ? 1 : 0);
      },
    },
    {
      what: "a link to the venue's staff feed",
      method: "POST",
      formFirst: "the form names the feed asked for",
      path: () => "/account/calendars",
      fields: (c) => ({ intent: "create", scope: `venue-staff:${c.w.venue.id}` }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 200, admin: 200 },
      check: async (c, role, reply) => {
        if (role === "anonymous") return;
        expect(await activeTokens(c.w.users[role].id, `venue-staff:${c.w.venue.id}`)).toBe(reply.outcome === 200 ? 1 : 0);
      },
    },
    {
      what: "a link to leader A's own feed",
      method: "POST",
      formFirst: "the form names the feed asked for",
      path: () => "/account/calendars",
      fields: (c) => ({ intent: "create", scope: `person:${c.w.users.leaderA.id}` }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 200, caretaker: 403, admin: 403 },
    },
    {
      what: "revoke member B's link",
      method: "POST",
      fresh: async (c) => ({ tokenId: String((await createToken(t.db, { userId: c.w.users.memberB.id, scope: `association:${c.w.b.id}` })).id) }),
      path: () => "/account/calendars",
      fields: (_c, e) => ({ intent: "revoke", tokenId: e.tokenId! }),
      expect: { anonymous: "signin", memberA: 404, memberB: 200, leaderA: 404, caretaker: 404, admin: 404 },
      check: async (_c, _role, reply, e) => {
        const row = await t.db.selectFrom("calendar_tokens").select("revoked_at").where("id", "=", Number(e.tokenId)).executeTakeFirstOrThrow();
        expect(row.revoked_at !== null).toBe(reply.outcome === 200);
      },
    },
  ],
  "associations.new.tsx": [
    { what: "the form", method: "GET", path: () => "/associations/new", expect: signedInOnly(200) },
    { what: "register (empty form)", method: "POST", path: () => "/associations/new", fields: () => ({ name: "" }), expect: signedInOnly(400) },
  ],
  "associations.$id.tsx": [
    {
      what: "A's page",
      method: "GET",
      path: (c) => `/associations/${c.w.a.id}`,
      params: (c) => ({ id: String(c.w.a.id) }),
      // Owner admins verify associations, so they may read them.
      expect: { anonymous: "signin", memberA: 200, memberB: 404, leaderA: 200, caretaker: 404, admin: 200 },
    },
    {
      what: "invite to A",
      method: "POST",
      formFirst: "members may use the page, and the form says which of its actions is asked for",
      path: (c) => `/associations/${c.w.a.id}`,
      params: (c) => ({ id: String(c.w.a.id) }),
      fields: (_c, _e, role) => ({ intent: "invite", email: `invitee-${role}@example.org` }),
      expect: { anonymous: "signin", memberA: 403, memberB: 404, leaderA: 200, caretaker: 404, admin: 404 },
    },
    {
      what: "ask before removing A's member",
      method: "POST",
      path: (c) => `/associations/${c.w.a.id}`,
      params: (c) => ({ id: String(c.w.a.id) }),
      fields: (c) => ({ intent: "remove", userId: c.w.users.memberA.id }),
      // Asking changes nothing, so every role: A's leader is asked to confirm the removal, the member to confirm leaving.
      expect: { anonymous: "signin", memberA: 200, memberB: 404, leaderA: 200, caretaker: 404, admin: 404 },
      check: async (c) => {
        const still = await t.db.selectFrom("memberships").select("role").where("association_id", "=", c.w.a.id).where("user_id", "=", c.w.users.memberA.id).executeTakeFirst();
        expect(still?.role).toBe("member");
      },
    },
    {
      what: "remove A's member (confirmed)",
      method: "POST",
      path: (c) => `/associations/${c.w.a.id}`,
      params: (c) => ({ id: String(c.w.a.id) }),
      fields: (c) => ({ intent: "remove", userId: c.w.users.memberA.id, confirm: "1" }),
      // Only people who may not: A's own people would really remove the member.
      expect: { anonymous: "signin", memberB: 404, caretaker: 404, admin: 404 },
      check: async (c) => {
        const still = await t.db.selectFrom("memberships").select("role").where("association_id", "=", c.w.a.id).where("user_id", "=", c.w.users.memberA.id).executeTakeFirst();
        expect(still?.role).toBe("member");
      },
    },
  ],
  "bookings._index.tsx": [
    {
      what: "my bookings",
      method: "GET",
      path: () => "/bookings",
      expect: signedInOnly(200),
      check: async (_c, role, reply) => {
        if (role === "memberB" || role === "caretaker" || role === "admin") expect(reply.body).not.toContain("A privat");
        if (role === "memberA" || role === "leaderA") expect(reply.body).not.toContain("B privat");
      },
    },
  ],
  "bookings.$id.tsx": [
    {
      what: "A's private booking",
      method: "GET",
      path: (c) => `/bookings/${c.privateA}`,
      params: (c) => ({ id: c.privateA }),
      expect: { anonymous: "signin", memberA: 200, memberB: 404, leaderA: 200, caretaker: 200, admin: 200 },
      check: async (_c, _role, reply) => {
        if (reply.outcome === 404) expect(reply.body).not.toContain("A privat");
      },
    },
    {
      what: "B's private booking",
      method: "GET",
      path: (c) => `/bookings/${c.privateB}`,
      params: (c) => ({ id: c.privateB }),
      expect: { anonymous: "signin", memberA: 404, memberB: 200, leaderA: 404, caretaker: 200, admin: 200 },
    },
    { what: "an id that is no id", method: "GET", path: () => "/bookings/42", params: () => ({ id: "42" }), expect: signedInOnly(404) },
  ],
  "bookings.$id_.cancel.tsx": [
    {
      what: "the confirmation for A's booking",
      method: "GET",
      path: (c) => `/bookings/${c.privateA}/cancel`,
      params: (c) => ({ id: c.privateA }),
      expect: { anonymous: "signin", memberA: 200, memberB: 404, leaderA: 200, caretaker: 200, admin: 200 },
    },
    {
      what: "cancel A's booking",
      method: "POST",
      fresh: async (c, role, i) => ({ id: await bookFor(c, "a", daysFromToday(40 + i), `Avlysning ${role}`) }),
      path: (_c, e) => `/bookings/${e.id}/cancel`,
      params: (_c, e) => ({ id: e.id! }),
      fields: () => ({ scope: "one", reason: "Test" }),
      expect: { anonymous: "signin", memberA: 302, memberB: 404, leaderA: 302, caretaker: 302, admin: 302 },
      check: async (_c, _role, reply, e) => {
        expect(await bookingStatus(e.id!)).toBe(reply.outcome === 302 ? "cancelled" : "confirmed");
      },
    },
  ],
  // Moving: whoever may see the booking may move it (members of its association, the venue's staff).
  "bookings.$id_.move.tsx": [
    {
      what: "the move form for A's booking",
      method: "GET",
      path: (c) => `/bookings/${c.privateA}/move`,
      params: (c) => ({ id: c.privateA }),
      expect: { anonymous: "signin", memberA: 200, memberB: 404, leaderA: 200, caretaker: 200, admin: 200 },
    },
    {
      what: "move A's booking",
      method: "POST",
      fresh: async (c, role, i) => ({ id: await bookFor(c, "a", daysFromToday(60 + i), `Flytting ${role}`), date: daysFromToday(60 + i) }),
      path: (_c, e) => `/bookings/${e.id}/move`,
      params: (_c, e) => ({ id: e.id! }),
      fields: (_c, e) => ({ date: e.date!, start: "14:00", end: "16:00" }),
      expect: { anonymous: "signin", memberA: 302, memberB: 404, leaderA: 302, caretaker: 302, admin: 302 },
      check: async (_c, _role, reply, e) => {
        const row = await t.db.selectFrom("bookings").select(["starts_at", "venue_id"]).where("id", "=", e.id!).executeTakeFirstOrThrow();
        const hour = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", hour12: false, timeZone: "Europe/Oslo" }).format(row.starts_at);
        expect(hour).toBe(reply.outcome === 302 ? "14" : "10");
      },
    },
  ],
  "bookings.$id[.ics].ts": [
    { what: "A's public booking as a calendar file", method: "GET", path: (c) => `/bookings/${c.publicA}.ics`, params: (c) => ({ id: c.publicA }), expect: everyone(200) },
    {
      what: "A's private booking as a calendar file, without a token",
      method: "GET",
      path: (c) => `/bookings/${c.privateA}.ics`,
      params: (c) => ({ id: c.privateA }),
      // Signed in, whoever sees the booking's page gets its file (the session decides); else the 404 of an unknown booking.
      expect: { anonymous: 404, memberA: 200, memberB: 404, leaderA: 200, caretaker: 200, admin: 200 },
      check: async (_c, _role, reply) => {
        if (reply.outcome === 404) expect(reply.body).toBe("Not found\n");
        else expect(reply.body).toContain("A privat");
      },
    },
    {
      what: "B's private booking as a calendar file, without a token",
      method: "GET",
      path: (c) => `/bookings/${c.privateB}.ics`,
      params: (c) => ({ id: c.privateB }),
      expect: { anonymous: 404, memberA: 404, memberB: 200, leaderA: 404, caretaker: 200, admin: 200 },
      check: async (_c, _role, reply) => {
        if (reply.outcome === 404) expect(reply.body).not.toContain("B privat");
      },
    },
  ],
  "venues.$slug.tsx": [{ what: "the venue's week", method: "GET", path: (c) => `/venues/${c.w.venue.slug}`, params: venueParams, expect: everyone(200) }],
  "venues.$slug_.book.tsx": [
    { what: "the booking form", method: "GET", path: (c) => `/venues/${c.w.venue.slug}/book`, params: venueParams, expect: signedInOnly(200) },
    {
      what: "book for A",
      method: "POST",
      formFirst: "the form names the association booked for",
      fresh: async (_c, _role, i) => ({ date: daysFromToday(60 + i) }),
      path: (c) => `/venues/${c.w.venue.slug}/book`,
      params: venueParams,
      fields: (c, e, role) => ({
        associationId: c.w.a.id,
        date: e.date!,
        start: "09:00",
        end: "10:00",
        title: `Booket av ${role}`,
        visibility: "private",
        expectedAttendees: 4,
        idempotencyKey: `matrix-${role}-key`,
      }),
      expect: { anonymous: "signin", memberA: 302, memberB: 403, leaderA: 302, caretaker: 403, admin: 403 },
      check: async (_c, role, reply) => {
        const made = await t.db.selectFrom("bookings").select("id").where("title", "=", `Booket av ${role}`).execute();
        expect(made).toHaveLength(reply.outcome === 302 ? 1 : 0);
      },
    },
  ],
  "venues.$slug_.series.tsx": [
    { what: "the series form", method: "GET", path: (c) => `/venues/${c.w.venue.slug}/series`, params: venueParams, expect: signedInOnly(200) },
    {
      what: "preview a series for A",
      method: "POST",
      formFirst: "the form names the association booked for",
      path: (c) => `/venues/${c.w.venue.slug}/series`,
      params: venueParams,
      fields: (c) => ({
        intent: "preview",
        associationId: c.w.a.id,
        weekday: 3,
        startTime: "12:00",
        durationMinutes: 60,
        intervalWeeks: 1,
        from: daysFromToday(80),
        until: daysFromToday(100),
        title: "Serie",
        visibility: "private",
        expectedAttendees: 4,
      }),
      expect: { anonymous: "signin", memberA: 200, memberB: 403, leaderA: 200, caretaker: 403, admin: 403 },
    },
  ],
  "feeds.venues.$slug[.ics].ts": [
    {
      what: "the venue's public feed",
      method: "GET",
      path: (c) => `/feeds/venues/${c.w.venue.slug}.ics`,
      params: venueParams,
      expect: everyone(200),
      check: async (_c, _role, reply) => {
        expect(reply.body).toContain("A offentlig");
        expect(reply.body).not.toContain("A privat");
        expect(reply.body).not.toContain("B privat");
      },
    },
  ],
  "feeds.t.$token[.ics].ts": [
    // A capability: the token, not the session, decides.
    { what: "a personal feed by its token", method: "GET", path: (c) => `/feeds/t/${c.feedToken}.ics`, params: (c) => ({ token: c.feedToken }), expect: everyone(200) },
    { what: "an unknown token", method: "GET", path: () => "/feeds/t/nope.ics", params: () => ({ token: "nope" }), expect: everyone(404) },
  ],
  "healthz.ts": [{ what: "liveness", method: "GET", path: () => "/healthz", expect: everyone(200) }],
  "lang.ts": [{ what: "choose a language", method: "GET", path: () => "/lang?to=en&back=/", expect: everyone(303) }],
  "signin._index.tsx": [
    { what: "the sign-in page", method: "GET", path: () => "/signin", expect: everyone(200) },
    { what: "ask for a mail", method: "POST", path: () => "/signin", fields: (_c, _e, role) => ({ email: `matrix-${role}@example.org` }), expect: everyone(302) },
  ],
  "signin.code.tsx": [
    { what: "the code page", method: "GET", path: () => "/signin/code", expect: everyone(200) },
    { what: "a code without asking", method: "POST", path: () => "/signin/code", fields: () => ({ code: "ABCD-EFGH" }), expect: everyone(400) },
  ],
  "signin.verify.tsx": [
    { what: "a used-up link", method: "GET", path: () => "/signin/verify?token=nope", expect: everyone(410) },
    { what: "signing in with it", method: "POST", path: () => "/signin/verify", fields: () => ({ token: "nope" }), expect: everyone(400) },
  ],
  "signout.tsx": [
    { what: "the sign-out page", method: "GET", path: () => "/signout", expect: everyone(200) },
    { what: "sign out", method: "POST", path: () => "/signout", fields: () => ({}), expect: everyone(302) },
  ],
  // The development mailbox exists only without SMTP_URL and outside production,
  // and answers only requests from the developer's machine; these browsers are
  // on others (tests/integration/mail-dev-mailbox.test.ts has this machine's view).
  "dev.mailbox._index.tsx": [{ what: "the mailbox", method: "GET", path: () => "/dev/mailbox", expect: everyone(404) }],
  "dev.mailbox.$id.tsx": [
    { what: "a message", method: "GET", path: (c) => `/dev/mailbox/${c.outboxId}`, params: (c) => ({ id: String(c.outboxId) }), expect: everyone(404) },
  ],
  "dev.mailbox.$id.html.ts": [
    { what: "its HTML", method: "GET", path: (c) => `/dev/mailbox/${c.outboxId}/html`, params: (c) => ({ id: String(c.outboxId) }), expect: everyone(404) },
  ],
  // Owner admins only: what mail did not go out (no content), and trying one again.
  "admin._index.tsx": [{ what: "the admin start page", method: "GET", path: () => "/admin", expect: { ...signedInOnly(403), admin: 200 } }],
  // Venues: the owner's admins only (requireAdminOwner / requireAdminOfSite / requireAdminOfVenue).
  "admin.venues._index.tsx": [{ what: "the venue list", method: "GET", path: () => "/admin/venues", expect: { ...signedInOnly(403), admin: 200 } }],
  "admin.venues.new.tsx": [
    { what: "the new-venue form", method: "GET", path: () => "/admin/venues/new", expect: { ...signedInOnly(403), admin: 200 } },
    {
      what: "create a venue",
      method: "POST",
      path: () => "/admin/venues/new",
      fields: (c, _e, role) => ({ ...ADMIN_VENUE_DEFAULTS, siteId: c.w.site.id, parentId: "", name: `Nytt rom ${role}`, slug: `matrix-new-${role}`, capacity: 10 }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 403, admin: 302 },
      check: async (_c, role, reply) => {
        const rows = await t.db.selectFrom("venues").select("id").where("slug", "=", `matrix-new-${role}`).execute();
        expect(rows.length).toBe(reply.outcome === 302 ? 1 : 0);
      },
    },
  ],
  "admin.venues.$id.tsx": [
    {
      what: "the venue's edit page",
      method: "GET",
      path: (c) => `/admin/venues/${c.w.venue.id}`,
      params: (c) => ({ id: String(c.w.venue.id) }),
      expect: { ...signedInOnly(403), admin: 200 },
    },
    {
      what: "edit a venue",
      method: "POST",
      fresh: async (c, role) => ({ id: String((await makeMatrixVenue(t.db, c.w.site.id, { name: `Før ${role}` })).id) }),
      path: (_c, e) => `/admin/venues/${e.id}`,
      params: (_c, e) => ({ id: e.id! }),
      fields: (_c, e, role) => ({ ...ADMIN_VENUE_DEFAULTS, intent: "save", name: `Etter ${role}`, slug: `matrix-edit-${e.id}`, capacity: 10 }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 403, admin: 302 },
      check: async (_c, role, reply, e) => {
        const row = await t.db.selectFrom("venues").select("name").where("id", "=", Number(e.id)).executeTakeFirstOrThrow();
        expect(row.name).toBe(reply.outcome === 302 ? `Etter ${role}` : `Før ${role}`);
      },
    },
    {
      what: "archive a venue",
      method: "POST",
      fresh: async (c) => ({ id: String((await makeMatrixVenue(t.db, c.w.site.id)).id) }),
      path: (_c, e) => `/admin/venues/${e.id}`,
      params: (_c, e) => ({ id: e.id! }),
      fields: () => ({ intent: "archive" }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 403, admin: 302 },
      check: async (_c, _role, reply, e) => {
        const row = await t.db.selectFrom("venues").select("archived_at").where("id", "=", Number(e.id)).executeTakeFirstOrThrow();
        expect(row.archived_at !== null).toBe(reply.outcome === 302);
      },
    },
  ],
  // The CSV import: the owner's admins only (requireAdminOwner). The sample file is documentation, open to all.
  "admin.import.tsx": [
    { what: "the import page", method: "GET", path: () => "/admin/import", expect: { ...signedInOnly(403), admin: 200 } },
    {
      what: "import a venue from pasted CSV",
      method: "POST",
      path: () => "/admin/import",
      fields: (c, _e, role) => ({ intent: "import", text: `site;name;slug;kind;capacity\n${c.w.site.name};Import ${role};matrix-import-${role};meeting-room;10\n` }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 403, admin: 200 },
      check: async (_c, role, reply) => {
        const rows = await t.db.selectFrom("venues").select("id").where("slug", "=", `matrix-import-${role}`).execute();
        expect(rows.length).toBe(reply.outcome === 200 ? 1 : 0);
      },
    },
  ],
  "admin.import_.sample[.csv].ts": [{ what: "the sample file", method: "GET", path: () => "/admin/import/sample.csv", expect: everyone(200) }],
  "admin.mail.tsx": [
    { what: "undelivered mail", method: "GET", path: () => "/admin/mail", expect: { ...signedInOnly(403), admin: 200 } },
    {
      what: "try one again",
      method: "POST",
      path: () => "/admin/mail",
      fields: (c) => ({ id: c.outboxId }),
      // The admin is answered with a redirect saying whether it was queued (this one was not given up: no).
      expect: { ...signedInOnly(403), admin: 302 },
    },
  ],
  // Opening hours and closures: the venue owner's admins only (caretakers block time on their own page).
  "admin.venues.$id_.hours.tsx": [
    {
      what: "the venue's hours and closures",
      method: "GET",
      path: (c) => `/admin/venues/${c.w.venue.id}/hours`,
      params: (c) => ({ id: String(c.w.venue.id) }),
      expect: { ...signedInOnly(403), admin: 200 },
    },
    {
      what: "close the venue for a day",
      method: "POST",
      fresh: async (_c, role, i) => ({ date: daysFromToday(300 + i), reason: `Stengt ${role}` }),
      path: (c) => `/admin/venues/${c.w.venue.id}/hours`,
      params: (c) => ({ id: String(c.w.venue.id) }),
      fields: (_c, e) => ({ intent: "closure", startsOn: e.date!, endsOn: e.date!, reason: e.reason! }),
      // Nothing is booked that day, so the admin's closure saves at once (302).
      expect: { ...signedInOnly(403), admin: 302 },
      check: async (c, _role, reply, e) => {
        const rows = await t.db.selectFrom("closures").select("id").where("venue_id", "=", c.w.venue.id).where("reason", "=", e.reason!).execute();
        expect(rows.length).toBe(reply.outcome === 302 ? 1 : 0);
      },
    },
  ],
  // Caretakers and admins of the venue's site only; members of associations are refused.
  "caretaker.requests.tsx": [
    { what: "the approval queue", method: "GET", path: () => "/caretaker/requests", expect: { ...signedInOnly(403), caretaker: 200, admin: 200 } },
    {
      what: "approve A's pending request",
      method: "POST",
      fresh: async (c, role, i) => {
        const id = await bookFor(c, "a", daysFromToday(120 + i), `Godkjenning ${role}`);
        await t.db.updateTable("bookings").set({ status: "pending" }).where("id", "=", id).execute();
        return { id };
      },
      path: () => "/caretaker/requests",
      fields: (_c, e) => ({ intent: "approve", kind: "booking", id: e.id! }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 302, admin: 302 },
      check: async (_c, _role, reply, e) => {
        expect(await bookingStatus(e.id!)).toBe(reply.outcome === 302 ? "confirmed" : "pending");
      },
    },
  ],
  "caretaker.today.tsx": [
    { what: "the day plan", method: "GET", path: () => "/caretaker/today", expect: { ...signedInOnly(403), caretaker: 200, admin: 200 } },
    {
      what: "record a no-show for A's past booking",
      method: "POST",
      fresh: async (c, role, i) => {
        // Made with an earlier clock, so that it has started by now.
        const { booking } = await requestBooking(
          t.db,
          { actorId: c.w.users.memberA.id, associationId: c.w.a.id, venueId: c.w.venue.id, date: daysFromToday(-10 - i), start: "10:00", end: "12:00", title: `Fortid ${role}`, expectedAttendees: 5 },
          new Date(Date.now() - 30 * 86_400_000),
        );
        return { id: booking.id };
      },
      path: () => "/caretaker/today",
      fields: (_c, e) => ({ intent: "noShow", id: e.id! }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 302, admin: 302 },
      check: async (_c, _role, reply, e) => {
        const row = await t.db.selectFrom("bookings").select("no_show").where("id", "=", e.id!).executeTakeFirstOrThrow();
        expect(row.no_show).toBe(reply.outcome === 302);
      },
    },
  ],
  // Blocking time: the venue's caretakers and the owner's admins only.
  "caretaker.block.tsx": [
    { what: "the block page", method: "GET", path: () => "/caretaker/block", expect: { ...signedInOnly(403), caretaker: 200, admin: 200 } },
    {
      what: "block time",
      method: "POST",
      fresh: async (_c, role, i) => ({ date: daysFromToday(200 + i), reason: `Sperret ${role}` }),
      path: () => "/caretaker/block",
      fields: (c, e) => ({ intent: "block", venueId: c.w.venue.id, date: e.date!, start: "07:00", end: "08:00", reason: e.reason! }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 302, admin: 302 },
      check: async (_c, _role, reply, e) => {
        const rows = await t.db.selectFrom("bookings").select("id").where("kind", "=", "block").where("title", "=", e.reason!).execute();
        expect(rows.length).toBe(reply.outcome === 302 ? 1 : 0);
      },
    },
    {
      what: "remove a block",
      method: "POST",
      fresh: async (c, _role, i) => {
        const block = await blockTime(t.db, { actorId: c.w.users.caretaker.id, venueId: c.w.venue.id, date: daysFromToday(210 + i), start: "07:00", end: "08:00", reason: "Vedlikehold" }, new Date());
        return { id: block.id };
      },
      path: () => "/caretaker/block",
      fields: (_c, e) => ({ intent: "remove", blockId: e.id! }),
      expect: { anonymous: "signin", memberA: 403, memberB: 403, leaderA: 403, caretaker: 302, admin: 302 },
      check: async (_c, _role, reply, e) => {
        expect(await bookingStatus(e.id!)).toBe(reply.outcome === 302 ? "cancelled" : "confirmed");
      },
    },
  ],
  "caretaker.week.tsx": [
    {
      what: "the week plan",
      method: "GET",
      path: () => `/caretaker/week?week=${daysFromToday(20)}`,
      expect: { ...signedInOnly(403), caretaker: 200, admin: 200 },
      // Association names, never contact details, and only to the building's people.
      check: async (_c, _role, reply) => {
        expect(reply.body.includes("A privat")).toBe(reply.outcome === 200);
      },
    },
  ],
  "caretaker.sheet.tsx": [
    {
      what: "the day sheet",
      method: "GET",
      path: () => `/caretaker/sheet?date=${daysFromToday(20)}`,
      expect: { ...signedInOnly(403), caretaker: 200, admin: 200 },
      // Contact details of associations go only to the building's caretaker and the owner's admins.
      check: async (c, _role, reply) => {
        expect(reply.body.includes(c.w.a.contact_email)).toBe(reply.outcome === 200);
      },
    },
  ],
  // People of the owner: its admins only. The matrix's admin is the owner's only admin, so taking
  // their role is refused (409, the last admin) and nobody else gets past 403.
  "admin.people.tsx": [
    { what: "caretakers and admins", method: "GET", path: () => "/admin/people", expect: { ...signedInOnly(403), admin: 200 } },
    {
      what: "assign a caretaker",
      method: "POST",
      fresh: async () => {
        const user = await makeMatrixUser(t.db, "Ny Vaktmester");
        return { userId: String(user.id), email: user.email };
      },
      path: () => "/admin/people",
      fields: (c, e) => ({ intent: "assign", siteId: c.w.site.id, email: e.email! }),
      expect: { ...signedInOnly(403), admin: 302 },
      check: async (c, _role, reply, e) => {
        const row = await t.db.selectFrom("site_caretakers").select("user_id").where("site_id", "=", c.w.site.id).where("user_id", "=", Number(e.userId)).executeTakeFirst();
        expect(row !== undefined).toBe(reply.outcome === 302);
      },
    },
    {
      what: "take the only admin's role",
      method: "POST",
      path: () => "/admin/people",
      fields: (c) => ({ intent: "takeAdmin", ownerId: c.w.owner.id, userId: c.w.users.admin.id }),
      expect: { ...signedInOnly(403), admin: 409 },
      check: async (c) => {
        const row = await t.db.selectFrom("owner_admins").select("user_id").where("owner_id", "=", c.w.owner.id).where("user_id", "=", c.w.users.admin.id).executeTakeFirst();
        expect(row).toBeDefined();
      },
    },
  ],
  // Verifying associations: any owner's admins (associations belong to no owner).
  "admin.associations.tsx": [
    { what: "the associations to verify", method: "GET", path: () => "/admin/associations", expect: { ...signedInOnly(403), admin: 200 } },
    {
      what: "verify an association",
      method: "POST",
      fresh: async (_c, role, i) => ({ id: String((await insertAssociation(`Venter ${role}`, i)).id) }),
      path: () => "/admin/associations",
      fields: (_c, e) => ({ intent: "verify", associationId: e.id! }),
      expect: { ...signedInOnly(403), admin: 302 },
      check: async (_c, _role, reply, e) => {
        const row = await t.db.selectFrom("associations").select("verified").where("id", "=", Number(e.id)).executeTakeFirstOrThrow();
        expect(row.verified).toBe(reply.outcome === 302);
      },
    },
    {
      what: "reject an association",
      method: "POST",
      fresh: async (_c, role, i) => ({ id: String((await insertAssociation(`Avvises ${role}`, 100 + i)).id) }),
      path: () => "/admin/associations",
      fields: (_c, e) => ({ intent: "reject", associationId: e.id!, reason: "Ikke et lag" }),
      expect: { ...signedInOnly(403), admin: 302 },
      check: async (_c, role, reply, e) => {
        const row = await t.db.selectFrom("associations").select("rejected_at").where("id", "=", Number(e.id)).executeTakeFirstOrThrow();
        expect(row.rejected_at !== null).toBe(reply.outcome === 302);
        const mails = await t.db.selectFrom("outbox").select("id").where("kind", "=", "association-rejected").where("payload", "@>", JSON.stringify({ associationName: `Avvises ${role}` })).execute();
        expect(mails.length).toBe(reply.outcome === 302 ? 1 : 0);
      },
    },
  ],
  // A booking's audit history: the venue's caretakers and the owner's admins; A's members see the
  // booking but not its history (403); to anyone else it does not exist (404).
  "bookings.$id_.history.tsx": [
    {
      what: "A's private booking's history",
      method: "GET",
      path: (c) => `/bookings/${c.privateA}/history`,
      params: (c) => ({ id: c.privateA }),
      expect: { anonymous: "signin", memberA: 403, memberB: 404, leaderA: 403, caretaker: 200, admin: 200 },
      check: async (_c, _role, reply) => {
        expect(reply.body.includes("A privat")).toBe(reply.outcome === 200);
      },
    },
  ],
  "dev.mailbox.$id.eml.ts": [
    { what: "its .eml", method: "GET", path: (c) => `/dev/mailbox/${c.outboxId}/eml`, params: (c) => ({ id: String(c.outboxId) }), expect: everyone(404) },
  ],
};

type RouteModule = { loader?: (args: LoaderFunctionArgs) => unknown; action?: (args: ActionFunctionArgs) => unknown };

const ROUTES_DIR = path.resolve("app/routes");
const files = readdirSync(ROUTES_DIR)
  .filter((f) => /\.tsx?$/.test(f))
  .sort();
const modules = new Map<string, RouteModule>();
for (const file of files) modules.set(file, (await import(path.join(ROUTES_DIR, file))) as RouteModule);

beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  const w = await makeWorld(t.db);
  const partial = { w } as Ctx;
  const privateA = await bookFor(partial, "a", daysFromToday(20), "A privat");
  const privateB = await bookFor(partial, "b", daysFromToday(21), "B privat");
  const publicA = await bookFor(partial, "a", daysFromToday(22), "A offentlig", true);
  const { token } = await createToken(t.db, { userId: w.users.memberA.id, scope: `person:${w.users.memberA.id}` });
  const outbox = await t.db.selectFrom("outbox").select("id").where("kind", "=", "booking-confirmed").orderBy("id").executeTakeFirstOrThrow();
  ctx = { w, privateA, privateB, publicA, feedToken: token, outboxId: outbox.id };
});
afterAll(() => dropTestDb(t));

/** An unverified association with a fresh organisation number (the fixtures use another range). */
async function insertAssociation(name: string, i: number) {
  const org = matrixOrgNumber(String(70_000_000 + i * 11));
  return t.db.insertInto("associations").values({ name, org_number: org, contact_email: "matrix@example.org", verified: false }).returning("id").executeTakeFirstOrThrow();
}

/** A page with nothing of its own: visiting it runs the root loader (CSRF cookie and token). */
const home = () => ({});

async function run(browser: TestBrowser, mod: RouteModule, probe: Probe, extra: Record<string, string>, role: MatrixRole) {
  const p = probe.path(ctx, extra);
  const params = probe.params?.(ctx, extra) ?? {};
  if (probe.method === "GET") return browser.visit(mod.loader!, p, params);
  await browser.visit(home, "/");
  return browser.submit(mod.action!, p, probe.fields?.(ctx, extra, role) ?? {}, { params });
}

function bodyOf(data: unknown): string {
  return typeof data === "string" ? data : JSON.stringify(data ?? null);
}

describe("authorization matrix", () => {
  it("covers every route module, every loader and every action", () => {
    const missing: string[] = [];
    for (const [file, mod] of modules) {
      const probes = MATRIX[file];
      if (!probes) {
        missing.push(`${file}: no entry`);
        continue;
      }
      if (typeof mod.loader === "function" && !probes.some((p) => p.method === "GET")) missing.push(`${file}: loader without a probe`);
      if (typeof mod.action === "function" && !probes.some((p) => p.method === "POST")) missing.push(`${file}: action without a probe`);
      for (const p of probes) {
        if (p.method === "GET" && typeof mod.loader !== "function") missing.push(`${file}: GET probe but no loader`);
        if (p.method === "POST" && typeof mod.action !== "function") missing.push(`${file}: POST probe but no action`);
      }
    }
    for (const file of Object.keys(MATRIX)) if (!modules.has(file)) missing.push(`${file}: in the matrix but not a route`);
    expect(missing).toEqual([]);
  });

  const cases = Object.entries(MATRIX).flatMap(([file, probes]) => probes.map((probe) => [`${file} ${probe.method} ${probe.what}`, file, probe] as const));

  it.each(cases)("%s", async (_name, file, probe) => {
    const mod = modules.get(file);
    if (!mod) return; // reported by the coverage test
    const got: Partial<Record<MatrixRole, Outcome>> = {};
    let i = 0;
    for (const role of ROLES) {
      i++;
      if (!(role in probe.expect)) continue;
      const extra = (await probe.fresh?.(ctx, role, i)) ?? {};
      const browser = await browserFor(t.db, ctx.w, role);
      const reply = await run(browser, mod, probe, extra, role);
      const signin = reply.status === 302 && (reply.location ?? "").startsWith("/signin?next=");
      got[role] = signin ? "signin" : reply.status;
      if (signin) expect(decodeURIComponent(reply.location!.slice("/signin?next=".length))).toBe(probe.path(ctx, extra));
      await probe.check?.(ctx, role, { outcome: got[role]!, body: bodyOf(reply.data) }, extra);
    }
    expect(got).toEqual(probe.expect);
  });
});

// The same refusals when the form is also wrong: whoever may not act is told
// so, not what is wrong with what they posted (an answer that would tell them
// what the form expects, and, for an unknown venue, a status the page contradicted).
describe("authorization before validation", () => {
  const posts = Object.entries(MATRIX).flatMap(([file, probes]) =>
    probes.filter((p) => p.method === "POST" && !p.formFirst).map((probe) => [`${file} ${probe.what}`, file, probe] as const),
  );
  /** The probe's form with every field but the one choosing what to do emptied. */
  const emptied = (fields: Record<string, string | number>) =>
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, k === "intent" || k === "kind" ? v : ""]));

  it.each(posts)("%s", async (_name, file, probe) => {
    const mod = modules.get(file)!;
    const refused = ROLES.filter((r) => probe.expect[r] === 403 || probe.expect[r] === "signin");
    const got: Partial<Record<MatrixRole, Outcome>> = {};
    // Past the main test's indexes: its fresh data would take the same slots.
    let i = 10;
    for (const role of refused) {
      i++;
      const extra = (await probe.fresh?.(ctx, role, i)) ?? {};
      const browser = await browserFor(t.db, ctx.w, role);
      await browser.visit(home, "/");
      const fields = emptied((probe.fields?.(ctx, extra, role) ?? {}) as Record<string, string | number>);
      const reply = await browser.submit(mod.action!, probe.path(ctx, extra), fields, { params: probe.params?.(ctx, extra) ?? {} });
      const signin = reply.status === 302 && (reply.location ?? "").startsWith("/signin?next=");
      got[role] = signin ? "signin" : reply.status;
    }
    expect(JSON.stringify(got)).toEqual(JSON.stringify(Object.fromEntries(refused.map((r) => [r, probe.expect[r]]))));
  });
});
