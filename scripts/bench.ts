// npm run bench — throughput and latency of the booking engine, each figure
// beside a baseline measured in the same run on the same server, so a slow or
// busy machine shows in both and the ratio stays meaningful.
//
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL of its own
// (.data/bench-postgres). Options: --seconds=N per throughput phase (default 5);
// --only=throughput stops after the engine-vs-INSERT figures (for iterating on
// the hot path without building the million-booking data set); --only=availability
// measures availability alone.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { env } from "../app/config/env.server";
import { availability } from "../app/availability/availability.server";
import { requestBooking } from "../app/booking/booking.server";
import { BookingConflict } from "../app/errors/domain-errors";
import { addDays } from "../app/time/zoned";
import { createDbFromPool, createPool } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { withDatabase } from "../db/url";
import { resolveDatabase } from "./lib/database";
import { bulkBookings, makeVenues, makeWorld } from "./bench/data";
import { fmt, printTable, type Row, summarise, throughput } from "./bench/stats";
import { benchCalendar } from "./bench/calendar";
import { benchHttp, ensureBenchSessionSecret } from "./bench/http";

const arg = (name: string, fallback: number) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split("=")[1]) : fallback;
};
const SECONDS = arg("seconds", 5);
const ONLY_THROUGHPUT = process.argv.includes("--only=throughput");
const ONLY_AVAILABILITY = process.argv.includes("--only=availability");
const CLIENTS = 8;
const BIG_VENUES = 1000;
const BIG_PER_VENUE = 1000;
const BENCH_DB = "flokk_bench";

/** The bench database: on DATABASE_URL's server when set, else on an embedded server of its own. */
async function benchDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const configured = env().DATABASE_URL;
  if (!configured) return resolveDatabase({ dataDir: ".data/bench-postgres", port: env().EMBEDDED_PG_PORT + 2, database: BENCH_DB });
  const admin = new pg.Client({ connectionString: configured });
  await admin.connect();
  try {
    const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [BENCH_DB])).rowCount;
    if (!exists) await admin.query(`CREATE DATABASE ${BENCH_DB}`);
  } finally {
    await admin.end();
  }
  return { url: withDatabase(configured, BENCH_DB), stop: async () => {} };
}

async function main() {
  ensureBenchSessionSecret();
  const { url, stop } = await benchDatabase();
  const pool = createPool(url, { max: CLIENTS, applicationName: "flokk-bench" });
  const db = createDbFromPool(pool);
  await migrateToLatest(db);
  const rows: Row[] = [];
  const tag = Date.now().toString(36);
  const now = new Date();

  const world = await makeWorld(db, tag);
  if (!ONLY_AVAILABILITY) await benchWrites();
  if (ONLY_THROUGHPUT) return finish("throughput only");
  if (ONLY_AVAILABILITY) await benchAvailability();
  else {
    await benchAvailability();
    // --- calendar: a feed of 10,000 events, built and unchanged ---------------
    rows.push(...(await benchCalendar(db, pool, world)));
    // --- HTTP: the real server, booking POSTs and the week page beside /healthz ---
    rows.push(...(await benchHttp(db, url, world, SECONDS)));
  }
  return finish(ONLY_AVAILABILITY ? "availability only" : "");

  async function finish(what: string) {
    const scope = what ? ` (${what})` : "";
    console.log(`\nFlokk benchmark${scope} — ${new Date().toISOString()}, ${SECONDS}s per throughput phase, server ${new URL(url).host}\n`);
    printTable(rows);
    await db.destroy();
    await stop();
  }

  async function benchWrites() {
    // --- Engine vs plain INSERT, 8 clients, distinct slots -------------------
    const venues = await makeVenues(db, world.siteId, `bench-${tag}`, 64);
    await sql`CREATE TABLE IF NOT EXISTS bench_baseline (space_id bigint NOT NULL, during tstzrange NOT NULL,
      EXCLUDE USING gist (space_id WITH =, during WITH &&))`.execute(db);
    await sql`TRUNCATE bench_baseline`.execute(db);

    let slot = 0;
    const firstDay = addDays(now.toISOString().slice(0, 10), 2);
    const nextSlot = () => {
      const i = slot++;
      const venue = venues[i % venues.length]!;
      const hourIndex = Math.floor(i / venues.length);
      const day = addDays(firstDay, Math.floor(hourIndex / 20));
      const hour = 2 + (hourIndex % 20);
      return { venue, day, start: `${String(hour).padStart(2, "0")}:00`, end: `${String(hour + 1).padStart(2, "0")}:00`, i };
    };
    const engineTask = async () => {
      const s = nextSlot();
      await requestBooking(
        db,
        { actorId: world.actorId, venueId: s.venue, associationId: world.associationId, date: s.day, start: s.start, end: s.end, title: `Bench ${s.i}`, expectedAttendees: 10, idempotencyKey: randomUUID() },
        now,
      );
    };
    let baseSlot = 0;
    const baselineTask = async () => {
      const i = baseSlot++;
      const start = Date.parse("2030-01-01T00:00:00Z") + i * 3_600_000;
      await pool.query("INSERT INTO bench_baseline (space_id, during) VALUES ($1, tstzrange($2, $3, '[)'))", [i % 64, new Date(start), new Date(start + 3_600_000)]);
    };
    // Warm up both paths, then alternate so drift on the machine hits both alike.
    await throughput(CLIENTS, 500, engineTask);
    await throughput(CLIENTS, 500, baselineTask);
    const engine: number[] = [];
    const baseline: number[] = [];
    const wal = { engine: 0, engineOps: 0, baseline: 0, baselineOps: 0 };
    const lsn = async () => (await sql<{ lsn: string }>`SELECT pg_current_wal_lsn()::text AS lsn`.execute(db)).rows[0]!.lsn;
    const walBytes = async (from: string) => Number((await sql<{ n: string }>`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ${from}::pg_lsn)::text AS n`.execute(db)).rows[0]!.n);
    for (let round = 0; round < 2; round++) {
      let mark = await lsn();
      const base = await throughput(CLIENTS, (SECONDS * 1000) / 2, baselineTask);
      wal.baseline += await walBytes(mark);
      wal.baselineOps += base.count;
      baseline.push(base.perSecond);
      mark = await lsn();
      const eng = await throughput(CLIENTS, (SECONDS * 1000) / 2, engineTask);
      wal.engine += await walBytes(mark);
      wal.engineOps += eng.count;
      engine.push(eng.perSecond);
    }
    const e = engine.reduce((a, b) => a + b) / engine.length;
    const b = baseline.reduce((a, b) => a + b) / baseline.length;
    rows.push({ figure: "requestBooking, 8 clients, distinct slots (bookings/s)", value: fmt(e), baseline: `${fmt(b)} plain INSERT/s`, ratio: fmt(e / b, 2), target: ">= 0.50" });
    const walE = wal.engine / wal.engineOps;
    const walB = wal.baseline / wal.baselineOps;
    rows.push({ figure: "  WAL written per booking (bytes)", value: fmt(walE), baseline: `${fmt(walB)} per plain INSERT`, ratio: fmt(walE / walB, 1), target: "" });
    if (ONLY_THROUGHPUT) return;

    // --- Contended: many clients, few slots ---------------------------------
    const hot = await makeVenues(db, world.siteId, `hot-${tag}`, 4);
    const hotClients = 32;
    let attempts = 0;
    let ok = 0;
    let conflicts = 0;
    let unexpected = 0;
    const contendedStart = performance.now();
    for (let round = 0; round < 20; round++) {
      const day = addDays(firstDay, 400 + round);
      await Promise.all(
        Array.from({ length: hotClients }, async (_, c) => {
          attempts++;
          try {
            await requestBooking(
              db,
              { actorId: world.actorId, venueId: hot[c % hot.length]!, associationId: world.associationId, date: day, start: "18:00", end: "19:00", title: "Hot", expectedAttendees: 5 },
              now,
            );
            ok++;
          } catch (err) {
            if (err instanceof BookingConflict) conflicts++;
            else unexpected++;
          }
        }),
      );
    }
    const contendedRate = attempts / ((performance.now() - contendedStart) / 1000);
    rows.push({
      figure: `contended: ${hotClients} clients, 4 slots x 20 rounds`,
      value: `${ok} ok / ${conflicts} conflicts / ${unexpected} errors`,
      baseline: `${fmt(contendedRate)} requests/s`,
      ratio: `${fmt(contendedRate / b, 2)}`,
      target: "ok = 80, errors = 0",
    });
  }

  // --- availability with 1,000 venues and 1,000,000 bookings ---------------
  async function benchAvailability() {
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
    const av = summarise(samples.slice(200));
    const tr = summarise(trivial.slice(200));
    rows.push({
      figure: `availability, one venue-week (${fmt(bigVenues.length)} venues, ${fmt(total)} bookings), p50 ms`,
      value: fmt(av.p50, 2),
      baseline: `${fmt(tr.p50, 2)} SELECT 1`,
      ratio: fmt(av.p50 / tr.p50, 1),
      target: "",
    });
    rows.push({ figure: "availability, one venue-week, p99 ms", value: fmt(av.p99, 2), baseline: `${fmt(tr.p99, 2)} SELECT 1`, ratio: fmt(av.p99 / tr.p99, 1), target: "< 5 ms" });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
