// Concurrent requests on ONE database handle go together in one statement
// (app/booking/coalesce.server.ts), each booking in its own subtransaction.
// Batched, every booking must come out exactly as it does alone: one winner
// per slot, conflicts naming the booking in the way, the others written with
// their claims, audit row and messages, idempotency keys honoured.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { BookingConflict, IdempotencyKeyReused } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeBookingSetup, makeUser, makeVenue } from "../helpers/fixtures";

const NOW = new Date("2026-08-20T08:00:00Z");

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 4 });
});
afterAll(async () => {
  await dropTestDb(t);
});

async function setup(options: { verified?: boolean; approval?: "auto" | "manual" } = {}) {
  return makeBookingSetup(t.db, { venue: { buffer_minutes: 15, approval_mode: options.approval ?? "auto" }, verified: options.verified });
}

/** Bookings written by one transaction share its start time: proof they went in one batch. */
async function largestBatch(ids: string[]): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM bookings WHERE id = ANY(${ids}::uuid[]) GROUP BY created_at ORDER BY n DESC LIMIT 1`.execute(t.db);
  return rows[0]?.n ?? 0;
}

describe("coalesced requests on one database handle", () => {
  it("many requests for one slot: one booking, every other a conflict naming it", async () => {
    const { venue, base } = await setup();
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        requestBooking(t.db, { ...base, start: i % 2 ? "18:00" : "18:30", end: i % 2 ? "19:00" : "19:30", title: `Lag ${i}` }, NOW),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const conflicts = results.filter((r) => r.status === "rejected" && r.reason instanceof BookingConflict);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(39);
    const rows = await t.db.selectFrom("bookings").select("id").where("venue_id", "=", venue.id).execute();
    expect(rows).toHaveLength(1);
    for (const r of conflicts) expect((r as PromiseRejectedResult).reason.conflictingBookingId).toBe(rows[0]!.id);
    const claims = await t.db.selectFrom("booking_claims").select("booking_id").where("space_id", "=", venue.id).execute();
    expect(claims.map((c) => c.booking_id)).toEqual([rows[0]!.id]);
  });

  it("the whole venue against its parts in one batch: the hall or the parts, never both", async () => {
    const { site, base } = await setup();
    const hall = await makeVenue(t.db, site.id);
    const partA = await makeVenue(t.db, site.id, { parent_id: hall.id });
    const partB = await makeVenue(t.db, site.id, { parent_id: hall.id });
    const venues = [hall.id, partA.id, partB.id, hall.id, partA.id, partB.id];
    const results = await Promise.allSettled(venues.map((venueId, i) => requestBooking(t.db, { ...base, venueId, title: `Del ${i}` }, NOW)));
    const unexpected = results.filter((r) => r.status === "rejected" && !(r.reason instanceof BookingConflict));
    expect(unexpected).toEqual([]);
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.booking] : []));
    // Either the hall alone, or one booking on each part.
    const onHall = won.filter((b) => b.venue_id === hall.id);
    if (onHall.length > 0) expect(won).toHaveLength(1);
    else expect(won.map((b) => b.venue_id).sort()).toEqual([partA.id, partB.id].sort());
    const winners = new Set(won.map((b) => b.id));
    for (const r of results) if (r.status === "rejected") expect(winners.has(r.reason.conflictingBookingId)).toBe(true);
  });

  it("a batch without a conflict is written by one statement, set-wise", async () => {
    const { base } = await setup();
    await requestBooking(t.db, { ...base, start: "08:00", end: "08:30", title: "Kontekst" }, NOW);
    const results = await Promise.all(
      ["12", "13", "14", "15"].map((h) => requestBooking(t.db, { ...base, start: `${h}:00`, end: `${h}:30`, title: `Kl ${h}` }, NOW)),
    );
    const ids = results.map((r) => r.booking.id);
    expect(await largestBatch(ids)).toBe(ids.length);
    // One subtransaction for all (migration 0010); the one-by-one fall-back gives each booking its own.
    const { rows } = await sql<{ n: number }>`SELECT count(DISTINCT xmin::text)::int AS n FROM bookings WHERE id = ANY(${ids}::uuid[])`.execute(t.db);
    expect(rows[0]!.n).toBe(1);
  });

  it("a conflict in a batch undoes that booking only; the others are written whole", async () => {
    const { venue, base } = await setup();
    const first = await requestBooking(t.db, { ...base, start: "09:00", end: "10:00" }, NOW);
    const hours = ["12", "13", "14", "15", "16", "17", "18", "19"];
    const results = await Promise.allSettled([
      // In the way of `first` (its buffer runs to 10:15).
      requestBooking(t.db, { ...base, start: "10:00", end: "11:00", title: "I veien" }, NOW),
      ...hours.map((h) => requestBooking(t.db, { ...base, start: `${h}:00`, end: `${h}:30`, title: `Kl ${h}` }, NOW)),
    ]);
    expect(results[0]).toMatchObject({ status: "rejected", reason: { conflictingBookingId: first.booking.id } });
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(BookingConflict);
    const written = results.slice(1).map((r) => {
      expect(r.status).toBe("fulfilled");
      return (r as PromiseFulfilledResult<Awaited<ReturnType<typeof requestBooking>>>).value.booking;
    });
    expect(written.map((b) => b.title)).toEqual(hours.map((h) => `Kl ${h}`));
    expect(written.every((b) => b.status === "confirmed" && b.starts_at instanceof Date)).toBe(true);
    const ids = written.map((b) => b.id);
    expect(await largestBatch(ids)).toBeGreaterThan(1);
    // Each has its claim, its audit row and its two messages (confirmed, reminder) — and nothing of the refused one.
    const claims = await t.db.selectFrom("booking_claims").select("booking_id").where("booking_id", "in", ids).execute();
    expect(claims).toHaveLength(hours.length);
    const audit = await t.db.selectFrom("audit_log").select(["entity_id", "action", "after"]).where("entity_id", "in", ids).execute();
    expect(audit).toHaveLength(hours.length);
    expect(audit.every((a) => a.action === "requested")).toBe(true);
    const { rows: mail } = await sql<{ kind: string; n: number }>`
      SELECT kind, count(*)::int AS n FROM outbox WHERE payload->'booking'->>'id' = ANY(${ids}::text[]) OR payload->>'bookingId' = ANY(${ids}::text[])
      GROUP BY kind ORDER BY kind`.execute(t.db);
    expect(mail).toEqual([
      { kind: "booking-confirmed", n: hours.length },
      { kind: "booking-reminder", n: hours.length },
    ]);
    const all = await t.db.selectFrom("bookings").select("title").where("venue_id", "=", venue.id).execute();
    expect(all.map((b) => b.title).sort()).toEqual(["Trening", ...hours.map((h) => `Kl ${h}`)].sort());
  });

  it("a batched booking is the same row, audit and message as one written alone", async () => {
    // Pending (a venue that needs approval), so the caretaker's message is written too.
    // Not by an unverified association: its requests are counted one at a time (unverified.server.ts).
    const { site, base } = await setup({ approval: "manual" });
    const caretaker = await makeUser(t.db, "Vaktmester");
    await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
    const alone = (await requestBooking(t.db, { ...base, start: "08:00", end: "09:00", title: "Alene" }, NOW)).booking;
    const batch = await Promise.all(
      ["12", "14", "16"].map((h) => requestBooking(t.db, { ...base, start: `${h}:00`, end: `${h}:30`, title: "Sammen" }, NOW)),
    );
    const together = batch[1]!.booking;
    expect(await largestBatch(batch.map((b) => b.booking.id))).toBeGreaterThan(1);
    const strip = (b: Record<string, unknown>) => {
      const { id: _i, title: _t, starts_at: _s, ends_at: _e, created_at: _c, updated_at: _u, ...rest } = b;
      return rest;
    };
    expect(Object.keys(together).sort()).toEqual(Object.keys(alone).sort());
    expect(strip(together)).toEqual(strip(alone));
    expect(together).toMatchObject({ status: "pending", title: "Sammen" });
    const kinds = async (id: string) =>
      (await sql<{ kind: string; recipient: string }>`
        SELECT kind, recipient FROM outbox WHERE payload->'booking'->>'id' = ${id} ORDER BY kind`.execute(t.db)).rows;
    const expected = (await kinds(alone.id)).map((m) => ({ ...m }));
    expect(expected.map((m) => m.kind)).toEqual(["booking-received", "booking-request"]);
    expect(await kinds(together.id)).toEqual(expected);
    const audit = await t.db.selectFrom("audit_log").select("after").where("entity_id", "=", together.id).executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ id: together.id, status: "pending", title: "Sammen" });
  });

  it("the booking a request returns is the row as stored, column for column", async () => {
    // The batch sends back only the time it wrote at; the engine makes the rest
    // from what it sent and the table's defaults (writtenBooking). A column
    // added to bookings, or a default changed, must show here.
    for (const verified of [true, false]) {
      const { base } = await setup({ verified });
      const returned = await Promise.all(
        ["12", "14"].map(
          async (h) =>
            (
              await requestBooking(
                t.db,
                { ...base, start: `${h}:00`, end: `${h}:45`, purpose: "Øving før konsert", noteToCaretaker: "Nøkkel i luka", isPublic: true },
                NOW,
              )
            ).booking,
        ),
      );
      for (const booking of returned) {
        const stored = await t.db.selectFrom("bookings").selectAll().where("id", "=", booking.id).executeTakeFirstOrThrow();
        expect(booking).toEqual(stored);
      }
      expect(returned[0]!.status).toBe(verified ? "confirmed" : "pending");
    }
  });

  it("the same key many times at once in one batch: one booking, every caller gets it", async () => {
    const { venue, base } = await setup();
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        requestBooking(t.db, { ...base, date: "2026-09-11", idempotencyKey: "batch-key-0001", title: "Samme" }, NOW),
      ),
    );
    expect(new Set(results.map((r) => r.booking.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const rows = await t.db.selectFrom("bookings").select("id").where("venue_id", "=", venue.id).execute();
    expect(rows).toHaveLength(1);
  });

  it("the same key with different requests in one batch: the first wins, the others are refused", async () => {
    const { venue, base } = await setup();
    const results = await Promise.allSettled(
      ["09:00", "12:00", "15:00"].map((start, i) =>
        requestBooking(t.db, { ...base, start, end: `${10 + i * 3}:00`, idempotencyKey: "batch-key-0002" }, NOW),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(2);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyKeyReused);
    const rows = await t.db.selectFrom("bookings").select("id").where("venue_id", "=", venue.id).execute();
    expect(rows).toHaveLength(1);
  });
});
