// Finding a venue: each filter alone and together, and "free on this date
// from–to" agreeing with the booking engine (buffers, halls and their halves,
// closures, opening hours, daylight-saving days).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { BookingConflict, InClosure, InvalidInput } from "../../app/errors/domain-errors";
import { type SearchFilters, searchOptions, searchVenues } from "../../app/venues/search.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeVenue } from "../helpers/fixtures";

let t: TestDb;
const NOW = new Date("2027-03-01T12:00:00Z");
// A Wednesday on winter time (UTC+1) in Oslo.
const DAY = "2027-03-10";

type Venue = Awaited<ReturnType<typeof makeVenue>>;
let v: Record<"gym" | "small" | "big" | "hall" | "halfA" | "halfB" | "kitchen" | "evening" | "archived", Venue>;
let mine: Set<number>;
let booker: { actorId: number; associationId: number };

/** Names of this file's main venues among the hits, in the order found. */
async function find(filters: SearchFilters, now = NOW): Promise<string[]> {
  const { venues } = await searchVenues(t.db, filters, now);
  return venues.filter((x) => mine.has(x.id)).map((x) => x.name);
}

async function book(venue: Venue, date: string, start: string, end: string) {
  const { booking } = await requestBooking(t.db, { ...booker, venueId: venue.id, title: "Trening", expectedAttendees: 5, date, start, end }, NOW);
  return booking;
}

beforeAll(async () => {
  t = await createTestDb();
  const { site } = await makeOwner(t.db, "Europe/Oslo");
  const make = (name: string, o: Parameters<typeof makeVenue>[2] = {}) => makeVenue(t.db, site.id, { name, ...o });
  const hall = await make("Hallen", { kind: "sports-hall", capacity: 200, amenities: ["changing-rooms"], step_free: true });
  v = {
    gym: await make("Gymsalen", { kind: "gym", capacity: 40, amenities: ["mirrors", "sound-system"], step_free: true }),
    small: await make("Lite møterom", { kind: "meeting-room", capacity: 12, amenities: ["projector", "wifi"], step_free: false }),
    big: await make("Stort møterom", { kind: "meeting-room", capacity: 60, amenities: ["projector", "whiteboard", "wifi"], step_free: true, buffer_minutes: 30 }),
    hall,
    halfA: await make("Hallen A", { kind: "sports-hall", capacity: 100, parent_id: hall.id, step_free: true }),
    halfB: await make("Hallen B", { kind: "sports-hall", capacity: 100, parent_id: hall.id, step_free: true }),
    kitchen: await make("Kjøkkenet", { kind: "kitchen", capacity: 16, amenities: ["kitchen", "dishwasher"], step_free: true }),
    evening: await make("Kveldsrommet", { kind: "meeting-room", capacity: 20, step_free: true, hours: [{ opens: "17:00", closes: "22:00" }] }),
    archived: await make("Nedlagt", { kind: "meeting-room", capacity: 500, amenities: ["projector"], step_free: true, archived_at: new Date() }),
  };
  mine = new Set(Object.values(v).map((x) => x.id));
  const { association, leader } = await makeAssociation(t.db);
  booker = { actorId: leader.id, associationId: association.id };
});
afterAll(() => dropTestDb(t));

describe("searchVenues, plain filters", () => {
  it("without filters lists every active venue by site, each whole venue before its parts", async () => {
    expect(await find({})).toEqual(["Gymsalen", "Hallen", "Hallen A", "Hallen B", "Kjøkkenet", "Kveldsrommet", "Lite møterom", "Stort møterom"]);
  });

  it("filters by kind (any of the chosen)", async () => {
    expect(await find({ kinds: ["meeting-room"] })).toEqual(["Kveldsrommet", "Lite møterom", "Stort møterom"]);
    expect(await find({ kinds: ["gym", "kitchen"] })).toEqual(["Gymsalen", "Kjøkkenet"]);
    expect(await find({ kinds: ["no-such-kind"] })).toEqual([]);
  });

  it("filters by capacity at least N, inclusive", async () => {
    expect(await find({ capacityAtLeast: 60 })).toEqual(["Hallen", "Hallen A", "Hallen B", "Stort møterom"]);
    expect(await find({ capacityAtLeast: 61 })).toEqual(["Hallen", "Hallen A", "Hallen B"]);
    expect(await find({ capacityAtLeast: 150 })).toEqual(["Hallen"]);
  });

  it("filters by amenities, requiring all of the chosen", async () => {
    expect(await find({ amenities: ["projector"] })).toEqual(["Lite møterom", "Stort møterom"]);
    expect(await find({ amenities: ["projector", "whiteboard"] })).toEqual(["Stort møterom"]);
    expect(await find({ amenities: ["projector", "mirrors"] })).toEqual([]);
  });

  it("filters by step-free access", async () => {
    const all = await find({});
    const stepFree = await find({ stepFree: true });
    expect(stepFree).not.toContain("Lite møterom");
    expect(stepFree).toEqual(all.filter((n) => n !== "Lite møterom"));
    expect(await find({ stepFree: false })).toEqual(all);
  });

  it("combines the filters", async () => {
    expect(await find({ kinds: ["meeting-room"], capacityAtLeast: 10, amenities: ["projector"] })).toEqual(["Lite møterom", "Stort møterom"]);
    expect(await find({ kinds: ["meeting-room"], capacityAtLeast: 10, amenities: ["projector"], stepFree: true })).toEqual(["Stort møterom"]);
    expect(await find({ kinds: ["meeting-room", "sports-hall"], capacityAtLeast: 100, stepFree: true })).toEqual(["Hallen", "Hallen A", "Hallen B"]);
    const free = { date: DAY, start: "10:00", end: "11:00" };
    expect(await find({ kinds: ["meeting-room"], stepFree: true, free })).toEqual(["Stort møterom"]); // the evening room is shut at 10
  });

  it("offers the kinds and amenities that active venues have", async () => {
    const options = await searchOptions(t.db);
    expect(options.kinds).toEqual(["gym", "kitchen", "meeting-room", "sports-hall"]);
    expect(options.amenities).toEqual(["changing-rooms", "dishwasher", "kitchen", "mirrors", "projector", "sound-system", "whiteboard", "wifi"]);
  });

  it("refuses malformed filters with the field named", async () => {
    const fields = async (f: SearchFilters) => {
      try {
        await searchVenues(t.db, f, NOW);
      } catch (e) {
        if (e instanceof InvalidInput) return e.fields;
        throw e;
      }
      throw new Error("expected InvalidInput");
    };
    expect(await fields({ capacityAtLeast: 0 })).toEqual({ capacity: "positiveInteger" });
    expect(await fields({ kinds: ["Robert'); DROP TABLE venues;--"] })).toEqual({ kind: "invalidChoice" });
    expect(await fields({ amenities: ["<b>"] })).toEqual({ amenity: "invalidChoice" });
    expect(await fields({ free: { date: "2027-02-30", start: "10", end: "25:00" } })).toEqual({ date: "invalidDate", start: "invalidTime", end: "invalidTime" });
    expect(await fields({ free: { date: DAY, start: "12:00", end: "11:00" } })).toEqual({ end: "endNotAfterStart" });
    expect(await fields({ free: { date: "2027-02-27", start: "12:00", end: "13:00" } })).toEqual({ date: "inPast" });
    // Today in Oslo is 1 March; 12:00Z is 13:00 there.
    expect(await fields({ free: { date: "2027-03-01", start: "12:00", end: "14:00" } })).toEqual({ start: "inPast" });
    expect(await fields({ free: { date: "2099-01-01", start: "12:00", end: "14:00" } })).toEqual({ date: "outOfRange" });
  });
});

describe("searchVenues, free on a date from–to", () => {
  it("excludes a venue whose booking, buffer included, overlaps the time, as the engine would", async () => {
    await book(v.big, DAY, "18:00", "19:00"); // buffer 30: claims 18:00–19:30
    const free = (start: string, end: string) => find({ kinds: ["meeting-room"], capacityAtLeast: 50, free: { date: DAY, start, end } });
    expect(await free("18:30", "19:00")).toEqual([]);
    expect(await free("19:00", "20:00")).toEqual([]); // still being tidied
    expect(await free("19:30", "20:30")).toEqual(["Stort møterom"]);
    // A booking 17:00–18:00 would itself hold the room until 18:30.
    expect(await free("17:00", "18:00")).toEqual([]);
    expect(await free("16:00", "17:30")).toEqual(["Stort møterom"]);

    // The engine agrees on both sides of each edge.
    await expect(book(v.big, DAY, "17:00", "18:00")).rejects.toBeInstanceOf(BookingConflict);
    await expect(book(v.big, DAY, "19:00", "20:00")).rejects.toBeInstanceOf(BookingConflict);
    await expect(book(v.big, DAY, "19:30", "20:30")).resolves.toBeTruthy();
    await expect(book(v.big, DAY, "16:00", "17:30")).resolves.toBeTruthy();
    // Other venues are untouched by that booking.
    expect(await find({ kinds: ["meeting-room"], free: { date: DAY, start: "18:00", end: "19:00" } })).toEqual(["Kveldsrommet", "Lite møterom"]);
  });

  it("counts pending bookings as taken and cancelled ones as free", async () => {
    const date = "2027-03-11";
    // An unverified association's booking waits for approval, and holds the time meanwhile.
    const { association, leader } = await makeAssociation(t.db, { verified: false });
    const { booking } = await requestBooking(
      t.db,
      { actorId: leader.id, associationId: association.id, venueId: v.small.id, title: "Kurs", expectedAttendees: 5, date, start: "12:00", end: "13:00" },
      NOW,
    );
    expect(booking.status).toBe("pending");
    const free = () => find({ kinds: ["meeting-room"], capacityAtLeast: 10, amenities: ["wifi"], free: { date, start: "12:30", end: "13:30" } });
    expect(await free()).toEqual(["Stort møterom"]);
    await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: NOW });
    expect(await free()).toEqual(["Lite møterom", "Stort møterom"]);
  });

  it("excludes the whole hall when a half is booked, and both halves when the whole is", async () => {
    const date = "2027-03-12";
    const halls = (start: string, end: string) => find({ kinds: ["sports-hall"], free: { date, start, end } });
    expect(await halls("10:00", "11:00")).toEqual(["Hallen", "Hallen A", "Hallen B"]);
    await book(v.halfA, date, "10:00", "11:00");
    expect(await halls("10:00", "11:00")).toEqual(["Hallen B"]);
    expect(await halls("10:30", "12:00")).toEqual(["Hallen B"]);
    await book(v.hall, date, "14:00", "16:00");
    expect(await halls("15:00", "15:30")).toEqual([]);
    expect(await halls("11:00", "14:00")).toEqual(["Hallen", "Hallen A", "Hallen B"]);
  });

  it("excludes closed venues, and parts of a closed whole", async () => {
    const date = "2027-03-15";
    await t.db.insertInto("closures").values({ venue_id: v.kitchen.id, starts_on: "2027-03-14", ends_on: "2027-03-16", reason: "Maling" }).execute();
    await t.db.insertInto("closures").values({ venue_id: v.hall.id, starts_on: date, ends_on: date, reason: "Cup" }).execute();
    const free = { date, start: "10:00", end: "11:00" };
    const found = await find({ free });
    expect(found).toEqual(["Gymsalen", "Lite møterom", "Stort møterom"]);
    // The day after, only the kitchen is still closed.
    expect(await find({ free: { ...free, date: "2027-03-16" } })).toEqual(["Gymsalen", "Hallen", "Hallen A", "Hallen B", "Lite møterom", "Stort møterom"]);
    expect(await find({ free: { ...free, date: "2027-03-17" } })).toContain("Kjøkkenet");
  });

  it("excludes the whole hall on a day one of its halves is closed, and leaves the other half", async () => {
    const date = "2027-03-18";
    await t.db.insertInto("closures").values({ venue_id: v.halfA.id, starts_on: date, ends_on: date, reason: "Maling" }).execute();
    const halls = await find({ kinds: ["sports-hall"], free: { date, start: "10:00", end: "11:00" } });
    expect(halls).toEqual(["Hallen B"]);
    // The engine agrees: the whole cannot be booked that day.
    await expect(book(v.hall, date, "10:00", "11:00")).rejects.toBeInstanceOf(InClosure);
  });

  it("excludes venues closed at that hour, or closing before the end", async () => {
    const date = "2027-03-18";
    const evening = async (start: string, end: string) => (await find({ free: { date, start, end } })).includes("Kveldsrommet");
    expect(await evening("10:00", "11:00")).toBe(false);
    expect(await evening("16:30", "17:30")).toBe(false);
    expect(await evening("17:00", "18:00")).toBe(true);
    expect(await evening("21:00", "22:00")).toBe(true);
    expect(await evening("21:30", "22:30")).toBe(false);
    expect(await find({ free: { date, start: "07:00", end: "09:00" } })).toEqual([]);
    expect(await find({ free: { date, start: "21:00", end: "24:00" } })).toEqual([]);
  });

  it("reads the time in the venue's zone on the day clocks spring forward", async () => {
    // Sunday 28 March 2027: 02:00 becomes 03:00 in Oslo, so 11:00 is 09:00Z (not 10:00Z).
    const date = "2027-03-28";
    const booking = await book(v.gym, date, "11:00", "12:00");
    expect(booking.starts_at.toISOString()).toBe("2027-03-28T09:00:00.000Z");
    const gym = async (start: string, end: string) => (await find({ kinds: ["gym"], free: { date, start, end } })).length === 1;
    expect(await gym("11:00", "12:00")).toBe(false);
    expect(await gym("11:30", "11:45")).toBe(false);
    expect(await gym("10:00", "11:00")).toBe(true);
    expect(await gym("12:00", "13:00")).toBe(true);
    // 02:30 does not exist that night.
    await expect(searchVenues(t.db, { free: { date, start: "02:30", end: "04:00" } }, NOW)).rejects.toMatchObject({ fields: { start: "nonexistentTime" } });
  });

  it("reads the time in the venue's zone on the day clocks fall back", async () => {
    const { site } = await makeOwner(t.db, "Europe/Oslo");
    const night = await makeVenue(t.db, site.id, { name: "Nattkafeen", kind: "night-cafe", hours: [{ opens: "00:00", closes: "24:00" }] });
    // Sunday 31 October 2027: 03:00 becomes 02:00 again; the evening is on UTC+1.
    const date = "2027-10-31";
    const { booking } = await requestBooking(t.db, { ...booker, venueId: night.id, title: "Vake", expectedAttendees: 5, date, start: "20:00", end: "21:00" }, NOW);
    expect(booking.starts_at.toISOString()).toBe("2027-10-31T19:00:00.000Z");
    const open = async (start: string, end: string) => (await searchVenues(t.db, { kinds: ["night-cafe"], free: { date, start, end } }, NOW)).venues.length === 1;
    expect(await open("20:00", "21:00")).toBe(false);
    expect(await open("19:00", "20:00")).toBe(true);
    expect(await open("21:00", "22:00")).toBe(true);
    // The whole 25-hour day, midnight to midnight, is taken by that one booking.
    expect(await open("00:00", "24:00")).toBe(false);
    expect(await open("00:00", "20:00")).toBe(true);
  });

  it("says which time it searched for", async () => {
    const result = await searchVenues(t.db, { free: { date: "2027-03-19", start: "10:00", end: "24:00" } }, NOW);
    expect(result.freeAt).toEqual({ date: "2027-03-19", start: "10:00", end: "24:00" });
    expect((await searchVenues(t.db, {}, NOW)).freeAt).toBeNull();
  });
});
