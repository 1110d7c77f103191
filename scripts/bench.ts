// npm run bench — throughput and latency of the booking engine, each figure
// beside a baseline measured in the same run on the same server, so a slow or
// busy machine shows in both and the ratio stays meaningful.
//
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL of its own
// (.data/bench-postgres). Options: --seconds=N per throughput phase (default 5);
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
  const tag = Date.now().toString(36);
  const bench: BenchContext = { db, pool, world: await makeWorld(db, tag), now: new Date(), tag };

  if (!ONLY_AVAILABILITY) rows.push(...(await benchWrites(bench, SECONDS, ONLY_THROUGHPUT)));
  if (ONLY_THROUGHPUT) return finish("throughput only");
  rows.push(...(await benchAvailability(bench)));
  if (!ONLY_AVAILABILITY) {
    // --- calendar: a feed of 10,000 events, built and unchanged ---------------
    rows.push(...(await benchCalendar(db, pool, bench.world)));
    // --- HTTP: the real server, booking POSTs and the week page beside /healthz ---
    rows.push(...(await benchHttp(db, url, bench.world, SECONDS)));
  }
  return finish(ONLY_AVAILABILITY ? "availability only" : "");

  async function finish(what: string) {
    const scope = what ? ` (${what})` : "";
    console.log(`\nFlokk benchmark${scope} — ${new Date().toISOString()}, ${SECONDS}s per throughput phase, server ${new URL(url).host}\n`);
    printTable(rows);
    await db.destroy();
    await stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
