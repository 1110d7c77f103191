// Attendance and no-shows on real PostgreSQL: only the site's caretakers and
// the owner's admins record them, only for confirmed bookings that have
// started; a head count and a no-show exclude each other (in the database
// too), either may be corrected, and each change leaves an audit row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { recordAttendance } from "../../app/caretaker/attendance.server";
import { blockTime } from "../../app/caretaker/blocks.server";
import { loadDaySchedule } from "../../app/caretaker/caretaker.server";
import { AttendanceTooEarly, Forbidden, InvalidInput, InvalidTransition, NotFound } from "../../app/errors/domain-errors";
import { getLanguage } from "../../app/i18n";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

/** When the bookings are made. */
const BOOKED_AT = new Date("2026-12-03T08:00:00Z");
/** 2026-12-10 18:00–20:00 in Oslo is 17:00–19:00Z. */
const BEFORE = new Date("2026-12-10T16:59:00Z");
const DURING = new Date("2026-12-10T17:30:00Z");
const AFTER = new Date("2026-12-11T09:00:00Z");

async function setup(approval: "auto" | "manual" = "auto") {
  const { owner, site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, { approval_mode: approval });
  const { association, leader } = await makeAssociation(t.db);
  const caretaker = await makeUser(t.db, "Ola Vaktmester");
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  const admin = await makeUser(t.db, "Ingrid Admin");
  await t.db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: admin.id }).execute();
  const { booking } = await requestBooking(
    t.db,
    { actorId: leader.id, associationId: association.id, venueId: venue.id, date: "2026-12-10", start: "18:00", end: "20:00", title: "Korpsøving", expectedAttendees: 30 },
    BOOKED_AT,
  );
  return { owner, site, venue, association, leader, caretaker, admin, booking };
}

async function audit(id: string) {
  return t.db.selectFrom("audit_log").select(["action", "actor_id", "before", "after"]).where("entity_id", "=", id).where("action", "=", "attendance").orderBy("id").execute();
}

describe("recording attendance", () => {
  it("records a head count, then a no-show, then a corrected count, each clearing the other, with audit rows", async () => {
    const { caretaker, booking } = await setup();
    const counted = await recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, attendance: "23" }, AFTER);
    expect(counted).toMatchObject({ attendance: 23, no_show: false });
    const noShow = await recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, noShow: true }, AFTER);
    expect(noShow).toMatchObject({ attendance: null, no_show: true });
    const corrected = await recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, attendance: 0 }, AFTER);
    expect(corrected).toMatchObject({ attendance: 0, no_show: false });
    // The booking itself is unchanged: still confirmed at the same time and SEQUENCE.
    expect(corrected).toMatchObject({ status: "confirmed", sequence: booking.sequence });
    const rows = await audit(booking.id);
    expect(rows.map((r) => [r.actor_id, (r.before as { attendance: number | null }).attendance, (r.after as { attendance: number | null; no_show: boolean }).no_show])).toEqual([
      [caretaker.id, null, false],
      [caretaker.id, 23, true],
      [caretaker.id, null, false],
    ]);
  });

  it("writes nothing when the same value is recorded again", async () => {
    const { caretaker, booking } = await setup();
    await recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, attendance: 12 }, AFTER);
    await recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, attendance: "12" }, AFTER);
    expect(await audit(booking.id)).toHaveLength(1);
  });

  it("is allowed once the booking has started, not before", async () => {
    const { caretaker, booking } = await setup();
    await expect(recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, attendance: 5 }, BEFORE)).rejects.toBeInstanceOf(AttendanceTooEarly);
    await expect(recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, attendance: 5 }, DURING)).resolves.toMatchObject({ attendance: 5 });
    expect((await audit(booking.id)).length).toBe(1);
  });

  it("is only for confirmed bookings: not pending, rejected or cancelled ones, nor blocks", async () => {
    const pending = await setup("manual");
    expect(pending.booking.status).toBe("pending");
    await expect(recordAttendance(t.db, { actorId: pending.caretaker.id, bookingId: pending.booking.id, attendance: 5 }, AFTER)).rejects.toBeInstanceOf(InvalidTransition);

    const cancelled = await setup();
    await cancelBooking(t.db, { actorId: cancelled.leader.id, bookingId: cancelled.booking.id, now: BOOKED_AT });
    await expect(recordAttendance(t.db, { actorId: cancelled.caretaker.id, bookingId: cancelled.booking.id, noShow: true }, AFTER)).rejects.toBeInstanceOf(InvalidTransition);

    const block = await blockTime(t.db, { actorId: cancelled.caretaker.id, venueId: cancelled.venue.id, date: "2026-12-10", start: "08:00", end: "10:00", reason: "Vedlikehold" }, BOOKED_AT);
    await expect(recordAttendance(t.db, { actorId: cancelled.caretaker.id, bookingId: block.id, attendance: 1 }, AFTER)).rejects.toBeInstanceOf(NotFound);
    await expect(recordAttendance(t.db, { actorId: cancelled.caretaker.id, bookingId: "0190a3c5-0000-7000-8000-000000000000", attendance: 1 }, AFTER)).rejects.toBeInstanceOf(NotFound);
  });

  it("is for the site's caretakers and the owner's admins only", async () => {
    const { leader, admin, booking } = await setup();
    const other = await setup();
    await expect(recordAttendance(t.db, { actorId: other.caretaker.id, bookingId: booking.id, attendance: 5 }, AFTER)).rejects.toBeInstanceOf(Forbidden);
    await expect(recordAttendance(t.db, { actorId: other.admin.id, bookingId: booking.id, attendance: 5 }, AFTER)).rejects.toBeInstanceOf(Forbidden);
    // The association does not report on itself.
    await expect(recordAttendance(t.db, { actorId: leader.id, bookingId: booking.id, noShow: true }, AFTER)).rejects.toBeInstanceOf(Forbidden);
    await expect(recordAttendance(t.db, { actorId: admin.id, bookingId: booking.id, attendance: 40 }, AFTER)).resolves.toMatchObject({ attendance: 40 });
    expect((await audit(booking.id)).map((r) => r.actor_id)).toEqual([admin.id]);
  });

  it("refuses a head count outside 0..10 000, both at once, or neither", async () => {
    const { caretaker, booking } = await setup();
    const record = (attendance: unknown, noShow?: boolean) =>
      recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, attendance: attendance as number, noShow }, AFTER);
    for (const bad of [-1, 10_001, 2.5, "abc", "1e3", "-3", Number.NaN]) {
      await expect(record(bad)).rejects.toMatchObject({ fields: { attendance: "attendanceRange" } });
    }
    await expect(record(10_000)).resolves.toMatchObject({ attendance: 10_000 });
    await expect(record(3, true)).rejects.toMatchObject({ fields: { attendance: "attendanceOrNoShow" } });
    await expect(record(undefined)).rejects.toMatchObject({ fields: { attendance: "required" } });
    await expect(record("")).rejects.toMatchObject({ fields: { attendance: "required" } });
    await expect(recordAttendance(t.db, { actorId: caretaker.id, bookingId: "nope", attendance: 1 }, AFTER)).rejects.toBeInstanceOf(InvalidInput);
  });

  it("cannot hold a head count and a no-show at once in the database", async () => {
    const { booking } = await setup();
    await expect(t.db.updateTable("bookings").set({ attendance: 3, no_show: true }).where("id", "=", booking.id).execute()).rejects.toMatchObject({ code: "23514" });
  });
});

describe("the day plan", () => {
  it("offers attendance for started confirmed bookings and shows what was recorded", async () => {
    const { caretaker, booking } = await setup();
    const nb = getLanguage("nb");
    const before = await loadDaySchedule(t.db, { viewerId: caretaker.id, date: "2026-12-10", lang: nb, now: BEFORE });
    expect(before.lines.find((l) => l.id === booking.id)).toMatchObject({ canRecordAttendance: false, attendance: null, noShow: false });
    await recordAttendance(t.db, { actorId: caretaker.id, bookingId: booking.id, noShow: true }, DURING);
    const during = await loadDaySchedule(t.db, { viewerId: caretaker.id, date: "2026-12-10", lang: nb, now: DURING });
    expect(during.lines.find((l) => l.id === booking.id)).toMatchObject({ canRecordAttendance: true, attendance: null, noShow: true });
  });
});
