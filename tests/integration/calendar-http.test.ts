// The feed routes as HTTP: content type, strong ETag and 304 without a
// rebuild, Last-Modified that never moves backwards, identical 404s for every
// token that opens nothing, and the one-booking download.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { feedMetrics } from "../../app/calendar/feeds.server";
import { createToken, revokeToken } from "../../app/calendar/tokens.server";
import { provideDatabase } from "../../app/db.server";
import { loader as bookingLoader } from "../../app/routes/bookings.$id[.ics]";
import { loader as tokenLoader } from "../../app/routes/feeds.t.$token[.ics]";
import { loader as venueLoader } from "../../app/routes/feeds.venues.$slug[.ics]";
import { loader as venuePageLoader } from "../../app/routes/venues.$slug";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { parseCalendar, unfold } from "../helpers/ical";
import { loaderArgs } from "../routes/support";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
});
afterAll(() => dropTestDb(t));

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

async function setup() {
  const { site } = await makeOwner(t.db, "Europe/Oslo");
  const venue = await makeVenue(t.db, site.id, { name: "Musikkrom" });
  const { association, leader } = await makeAssociation(t.db);
  const book = (days: number, title: string, isPublic = false) =>
    requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date: inDays(days), start: "18:00", end: "19:30", title, isPublic, expectedAttendees: 10 },
      new Date(),
    ).then((r) => r.booking);
  return { site, venue, association, leader, book };
}

const venueFeed = (slug: string, headers: Record<string, string> = {}) =>
  venueLoader(loaderArgs(`/feeds/venues/${slug}.ics`, { slug }, headers)) as Promise<Response>;
const tokenFeed = (token: string, headers: Record<string, string> = {}) =>
  tokenLoader(loaderArgs(`/feeds/t/${token}.ics`, { token }, headers)) as Promise<Response>;
const bookingIcs = (id: string, token?: string) =>
  bookingLoader(loaderArgs(`/bookings/${id}.ics${token ? `?token=${token}` : ""}`, { id })) as Promise<Response>;

const lastModified = (r: Response) => Date.parse(r.headers.get("Last-Modified")!);

describe("the public venue feed over HTTP", () => {
  it("answers text/calendar with a strong ETag, the same bytes twice, and 304 without building", async () => {
    const { venue, book } = await setup();
    await book(3, "Åpen øving", true);
    await book(4, "Privat");
    const first = await venueFeed(venue.slug);
    expect(first.status).toBe(200);
    expect(first.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/); // strong: no W/
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(Number.isFinite(lastModified(first))).toBe(true);
    const text = await first.text();

    const second = await venueFeed(venue.slug);
    expect(second.headers.get("ETag")).toBe(etag);
    expect(await second.text()).toBe(text);
    expect(parseCalendar(text).events.map((e) => e.uid)).toEqual(parseCalendar(text).events.map((e) => e.uid));

    const built = feedMetrics.built;
    const notModified = feedMetrics.notModified;
    const third = await venueFeed(venue.slug, { "If-None-Match": etag });
    expect(third.status).toBe(304);
    expect(await third.text()).toBe("");
    expect(third.headers.get("ETag")).toBe(etag);
    expect(third.headers.get("Last-Modified")).toBe(first.headers.get("Last-Modified"));
    expect(feedMetrics.built).toBe(built);
    expect(feedMetrics.notModified).toBe(notModified + 1);

    // If-Modified-Since alone works too; If-None-Match wins when both are sent.
    expect((await venueFeed(venue.slug, { "If-Modified-Since": first.headers.get("Last-Modified")! })).status).toBe(304);
    expect((await venueFeed(venue.slug, { "If-None-Match": '"other"', "If-Modified-Since": first.headers.get("Last-Modified")! })).status).toBe(200);
    expect((await venueFeed(venue.slug, { "If-None-Match": `"x", W/${etag}` })).status).toBe(304);
  });

  it("changes ETag and SEQUENCE after a change, and Last-Modified never moves backwards, also after a deletion", async () => {
    const { venue, leader, book } = await setup();
    const a = await book(5, "Første", true);
    const b = await book(6, "Andre", true);
    const r1 = await venueFeed(venue.slug);
    const etag1 = r1.headers.get("ETag")!;
    const seq1 = parseCalendar(await r1.text()).events.find((e) => e.uid === `${b.id}@flokk`)!.sequence;

    await new Promise((r) => setTimeout(r, 1100)); // Last-Modified has whole seconds
    await cancelBooking(t.db, { actorId: leader.id, bookingId: b.id, now: new Date() });
    const r2 = await venueFeed(venue.slug, { "If-None-Match": etag1 });
    expect(r2.status).toBe(200);
    expect(r2.headers.get("ETag")).not.toBe(etag1);
    const ev = parseCalendar(await r2.text()).events.find((e) => e.uid === `${b.id}@flokk`)!;
    expect(ev.status).toBe("CANCELLED");
    expect(ev.sequence).toBeGreaterThan(seq1);
    expect(lastModified(r2)).toBeGreaterThan(lastModified(r1));

    // The newest change leaves the feed entirely: max(updated_at) falls, Last-Modified must not.
    await new Promise((r) => setTimeout(r, 1100));
    await sql`DELETE FROM bookings WHERE id = ${b.id}::uuid`.execute(t.db);
    const r3 = await venueFeed(venue.slug);
    expect(parseCalendar(await r3.text()).events.map((e) => e.uid)).toEqual([`${a.id}@flokk`]);
    expect(r3.headers.get("ETag")).not.toBe(r2.headers.get("ETag"));
    expect(lastModified(r3)).toBeGreaterThan(lastModified(r2));
    const r4 = await venueFeed(venue.slug);
    expect(lastModified(r4)).toBe(lastModified(r3));
  });

  it("changes ETag when a name the feed shows changes, though no booking did", async () => {
    const { venue, site, association, leader, book } = await setup();
    await book(11, "Åpen dag", true);
    const { token } = await createToken(t.db, { userId: leader.id, scope: `association:${association.id}` });
    const pub1 = await venueFeed(venue.slug);
    const tok1 = await tokenFeed(token);
    await t.db.updateTable("sites").set({ address: "Nyvegen 2" }).where("id", "=", site.id).execute();
    const pub2 = await venueFeed(venue.slug, { "If-None-Match": pub1.headers.get("ETag")! });
    expect(pub2.status).toBe(200);
    expect(parseCalendar(await pub2.text()).events[0]!.location).toContain("Nyvegen 2");
    expect(lastModified(pub2)).toBeGreaterThanOrEqual(lastModified(pub1));

    await t.db.updateTable("associations").set({ name: "Nytt navn IL" }).where("id", "=", association.id).execute();
    const tok2 = await tokenFeed(token, { "If-None-Match": tok1.headers.get("ETag")! });
    expect(tok2.status).toBe(200);
    expect(parseCalendar(await tok2.text()).events[0]!.description).toContain("Nytt navn IL");
    // A change elsewhere that no feed shows leaves the ETag alone.
    const pub3 = await venueFeed(venue.slug);
    await t.db.updateTable("venues").set({ capacity: 99 }).where("id", "=", venue.id).execute();
    expect((await venueFeed(venue.slug, { "If-None-Match": pub3.headers.get("ETag")! })).status).toBe(304);
  });

  it("is 404 for a venue that does not exist", async () => {
    const r = await venueFeed("finnes-ikke");
    expect(r.status).toBe(404);
  });
});

describe("token feeds over HTTP", () => {
  it("serves a valid token privately, and answers revoked, unknown and malformed tokens with identical 404s", async () => {
    const { association, leader, book } = await setup();
    await book(7, "Styremøte");
    const { token, id } = await createToken(t.db, { userId: leader.id, scope: `association:${association.id}` });
    const ok = await tokenFeed(token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Cache-Control")).toBe("private, no-cache");
    expect(ok.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(parseCalendar(await ok.text()).events.map((e) => e.summary)).toEqual(["Styremøte"]);

    await revokeToken(t.db, { userId: leader.id, tokenId: id });
    const revoked = await tokenFeed(token);
    const unknown = await tokenFeed("A".repeat(43));
    const malformed = await tokenFeed("not-a-token");
    const answers = [revoked, unknown, malformed];
    const bodies = await Promise.all(answers.map((r) => r.text()));
    for (const r of answers) {
      expect(r.status).toBe(404);
      expect([...r.headers.entries()]).toEqual([...revoked.headers.entries()]);
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).not.toMatch(/revok|token|calendar/i);
  });

  it("stops a token when its holder leaves the association", async () => {
    const { association, book } = await setup();
    await book(8, "Møte");
    const member = await makeUser(t.db, "Tidligere medlem");
    await t.db.insertInto("memberships").values({ association_id: association.id, user_id: member.id, role: "member" }).execute();
    const { token } = await createToken(t.db, { userId: member.id, scope: `association:${association.id}` });
    expect((await tokenFeed(token)).status).toBe(200);
    await t.db.deleteFrom("memberships").where("user_id", "=", member.id).execute();
    expect((await tokenFeed(token)).status).toBe(404);
  });
});

describe("one booking as .ics", () => {
  it("gives a public booking to anyone (public projection), a private one only with a token that covers it", async () => {
    const { association, leader, book } = await setup();
    const pub = await book(9, "Konsert", true);
    const priv = await book(10, "Hemmelig møte");
    const other = await makeAssociation(t.db);
    const { token } = await createToken(t.db, { userId: leader.id, scope: `association:${association.id}` });
    const { token: otherToken } = await createToken(t.db, { userId: other.leader.id, scope: `association:${other.association.id}` });

    const open = await bookingIcs(pub.id);
    expect(open.status).toBe(200);
    expect(open.headers.get("Content-Disposition")).toBe(`attachment; filename="flokk-${pub.id}.ics"`);
    const openText = await open.text();
    const openCal = parseCalendar(openText);
    expect(openCal.events.map((e) => [e.uid, e.summary])).toEqual([[`${pub.id}@flokk`, "Konsert"]]);
    expect(unfold(openText)).not.toContain(leader.name);

    const hidden = await bookingIcs(priv.id);
    const wrongToken = await bookingIcs(priv.id, otherToken);
    const missing = await bookingIcs("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    const garbage = await bookingIcs("../../etc/passwd");
    const bodies = await Promise.all([hidden, wrongToken, missing, garbage].map((r) => r.text()));
    for (const r of [hidden, wrongToken, missing, garbage]) expect(r.status).toBe(404);
    expect(new Set(bodies).size).toBe(1);

    const mine = await bookingIcs(priv.id, token);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("Cache-Control")).toBe("private, no-cache");
    const ev = parseCalendar(await mine.text()).events[0]!;
    expect(ev.summary).toBe("Hemmelig møte");
    expect(ev.description).toContain(leader.name);
  });
});

describe("the venue page", () => {
  it("offers the public feed as webcal:// and https://", async () => {
    const { venue } = await setup();
    const { data: page } = await venuePageLoader(loaderArgs(`/venues/${venue.slug}`, { slug: venue.slug }));
    expect(page.calendar.https).toMatch(new RegExp(`^https?://[^/]+/feeds/venues/${venue.slug}\\.ics$`));
    expect(page.calendar.webcal).toBe(page.calendar.https.replace(/^https?:/, "webcal:"));
  });
});
