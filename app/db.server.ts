// The web server's database handle: one Kysely instance (one pool), made on
// first use.
//
// The slot lives on globalThis because scripts/start.ts and the built server
// bundle each load their own copy of this module; the start script resolves the
// URL (perhaps by starting an embedded PostgreSQL), and the bundle's copy must
// see it. It also keeps a single pool across dev-server module reloads.
import { createDbFromPool, createPool, type Database } from "db/client";
import { env } from "~/config/env.server";

interface Slot {
  url?: string;
  db?: Database;
}

const KEY = Symbol.for("flokk.db.server");
const holder = globalThis as { [KEY]?: Slot };
holder[KEY] ??= {};
const slot: Slot = holder[KEY];

/** Called once by the start script, before the first request. */
export function configureDatabase(url: string): void {
  if (slot.db && slot.url !== url) throw new Error("The database is already in use with another URL");
  slot.url = url;
}

/** Tests hand in their own database instead of a URL. */
export function provideDatabase(db: Database): void {
  slot.db = db;
}

export function getDb(): Database {
  if (!slot.db) {
    const url = slot.url ?? env().DATABASE_URL;
    if (!url) throw new Error("No database configured: start the app with `npm start` or set DATABASE_URL");
    const pool = createPool(url, { applicationName: "flokk-web" });
    // An idle connection dropped by the server (a restart, Ctrl-C reaching
    // PostgreSQL first) must not crash the process; the pool reconnects.
    pool.on("error", (e) => console.error("PostgreSQL closed an idle connection:", e.message));
    slot.url = url;
    slot.db = createDbFromPool(pool);
  }
  return slot.db;
}

export async function closeDb(): Promise<void> {
  const db = slot.db;
  slot.db = undefined;
  await db?.destroy();
}
