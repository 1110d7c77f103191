// What an association the municipality has not verified may hold: at most
// UNVERIFIED_MAX_UPCOMING coming bookings (single or in a series), counted
// under a lock so that requests at once cannot squeeze past; its public
// titles are not shown to others; and one person may lead at most
// MAX_UNVERIFIED_LED associations waiting for verification.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_UNVERIFIED_LED, registerAssociation } from "../../app/associations/associations.server";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { describeBlocking } from "../../app/booking/booking-view.server";
import { createSeries } from "../../app/booking/series.server";
import { UNVERIFIED_MAX_UPCOMING } from "../../app/booking/unverified.server";
import { TooManyUnverified, UnverifiedLimit } from "../../app/errors/domain-errors";
import { addDays } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue, withCheckDigit } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2026-12-03T08:00:00Z");
const FIRST = "2026-12-07";

async function setup(verified: boolean) {
  const { site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, { hours: [{ opens: "00:00", closes: "24:00" }] });
  const { association, leader } = await makeAssociation(t.db, { verified });
  /** The n-th one-hour booking, a distinct slot each (hours 8–20, then the next day). */
  const book = (n: number, now = NOW) =>
    requestBooking(
      t.db,
      {
        actorId: leader.id,
        venueId: venue.id,
        associationId: association.id,
        date: addDays(FIRST, Math.floor(n / 12)),
        start: `${String(8 + (n % 12)).padStart(2, "0")}:00`,
        end: `${String(9 + (n % 12)).padStart(2, "0")}:00`,
        title: `Møte ${n}`,
        expectedAttendees: 5,
      },
      now,
    );
  const held = async () =>
    (await t.db.selectFrom("bookings").select("id").where("association_id", "=", association.id).where("status", "in", ["pending", "confirmed"]).execute()).length;
  return { venue, association, leader, book, held };
}

describe("an unverified association", () => {
  it(`holds at most ${UNVERIFIED_MAX_UPCOMING} coming bookings; a cancelled one makes room, a past one does not count`, async () => {
    const { book, held, leader } = await setup(false);
    const made = [];
    for (let n = 0; n < UNVERIFIED_MAX_UPCOMING; n++) made.push((await book(n)).booking);
    expect(made.every((b) => b.status === "pending")).toBe(true);
    const refused = await book(UNVERIFIED_MAX_UPCOMING).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnverifiedLimit);
    expect((refused as UnverifiedLimit).params).toEqual({ ceiling: UNVERIFIED_MAX_UPCOMING, held: UNVERIFIED_MAX_UPCOMING, adding: 1 });
    expect(await held()).toBe(UNVERIFIED_MAX_UPCOMING);
    await cancelBooking(t.db, { actorId: leader.id, bookingId: made[0]!.id, now: NOW });
    await expect(book(UNVERIFIED_MAX_UPCOMING)).resolves.toMatchObject({ replayed: false });
    // Seen from after the first day's bookings have ended, those no longer count.
    const later = new Date(`${addDays(FIRST, 1)}T06:00:00Z`);
    await expect(book(UNVERIFIED_MAX_UPCOMING + 1, later)).resolves.toMatchObject({ replayed: false });
  });

  it("cannot pass the ceiling with requests at once", async () => {
    const { book, held } = await setup(false);
    for (let n = 0; n < UNVERIFIED_MAX_UPCOMING - 2; n++) await book(n);
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => book(100 + i)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(UnverifiedLimit);
    expect(await held()).toBe(UNVERIFIED_MAX_UPCOMING);
  });

  it("books a series only when all of its dates fit under the ceiling", async () => {
    const { venue, association, leader, book, held } = await setup(false);
    for (let n = 0; n < 5; n++) await book(n);
    const series = {
      actorId: leader.id,
      venueId: venue.id,
      associationId: association.id,
      weekday: 3,
      startTime: "18:00",
      durationMinutes: 60,
      intervalWeeks: 1,
      from: "2026-12-09",
      title: "Øving",
      expectedAttendees: 5,
    };
    // Sixteen Wednesdays would make 21.
    await expect(createSeries(t.db, { ...series, until: addDays("2026-12-09", 7 * 15) }, NOW)).rejects.toBeInstanceOf(UnverifiedLimit);
    expect(await held()).toBe(5);
    const made = await createSeries(t.db, { ...series, until: addDays("2026-12-09", 7 * 14) }, NOW);
    expect(made.bookings).toHaveLength(15);
    expect(await held()).toBe(UNVERIFIED_MAX_UPCOMING);
  });

  it("names its public booking to its own members only, when it is in someone's way", async () => {
    const { book, leader } = await setup(false);
    const { booking } = await book(0);
    await t.db.updateTable("bookings").set({ is_public: true }).where("id", "=", booking.id).execute();
    const stranger = await makeUser(t.db, "Forbipasserende");
    expect((await describeBlocking(t.db, stranger.id, [booking.id])).get(booking.id)?.title).toBeNull();
    expect((await describeBlocking(t.db, leader.id, [booking.id])).get(booking.id)?.title).toBe("Møte 0");
  });

  it("has no such ceiling once verified", async () => {
    const { book, held } = await setup(true);
    for (let n = 0; n <= UNVERIFIED_MAX_UPCOMING; n++) await book(n);
    expect(await held()).toBe(UNVERIFIED_MAX_UPCOMING + 1);
  });
});

describe("registering associations", () => {
  it(`lets one person lead at most ${MAX_UNVERIFIED_LED} waiting for verification, and more once one is verified`, async () => {
    const person = await makeUser(t.db, "Ivrig");
    const register = (i: number) =>
      registerAssociation(t.db, { name: `Lag ${i}`, orgNumber: withCheckDigit(String(55_000_000 + i * 11)), contactEmail: "lag@example.org", leaderId: person.id });
    const made = [];
    for (let i = 0; i < MAX_UNVERIFIED_LED; i++) made.push(await register(i));
    await expect(register(MAX_UNVERIFIED_LED)).rejects.toBeInstanceOf(TooManyUnverified);
    expect((await t.db.selectFrom("memberships").select("association_id").where("user_id", "=", person.id).execute()).length).toBe(MAX_UNVERIFIED_LED);
    await t.db.updateTable("associations").set({ verified: true }).where("id", "=", made[0]!.id).execute();
    await expect(register(MAX_UNVERIFIED_LED)).resolves.toMatchObject({ verified: false });
  });
});
