// decideSeries: every pending date of a weekly series approved or rejected in
// one transaction (all or none), each with its audit row, and one message to
// the booker for all the dates (with a reminder before each approved one);
// only caretakers and admins of the venue's site may, and a rejection needs a reason.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeries } from "../../app/booking/series.server";
import { cancelSeriesFrom } from "../../app/booking/series-cancel.server";
import { decideSeries } from "../../app/booking/series-decide.server";
import { Forbidden, InvalidInput, InvalidTransition, NotFound } from "../../app/errors/domain-errors";
import { addDays } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser } from "../helpers/fixtures";
import { makeWorld, nextWeekday, type World } from "../helpers/people";

let t: TestDb;
let w: World;
let otherCaretaker: number;
beforeAll(async () => {
  t = await createTestDb();
  // Manual approval: every date of a new series waits for a caretaker.
  w = await makeWorld(t.db, { approval_mode: "manual" });
  const other = await makeOwner(t.db, "Europe/Oslo");
  otherCaretaker = (await makeUser(t.db, "Annen Vaktmester")).id;
  await t.db.insertInto("site_caretakers").values({ site_id: other.site.id, user_id: otherCaretaker }).execute();
});
afterAll(() => dropTestDb(t));

let offset = 0;
async function series(weeks = 3) {
  const from = nextWeekday(3, 7 + 7 * offset);
  offset += weeks + 1;
  const s = await createSeries(
    t.db,
    {
      actorId: w.users.memberA.id,
      associationId: w.a.id,
      venueId: w.venue.id,
      weekday: 3,
      startTime: "18:00",
      durationMinutes: 90,
      intervalWeeks: 1,
      from,
      until: addDays(from, 7 * (weeks - 1)),
      title: "Onsdagstrening",
      expectedAttendees: 12,
    },
    new Date(),
  );
  return { seriesId: s.seriesId, ids: s.bookings.map((b) => b.id) };
}

const statuses = async (seriesId: string) =>
  (await t.db.selectFrom("bookings").select("status").where("series_id", "=", seriesId).orderBy("starts_at").execute()).map((r) => r.status);
const mailTo = async (email: string, kinds: string[]) =>
  Number((await t.db.selectFrom("outbox").select(sql<number>`count(*)`.as("n")).where("recipient", "=", email).where("kind", "in", kinds).executeTakeFirstOrThrow()).n);
const claims = async (ids: string[]) => Number((await t.db.selectFrom("booking_claims").select(sql<number>`count(*)`.as("n")).where("booking_id", "in", ids).executeTakeFirstOrThrow()).n);

describe("decideSeries", () => {
  it("refuses a series the association cancelled meanwhile as cancelled (it said 'confirmed')", async () => {
    const { seriesId, ids } = await series(2);
    await cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId, fromBookingId: ids[0]! }, new Date());
    for (const decision of ["approve", "reject"] as const) {
      const refused = decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId, decision, reason: "Nei" }, new Date());
      await expect(refused).rejects.toBeInstanceOf(InvalidTransition);
      await expect(refused).rejects.toMatchObject({ params: { from: "cancelled" } });
    }
    expect(await statuses(seriesId)).toEqual(["cancelled", "cancelled"]);
  });

  it("approves every pending date, with an audit row each, one for the series, one message to the booker and a reminder per date", async () => {
    const { seriesId, ids } = await series(3);
    expect(await statuses(seriesId)).toEqual(["pending", "pending", "pending"]);
    const mailBefore = await t.db.selectFrom("outbox").select(["id"]).where("recipient", "=", w.users.memberA.email).execute();
    const done = await decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId, decision: "approve" }, new Date());
    expect(done.map((b) => b.id)).toEqual(ids);
    expect(done.every((b) => b.status === "confirmed" && b.decided_by === w.users.caretaker.id)).toBe(true);
    expect(await statuses(seriesId)).toEqual(["confirmed", "confirmed", "confirmed"]);
    const audit = await t.db.selectFrom("audit_log").select(["entity", "entity_id"]).where("action", "=", "approved").execute();
    expect(audit.filter((a) => a.entity === "booking" && ids.includes(a.entity_id))).toHaveLength(3);
    expect(audit.filter((a) => a.entity === "series" && a.entity_id === seriesId)).toHaveLength(1);
    const mailAfter = await t.db
      .selectFrom("outbox")
      .select(["kind", "payload"])
      .where("recipient", "=", w.users.memberA.email)
      .where("id", "not in", mailBefore.length ? mailBefore.map((m) => m.id) : [0])
      .execute();
    // One message for the series, not one per date; a reminder before each date.
    const summary = mailAfter.filter((m) => !m.kind.includes("reminder"));
    expect(summary.map((m) => m.kind)).toEqual(["series-decided"]);
    expect(summary[0]!.payload).toMatchObject({ decision: "approved", count: 3, series: { id: seriesId, title: "Onsdagstrening" } });
    const reminders = mailAfter.filter((m) => m.kind === "booking-reminder").map((m) => (m.payload as { bookingId: string }).bookingId);
    expect(reminders.sort()).toEqual([...ids].sort());
  });

  it("rejects every pending date with the reason and frees their time; an owner admin may too", async () => {
    const { seriesId, ids } = await series(2);
    const before = await mailTo(w.users.memberA.email, ["booking-rejected", "series-decided"]);
    const done = await decideSeries(t.db, { actorId: w.users.admin.id, seriesId, decision: "reject", reason: "  Hallen pusses opp  " }, new Date());
    expect(done.every((b) => b.status === "rejected" && b.decision_reason === "Hallen pusses opp")).toBe(true);
    expect(await statuses(seriesId)).toEqual(["rejected", "rejected"]);
    expect(await claims(ids)).toBe(0);
    // One message with the reason for both dates.
    expect((await mailTo(w.users.memberA.email, ["booking-rejected", "series-decided"])) - before).toBe(1);
    const sent = await t.db.selectFrom("outbox").select("payload").where("kind", "=", "series-decided").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(sent.payload).toMatchObject({ decision: "rejected", reason: "Hallen pusses opp", count: 2 });
  });

  it("refuses a rejection without a reason, and changes nothing", async () => {
    const { seriesId } = await series(2);
    for (const reason of [undefined, "", "   "]) {
      await expect(decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId, decision: "reject", reason }, new Date())).rejects.toBeInstanceOf(InvalidInput);
    }
    expect(await statuses(seriesId)).toEqual(["pending", "pending"]);
  });

  it("refuses another site's caretaker and members of the association, and changes nothing", async () => {
    const { seriesId } = await series(2);
    const outbox = Number((await t.db.selectFrom("outbox").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
    for (const actorId of [otherCaretaker, w.users.memberA.id, w.users.leaderA.id, w.users.outsider.id]) {
      await expect(decideSeries(t.db, { actorId, seriesId, decision: "approve" }, new Date())).rejects.toBeInstanceOf(Forbidden);
      await expect(decideSeries(t.db, { actorId, seriesId, decision: "reject", reason: "Nei" }, new Date())).rejects.toBeInstanceOf(Forbidden);
    }
    expect(await statuses(seriesId)).toEqual(["pending", "pending"]);
    expect(Number((await t.db.selectFrom("outbox").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n)).toBe(outbox);
  });

  it("is all or nothing: a failure on the last date leaves every date pending and queues no message", async () => {
    const { seriesId, ids } = await series(3);
    const last = ids[2]!;
    const outbox = Number((await t.db.selectFrom("outbox").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
    await sql`CREATE FUNCTION fail_on_last() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`.execute(t.db);
    await sql
      .raw(`CREATE TRIGGER fail_on_last BEFORE UPDATE ON bookings FOR EACH ROW WHEN (NEW.id = '${last}'::uuid) EXECUTE FUNCTION fail_on_last()`)
      .execute(t.db);
    try {
      await expect(decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId, decision: "approve" }, new Date())).rejects.toThrow(/boom/);
    } finally {
      await sql`DROP TRIGGER fail_on_last ON bookings`.execute(t.db);
      await sql`DROP FUNCTION fail_on_last()`.execute(t.db);
    }
    expect(await statuses(seriesId)).toEqual(["pending", "pending", "pending"]);
    expect(Number((await t.db.selectFrom("outbox").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n)).toBe(outbox);
    const audit = await t.db.selectFrom("audit_log").select("entity_id").where("action", "=", "approved").where("entity_id", "in", [...ids, seriesId]).execute();
    expect(audit).toEqual([]);
  });

  it("decides only what is pending and still to come; nothing pending is a conflict; unknown series are not found", async () => {
    const { seriesId, ids } = await series(2);
    await t.db.updateTable("bookings").set({ status: "confirmed" }).where("id", "=", ids[0]!).execute();
    const done = await decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId, decision: "reject", reason: "Opptatt" }, new Date());
    expect(done.map((b) => b.id)).toEqual([ids[1]]);
    expect(await statuses(seriesId)).toEqual(["confirmed", "rejected"]);
    await expect(decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId, decision: "approve" }, new Date())).rejects.toBeInstanceOf(InvalidTransition);
    await expect(decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId, decision: "approve" }, new Date())).rejects.toMatchObject({
      code: "invalidSeriesTransition",
      params: { from: "confirmed" },
    });
    await expect(
      decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId: "00000000-0000-4000-8000-000000000000", decision: "approve" }, new Date()),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId: "nope", decision: "approve" }, new Date())).rejects.toBeInstanceOf(InvalidInput);
  });
});
