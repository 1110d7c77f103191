// Idempotency, bad input, and the approve / reject / cancel transitions.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveBooking, cancelBooking, rejectBooking, requestBooking } from "../../app/booking/booking.server";
import {
  BookingConflict,
  EndNotAfterStart,
  Forbidden,
  IdempotencyKeyReused,
  InvalidInput,
  InvalidTransition,
  NonexistentLocalTime,
  NotFound,
} from "../../app/errors/domain-errors";
import { createDb } from "../../db/client";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2026-12-03T08:00:00Z");

async function setup(approval: "auto" | "manual" = "auto") {
  const { site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, { approval_mode: approval });
  const { association, leader } = await makeAssociation(t.db);
  const caretaker = await makeUser(t.db, "Vaktmester");
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  const base = {
    actorId: leader.id,
    venueId: venue.id,
    associationId: association.id,
    date: "2026-12-10",
    start: "18:00",
    end: "20:00",
    title: "Styremøte",
    expectedAttendees: 8,
  };
  return { site, venue, association, leader, caretaker, base };
}

async function totals() {
  const { rows } = await sql<{ b: number; c: number; a: number; k: number }>`
    SELECT (SELECT count(*)::int FROM bookings) AS b, (SELECT count(*)::int FROM booking_claims) AS c,
           (SELECT count(*)::int FROM audit_log) AS a, (SELECT count(*)::int FROM idempotency_keys) AS k`.execute(t.db);
  return rows[0]!;
}

describe("idempotency", () => {
  it("returns the first result for a repeated key and creates nothing new", async () => {
    const { base } = await setup();
    const first = await requestBooking(t.db, { ...base, idempotencyKey: "form-8f1c2a77" }, NOW);
    const before = await totals();
    const again = await requestBooking(t.db, { ...base, idempotencyKey: "form-8f1c2a77" }, NOW);
    expect(again.replayed).toBe(true);
    expect(again.booking.id).toBe(first.booking.id);
    expect(await totals()).toEqual(before);
  });

  it("creates one booking when the same key arrives many times at once", async () => {
    const { base } = await setup();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => requestBooking(t.db, { ...base, date: "2026-12-11", idempotencyKey: "double-click-1234" }, NOW)),
    );
    const ids = new Set(results.map((r) => (r.status === "fulfilled" ? r.value.booking.id : String(r.reason))));
    expect(ids.size).toBe(1);
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
  });

  it("a retry after the slot has passed still returns the first booking", async () => {
    const { base } = await setup();
    const first = await requestBooking(t.db, { ...base, date: "2026-12-12", idempotencyKey: "late-retry-0001" }, NOW);
    const muchLater = new Date("2026-12-20T00:00:00Z");
    const again = await requestBooking(t.db, { ...base, date: "2026-12-12", idempotencyKey: "late-retry-0001" }, muchLater);
    expect(again).toMatchObject({ replayed: true, booking: { id: first.booking.id } });
  });

  it("refuses the same key with a different request", async () => {
    const { base } = await setup();
    await requestBooking(t.db, { ...base, idempotencyKey: "reused-key-0001" }, NOW);
    await expect(requestBooking(t.db, { ...base, title: "Annet", idempotencyKey: "reused-key-0001" }, NOW)).rejects.toBeInstanceOf(IdempotencyKeyReused);
  });
});

describe("bad input is refused with a typed error and nothing is written", () => {
  const cases: [string, Record<string, unknown>, new (...a: never[]) => Error][] = [
    ["end before start", { start: "20:00", end: "19:00" }, EndNotAfterStart],
    ["zero duration", { end: "18:00" }, EndNotAfterStart],
    ["unknown venue", { venueId: 2_000_000_000 }, NotFound],
    ["negative venue id", { venueId: -1 }, InvalidInput],
    ["venue id as text", { venueId: "1; DROP TABLE bookings" }, InvalidInput],
    ["non-existent local time", { date: "2027-03-28", start: "02:30", end: "04:00" }, NonexistentLocalTime],
    ["impossible date", { date: "2026-02-30" }, InvalidInput],
    ["the last day of year 9999", { date: "9999-12-31" }, InvalidInput],
    ["malformed date", { date: "10/12/2026" }, InvalidInput],
    ["malformed time", { start: "6pm" }, InvalidInput],
    ["hour 25", { end: "25:00" }, InvalidInput],
    ["10,000-character title", { title: "x".repeat(10_000) }, InvalidInput],
    ["10,000-character purpose", { purpose: "y".repeat(10_000) }, InvalidInput],
    ["control characters in the title", { title: "Møte\r\nBcc: evil@example.org" }, InvalidInput],
    ["NUL in the purpose", { purpose: "a\u0000b" }, InvalidInput],
    ["escape in the note", { noteToCaretaker: "\u001b[31mred" }, InvalidInput],
    ["empty title", { title: "   " }, InvalidInput],
    ["zero attendees", { expectedAttendees: 0 }, InvalidInput],
    ["fractional attendees", { expectedAttendees: 2.5 }, InvalidInput],
    ["a malformed idempotency key", { idempotencyKey: "bad key with spaces" }, InvalidInput],
  ];
  it.each(cases)("%s", async (_name, over, error) => {
    const { base } = await setup();
    const before = await totals();
    await expect(requestBooking(t.db, { ...base, ...over } as never, NOW)).rejects.toBeInstanceOf(error);
    expect(await totals()).toEqual(before);
  });

  it("names the offending field", async () => {
    const { base } = await setup();
    const err = await requestBooking(t.db, { ...base, title: "a\u0007b" }, NOW).catch((e) => e);
    expect(err.fields).toEqual({ title: "controlCharacters" });
  });
});

describe("approve, reject, cancel", () => {
  it("a caretaker approves a pending booking; SEQUENCE rises; audit records before and after", async () => {
    const { base, caretaker } = await setup("manual");
    const { booking } = await requestBooking(t.db, base, NOW);
    const approved = await approveBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, now: NOW });
    expect(approved.status).toBe("confirmed");
    expect(approved.decided_by).toBe(caretaker.id);
    expect(approved.sequence).toBe(booking.sequence + 1);
    const audit = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", booking.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["requested", "approved"]);
    expect(audit[1]!.before).toMatchObject({ status: "pending" });
    expect(audit[1]!.after).toMatchObject({ status: "confirmed" });
    await expect(approveBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, now: NOW })).rejects.toBeInstanceOf(InvalidTransition);
  });

  it("rejecting needs a reason and frees the slot", async () => {
    const { base, caretaker } = await setup("manual");
    const { booking } = await requestBooking(t.db, base, NOW);
    await expect(rejectBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, reason: "  ", now: NOW })).rejects.toBeInstanceOf(InvalidInput);
    const rejected = await rejectBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, reason: "Hallen er stengt for vedlikehold", now: NOW });
    expect(rejected).toMatchObject({ status: "rejected", decision_reason: "Hallen er stengt for vedlikehold" });
    expect((await requestBooking(t.db, base, NOW)).booking.status).toBe("pending");
  });

  it("a member cancels; the slot is free again; a cancelled booking cannot be cancelled twice", async () => {
    const { base, leader } = await setup();
    const { booking } = await requestBooking(t.db, base, NOW);
    await expect(requestBooking(t.db, base, NOW)).rejects.toBeInstanceOf(BookingConflict);
    const cancelled = await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, reason: "Sykdom", now: NOW });
    expect(cancelled).toMatchObject({ status: "cancelled", cancelled_by: leader.id, cancel_reason: "Sykdom" });
    expect(await t.db.selectFrom("booking_claims").selectAll().where("booking_id", "=", booking.id).execute()).toEqual([]);
    expect((await requestBooking(t.db, base, NOW)).booking.status).toBe("confirmed");
    await expect(cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: NOW })).rejects.toBeInstanceOf(InvalidTransition);
  });

  it("nobody else may approve, reject or cancel", async () => {
    const { base } = await setup("manual");
    const { booking } = await requestBooking(t.db, base, NOW);
    const other = await setup("manual"); // a caretaker and a leader of another site and association
    const stranger = await makeUser(t.db);
    for (const actorId of [other.caretaker.id, other.leader.id, stranger.id]) {
      await expect(approveBooking(t.db, { actorId, bookingId: booking.id, now: NOW })).rejects.toBeInstanceOf(Forbidden);
      await expect(rejectBooking(t.db, { actorId, bookingId: booking.id, reason: "nei", now: NOW })).rejects.toBeInstanceOf(Forbidden);
    }
    for (const actorId of [other.caretaker.id, stranger.id]) {
      await expect(cancelBooking(t.db, { actorId, bookingId: booking.id, now: NOW })).rejects.toBeInstanceOf(Forbidden);
    }
    // The association's own leader cannot approve its own request.
    await expect(approveBooking(t.db, { actorId: base.actorId, bookingId: booking.id, now: NOW })).rejects.toBeInstanceOf(Forbidden);
    const row = await t.db.selectFrom("bookings").select("status").where("id", "=", booking.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("pending");
  });

  it("an owner admin may approve at every site of the owner", async () => {
    const { base, site } = await setup("manual");
    const admin = await makeUser(t.db, "Admin");
    const { owner_id } = await t.db.selectFrom("sites").select("owner_id").where("id", "=", site.id).executeTakeFirstOrThrow();
    await t.db.insertInto("owner_admins").values({ owner_id, user_id: admin.id }).execute();
    const { booking } = await requestBooking(t.db, base, NOW);
    expect((await approveBooking(t.db, { actorId: admin.id, bookingId: booking.id, now: NOW })).status).toBe("confirmed");
  });

  it("a booking that has ended can no longer be cancelled or decided", async () => {
    const { base, leader, caretaker } = await setup("manual");
    const { booking } = await requestBooking(t.db, base, NOW);
    const afterwards = new Date("2026-12-11T00:00:00Z");
    await expect(cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: afterwards })).rejects.toBeInstanceOf(InvalidTransition);
    await expect(approveBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, now: afterwards })).rejects.toBeInstanceOf(InvalidTransition);
    const row = await t.db.selectFrom("bookings").select("status").where("id", "=", booking.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("pending");
  });

  it("decides with the one connection it holds (a pool of one does not deadlock)", async () => {
    const { base, caretaker } = await setup("manual");
    const { booking } = await requestBooking(t.db, base, NOW);
    const single = createDb(t.url, { max: 1 });
    try {
      const approved = await Promise.race([
        approveBooking(single, { actorId: caretaker.id, bookingId: booking.id, now: NOW }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("deadlocked on the pool")), 5_000)),
      ]);
      expect(approved.status).toBe("confirmed");
    } finally {
      await single.destroy();
    }
  });

  it("an unknown booking is NotFound", async () => {
    const { caretaker } = await setup();
    await expect(approveBooking(t.db, { actorId: caretaker.id, bookingId: "00000000-0000-4000-8000-000000000000", now: NOW })).rejects.toBeInstanceOf(NotFound);
    await expect(cancelBooking(t.db, { actorId: caretaker.id, bookingId: "not-a-uuid'--", now: NOW })).rejects.toBeInstanceOf(InvalidInput);
  });
});
