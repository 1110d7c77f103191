import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "./schema";

// `date` and `time` columns stay strings: a calendar date has no instant, and
// turning it into a JS Date would silently move it by the server's offset.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// bigint ids fit comfortably in a JS number for any realistic row count.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Database = Kysely<DB>;

export interface DbOptions {
  max?: number;
  applicationName?: string;
}

export function createPool(url: string, options: DbOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "flokk",
  });
  // An idle connection that the server closes (restart, failover) must not
  // crash the process; the pool replaces it on the next checkout.
  pool.on("error", (err) => console.error(`database connection lost: ${err.message}`));
  return pool;
}

// The pool behind each Database made here, for the one statement sent to pg
// directly: the booking batch, as a named prepared statement (booking-write.server.ts).
const pools = new WeakMap<Database, pg.Pool>();

export function createDb(url: string, options: DbOptions = {}): Database {
  return createDbFromPool(createPool(url, options));
}

export function createDbFromPool(pool: pg.Pool): Database {
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/** The pool `db` was made with here; undefined for a transaction or a Database derived from one (withPlugin). */
export function poolOf(db: Database): pg.Pool | undefined {
  return pools.get(db);
}
