// The admin's venue pages through real sign-in (session cookie, CSRF token)
// against real PostgreSQL: create → redirect to the edit page with every
// ticked amenity and the week's hours stored; bad input → 400 with messages
// beside the fields in nb and en, nothing written; edit and archive →
// redirect; archiving with bookings ahead → 409 listing them; list shows
// parts under their whole and archived ones marked.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SiteVenues } from "../../app/admin/venue-admin-page.server";
import { VENUE_DEFAULTS } from "../../app/admin/venue-input";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import * as edit from "../../app/routes/admin.venues.$id";
import * as list from "../../app/routes/admin.venues._index";
import * as create from "../../app/routes/admin.venues.new";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeVenue } from "../helpers/fixtures";
import { makeWorld, nextWeekday, signedIn, type World } from "../helpers/people";

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
});
afterAll(() => dropTestDb(t));

type Reply = { intent: string | null; fieldErrors: Record<string, string>; formError: string | null; values: Record<string, string> };
type ArchiveReply = Reply & { inTheWay: { bookings: { id: string; text: string }[]; canKeep: boolean } | null };

/** An admin's browser that has opened a page (so it holds a CSRF token). */
async function adminAt(path: string, loader: (args: LoaderFunctionArgs) => unknown, language?: string) {
  const b = await signedIn(t.db, w.users.admin.id, language ? { language } : {});
  await b.visit(loader as typeof list.loader, path);
  return b;
}

const venueCount = async () => (await t.db.selectFrom("venues").select("id").execute()).length;

const form = (name: string, extra: Record<string, string | string[]> = {}) => ({ ...VENUE_DEFAULTS, siteId: String(w.site.id), parentId: "", name, capacity: "25", ...extra });

describe("new venue", () => {
  it("creates it with every ticked amenity and the week's hours, then redirects to its edit page", async () => {
    const b = await adminAt("/admin/venues/new", create.loader);
    const reply = await b.submit(
      create.action,
      "/admin/venues/new",
      form("Ungdomsklubben", { amenities: ["wifi", "piano", "stage"], stepFree: "on", "h1-0-opens": "16:00", "h1-0-closes": "22:00", "h6-0-opens": "10:00", "h6-0-closes": "24:00" }),
    );
    expect(reply.status).toBe(302);
    const venue = await t.db.selectFrom("venues").selectAll().where("slug", "=", "ungdomsklubben").executeTakeFirstOrThrow();
    expect(reply.location).toBe(`/admin/venues/${venue.id}?done=created`);
    expect(venue).toMatchObject({ amenities: ["wifi", "piano", "stage"], step_free: true, capacity: 25, site_id: w.site.id });
    const hours = await t.db.selectFrom("opening_hours").select(["weekday", "opens", "closes"]).where("venue_id", "=", venue.id).orderBy("weekday").execute();
    expect(hours).toEqual([
      { weekday: 1, opens: "16:00:00", closes: "22:00:00" },
      { weekday: 6, opens: "10:00:00", closes: "24:00:00" },
    ]);
    const page = await b.visit<{ done: string; values: Record<string, string> }>(edit.loader, reply.location!, { id: String(venue.id) });
    expect(page.data.done).toBe("created");
    expect(page.data.values.amenities).toBe("wifi;piano;stage");
  });

  it("answers bad input with 400 and messages in bokmål, hours fields included, and writes nothing", async () => {
    const before = await venueCount();
    const b = await adminAt("/admin/venues/new", create.loader);
    const bad = await b.submit<Reply>(
      create.action,
      "/admin/venues/new",
      form("", { capacity: "mange", kind: "slott", minNoticeMinutes: "-1", "h2-0-opens": "18:00", "h2-0-closes": "", "h3-0-opens": "25:00", "h3-0-closes": "26:00" }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors).toMatchObject({
      name: "Navn må fylles ut.",
      // The venue's own word, not the search filter's "Plass til minst".
      capacity: expect.stringMatching(/^Kapasitet .*helt tall/),
      kind: expect.stringMatching(/ikke et av valgene/),
      minNoticeMinutes: "Varsel før start må være et helt tall.",
      "h2-0-closes": "Tirsdag stenger må fylles ut.",
      "h3-0-opens": expect.stringMatching(/^Onsdag åpner/),
    });
    expect(bad.data.values).toMatchObject({ capacity: "mange", "h2-0-opens": "18:00" });
    expect(await venueCount()).toBe(before);
  });

  it("refuses control characters in the name and the texts with 400 (a NUL was a 500), and keeps line breaks", async () => {
    const before = await venueCount();
    const b = await adminAt("/admin/venues/new", create.loader);
    for (const [field, value] of [["name", "QA\u0000rom"], ["name", "Rom\u0007"], ["description", "Fin\u001b[31m sal"], ["accessibilityNotes", "Rampe\u0000"]] as const) {
      const bad = await b.submit<Reply>(create.action, "/admin/venues/new", form(field === "name" ? value : "Kontrollrommet", field === "name" ? {} : { [field]: value }));
      expect(bad.status, `${field} ${JSON.stringify(value)}`).toBe(400);
      expect(bad.data.fieldErrors[field]).toMatch(/inneholder tegn som ikke er tillatt/);
    }
    expect(await venueCount()).toBe(before);
    const saved = await b.submit(create.action, "/admin/venues/new", form("Linjeskiftrommet", { description: "Første linje\r\nAndre linje\tmed tab" }));
    expect(saved.status).toBe(302);
    const row = await t.db.selectFrom("venues").select("description").where("name", "=", "Linjeskiftrommet").executeTakeFirstOrThrow();
    expect(row.description).toBe("Første linje\nAndre linje\tmed tab");
    // Combining accents are stored composed, as every other form stores text.
    const composed = await b.submit(create.action, "/admin/venues/new", form("Kafe\u0301rommet"));
    expect(composed.status).toBe(302);
    expect(await t.db.selectFrom("venues").select("id").where("name", "=", "Kaférommet").executeTakeFirst()).toBeDefined();
  });

  it("answers in English too, and names a taken slug", async () => {
    const before = await venueCount();
    const b = await adminAt("/admin/venues/new", create.loader, "en");
    const bad = await b.submit<Reply>(create.action, "/admin/venues/new", form("Storsalen kopi", { slug: w.venue.slug, siteId: "" }));
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors.siteId).toMatch(/must be filled in/);
    const taken = await b.submit<Reply>(create.action, "/admin/venues/new", form("Storsalen kopi", { slug: w.venue.slug }));
    expect(taken.status).toBe(400);
    expect(taken.data.fieldErrors.slug).toBe("The address name is already used by another venue.");
    expect(await venueCount()).toBe(before);
  });

  it("refuses members and caretakers with 403", async () => {
    for (const id of [w.users.memberA.id, w.users.caretaker.id]) {
      const b = await signedIn(t.db, id);
      expect((await b.visit(create.loader, "/admin/venues/new")).status).toBe(403);
      const post = await b.submit(create.action, "/admin/venues/new", form("Snikrom"));
      expect(post.status).toBe(403);
    }
    expect(await t.db.selectFrom("venues").select("id").where("name", "=", "Snikrom").execute()).toEqual([]);
  });
});

describe("edit page", () => {
  it("saves changes with a redirect, and shows problems beside the fields", async () => {
    const v = await makeVenue(t.db, w.site.id, { name: "Klubbrommet" });
    const path = `/admin/venues/${v.id}`;
    const b = await adminAt(path, edit.loader);
    const params = { params: { id: String(v.id) } };
    const saved = await b.submit(edit.action, path, { intent: "save", ...form("Klubbrommet Øst", { slug: v.slug, approvalMode: "manual" }) }, params);
    expect(saved.location).toBe(`${path}?done=saved`);
    expect(await t.db.selectFrom("venues").select(["name", "approval_mode"]).where("id", "=", v.id).executeTakeFirstOrThrow()).toEqual({ name: "Klubbrommet Øst", approval_mode: "manual" });
    const bad = await b.submit<Reply>(edit.action, path, { intent: "save", ...form("Klubbrommet", { slug: "Ikke Gyldig", bufferMinutes: "999" }) }, params);
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors).toEqual({
      slug: "Adressenavnet kan bare ha små bokstaver a–z, tall og bindestrek.",
      bufferMinutes: expect.stringMatching(/for (stor|høy)/),
    });
    expect((await t.db.selectFrom("venues").select("name").where("id", "=", v.id).executeTakeFirstOrThrow()).name).toBe("Klubbrommet Øst");
  });

  it("lists the bookings ahead before archiving (409), archives when kept, and restores", async () => {
    const v = await makeVenue(t.db, w.site.id, { name: "Øvingsrommet" });
    const date = nextWeekday(3, 20);
    const { booking } = await requestBooking(
      t.db,
      { actorId: w.users.memberA.id, associationId: w.a.id, venueId: v.id, date, start: "18:00", end: "19:00", title: "Band", expectedAttendees: 4 },
      new Date(),
    );
    const path = `/admin/venues/${v.id}`;
    const b = await adminAt(path, edit.loader, "en");
    const params = { params: { id: String(v.id) } };
    const refused = await b.submit<ArchiveReply>(edit.action, path, { intent: "archive" }, params);
    expect(refused.status).toBe(409);
    expect(refused.data.formError).toBe("The venue still has bookings ahead (1).");
    expect(refused.data.inTheWay).toMatchObject({ canKeep: true, bookings: [{ id: booking.id, text: expect.stringMatching(/^Band, Øvingsrommet, /) }] });
    // "Keep" without the list the admin was shown keeps nothing unseen: the list again.
    expect((await b.submit(edit.action, path, { intent: "keep" }, params)).status).toBe(409);
    const kept = await b.submit(edit.action, path, { intent: "keep", seen: booking.id }, params);
    expect(kept.location).toBe(`${path}?done=archived`);
    expect((await t.db.selectFrom("venues").select("archived_at").where("id", "=", v.id).executeTakeFirstOrThrow()).archived_at).not.toBeNull();
    const restored = await b.submit(edit.action, path, { intent: "unarchive" }, params);
    expect(restored.location).toBe(`${path}?done=unarchived`);
    expect((await t.db.selectFrom("venues").select("archived_at").where("id", "=", v.id).executeTakeFirstOrThrow()).archived_at).toBeNull();
  });

  it("answers 404 for an unknown venue and 403 to a caretaker", async () => {
    const b = await adminAt("/admin/venues/999999", edit.loader);
    expect((await b.visit(edit.loader, "/admin/venues/999999", { id: "999999" })).status).toBe(404);
    expect((await b.visit(edit.loader, "/admin/venues/x", { id: "x" })).status).toBe(404);
    const c = await signedIn(t.db, w.users.caretaker.id);
    expect((await c.visit(edit.loader, `/admin/venues/${w.venue.id}`, { id: String(w.venue.id) })).status).toBe(403);
  });

  it("answers a bad form for an unknown venue with 404 and one for someone else's venue with 403, not with the form's problems", async () => {
    const b = await adminAt("/admin/venues/new", create.loader);
    // The page shows the loader's 404; the action's status must say the same.
    expect((await b.submit(edit.action, "/admin/venues/999999", { intent: "save", name: "" }, { params: { id: "999999" } })).status).toBe(404);
    const c = await signedIn(t.db, w.users.caretaker.id);
    await c.visit(list.loader, "/admin/venues");
    expect((await c.submit(edit.action, `/admin/venues/${w.venue.id}`, { intent: "save", name: "" }, { params: { id: String(w.venue.id) } })).status).toBe(403);
  });
});

describe("venue list", () => {
  it("shows each site's venues with parts right after their whole, archived ones marked", async () => {
    const hall = await makeVenue(t.db, w.site.id, { name: "AAA-hallen" });
    await makeVenue(t.db, w.site.id, { name: "AAA-hallen B", parent_id: hall.id, archived_at: new Date() });
    await makeVenue(t.db, w.site.id, { name: "AAA-hallen A", parent_id: hall.id });
    const b = await signedIn(t.db, w.users.admin.id);
    const page = await b.visit<{ sites: SiteVenues[] }>(list.loader, "/admin/venues");
    const label = (v: { name: string; archived: boolean }) => `${v.name}${v.archived ? " (archived)" : ""}`;
    const names = page.data.sites[0]!.venues.flatMap((v) => [label(v), ...v.parts.map((p) => `  ${label(p)}`)]);
    expect(names.slice(0, 3)).toEqual(["AAA-hallen", "  AAA-hallen A", "  AAA-hallen B (archived)"]);
    expect(names).toContain("Storsalen");
  });
});
