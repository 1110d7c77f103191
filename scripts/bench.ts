// npm run bench — throughput and latency of the booking engine, each figure
// beside a baseline measured in the same run on the same server, so a slow or
// busy machine shows in both and the ratio stays meaningful.
//
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL of its own
// (.data/bench-postgres): the database flokk_bench keeps the million-booking
// set between runs; the write section runs in flokk_bench_writes, made anew
// for each run and dropped after it. Options: --seconds=N per throughput phase (default 5);
// --only=throughput stops after the engine-vs-INSERT figures (for iterating on
// the hot path without building the million-booking data set); --only=availability
// measures availability alone.
import pg from "pg";
import { env } from "../app/config/env.server";
import { createDbFromPool, createPool } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { withDatabase } from "../db/url";
import { resolveDatabase } from "./lib/database";
import { benchAvailability } from "./bench/availability";
import { type BenchContext, makeWorld } from "./bench/data";
import { printTable, type Row } from "./bench/stats";
import { benchCalendar } from "./bench/calendar";
import { benchHttp, ensureBenchSessionSecret } from "./bench/http";
import { benchWrites, WRITE_CLIENTS } from "./bench/writes";

const arg = (name: string, fallback: number) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split("=")[1]) : fallback;
};
const SECONDS = arg("seconds", 5);
const ONLY_THROUGHPUT = process.argv.includes("--only=throughput");
const ONLY_AVAILABILITY = process.argv.includes("--only=availability");
const BENCH_DB = "flokk_bench";
/**
 * The write section's own database on the same server, made anew for each run
 * and dropped after it. Kept in the bench database, every run's bookings
 * (with their claims, keys, audit rows and messages: about 15,000 a run) grew
 * it past the million-booking set the availability figure is about, and that
 * figure with it (p50 0.87 → 1.1–1.6 ms after 435,000 of them; p99 once 6.8 ms);
 * and the engine then wrote into tables that grew from run to run while the
 * baseline's was emptied each time. Now both start empty.
 */
const WRITES_DB = "flokk_bench_writes";

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
  const pool = createPool(url, { max: WRITE_CLIENTS, applicationName: "flokk-bench" });
  const db = createDbFromPool(pool);
  await migrateToLatest(db);
  const rows: Row[] = [];
  if (ONLY_THROUGHPUT) {
    // The write section has a database of its own: nothing to add to this one.
    rows.push(...(await inScratchDatabase(url, (ctx) => benchWrites(ctx, SECONDS, true))));
    return finish("throughput only");
  }
  const tag = Date.now().toString(36);
  const bench: BenchContext = { db, pool, world: await makeWorld(db, tag), now: new Date(), tag };

  // Availability first: the write section leaves the server busy for a while
  // (dirty buffers, the checkpoint of dropping its database, vacuum), and
  // measured after it the p50 was 1.86 ms against 0.94–1.07 ms on its own.
  const availability = await benchAvailability(bench);
  if (!ONLY_AVAILABILITY) rows.push(...(await inScratchDatabase(url, (ctx) => benchWrites(ctx, SECONDS, false))));
  rows.push(...availability);
  if (ONLY_AVAILABILITY) return finish("availability only");
  // --- calendar: a feed of 10,000 events, built and unchanged ---------------
  rows.push(...(await benchCalendar(db, pool, bench.world)));
  // --- HTTP: the real server, booking POSTs and the week page beside /healthz ---
  rows.push(...(await benchHttp(db, url, bench.world, SECONDS)));
  return finish("");

  async function finish(what: string) {
    const scope = what ? ` (${what})` : "";
    console.log(`\nFlokk benchmark${scope} — ${new Date().toISOString()}, ${SECONDS}s per throughput phase, server ${new URL(url).host}\n`);
    printTable(rows);
    await db.destroy();
    await stop();
  }
}

/** Runs `section` against a new, migrated database of its own on the bench server, dropped afterwards. */
async function inScratchDatabase<T>(benchUrl: string, section: (ctx: BenchContext) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: benchUrl });
  await admin.connect();
  const drop = () => admin.query(`DROP DATABASE IF EXISTS ${WRITES_DB} WITH (FORCE)`);
  try {
    await drop();
    await admin.query(`CREATE DATABASE ${WRITES_DB}`);
    const pool = createPool(withDatabase(benchUrl, WRITES_DB), { max: WRITE_CLIENTS, applicationName: "flokk-bench-writes" });
    const db = createDbFromPool(pool);
    try {
      await migrateToLatest(db);
      const tag = Date.now().toString(36);
      return await section({ db, pool, world: await makeWorld(db, tag), now: new Date(), tag });
    } finally {
      await db.destroy();
    }
  } finally {
    await drop();
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
