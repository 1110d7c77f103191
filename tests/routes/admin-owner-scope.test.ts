// The owner admin's venue, hours and import pages are owner-scoped: an admin
// of another owner is refused (403) on every page and every POST, ids taken
// from a form (a closure, a site, a whole) must belong to the venue or owner
// the page acts for, and absurd input answers 4xx with nothing written —
// never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VENUE_DEFAULTS } from "../../app/admin/venue-input";
import { provideDatabase } from "../../app/db.server";
import * as edit from "../../app/routes/admin.venues.$id";
import * as hours from "../../app/routes/admin.venues.$id_.hours";
import * as create from "../../app/routes/admin.venues.new";
import * as importPage from "../../app/routes/admin.import";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { daysFromToday, makeWorld, signedIn, type World } from "../helpers/people";

let t: TestDb;
let w: World;
/** Another municipality, with its own admin, site and venue. */
let other: { adminId: number; ownerId: number; siteId: number; venueId: number };
let closureId: number;

beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
  const { owner, site } = await makeOwner(t.db);
  const admin = await makeUser(t.db, "Annen Kommune-Admin");
  await t.db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: admin.id }).execute();
  const venue = await makeVenue(t.db, site.id);
  other = { adminId: admin.id, ownerId: owner.id, siteId: site.id, venueId: venue.id };
  const closure = await t.db
    .insertInto("closures")
    .values({ venue_id: w.venue.id, starts_on: daysFromToday(60), ends_on: daysFromToday(61), reason: "Maling" })
    .returning("id")
    .executeTakeFirstOrThrow();
  closureId = closure.id;
});
afterAll(() => dropTestDb(t));

const venueRow = () => t.db.selectFrom("venues").selectAll().where("id", "=", w.venue.id).executeTakeFirstOrThrow();
const venueCount = async () => (await t.db.selectFrom("venues").select("id").execute()).length;
const closureCount = async () => (await t.db.selectFrom("closures").select("id").execute()).length;
const editPath = (id: number) => `/admin/venues/${id}`;
const hoursPath = (id: number) => `/admin/venues/${id}/hours`;
const venueForm = (extra: Record<string, string | string[]>) => ({ ...VENUE_DEFAULTS, name: "Testrom", capacity: "20", ...extra });

async function otherAdmin() {
  const b = await signedIn(t.db, other.adminId);
  await b.visit(edit.loader, editPath(other.venueId), { id: String(other.venueId) });
  return b;
}

async function admin() {
  const b = await signedIn(t.db, w.users.admin.id);
  await b.visit(edit.loader, editPath(w.venue.id), { id: String(w.venue.id) });
  return b;
}

describe("another owner's admin", () => {
  it("cannot open or change this owner's venue, its hours or its closures", async () => {
    const b = await otherAdmin();
    const id = { id: String(w.venue.id) };
    const before = await venueRow();
    expect((await b.visit(edit.loader, editPath(w.venue.id), id)).status).toBe(403);
    expect((await b.visit(hours.loader, hoursPath(w.venue.id), id)).status).toBe(403);
    for (const fields of [{ intent: "save", ...venueForm({ slug: before.slug }) }, { intent: "archive" }, { intent: "keep" }, { intent: "unarchive" }]) {
      expect((await b.submit(edit.action, editPath(w.venue.id), fields, { params: id })).status, fields.intent).toBe(403);
    }
    const closure = { intent: "closure", startsOn: daysFromToday(70), endsOn: daysFromToday(70), reason: "Nei" };
    const posts: Record<string, string | number>[] = [closure, { intent: "holidays" }, { intent: "remove", closureId }, { intent: "hours", "h1-0-opens": "10:00", "h1-0-closes": "11:00" }];
    for (const fields of posts) {
      expect((await b.submit(hours.action, hoursPath(w.venue.id), fields, { params: id })).status, String(fields.intent)).toBe(403);
    }
    expect(await venueRow()).toEqual(before);
    expect(await closureCount()).toBe(1);
  });

  it("cannot remove this owner's closure through a venue of its own (404), nor put a venue at this owner's site or under its venue", async () => {
    const b = await otherAdmin();
    const own = { id: String(other.venueId) };
    expect((await b.submit(hours.action, hoursPath(other.venueId), { intent: "remove", closureId }, { params: own })).status).toBe(404);
    expect(await closureCount()).toBe(1);

    const count = await venueCount();
    await b.visit(create.loader, "/admin/venues/new");
    const atTheirSite = await b.submit(create.action, "/admin/venues/new", venueForm({ siteId: String(w.site.id), parentId: "", slug: "snik-1" }));
    expect(atTheirSite.status).toBe(403);
    const underTheirVenue = await b.submit<{ fieldErrors: Record<string, string> }>(
      create.action,
      "/admin/venues/new",
      venueForm({ siteId: String(other.siteId), parentId: String(w.venue.id), slug: "snik-2" }),
    );
    expect(underTheirVenue.status).toBe(400);
    expect(Object.keys(underTheirVenue.data.fieldErrors)).toEqual(["parentId"]);
    expect(await venueCount()).toBe(count);
  });

  it("cannot import for this owner (?owner=)", async () => {
    const b = await signedIn(t.db, other.adminId);
    expect((await b.visit(importPage.loader, `/admin/import?owner=${w.owner.id}`)).status).toBe(403);
    const count = await venueCount();
    await b.visit(importPage.loader, "/admin/import");
    const text = "site,name,kind,capacity\nX,Y,hall,10";
    const reply = await b.submit(importPage.action, `/admin/import?owner=${w.owner.id}`, { intent: "import", text });
    expect(reply.status).toBe(403);
    expect(await venueCount()).toBe(count);
  });
});

describe("absurd input answers 4xx, never 500, and writes nothing", () => {
  it("on the new-venue form", async () => {
    const b = await admin();
    await b.visit(create.loader, "/admin/venues/new");
    const count = await venueCount();
    const site = String(w.site.id);
    const cases: Record<string, string | string[]>[] = [
      { siteId: site, capacity: "99999999999999999999" },
      { siteId: site, capacity: "-5" },
      { siteId: site, capacity: "1e3" },
      { siteId: site, minDurationMinutes: "0", maxDurationMinutes: "-1" },
      { siteId: site, kind: ["hall", "gym"], approvalMode: "sometimes" },
      { siteId: site, amenities: ["wifi", "jacuzzi"], stepFree: "maybe" },
      { siteId: site, name: "x".repeat(10_000) },
      { siteId: site, "h1-0-opens": "99:99", "h1-0-closes": "24:30" },
      { siteId: "1".repeat(40) },
      { siteId: "-1" },
      { siteId: site, parentId: "999999999999999" },
      { siteId: site, parentId: "abc" },
    ];
    for (const extra of cases) {
      const reply = await b.submit(create.action, "/admin/venues/new", venueForm(extra));
      expect(reply.status, JSON.stringify(extra).slice(0, 80)).toBe(400);
    }
    // An unknown site of a well-formed id: not found.
    expect((await b.submit(create.action, "/admin/venues/new", venueForm({ siteId: "999999999999999" }))).status).toBe(404);
    expect(await venueCount()).toBe(count);
  });

  it("on the edit page and the hours page", async () => {
    const b = await admin();
    const id = { id: String(w.venue.id) };
    const before = await venueRow();
    const bad: Record<string, string>[] = [{ capacity: "4294967296" }, { horizonDays: "100000" }, { bufferMinutes: "-1" }, { slug: "Ikke gyldig!" }, { name: "" }];
    for (const extra of bad) {
      const reply = await b.submit(edit.action, editPath(w.venue.id), { intent: "save", ...venueForm({ slug: before.slug, ...extra }) }, { params: id });
      expect(reply.status, JSON.stringify(extra)).toBe(400);
    }
    for (const bad of ["0", "-1", "99999999999999999999", "1.5", "abc"]) {
      const reply = await b.submit(edit.action, editPath(w.venue.id), { intent: "archive" }, { params: { id: bad } });
      expect(reply.status, bad).toBe(404);
    }
    expect(await venueRow()).toEqual(before);

    await b.visit(hours.loader, hoursPath(w.venue.id), id);
    const posts: Record<string, string | string[]>[] = [
      { intent: "remove", closureId: "-1" },
      { intent: "remove", closureId: "1".repeat(40) },
      { intent: "remove", closureId: "" },
      { intent: ["remove", "hours"], closureId: "abc" },
      { intent: "closure", startsOn: "99999-01-01", endsOn: "99999-01-02", reason: "x" },
      { intent: "closure", startsOn: "2027-13-01", endsOn: "2027-13-02", reason: "x" },
      { intent: "closure", startsOn: daysFromToday(5), endsOn: "9999-12-31", reason: "x" },
      { intent: "closure", startsOn: daysFromToday(5), endsOn: daysFromToday(6), reason: "x".repeat(100_000) },
      { intent: "hours", "h1-0-opens": "25:00", "h1-0-closes": "26:00", "h9-0-opens": "10:00" },
      { intent: "closure", startsOn: daysFromToday(5), endsOn: daysFromToday(6), reason: "Ok", confirm: "1", decision: "cancel", message: "", seen: "x,".repeat(5000) },
    ];
    const closuresBefore = await closureCount();
    for (const fields of posts) {
      const reply = await b.submit(hours.action, hoursPath(w.venue.id), fields, { params: id });
      expect(reply.status, JSON.stringify(fields).slice(0, 80)).toBeGreaterThanOrEqual(302);
      expect(reply.status, JSON.stringify(fields).slice(0, 80)).toBeLessThan(500);
    }
    // The last one strands nothing, so it saves (a consent with nothing to consent to is not a problem); the others wrote nothing.
    expect(await closureCount()).toBe(closuresBefore + 1);
  });
});
