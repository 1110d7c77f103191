// `npm run worker`: the outbox worker on its own, for running it apart from
// the web servers (set OUTBOX_WORKER=false on those). Any number may run at
// once against one database. Needs DATABASE_URL: the embedded PostgreSQL
// belongs to the `npm start` that started it. Ctrl-C / SIGTERM finishes the
// batch in hand and exits 0.
import { env } from "../app/config/env.server";
import { startConfiguredWorker } from "../app/notifications/worker.server";
import { createDb } from "../db/client";
import { migrateToLatest } from "../db/migrate";

const config = env();
if (!config.DATABASE_URL) {
  console.error(
    "npm run worker needs DATABASE_URL. With the embedded database, `npm start` runs the worker itself (OUTBOX_WORKER=true, the default).",
  );
  process.exit(2);
}
if (!config.SMTP_URL) {
  console.error("npm run worker needs SMTP_URL: without it there is nothing to deliver to, and mail stays in the outbox.");
  process.exit(2);
}

const db = createDb(config.DATABASE_URL, { max: 2, applicationName: "flokk-worker" });
// The worker may start before any web server: make sure the outbox has its columns.
await migrateToLatest(db);
const worker = startConfiguredWorker(db, config)!;
console.log("Outbox worker running; Ctrl-C stops it.");

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  await db.destroy();
  console.log("Outbox worker stopped.");
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown());
