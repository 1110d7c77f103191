import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availability } from "../../app/availability/availability.server";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { InvalidInput, NotFound } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2026-10-01T08:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("availability", () => {
  it("gives free and busy time inside opening hours, buffers and closures applied", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { buffer_minutes: 15, hours: [{ opens: "16:00", closes: "22:00" }] });
    await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2026-10-07", ends_on: "2026-10-07", reason: "Vask" }).execute();
    const { association, leader } = await makeAssociation(t.db);
    const base = { actorId: leader.id, venueId: venue.id, associationId: association.id, title: "Quiz", expectedAttendees: 5 };
    await requestBooking(t.db, { ...base, date: "2026-10-06", start: "18:00", end: "19:00", isPublic: true }, NOW);
    await requestBooking(t.db, { ...base, date: "2026-10-06", start: "20:00", end: "21:00", title: "Privat møte" }, NOW);

    const a = await availability(t.db, venue.id, "2026-10-05", "2026-10-11");
    expect(a.timeZone).toBe("Europe/Oslo");
    expect(a.open).toHaveLength(6); // seven days less the closed Wednesday
    expect(a.closures).toEqual([{ startsOn: "2026-10-07", endsOn: "2026-10-07", reason: "Vask" }]);
    const tuesdayFree = a.free.filter((f) => iso(f.start).startsWith("2026-10-06")).map((f) => [iso(f.start), iso(f.end)]);
    // Summer time (UTC+2): open 14:00Z–20:00Z; busy 16:00–17:15Z and 18:00–19:15Z.
    expect(tuesdayFree).toEqual([
      ["2026-10-06T14:00:00.000Z", "2026-10-06T16:00:00.000Z"],
      ["2026-10-06T17:15:00.000Z", "2026-10-06T18:00:00.000Z"],
      ["2026-10-06T19:15:00.000Z", "2026-10-06T20:00:00.000Z"],
    ]);
    // Public bookings show their title; private ones only as busy.
    expect(a.busy.map((b) => b.publicTitle)).toEqual(["Quiz", null]);
  });

  it("shows an unverified association's public booking as busy, without its title", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id);
    const { association, leader } = await makeAssociation(t.db, { verified: false });
    await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, title: "Reklame", expectedAttendees: 5, isPublic: true, date: "2026-10-06", start: "18:00", end: "19:00" },
      NOW,
    );
    const a = await availability(t.db, venue.id, "2026-10-05", "2026-10-11");
    expect(a.busy.map((b) => b.publicTitle)).toEqual([null]);
  });

  it("a venue's rules changed elsewhere show at once, though the process keeps them between calls", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { hours: [{ opens: "16:00", closes: "22:00" }] });
    await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2026-12-24", ends_on: "2026-12-26", reason: "Jul" }).execute();
    const first = await availability(t.db, venue.id, "2026-10-05", "2026-10-06");
    // The kept copy holds a year of closures; a window shows only its own.
    expect(first.closures).toEqual([]);
    expect(first.open.map((o) => iso(o.start))).toEqual(["2026-10-05T14:00:00.000Z", "2026-10-06T14:00:00.000Z"]);
    // Written straight to the database: what another process's change looks like to this one.
    await t.db.updateTable("opening_hours").set({ opens: "17:00" }).where("venue_id", "=", venue.id).execute();
    await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2026-10-06", ends_on: "2026-10-06", reason: "Vask" }).execute();
    const after = await availability(t.db, venue.id, "2026-10-05", "2026-10-06");
    expect(after.open.map((o) => iso(o.start))).toEqual(["2026-10-05T15:00:00.000Z"]);
    expect(after.closures).toEqual([{ startsOn: "2026-10-06", endsOn: "2026-10-06", reason: "Vask" }]);
  });

  it("shows a part as busy when the whole is booked, and frees time on cancellation", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id);
    const part = await makeVenue(t.db, site.id, { parent_id: hall.id });
    const { association, leader } = await makeAssociation(t.db);
    const { booking } = await requestBooking(
      t.db,
      { actorId: leader.id, venueId: hall.id, associationId: association.id, title: "Cup", expectedAttendees: 5, date: "2026-10-10", start: "10:00", end: "12:00" },
      NOW,
    );
    expect((await availability(t.db, part.id, "2026-10-10", "2026-10-10")).busy).toHaveLength(1);
    await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: NOW });
    expect((await availability(t.db, part.id, "2026-10-10", "2026-10-10")).busy).toHaveLength(0);
  });

  it("keeps local opening hours on the day clocks fall back", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { hours: [{ opens: "10:00", closes: "14:00" }] });
    const a = await availability(t.db, venue.id, "2026-10-24", "2026-10-25");
    expect(a.open.map((o) => [iso(o.start), iso(o.end)])).toEqual([
      ["2026-10-24T08:00:00.000Z", "2026-10-24T12:00:00.000Z"],
      ["2026-10-25T09:00:00.000Z", "2026-10-25T13:00:00.000Z"],
    ]);
  });

  it("refuses bad ranges and unknown venues", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id);
    await expect(availability(t.db, venue.id, "2026-10-10", "2026-10-01")).rejects.toBeInstanceOf(InvalidInput);
    await expect(availability(t.db, venue.id, "2026-01-01", "2026-12-31")).rejects.toBeInstanceOf(InvalidInput);
    await expect(availability(t.db, venue.id, "2026-13-01", "2026-13-02")).rejects.toBeInstanceOf(InvalidInput);
    await expect(availability(t.db, 987_654_321, "2026-10-01", "2026-10-02")).rejects.toBeInstanceOf(NotFound);
  });
});
