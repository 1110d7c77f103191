// `npm start`: find or start PostgreSQL, migrate, fill an empty database with
// demo data, serve the built app and (OUTBOX_WORKER) deliver mail. Ctrl-C
// (SIGINT) or SIGTERM shuts down in order — HTTP server, outbox worker,
// database pool, embedded PostgreSQL — and exits 0.
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { defaultToProduction, env } from "../app/config/env.server";
import { prepareSessionSecret } from "../app/accounts/secret.server";
import { closeDb, configureDatabase, getDb } from "../app/db.server";
import { type RunningWorker, startConfiguredWorker } from "../app/notifications/worker.server";
import { migrateToLatest } from "../db/migrate";
import { seedDemoData } from "../db/seed";
import { answerClientErrors } from "./lib/client-errors";
import { refuseCrossSiteWrites } from "./lib/cross-site";
import { type ResolvedDatabase, resolveDatabase } from "./lib/database";

const BUILD_DIR = path.resolve("build");
/** In-flight requests get this long to finish before their connections are cut. */
const DRAIN_MS = 5_000;

defaultToProduction();
const config = loadConfig();
let database: ResolvedDatabase | undefined;
let server: Server | undefined;
let worker: RunningWorker | null = null;
let stopping = false;

async function serve(build: ServerBuild): Promise<Server> {
  const app = express();
  app.disable("x-powered-by");
  // Rate limits count by the client's address; behind a proxy, X-Forwarded-For says it (TRUST_PROXY hops).
  app.set("trust proxy", config.TRUST_PROXY);
  const nosniff = (res: express.Response) => res.setHeader("X-Content-Type-Options", "nosniff");
  // Vite puts a content hash in every file name under /assets: cache them for good.
  app.use("/assets", express.static(path.join(BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y", setHeaders: nosniff }));
  // Files at the top of the folder (favicon.svg) have an extension; pages, and
  // the ".data" requests of navigations with JavaScript, are Remix's: they skip
  // the lookup, a stat on the thread pool that a profile of the venue page put
  // at a tenth of its time.
  const topFiles = express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h", setHeaders: nosniff });
  app.use((req, res, next) => (isFileLike(req.path) ? topFiles(req, res, next) : next()));
  app.use(refuseCrossSiteWrites());
  app.all("*", createRequestHandler({ build, mode: config.NODE_ENV, getLoadContext: (req) => ({ clientAddress: req.ip }) }));
  app.use(answerClientErrors());
  return new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, () => resolve(s));
    s.once("error", reject);
  });
}

function isFileLike(urlPath: string): boolean {
  const ext = path.extname(urlPath);
  return ext !== "" && ext !== ".data";
}

/** A configuration mistake is the operator's to fix: say what, without a stack trace. */
function loadConfig(): ReturnType<typeof env> {
  try {
    return env();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise(() => {});
  stopping = true;
  if (server) {
    const s = server;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    s.closeIdleConnections();
    const cut = setTimeout(() => s.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(cut);
  }
  await worker?.stop().catch((e) => console.error("stopping the outbox worker:", e));
  await closeDb().catch((e) => console.error("closing the database pool:", e));
  await database?.stop().catch((e) => console.error("stopping PostgreSQL:", e));
  if (code === 0) console.log("Flokk stopped.");
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(0));

try {
  database = await resolveDatabase();
  configureDatabase(database.url);
  const db = getDb();
  await migrateToLatest(db);
  if (config.SEED_DEMO_DATA) {
    const seeded = await seedDemoData(db, new Date());
    if (seeded) {
      console.log(`Added demo data: ${seeded.venues} venues, ${seeded.associations} associations, ${seeded.users} users, ${seeded.bookings} bookings`);
    }
  }
  const secretFrom = await prepareSessionSecret();
  if (secretFrom !== "SESSION_SECRET") console.log(`Session secret: from ${secretFrom} (made on first start; set SESSION_SECRET to choose your own)`);
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  server = await serve(build);
  if (config.OUTBOX_WORKER) worker = startConfiguredWorker(db, config);
  console.log(`Flokk is running at http://localhost:${config.PORT} (database: ${database.description})`);
} catch (e) {
  console.error(e);
  await shutdown(1);
}
