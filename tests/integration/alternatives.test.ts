// Alternatives when a time is taken: every suggestion is checked by booking it
// through the engine, which must accept it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Alternatives, suggestAlternatives, wallSpanOf } from "../../app/availability/alternatives.server";
import { requestBooking } from "../../app/booking/booking.server";
import { NotFound } from "../../app/errors/domain-errors";
import { localToMillis } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeVenue } from "../helpers/fixtures";

let t: TestDb;
let booker: { actorId: number; associationId: number };
const NOW = new Date("2027-03-01T12:00:00Z");
const D = "2027-03-10"; // a Wednesday, UTC+1 in Oslo

beforeAll(async () => {
  t = await createTestDb();
  const { association, leader } = await makeAssociation(t.db);
  booker = { actorId: leader.id, associationId: association.id };
});
afterAll(() => dropTestDb(t));

async function book(venueId: number, s: { date: string; start: string; end: string }, now = NOW) {
  const { booking } = await requestBooking(t.db, { ...booker, venueId, title: "Øving", expectedAttendees: 10, ...s }, now);
  return booking;
}

const times = (a: Alternatives) => a.sameVenue.map((s) => `${s.date} ${s.start}–${s.end}`);

/** Books every same-venue suggestion; the engine refusing any one fails the test. */
async function bookEach(a: Alternatives, now = NOW) {
  for (const s of a.sameVenue) await book(s.venueId, s, now);
}

async function newSite(ownerId: number, name: string) {
  return t.db.insertInto("sites").values({ owner_id: ownerId, name }).returningAll().executeTakeFirstOrThrow();
}

describe("suggestAlternatives, the same venue", () => {
  it("offers the nearest earlier time that day and the same time on the following days, buffer respected", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { capacity: 20, buffer_minutes: 15, min_duration_minutes: 60 });
    await book(venue.id, { date: D, start: "18:00", end: "20:00" }); // holds 18:00–20:15
    const a = await suggestAlternatives(t.db, { venueId: venue.id, date: D, start: "18:00", end: "20:00", expectedAttendees: 10 }, NOW);
    // Earlier: a two-hour booking plus 15 minutes' tidying must end by 18:00. Later: 20:15 + 2 h is past closing at 22:00.
    expect(times(a)).toEqual(["2027-03-10 15:45–17:45", "2027-03-11 18:00–20:00", "2027-03-12 18:00–20:00"]);
    expect(a.sameVenue.every((s) => s.slug === venue.slug && s.name === venue.name)).toBe(true);
    await bookEach(a);
  });

  it("offers earlier and later the same day, and skips a closed day", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { capacity: 20 });
    await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2027-03-11", ends_on: "2027-03-11", reason: "Vask" }).execute();
    await book(venue.id, { date: D, start: "10:00", end: "11:00" });
    const a = await suggestAlternatives(t.db, { venueId: venue.id, date: D, start: "10:00", end: "11:00", expectedAttendees: 10 }, NOW);
    expect(times(a)).toEqual(["2027-03-10 09:00–10:00", "2027-03-10 11:00–12:00", "2027-03-12 10:00–11:00"]);
    await bookEach(a);
  });

  it("fits around several bookings and gives as many as asked", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { capacity: 20, hours: [{ opens: "16:00", closes: "22:00" }] });
    await book(venue.id, { date: D, start: "16:00", end: "17:10" });
    await book(venue.id, { date: D, start: "18:00", end: "19:00" });
    await book(venue.id, { date: D, start: "19:50", end: "22:00" });
    const a = await suggestAlternatives(t.db, { venueId: venue.id, date: D, start: "18:00", end: "18:45", expectedAttendees: 10 }, NOW, { slots: 5 });
    // Ending just as the next booking begins, and starting just as one ends.
    expect(times(a)).toEqual(["2027-03-10 17:15–18:00", "2027-03-10 19:00–19:45", "2027-03-11 18:00–18:45", "2027-03-12 18:00–18:45", "2027-03-13 18:00–18:45"]);
    await bookEach(a);
  });

  it("never offers a time the notice rule refuses", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { capacity: 20, min_notice_minutes: 120, min_duration_minutes: 60 });
    const now = new Date("2027-03-10T11:00:00Z"); // 12:00 in Oslo: the earliest start is 14:00
    await book(venue.id, { date: D, start: "14:00", end: "16:00" }, now);
    const a = await suggestAlternatives(t.db, { venueId: venue.id, date: D, start: "14:00", end: "16:00", expectedAttendees: 10 }, now);
    expect(times(a)).toEqual(["2027-03-10 16:00–18:00", "2027-03-11 14:00–16:00", "2027-03-12 14:00–16:00"]);
    await bookEach(a, now);
  });

  it("offers nothing in a venue too small for the group", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { capacity: 8 });
    const a = await suggestAlternatives(t.db, { venueId: venue.id, date: D, start: "10:00", end: "11:00", expectedAttendees: 9 }, NOW);
    expect(a.sameVenue).toEqual([]);
    expect(a.otherVenues.every((v) => v.capacity >= 9)).toBe(true);
  });

  it("keeps wall times on the day clocks spring forward", async () => {
    const { site } = await makeOwner(t.db, "Europe/Oslo");
    const venue = await makeVenue(t.db, site.id, { capacity: 20 });
    await book(venue.id, { date: "2027-03-28", start: "11:00", end: "12:00" });
    const a = await suggestAlternatives(t.db, { venueId: venue.id, date: "2027-03-28", start: "11:00", end: "12:00", expectedAttendees: 10 }, NOW);
    expect(times(a)).toEqual(["2027-03-28 10:00–11:00", "2027-03-28 12:00–13:00", "2027-03-29 11:00–12:00"]);
    const booked = [];
    for (const s of a.sameVenue) booked.push((await book(venue.id, s)).starts_at.toISOString());
    expect(booked).toEqual(["2027-03-28T08:00:00.000Z", "2027-03-28T10:00:00.000Z", "2027-03-29T09:00:00.000Z"]);
  });

  it("answers an unknown venue with NotFound", async () => {
    await expect(suggestAlternatives(t.db, { venueId: 987654, date: D, start: "10:00", end: "11:00", expectedAttendees: 1 }, NOW)).rejects.toBeInstanceOf(NotFound);
  });
});

describe("suggestAlternatives, other venues", () => {
  it("offers venues that fit and are free then: same kind first, then same site, then the smallest", async () => {
    const { owner, site } = await makeOwner(t.db);
    const other = await newSite(owner.id, "Annen skole");
    const when = { date: "2027-03-17", start: "19:00", end: "21:00" };
    const room = (siteId: number, name: string, o: Parameters<typeof makeVenue>[2] = {}) => makeVenue(t.db, siteId, { name, kind: "meeting-room", capacity: 30, ...o });
    const wanted = await room(site.id, "Ønsket", { capacity: 20 });
    const v = {
      sameBoth: await room(site.id, "Samme type og sted", { capacity: 25 }),
      sameBothBig: await room(site.id, "Samme type og sted, stor", { capacity: 90 }),
      sameKind: await room(other.id, "Samme type"),
      sameSite: await room(site.id, "Samme sted", { kind: "gym" }),
      neither: await room(other.id, "Verken eller", { kind: "kitchen", capacity: 40 }),
      tooSmall: await room(site.id, "For lite", { capacity: 14 }),
      busy: await room(site.id, "Opptatt"),
      tidying: await room(site.id, "Ryddes", { buffer_minutes: 30 }),
      closed: await room(site.id, "Stengt"),
      morning: await room(site.id, "Formiddag", { hours: [{ opens: "08:00", closes: "12:00" }] }),
      shortMax: await room(site.id, "Maks en time", { max_duration_minutes: 60 }),
      archived: await room(site.id, "Nedlagt", { archived_at: new Date() }),
    };
    await book(wanted.id, when);
    await book(v.busy.id, { ...when, start: "20:00", end: "20:30" });
    await book(v.tidying.id, { ...when, start: "18:00", end: "18:45" }); // held until 19:15
    await t.db.insertInto("closures").values({ venue_id: v.closed.id, starts_on: when.date, ends_on: when.date, reason: "Maling" }).execute();

    const ids = new Set([wanted.id, ...Object.values(v).map((x) => x.id)]);
    const a = await suggestAlternatives(t.db, { venueId: wanted.id, ...when, expectedAttendees: 15 }, NOW, { venues: 100 });
    const mine = a.otherVenues.filter((x) => ids.has(x.venueId));
    expect(mine.map((x) => x.name)).toEqual(["Samme type og sted", "Samme type og sted, stor", "Samme type", "Samme sted", "Verken eller"]);
    expect(mine[0]).toMatchObject({ slug: v.sameBoth.slug, ...when, sameKind: true, sameSite: true, kind: "meeting-room", capacity: 25, siteName: site.name });
    expect(mine[2]).toMatchObject({ sameKind: true, sameSite: false, siteName: "Annen skole" });
    expect(mine[3]).toMatchObject({ sameKind: false, sameSite: true, kind: "gym" });
    // Each is really free and acceptable: the engine books them all.
    for (const x of mine) await book(x.venueId, x);
    // The ones left out are refused by the engine at that time.
    for (const x of [v.busy, v.tidying, v.closed, v.morning, v.shortMax]) await expect(book(x.id, when)).rejects.toThrow();
  });

  it("offers the free half when a half of the wanted hall is taken, never the taken half", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id, { name: "Hallen", kind: "sports-hall", capacity: 200 });
    const halfA = await makeVenue(t.db, site.id, { name: "Hallen A", kind: "sports-hall", capacity: 100, parent_id: hall.id });
    const halfB = await makeVenue(t.db, site.id, { name: "Hallen B", kind: "sports-hall", capacity: 100, parent_id: hall.id });
    const when = { date: "2027-03-18", start: "18:00", end: "20:00" };
    await book(halfA.id, when);
    const a = await suggestAlternatives(t.db, { venueId: hall.id, ...when, expectedAttendees: 50 }, NOW, { venues: 100 });
    const names = a.otherVenues.map((x) => x.venueId);
    expect(names).toContain(halfB.id);
    expect(names).not.toContain(halfA.id);
    expect(a.otherVenues[0]!.venueId).toBe(halfB.id); // the only other sports hall at the site
    expect(times(a)).toEqual(["2027-03-18 16:00–18:00", "2027-03-18 20:00–22:00", "2027-03-19 18:00–20:00"]);
    await bookEach(a);
    await book(halfB.id, when);
  });
});

describe("wallSpanOf", () => {
  const zone = "Europe/Oslo";
  it("writes a span as a date and wall times, midnight as 24:00", () => {
    const start = localToMillis("2027-03-10", "22:00", zone);
    expect(wallSpanOf({ start, end: start + 2 * 3_600_000 }, zone)).toEqual({ date: "2027-03-10", start: "22:00", end: "24:00" });
  });
  it("gives nothing for a span across midnight or in the repeated hour", () => {
    const late = localToMillis("2027-03-10", "23:00", zone);
    expect(wallSpanOf({ start: late, end: late + 2 * 3_600_000 }, zone)).toBeNull();
    // 31 October 2027: 02:30 happens twice; a wall time means the first, so the second cannot be written.
    const second = Date.parse("2027-10-31T01:30:00Z");
    expect(wallSpanOf({ start: second, end: second + 1_800_000 }, zone)).toBeNull();
    const first = Date.parse("2027-10-31T00:00:00Z");
    expect(wallSpanOf({ start: first, end: first + 1_800_000 }, zone)).toEqual({ date: "2027-10-31", start: "02:00", end: "02:30" });
  });
});
