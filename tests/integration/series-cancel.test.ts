// cancelSeriesFrom: a date of a series and every later active one, in one
// transaction, with audit rows and messages; the same people as for one
// booking may do it, and nobody else.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeries } from "../../app/booking/series.server";
import { cancelSeriesFrom } from "../../app/booking/series-cancel.server";
import { requestBooking } from "../../app/booking/booking.server";
import { Forbidden, InvalidInput, InvalidTransition, NotFound } from "../../app/errors/domain-errors";
import { addDays } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeWorld, nextWeekday, type World } from "../helpers/people";

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await createTestDb();
  w = await makeWorld(t.db);
});
afterAll(() => dropTestDb(t));

let offset = 0;
async function series(weeks = 4) {
  const from = nextWeekday(5, 7 + 7 * offset);
  offset += weeks + 1;
  const s = await createSeries(
    t.db,
    {
      actorId: w.users.memberA.id,
      associationId: w.a.id,
      venueId: w.venue.id,
      weekday: 5,
      startTime: "19:00",
      durationMinutes: 60,
      intervalWeeks: 1,
      from,
      until: addDays(from, 7 * (weeks - 1)),
      title: "Fredagsøving",
      expectedAttendees: 8,
    },
    new Date(),
  );
  return { seriesId: s.seriesId, bookings: s.bookings };
}

const statuses = async (seriesId: string) =>
  (await t.db.selectFrom("bookings").select("status").where("series_id", "=", seriesId).orderBy("starts_at").execute()).map((r) => r.status);
const claims = async (ids: string[]) => Number((await t.db.selectFrom("booking_claims").select(sql<number>`count(*)`.as("n")).where("booking_id", "in", ids).executeTakeFirstOrThrow()).n);

describe("cancelSeriesFrom", () => {
  it("cancels the chosen date and every later active one, frees their time, writes audit rows and one message each", async () => {
    const { seriesId, bookings } = await series(4);
    const before = Number((await t.db.selectFrom("outbox").select(sql<number>`count(*)`.as("n")).where("kind", "=", "booking-cancelled").executeTakeFirstOrThrow()).n);
    const done = await cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId, fromBookingId: bookings[1]!.id, reason: "  Ferie  " }, new Date());
    expect(done.map((b) => b.id)).toEqual([bookings[1]!.id, bookings[2]!.id, bookings[3]!.id]);
    expect(done.every((b) => b.cancel_reason === "Ferie" && b.cancelled_by === w.users.memberA.id)).toBe(true);
    expect(await statuses(seriesId)).toEqual(["confirmed", "cancelled", "cancelled", "cancelled"]);
    expect(await claims(done.map((b) => b.id))).toBe(0);
    expect(await claims([bookings[0]!.id])).toBe(1);
    const audit = await t.db.selectFrom("audit_log").select(["entity", "entity_id", "action"]).where("action", "in", ["cancelled", "cancelled-from"]).execute();
    expect(audit.filter((a) => a.entity === "booking").map((a) => a.entity_id).sort()).toEqual(done.map((b) => b.id).sort());
    expect(audit.filter((a) => a.entity === "series")).toEqual([{ entity: "series", entity_id: seriesId, action: "cancelled-from" }]);
    const after = Number((await t.db.selectFrom("outbox").select(sql<number>`count(*)`.as("n")).where("kind", "=", "booking-cancelled").executeTakeFirstOrThrow()).n);
    expect(after - before).toBe(3);

    // The freed time can be booked again.
    const again = bookings[2]!;
    const date = again.starts_at.toISOString().slice(0, 10);
    const { booking } = await requestBooking(t.db, { actorId: w.users.memberB.id, associationId: w.b.id, venueId: w.venue.id, date, start: "19:00", end: "20:00", title: "B", expectedAttendees: 3 }, new Date());
    expect(booking.status).toBe("confirmed");
  });

  it("skips dates already cancelled, and says so when nothing is left", async () => {
    const { seriesId, bookings } = await series(3);
    await cancelSeriesFrom(t.db, { actorId: w.users.leaderA.id, seriesId, fromBookingId: bookings[2]!.id }, new Date());
    const done = await cancelSeriesFrom(t.db, { actorId: w.users.leaderA.id, seriesId, fromBookingId: bookings[1]!.id }, new Date());
    expect(done.map((b) => b.id)).toEqual([bookings[1]!.id]);
    await expect(cancelSeriesFrom(t.db, { actorId: w.users.leaderA.id, seriesId, fromBookingId: bookings[1]!.id }, new Date())).rejects.toBeInstanceOf(InvalidTransition);
    await expect(cancelSeriesFrom(t.db, { actorId: w.users.leaderA.id, seriesId, fromBookingId: bookings[1]!.id }, new Date())).rejects.toMatchObject({
      code: "invalidSeriesRestTransition",
      params: { from: "cancelled" },
    });
  });

  it("a refusal names what became of the chosen date and the later ones, not the chosen date's own status", async () => {
    const { seriesId, bookings } = await series(3);
    const [first, second, third] = bookings as [(typeof bookings)[number], (typeof bookings)[number], (typeof bookings)[number]];
    await cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId, fromBookingId: second.id }, new Date());
    // A tab left open on the first date past its end: that date is over (still "confirmed"), the later ones cancelled.
    const afterFirst = new Date(first.ends_at.getTime() + 60_000);
    const refused = (now: Date) => cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId, fromBookingId: first.id }, now);
    await expect(refused(afterFirst)).rejects.toMatchObject({ code: "invalidSeriesRestTransition", params: { from: "cancelled" } });
    // Every date over: the series has nothing ahead, whatever became of its dates.
    await expect(refused(new Date(third.ends_at.getTime() + 60_000))).rejects.toMatchObject({ code: "invalidSeriesRestTransition", params: { from: "past" } });
    // Dates before the chosen one are not part of "this and later": a confirmed first date does not make the rest "confirmed".
    await expect(cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId, fromBookingId: third.id }, new Date())).rejects.toMatchObject({
      code: "invalidSeriesRestTransition",
      params: { from: "cancelled" },
    });
    expect(await statuses(seriesId)).toEqual(["confirmed", "cancelled", "cancelled"]);
  });

  it("a rejected chosen date with cancelled later ones is refused as cancelled: what the person came to do is done", async () => {
    const { seriesId, bookings } = await series(2);
    await cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId, fromBookingId: bookings[1]!.id }, new Date());
    await t.db.updateTable("bookings").set({ status: "rejected" }).where("id", "=", bookings[0]!.id).execute();
    await expect(cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId, fromBookingId: bookings[0]!.id }, new Date())).rejects.toMatchObject({
      code: "invalidSeriesRestTransition",
      params: { from: "cancelled" },
    });
  });

  it("is allowed to the association's members and the site's caretakers and admins, nobody else", async () => {
    const { seriesId, bookings } = await series(2);
    for (const actor of [w.users.memberB, w.users.leaderB, w.users.outsider]) {
      await expect(cancelSeriesFrom(t.db, { actorId: actor.id, seriesId, fromBookingId: bookings[0]!.id }, new Date())).rejects.toBeInstanceOf(Forbidden);
    }
    expect(await statuses(seriesId)).toEqual(["confirmed", "confirmed"]);
    await cancelSeriesFrom(t.db, { actorId: w.users.caretaker.id, seriesId, fromBookingId: bookings[1]!.id }, new Date());
    await cancelSeriesFrom(t.db, { actorId: w.users.admin.id, seriesId, fromBookingId: bookings[0]!.id }, new Date());
    expect(await statuses(seriesId)).toEqual(["cancelled", "cancelled"]);
  });

  it("refuses a booking that is not of that series, and ids that are not ids", async () => {
    const one = await series(1);
    const other = await series(1);
    await expect(cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId: one.seriesId, fromBookingId: other.bookings[0]!.id }, new Date())).rejects.toBeInstanceOf(NotFound);
    await expect(cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId: "x", fromBookingId: one.bookings[0]!.id }, new Date())).rejects.toBeInstanceOf(InvalidInput);
    await expect(cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId: one.seriesId, fromBookingId: "1; drop table" }, new Date())).rejects.toBeInstanceOf(InvalidInput);
  });

  it("cancels all of them or none: a failure on one date leaves every date as it was", async () => {
    const { seriesId, bookings } = await series(3);
    const last = bookings[2]!.id;
    // A stand-in for any failure midway (the database going away, a bug): refuse the last date's update.
    await sql
      .raw(
        `CREATE FUNCTION refuse_test_cancel() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.id = '${last}' AND NEW.status = 'cancelled' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$;
         CREATE TRIGGER refuse_test_cancel BEFORE UPDATE ON bookings FOR EACH ROW EXECUTE FUNCTION refuse_test_cancel();`,
      )
      .execute(t.db);
    try {
      await expect(cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId, fromBookingId: bookings[0]!.id }, new Date())).rejects.toThrow(/refused for the test/);
    } finally {
      await sql.raw("DROP TRIGGER refuse_test_cancel ON bookings; DROP FUNCTION refuse_test_cancel();").execute(t.db);
    }
    expect(await statuses(seriesId)).toEqual(["confirmed", "confirmed", "confirmed"]);
    expect(await claims(bookings.map((b) => b.id))).toBe(3);
    const audit = await t.db.selectFrom("audit_log").select("id").where("entity_id", "in", [seriesId, ...bookings.map((b) => b.id)]).where("action", "like", "cancelled%").execute();
    expect(audit).toHaveLength(0);
  });
});
