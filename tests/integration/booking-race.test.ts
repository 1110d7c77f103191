// Many people pressing "Book" at the same instant, each on its own database
// connection: exactly one wins, every other gets BookingConflict, nothing else.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "../../db/client";
import { requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import { BookingConflict, SeriesConflict } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeVenue } from "../helpers/fixtures";

const CLIENTS = 50;
const ROUNDS = 3;
const NOW = new Date("2026-08-20T08:00:00Z");

let t: TestDb;
let clients: Database[];
beforeAll(async () => {
  t = await createTestDb({ max: 2 });
  // One pool of one connection per client, so the requests really run side by side.
  clients = Array.from({ length: CLIENTS }, () => createDb(t.url, { max: 1 }));
  await Promise.all(clients.map((c) => c.selectFrom("venues").select("id").limit(1).execute()));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()));
  await dropTestDb(t);
});

async function people(n: number) {
  return Promise.all(Array.from({ length: n }, () => makeAssociation(t.db)));
}

function tally<T>(results: PromiseSettledResult<T>[], expected: new (...a: never[]) => Error) {
  const ok = results.filter((r) => r.status === "fulfilled").length;
  const conflicts = results.filter((r) => r.status === "rejected" && r.reason instanceof expected).length;
  const unexpected = results.filter((r) => r.status === "rejected" && !(r.reason instanceof expected)).map((r) => (r as PromiseRejectedResult).reason);
  return { ok, conflicts, unexpected };
}

describe.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))("round %i", (round) => {
  it(`${CLIENTS} concurrent requests for one slot: one booking, the rest conflicts`, async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { buffer_minutes: 15 });
    const who = await people(CLIENTS);
    const results = await Promise.allSettled(
      clients.map((c, i) =>
        requestBooking(
          c,
          {
            actorId: who[i]!.leader.id,
            venueId: venue.id,
            associationId: who[i]!.association.id,
            date: "2026-09-10",
            // Different but overlapping spans, so the buffer and overlap logic are both in play.
            start: i % 2 ? "18:00" : "18:30",
            end: i % 2 ? "19:00" : "19:30",
            title: `Runde ${round} lag ${i}`,
            expectedAttendees: 10,
          },
          NOW,
        ),
      ),
    );
    const { ok, conflicts, unexpected } = tally(results, BookingConflict);
    expect(unexpected.map(String)).toEqual([]);
    expect(ok).toBe(1);
    expect(conflicts).toBe(CLIENTS - 1);
    const rows = await t.db.selectFrom("bookings").select("id").where("venue_id", "=", venue.id).execute();
    expect(rows).toHaveLength(1);
    // Every conflict names the winner.
    const winner = rows[0]!.id;
    for (const r of results) if (r.status === "rejected") expect(r.reason.conflictingBookingId).toBe(winner);
  });

  it("the whole venue against one of its parts", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id);
    const part = await makeVenue(t.db, site.id, { parent_id: hall.id });
    await makeVenue(t.db, site.id, { parent_id: hall.id });
    const who = await people(CLIENTS);
    const results = await Promise.allSettled(
      clients.map((c, i) =>
        requestBooking(
          c,
          {
            actorId: who[i]!.leader.id,
            venueId: i % 2 ? hall.id : part.id,
            associationId: who[i]!.association.id,
            date: "2026-09-11",
            start: "17:00",
            end: "18:00",
            title: "Trening",
            expectedAttendees: 10,
          },
          NOW,
        ),
      ),
    );
    const { ok, conflicts, unexpected } = tally(results, BookingConflict);
    expect(unexpected.map(String)).toEqual([]);
    expect(ok).toBe(1);
    expect(conflicts).toBe(CLIENTS - 1);
  });

  it("two overlapping series: one is created whole, the other not at all", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id);
    const who = await people(CLIENTS);
    const results = await Promise.allSettled(
      clients.map((c, i) =>
        createSeries(
          c,
          {
            actorId: who[i]!.leader.id,
            venueId: venue.id,
            associationId: who[i]!.association.id,
            weekday: 2,
            startTime: i % 2 ? "18:00" : "18:45",
            durationMinutes: 60,
            intervalWeeks: i % 3 === 0 ? 2 : 1,
            from: "2026-09-01",
            until: "2026-12-15",
            title: "Øving",
            expectedAttendees: 10,
          },
          NOW,
        ),
      ),
    );
    const { ok, conflicts, unexpected } = tally(results, SeriesConflict);
    expect(unexpected.map(String)).toEqual([]);
    expect(ok).toBe(1);
    expect(conflicts).toBe(CLIENTS - 1);
    const series = await t.db.selectFrom("series").select("id").where("venue_id", "=", venue.id).execute();
    expect(series).toHaveLength(1);
    const winner = results.find((r) => r.status === "fulfilled")!.value;
    const rows = await t.db.selectFrom("bookings").select("series_id").where("venue_id", "=", venue.id).execute();
    expect(rows.length).toBe(winner.bookings.length);
    expect(rows.every((r) => r.series_id === series[0]!.id)).toBe(true);
  });
});

describe("after the rounds", () => {
  it("no two writers deadlocked: writers of claims on one space take turns", async () => {
    // A deadlock costs PostgreSQL's deadlock_timeout (a second) before one side
    // is chosen, and the engine retries it unseen, so only the server's count
    // shows it. Each backend reports its count when it exits.
    await Promise.all(clients.map((c) => c.destroy()));
    clients = [];
    let deadlocks = -1;
    for (let i = 0; i < 20 && deadlocks !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await sql<{ n: number }>`
        SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`.execute(t.db);
      deadlocks = rows[0]!.n;
    }
    expect(deadlocks).toBe(0);
  });
});
