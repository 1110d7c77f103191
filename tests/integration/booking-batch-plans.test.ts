// What a batch's check reads must not grow with the tables: its statements
// keep plans made once per connection, and 0011's joins of the request array
// with venues could be planned as a hash of the whole table, a sequential scan
// of every venue on every batch (migration 0012). Counted here in the
// transaction's own table statistics, so whatever plan the planner chooses.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeBookingSetup } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb({ max: 2 });
});
afterAll(async () => {
  await dropTestDb(t);
});

const VENUES = 3000;

describe("the batch check's reads", () => {
  it("reads each of the batch's venues by key, however many the municipality has", async () => {
    const { site, association, leader } = await makeBookingSetup(t.db);
    await sql`
      INSERT INTO venues (site_id, name, slug, kind, capacity)
      SELECT ${site.id}, 'Rom ' || g, 'rom-' || g, 'meeting-room', 20 FROM generate_series(1, ${VENUES}) g`.execute(t.db);
    // Statistics of a large table: with them the planner may choose to scan it whole.
    await sql`ANALYZE venues`.execute(t.db);

    const read = await t.db.connection().execute(async (conn) => {
      await sql`BEGIN`.execute(conn);
      try {
        const tuples = async () =>
          (
            await sql<{ n: string }>`
              SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS n
              FROM pg_stat_xact_user_tables WHERE relname = 'venues'`.execute(conn)
          ).rows[0]!.n;
        const requests = (
          await sql<{ a: string }>`
            SELECT array_agg(ROW(n, gen_random_uuid(), v.id, ${association.id}, 'Trening', '', false, 10, '',
              now(), now() + interval '1 hour', now() + interval '1 hour', 'confirmed', ${leader.id}, ARRAY[v.id],
              NULL, NULL, NULL, false, 0, now(), v.rules_stamp, a.verified)::flokk_booking_request)::text AS a
            FROM (SELECT v.*, row_number() OVER (ORDER BY v.id DESC)::int AS n FROM venues v ORDER BY v.id DESC LIMIT 8) v
            CROSS JOIN associations a WHERE a.id = ${association.id}`.execute(conn)
        ).rows[0]!.a;
        const before = Number(await tuples());
        // Raises 40001 when any request's venue or context differs: passing is part of the test.
        await sql`SELECT flokk_check_batch(${requests}::flokk_booking_request[])`.execute(conn);
        return Number(await tuples()) - before;
      } finally {
        await sql`ROLLBACK`.execute(conn);
      }
    });
    // Each venue by its key (locked, then read afresh): a few rows each, not the table.
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThanOrEqual(8 * 3);
  });
});
