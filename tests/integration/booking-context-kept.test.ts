// A process keeps the booking contexts it read (app/booking/context-cache.server.ts)
// and the write checks them (flokk_check_context, migration 0010). The cache
// only learns by reading, so a change written straight to the database here is
// what a change made by another process (an admin's request) looks like.
// Whatever changed, a request must be decided as if the context were read now.
import { sql, type Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import {
  AssociationRejected,
  Forbidden,
  InClosure,
  OutsideOpeningHours,
  OverCapacity,
  QuotaExceeded,
} from "../../app/errors/domain-errors";
import type { Database } from "../../db/client";
import type { DB } from "../../db/schema";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeBookingSetup, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

const NOW = new Date("2026-08-20T08:00:00Z");

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 4 });
});
afterAll(async () => {
  await dropTestDb(t);
});

/** A handle of its own (its own cache), counting the context reads it sends. */
function countingHandle(): { db: Database; reads: () => number } {
  let reads = 0;
  const db = t.db.withPlugin({
    transformQuery: (args) => {
      const fragments = (args.node as { sqlFragments?: readonly string[] }).sqlFragments;
      if (fragments?.some((f) => f.includes("flokk_booking_context("))) reads++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { db, reads: () => reads };
}

async function setup() {
  const { venue, association, leader, base } = await makeBookingSetup(t.db);
  const { db, reads } = countingHandle();
  // The first request reads the context and keeps it.
  await requestBooking(db, base, NOW);
  expect(reads()).toBe(1);
  return { venue, association, leader, base, db, reads };
}

/** Until a statement in this test's database waits for a lock: the request is held, not merely slow. */
async function untilWaitingForLock(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(t.db);
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("no statement came to wait for a lock within 5 s");
}

/**
 * Starts `request` while `change` is made in a transaction not yet committed:
 * the request must wait for it (blocked on a lock, not settled). Returns what
 * the request settles with once the change has committed.
 */
async function requestedDuring(change: (trx: Transaction<DB>) => Promise<unknown>, request: () => Promise<unknown>): Promise<unknown> {
  let pending: Promise<unknown> = Promise.resolve();
  let settled = false;
  await t.db.transaction().execute(async (trx) => {
    await change(trx);
    pending = request().finally(() => {
      settled = true;
    });
    pending.catch(() => {});
    await untilWaitingForLock();
    expect(settled).toBe(false);
  });
  return pending;
}

const bookingsOf = async (venueId: number) =>
  (await t.db.selectFrom("bookings").select("title").where("venue_id", "=", venueId).orderBy("starts_at").execute()).map((b) => b.title);

describe("booking contexts kept between requests", () => {
  it("a second request at the same venue reads no context: one round trip", async () => {
    const { venue, base, db, reads } = await setup();
    await requestBooking(db, { ...base, date: "2026-11-20", start: "12:00", end: "13:00", title: "Andre" }, NOW);
    expect(reads()).toBe(1);
    expect(await bookingsOf(venue.id)).toEqual(["Trening", "Andre"]);
  });

  it("hours shortened elsewhere: the write finds the kept context out of date, and the request is refused", async () => {
    const { venue, base, db, reads } = await setup();
    await t.db.updateTable("opening_hours").set({ closes: "18:00" }).where("venue_id", "=", venue.id).execute();
    await expect(requestBooking(db, { ...base, start: "19:00", end: "20:00", title: "Kveld" }, NOW)).rejects.toBeInstanceOf(
      OutsideOpeningHours,
    );
    expect(reads()).toBe(2);
    expect(await bookingsOf(venue.id)).toEqual(["Trening"]);
  });

  it("a closure added elsewhere is honoured", async () => {
    const { venue, base, db } = await setup();
    await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2026-09-17", ends_on: "2026-09-17", reason: "Vannlekkasje" }).execute();
    await expect(requestBooking(db, { ...base, date: "2026-09-17" }, NOW)).rejects.toBeInstanceOf(InClosure);
    expect(await bookingsOf(venue.id)).toEqual(["Trening"]);
  });

  it("a closure of the whole venue reaches a part whose context was kept", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id);
    const part = await makeVenue(t.db, site.id, { parent_id: hall.id });
    const { association, leader } = await makeAssociation(t.db);
    const { db } = countingHandle();
    const base = { actorId: leader.id, venueId: part.id, associationId: association.id, date: "2026-09-10", start: "10:00", end: "11:00", title: "Del", expectedAttendees: 5 };
    await requestBooking(db, base, NOW);
    await t.db.insertInto("closures").values({ venue_id: hall.id, starts_on: "2026-09-11", ends_on: "2026-09-11", reason: "Eksamen" }).execute();
    await expect(requestBooking(db, { ...base, date: "2026-09-11" }, NOW)).rejects.toBeInstanceOf(InClosure);
  });

  it("hours extended elsewhere: a kept context's no is not the answer, a fresh read's yes is", async () => {
    const { venue, base, db } = await setup();
    await t.db.updateTable("opening_hours").set({ closes: "23:00" }).where("venue_id", "=", venue.id).execute();
    const late = await requestBooking(db, { ...base, start: "22:00", end: "23:00", title: "Sent" }, NOW);
    expect(late.booking.title).toBe("Sent");
  });

  it("the venue's rules changed elsewhere (capacity)", async () => {
    const { venue, base, db } = await setup();
    await t.db.updateTable("venues").set({ capacity: 5 }).where("id", "=", venue.id).execute();
    await expect(requestBooking(db, { ...base, start: "12:00", end: "13:00" }, NOW)).rejects.toBeInstanceOf(OverCapacity);
  });

  it("a member removed elsewhere can no longer book; one added can", async () => {
    const { association, leader, base, db } = await setup();
    // An association keeps a leader: another takes over first.
    const next = await makeUser(t.db, "Ny leder");
    await t.db.insertInto("memberships").values({ association_id: association.id, user_id: next.id, role: "leader" }).execute();
    await t.db.deleteFrom("memberships").where("user_id", "=", leader.id).execute();
    await expect(requestBooking(db, { ...base, start: "12:00", end: "13:00" }, NOW)).rejects.toBeInstanceOf(Forbidden);
    await t.db.insertInto("memberships").values({ association_id: association.id, user_id: leader.id, role: "member" }).execute();
    const again = await requestBooking(db, { ...base, start: "12:00", end: "13:00", title: "Tilbake" }, NOW);
    expect(again.booking.title).toBe("Tilbake");
  });

  it("an association turned down elsewhere can no longer book", async () => {
    const { association, base, db } = await setup();
    const admin = await makeUser(t.db, "Admin");
    await t.db
      .updateTable("associations")
      .set({ rejected_at: new Date(), rejection_reason: "Ikke en forening", decided_by: admin.id, verified: false })
      .where("id", "=", association.id)
      .execute();
    await expect(requestBooking(db, { ...base, start: "12:00", end: "13:00" }, NOW)).rejects.toBeInstanceOf(AssociationRejected);
  });

  it("an association verified elsewhere: the new booking is confirmed, not left pending", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id);
    const { association, leader } = await makeAssociation(t.db, { verified: false });
    const { db } = countingHandle();
    const base = { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-09-10", start: "10:00", end: "11:00", title: "Først", expectedAttendees: 5 };
    expect((await requestBooking(db, base, NOW)).booking.status).toBe("pending");
    await t.db.updateTable("associations").set({ verified: true }).where("id", "=", association.id).execute();
    expect((await requestBooking(db, { ...base, start: "12:00", end: "13:00" }, NOW)).booking.status).toBe("confirmed");
  });

  it("a retry with the same key returns the first booking even when the rules would now refuse it", async () => {
    const { venue, base, db } = await setup();
    const req = { ...base, start: "20:00", end: "21:00", title: "Med nøkkel", idempotencyKey: "kept-key-000001" };
    const first = await requestBooking(db, req, NOW);
    await t.db.updateTable("opening_hours").set({ closes: "18:00" }).where("venue_id", "=", venue.id).execute();
    const again = await requestBooking(db, req, NOW);
    expect(again).toMatchObject({ replayed: true, booking: { id: first.booking.id } });
  });

  it("a weekly quota raised elsewhere: the kept context's no is not the answer", async () => {
    const { venue, base, db } = await setup();
    await t.db.updateTable("venues").set({ weekly_quota_minutes: 60 }).where("id", "=", venue.id).execute();
    await expect(requestBooking(db, { ...base, date: "2026-09-11" }, NOW)).rejects.toBeInstanceOf(QuotaExceeded);
    await t.db.updateTable("venues").set({ weekly_quota_minutes: 600 }).where("id", "=", venue.id).execute();
    const more = await requestBooking(db, { ...base, date: "2026-09-11", title: "Mer" }, NOW);
    expect(more.booking.title).toBe("Mer");
  });

  it.each([
    ["alone (a venue with a quota: its own transaction)", 600],
    ["in a batch", null],
  ])("a closure being added while a booking is written %s: the booking waits for it, then is refused", async (_name, quota) => {
    const { venue, base, db } = await setup();
    await t.db.updateTable("venues").set({ weekly_quota_minutes: quota }).where("id", "=", venue.id).execute();
    await requestBooking(db, { ...base, date: "2026-09-21", title: "Kontekst" }, NOW); // the new rules, kept
    const pending = requestedDuring(
      // Inserting the closure locks the venue's row (its trigger), as an admin's change does.
      (trx) => trx.insertInto("closures").values({ venue_id: venue.id, starts_on: "2026-09-22", ends_on: "2026-09-22", reason: "Lekkasje" }).execute(),
      () => requestBooking(db, { ...base, date: "2026-09-22", title: "For sent" }, NOW),
    );
    await expect(pending).rejects.toBeInstanceOf(InClosure);
    expect(await bookingsOf(venue.id)).toEqual(["Trening", "Kontekst"]);
  });

  it("an association being turned down while a booking is written in a batch: the booking waits for it, then is refused", async () => {
    const { association, base, db } = await setup();
    const admin = await makeUser(t.db, "Admin");
    // Without the batch's FOR SHARE the request would read the row as it was and write the booking, waiting for nothing.
    const pending = requestedDuring(
      // As rejectAssociation does: the row locked and changed, the transaction not yet committed.
      (trx) =>
        trx
          .updateTable("associations")
          .set({ rejected_at: NOW, rejection_reason: "Ikke en forening", decided_by: admin.id, verified: false })
          .where("id", "=", association.id)
          .execute(),
      () => requestBooking(db, { ...base, start: "12:00", end: "13:00", title: "For sent" }, NOW),
    );
    await expect(pending).rejects.toBeInstanceOf(AssociationRejected);
    expect(await bookingsOf(base.venueId)).toEqual(["Trening"]);
  });

  it("a venue's stamp changes with its row, its hours and its closures, and with its whole's closures", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id);
    const part = await makeVenue(t.db, site.id, { parent_id: hall.id });
    const stamps = async () =>
      (await sql<{ id: number; s: string }>`SELECT id, rules_stamp::text AS s FROM venues WHERE id IN (${hall.id}, ${part.id}) ORDER BY id`.execute(t.db)).rows.map(
        (r) => r.s,
      );
    const seen = [await stamps()];
    await t.db.updateTable("opening_hours").set({ opens: "09:00" }).where("venue_id", "=", part.id).execute();
    seen.push(await stamps());
    await t.db.insertInto("closures").values({ venue_id: hall.id, starts_on: "2026-10-01", ends_on: "2026-10-02", reason: "Maling" }).execute();
    seen.push(await stamps());
    await t.db.deleteFrom("closures").where("venue_id", "=", hall.id).execute();
    seen.push(await stamps());
    await t.db.updateTable("venues").set({ buffer_minutes: 10 }).where("id", "=", hall.id).execute();
    seen.push(await stamps());
    // [hall, part] after each step: part's hours move only the part; the
    // hall's closures move both; the hall's row moves the hall.
    const changed = seen.slice(1).map((now, i) => now.map((s, j) => s !== seen[i]![j]));
    expect(changed).toEqual([
      [false, true],
      [true, true],
      [true, true],
      [true, false],
    ]);
  });

  it("a statement moves each venue's stamp once, however many of its rows it changes", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id);
    const parts = [await makeVenue(t.db, site.id, { parent_id: hall.id }), await makeVenue(t.db, site.id, { parent_id: hall.id })];
    // Each new stamp is one nextval (venues_restamp): the sequence counts the venue updates.
    const drawn = async () => Number((await sql<{ v: string }>`SELECT last_value::text AS v FROM flokk_venue_rules_stamp`.execute(t.db)).rows[0]!.v);
    const before = await drawn();
    await t.db.transaction().execute(async (trx) => {
      // What the admin's hours page does: the week replaced, morning and evening each day.
      await trx.deleteFrom("opening_hours").where("venue_id", "=", hall.id).execute();
      const week = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
        { venue_id: hall.id, weekday, opens: "08:00", closes: "12:00" },
        { venue_id: hall.id, weekday, opens: "16:00", closes: "22:00" },
      ]);
      await trx.insertInto("opening_hours").values(week).execute();
    });
    expect((await drawn()) - before).toBe(2);
    const middle = await drawn();
    // Two closures of the hall in one statement: the hall and each part, once.
    await t.db
      .insertInto("closures")
      .values([
        { venue_id: hall.id, starts_on: "2026-10-01", ends_on: "2026-10-02", reason: "Maling" },
        { venue_id: hall.id, starts_on: "2026-10-10", ends_on: "2026-10-10", reason: "Valg" },
      ])
      .execute();
    expect((await drawn()) - middle).toBe(1 + parts.length);
  });
});
