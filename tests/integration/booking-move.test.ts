// Moving a booking: rules, the exclusion constraint, SEQUENCE, audit and the
// "moved" message, all in one transaction.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { moveBooking } from "../../app/booking/move.server";
import { AssociationRejected, BookingConflict, Forbidden, InvalidTransition, NonexistentLocalTime, OutsideOpeningHours, QuotaExceeded, UnchangedTime } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2026-12-03T08:00:00Z");

async function setup(options: { approval?: "auto" | "manual"; buffer?: number } = {}) {
  const { site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, { approval_mode: options.approval ?? "auto", buffer_minutes: options.buffer ?? 0 });
  const { association, leader } = await makeAssociation(t.db);
  const caretaker = await makeUser(t.db, "Vaktmester");
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  const base = { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-12-10", start: "18:00", end: "20:00", title: "Øving", expectedAttendees: 8 };
  const { booking } = await requestBooking(t.db, base, NOW);
  return { venue, association, leader, caretaker, base, booking };
}

const claimsOf = (id: string) => t.db.selectFrom("booking_claims").selectAll().where("booking_id", "=", id).execute();

describe("moveBooking", () => {
  it("moves the booking and its claim, raises SEQUENCE, audits and queues a 'moved' message", async () => {
    const { booking, leader } = await setup({ buffer: 15 });
    const moved = await moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-11", start: "17:00", end: "18:30" }, NOW);
    expect(moved.starts_at.toISOString()).toBe("2026-12-11T16:00:00.000Z");
    expect(moved.ends_at.toISOString()).toBe("2026-12-11T17:30:00.000Z");
    expect(moved.sequence).toBeGreaterThan(booking.sequence);
    const claims = await claimsOf(booking.id);
    expect(claims).toHaveLength(1);
    expect(claims[0]!.during).toContain("2026-12-11 17:45:00"); // end + 15 min buffer
    const audit = await t.db.selectFrom("audit_log").select("action").where("entity_id", "=", booking.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["requested", "moved"]);
    const mail = await t.db.selectFrom("outbox").select(["kind", "recipient"]).where("kind", "=", "booking-moved").execute();
    expect(mail.map((m) => m.recipient)).toContain(leader.email);
  });

  it("refuses a member of an association the municipality has rejected; its caretaker may still move the booking", async () => {
    const { booking, leader, association, caretaker } = await setup();
    await t.db.updateTable("associations").set({ verified: false, rejected_at: NOW, rejection_reason: "Ikke en forening" }).where("id", "=", association.id).execute();
    const to = { bookingId: booking.id, date: "2026-12-11", start: "17:00", end: "18:30" };
    await expect(moveBooking(t.db, { actorId: leader.id, ...to }, NOW)).rejects.toBeInstanceOf(AssociationRejected);
    expect((await t.db.selectFrom("bookings").select("starts_at").where("id", "=", booking.id).executeTakeFirstOrThrow()).starts_at).toEqual(booking.starts_at);
    await expect(moveBooking(t.db, { actorId: caretaker.id, ...to }, NOW)).resolves.toMatchObject({ id: booking.id });
  });

  it("holds the weekly quota, not counting the booking being moved against itself", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { weekly_quota_minutes: 180 });
    const { association, leader } = await makeAssociation(t.db);
    const base = { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-12-14", start: "18:00", end: "20:00", title: "Øving", expectedAttendees: 8 };
    const { booking } = await requestBooking(t.db, base, NOW); // two hours on Monday
    await requestBooking(t.db, { ...base, date: "2026-12-16", start: "10:00", end: "11:00", title: "Møte" }, NOW); // one on Wednesday
    // Without itself the week holds one hour: two hours on Tuesday fit, two and a half do not.
    const moved = await moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-15", start: "17:00", end: "19:00" }, NOW);
    expect(moved.starts_at.toISOString()).toBe("2026-12-15T16:00:00.000Z");
    await expect(moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-15", start: "17:00", end: "19:30" }, NOW)).rejects.toBeInstanceOf(QuotaExceeded);
  });

  it("may overlap its own old time, but not another booking; nothing changes on a conflict", async () => {
    const { booking, leader, base } = await setup();
    const other = await requestBooking(t.db, { ...base, start: "20:00", end: "21:00", title: "Annet" }, NOW);
    const shifted = await moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-10", start: "18:30", end: "20:00" }, NOW);
    expect(shifted.starts_at.toISOString()).toBe("2026-12-10T17:30:00.000Z");
    const err = await moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-10", start: "19:00", end: "20:30" }, NOW).catch((e) => e);
    expect(err).toBeInstanceOf(BookingConflict);
    expect(err.conflictingBookingId).toBe(other.booking.id);
    const row = await t.db.selectFrom("bookings").select(["starts_at", "sequence"]).where("id", "=", booking.id).executeTakeFirstOrThrow();
    expect(row.starts_at.toISOString()).toBe("2026-12-10T17:30:00.000Z");
    expect(row.sequence).toBe(shifted.sequence);
  });

  it("applies the venue's rules and refuses times that do not exist", async () => {
    const { booking, leader } = await setup();
    await expect(moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-10", start: "21:00", end: "23:00" }, NOW)).rejects.toBeInstanceOf(OutsideOpeningHours);
    await expect(moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2027-03-28", start: "02:30", end: "03:30" }, NOW)).rejects.toBeInstanceOf(NonexistentLocalTime);
  });

  it("a member's move on a manual venue needs approval again; the caretaker's does not", async () => {
    const { booking, leader, caretaker } = await setup({ approval: "manual" });
    const { approveBooking } = await import("../../app/booking/booking.server");
    await approveBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, now: NOW });
    const byMember = await moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-12", start: "10:00", end: "11:00" }, NOW);
    expect(byMember.status).toBe("pending");
    await approveBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, now: NOW });
    const byCaretaker = await moveBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, date: "2026-12-13", start: "10:00", end: "11:00" }, NOW);
    expect(byCaretaker.status).toBe("confirmed");
  });

  it("refuses a move to the time it already has: no mail, no new SEQUENCE, no audit row; strangers learn nothing from it", async () => {
    const { booking, leader } = await setup();
    const same = { bookingId: booking.id, date: "2026-12-10", start: "18:00", end: "20:00" };
    // The venue now opens later: the booking's own time is still "already yours", not "outside the hours".
    await t.db.updateTable("opening_hours").set({ opens: "19:00" }).where("venue_id", "=", booking.venue_id).execute();
    await expect(moveBooking(t.db, { actorId: leader.id, ...same }, NOW)).rejects.toBeInstanceOf(UnchangedTime);
    const stranger = await makeUser(t.db);
    await expect(moveBooking(t.db, { actorId: stranger.id, ...same }, NOW)).rejects.toBeInstanceOf(Forbidden);
    const row = await t.db.selectFrom("bookings").select(["sequence", "updated_at"]).where("id", "=", booking.id).executeTakeFirstOrThrow();
    expect(row.sequence).toBe(booking.sequence);
    expect(row.updated_at).toEqual(booking.updated_at);
    const audit = await t.db.selectFrom("audit_log").select("action").where("entity_id", "=", booking.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["requested"]);
    const moved = await t.db.selectFrom("outbox").select("id").where("kind", "=", "booking-moved").where(sql`payload->'booking'->>'id'`, "=", booking.id).execute();
    expect(moved).toHaveLength(0);
  });

  it("refuses strangers, cancelled bookings and bookings that have ended", async () => {
    const { booking, leader } = await setup();
    const stranger = await makeUser(t.db);
    const to = { date: "2026-12-11", start: "10:00", end: "11:00" };
    await expect(moveBooking(t.db, { actorId: stranger.id, bookingId: booking.id, ...to }, NOW)).rejects.toBeInstanceOf(Forbidden);
    // Nothing about the venue's rules is told first: a time outside its hours, or one that does not exist, is Forbidden too.
    await expect(moveBooking(t.db, { actorId: stranger.id, bookingId: booking.id, date: "2026-12-11", start: "23:00", end: "23:30" }, NOW)).rejects.toBeInstanceOf(Forbidden);
    await expect(moveBooking(t.db, { actorId: stranger.id, bookingId: booking.id, date: "2027-03-28", start: "02:30", end: "03:30" }, NOW)).rejects.toBeInstanceOf(Forbidden);
    await expect(moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, ...to }, new Date("2026-12-10T20:00:00Z"))).rejects.toBeInstanceOf(InvalidTransition);
    const { cancelBooking } = await import("../../app/booking/booking.server");
    await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: NOW });
    await expect(moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, ...to }, NOW)).rejects.toBeInstanceOf(InvalidTransition);
  });
});
