// Every rule of requestBooking on real PostgreSQL, each refused with its typed
// error and nothing written.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import {
  BeyondHorizon,
  BookingConflict,
  DurationOutOfRange,
  EndNotAfterStart,
  Forbidden,
  InClosure,
  NotFound,
  OutsideOpeningHours,
  OverCapacity,
  QuotaExceeded,
  TooShortNotice,
} from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

// Thursday 2026-12-03, 09:00 in Oslo.
const NOW = new Date("2026-12-03T08:00:00Z");

async function setup(venueOptions: Parameters<typeof makeVenue>[2] = {}, verified = true) {
  const { site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, venueOptions);
  const { association, leader } = await makeAssociation(t.db, { verified });
  const book = (over: Partial<Parameters<typeof requestBooking>[1]> = {}) =>
    requestBooking(
      t.db,
      {
        actorId: leader.id,
        venueId: venue.id,
        associationId: association.id,
        date: "2026-12-10",
        start: "18:00",
        end: "20:00",
        title: "Korøving",
        expectedAttendees: 20,
        ...over,
      },
      NOW,
    );
  return { site, venue, association, leader, book };
}

async function count(table: "bookings" | "booking_claims" | "audit_log") {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.db);
  return rows[0]!.n;
}

async function expectNothingWritten(fn: () => Promise<unknown>, error: new (...args: never[]) => Error) {
  const before = await Promise.all([count("bookings"), count("booking_claims"), count("audit_log")]);
  await expect(fn()).rejects.toBeInstanceOf(error);
  expect(await Promise.all([count("bookings"), count("booking_claims"), count("audit_log")])).toEqual(before);
}

describe("requestBooking", () => {
  it("confirms at once in auto mode, stores instants, writes claim and audit", async () => {
    const { book, venue, leader } = await setup();
    const { booking, replayed } = await book();
    expect(replayed).toBe(false);
    expect(booking.status).toBe("confirmed");
    // 18:00 in Oslo in December is 17:00Z.
    expect(booking.starts_at.toISOString()).toBe("2026-12-10T17:00:00.000Z");
    expect(booking.ends_at.toISOString()).toBe("2026-12-10T19:00:00.000Z");
    const claims = await t.db.selectFrom("booking_claims").selectAll().where("booking_id", "=", booking.id).execute();
    expect(claims.map((c) => c.space_id)).toEqual([venue.id]);
    const audit = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", booking.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "requested", actor_id: leader.id, entity: "booking" });
  });

  it("leaves it pending in manual mode and for unverified associations", async () => {
    const manual = await setup({ approval_mode: "manual" });
    expect((await manual.book()).booking.status).toBe("pending");
    const unverified = await setup({}, false);
    expect((await unverified.book()).booking.status).toBe("pending");
  });

  it("refuses an overlapping booking and names the booking in the way", async () => {
    const { book } = await setup();
    const first = await book();
    const err = await book({ start: "19:00", end: "21:00" }).catch((e) => e);
    expect(err).toBeInstanceOf(BookingConflict);
    expect(err.conflictingBookingId).toBe(first.booking.id);
  });

  it("treats ranges as half-open: 10–11 and 11–12 do not conflict", async () => {
    const { book } = await setup();
    await book({ start: "10:00", end: "11:00" });
    const second = await book({ start: "11:00", end: "12:00" });
    expect(second.booking.status).toBe("confirmed");
  });

  it("applies the buffer after a booking", async () => {
    const { book } = await setup({ buffer_minutes: 30 });
    await book({ start: "10:00", end: "11:00" });
    await expect(book({ start: "11:15", end: "12:00" })).rejects.toBeInstanceOf(BookingConflict);
    expect((await book({ start: "11:30", end: "12:30" })).booking.status).toBe("confirmed");
  });

  it("frees the slot when a pending booking is gone, but a pending one holds it", async () => {
    const { book } = await setup({ approval_mode: "manual" });
    await book();
    await expect(book()).rejects.toBeInstanceOf(BookingConflict);
  });

  it("blocks the parts when the whole is booked and the whole when a part is", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id, { name: "Hall" });
    const a = await makeVenue(t.db, site.id, { name: "Hall A", parent_id: hall.id });
    const b = await makeVenue(t.db, site.id, { name: "Hall B", parent_id: hall.id });
    const { association, leader } = await makeAssociation(t.db);
    const base = { actorId: leader.id, associationId: association.id, date: "2026-12-11", title: "Trening", expectedAttendees: 10 };
    await requestBooking(t.db, { ...base, venueId: a.id, start: "17:00", end: "18:00" }, NOW);
    // The other half is free at the same time.
    await requestBooking(t.db, { ...base, venueId: b.id, start: "17:00", end: "18:00" }, NOW);
    await expect(requestBooking(t.db, { ...base, venueId: hall.id, start: "17:30", end: "19:00" }, NOW)).rejects.toBeInstanceOf(BookingConflict);
    await requestBooking(t.db, { ...base, venueId: hall.id, start: "19:00", end: "20:00" }, NOW);
    await expect(requestBooking(t.db, { ...base, venueId: b.id, start: "19:30", end: "20:30" }, NOW)).rejects.toBeInstanceOf(BookingConflict);
  });

  it.each([
    ["end before start", { start: "20:00", end: "18:00" }, EndNotAfterStart],
    ["zero duration", { start: "18:00", end: "18:00" }, EndNotAfterStart],
    ["outside opening hours", { start: "21:00", end: "23:00" }, OutsideOpeningHours],
    ["too short", { start: "18:00", end: "18:15" }, DurationOutOfRange],
    ["too long", { start: "08:00", end: "20:00" }, DurationOutOfRange],
    ["too many people", { expectedAttendees: 31 }, OverCapacity],
    ["beyond the horizon", { date: "2028-02-03" }, BeyondHorizon],
    ["year 9999", { date: "9999-12-09" }, BeyondHorizon],
    ["in the past", { date: "2026-12-01" }, TooShortNotice],
  ] as const)("refuses %s", async (_name, over, error) => {
    const { book } = await setup({ max_duration_minutes: 240 });
    await expectNothingWritten(() => book(over), error);
  });

  it("refuses less than the minimum notice", async () => {
    const { book } = await setup({ min_notice_minutes: 24 * 60 });
    await expectNothingWritten(() => book({ date: "2026-12-03", start: "18:00", end: "19:00" }), TooShortNotice);
    expect((await book({ date: "2026-12-04" })).booking.status).toBe("confirmed");
  });

  it("refuses a closure, also one on the whole when booking a part", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id);
    const part = await makeVenue(t.db, site.id, { parent_id: hall.id });
    await t.db.insertInto("closures").values({ venue_id: hall.id, starts_on: "2026-12-21", ends_on: "2027-01-01", reason: "Juleferie" }).execute();
    const { association, leader } = await makeAssociation(t.db);
    const base = { actorId: leader.id, associationId: association.id, start: "18:00", end: "19:00", title: "Møte", expectedAttendees: 5 };
    const err = await requestBooking(t.db, { ...base, venueId: part.id, date: "2026-12-28" }, NOW).catch((e) => e);
    expect(err).toBeInstanceOf(InClosure);
    expect(err.params).toMatchObject({ reason: "Juleferie", from: "2026-12-21", to: "2027-01-01", venue: hall.name });
    expect(err.code).toBe("inClosureOf");
    await expect(requestBooking(t.db, { ...base, venueId: hall.id, date: "2027-01-01" }, NOW)).rejects.toBeInstanceOf(InClosure);
    expect((await requestBooking(t.db, { ...base, venueId: part.id, date: "2027-01-02" }, NOW)).booking.status).toBe("confirmed");
  });

  it("enforces the weekly quota per association", async () => {
    const { book, venue } = await setup({ weekly_quota_minutes: 180 });
    await book({ date: "2026-12-07", start: "18:00", end: "20:00" }); // Monday, 2 h
    const err = await book({ date: "2026-12-13", start: "10:00", end: "12:00" }).catch((e) => e); // Sunday, same ISO week
    expect(err).toBeInstanceOf(QuotaExceeded);
    expect(err.params).toEqual({ quotaHours: 3, usedHours: 2 });
    // The next week has its own quota, and another association has its own.
    await book({ date: "2026-12-14", start: "10:00", end: "12:00" });
    const other = await makeAssociation(t.db);
    const r = await requestBooking(
      t.db,
      { actorId: other.leader.id, venueId: venue.id, associationId: other.association.id, date: "2026-12-13", start: "10:00", end: "12:00", title: "X", expectedAttendees: 1 },
      NOW,
    );
    expect(r.booking.status).toBe("confirmed");
  });

  it("refuses people who are not members, unknown venues and archived venues", async () => {
    const { book, venue } = await setup();
    const stranger = await makeUser(t.db);
    await expectNothingWritten(() => book({ actorId: stranger.id }), Forbidden);
    await expectNothingWritten(() => book({ venueId: 999_999_999 }), NotFound);
    await expectNothingWritten(() => book({ associationId: 999_999_999 }), NotFound);
    await t.db.updateTable("venues").set({ archived_at: new Date() }).where("id", "=", venue.id).execute();
    await expectNothingWritten(() => book(), NotFound);
  });
});
