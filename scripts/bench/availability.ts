// The availability section of `npm run bench`: one venue-week among 1,000
// venues and 1,000,000 bookings (filled once and kept), p50 and p99, each
// beside a SELECT 1 round trip timed in the same loop.
import { sql } from "kysely";
import { availability } from "../../app/availability/availability.server";
import { addDays } from "../../app/time/zoned";
import { type BenchContext, bulkBookings, makeVenues } from "./data";
import { fmt, latencyRows, type Row } from "./stats";

const BIG_VENUES = 1000;
const BIG_PER_VENUE = 1000;

export async function benchAvailability({ db, pool, world }: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  const { rows: big } = await sql<{ id: number }>`SELECT id FROM venues WHERE slug LIKE 'big-%' ORDER BY id`.execute(db);
  let bigVenues = big.map((r) => Number(r.id));
  const { rows: counted } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM bookings`.execute(db);
  if (bigVenues.length < BIG_VENUES || counted[0]!.n < BIG_VENUES * BIG_PER_VENUE) {
    console.error("Filling 1,000 venues with 1,000,000 bookings (once; kept for later runs)…");
    await sql`DELETE FROM booking_claims WHERE space_id IN (SELECT id FROM venues WHERE slug LIKE 'big-%')`.execute(db);
    await sql`DELETE FROM bookings WHERE venue_id IN (SELECT id FROM venues WHERE slug LIKE 'big-%')`.execute(db);
    await sql`DELETE FROM opening_hours WHERE venue_id IN (SELECT id FROM venues WHERE slug LIKE 'big-%')`.execute(db);
    await sql`DELETE FROM venues WHERE slug LIKE 'big-%'`.execute(db);
    bigVenues = await makeVenues(db, world.siteId, "big", BIG_VENUES);
    await bulkBookings(db, world, bigVenues, BIG_PER_VENUE, new Date("2026-01-05T00:00:00Z"));
    await sql`ANALYZE`.execute(db);
  }
  const total = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM bookings`.execute(db)).rows[0]!.n;
  const samples: number[] = [];
  const trivial: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const venue = bigVenues[(i * 7919) % bigVenues.length]!;
    const monday = addDays("2026-01-05", 7 * ((i * 31) % 70));
    let t0 = performance.now();
    await availability(db, venue, monday, addDays(monday, 6));
    samples.push(performance.now() - t0);
    t0 = performance.now();
    await pool.query("SELECT 1");
    trivial.push(performance.now() - t0);
  }
  rows.push(
    ...latencyRows(
      { p50: `availability, one venue-week (${fmt(bigVenues.length)} venues, ${fmt(total)} bookings), p50 ms`, p99: "availability, one venue-week, p99 ms" },
      samples.slice(200),
      trivial.slice(200),
      "< 5 ms",
    ),
  );
  return rows;
}
