// `npm start`: find or start PostgreSQL, migrate, fill an empty database with
// demo data, and serve the built app. Ctrl-C (SIGINT) or SIGTERM shuts down in
// order — HTTP server, database pool, embedded PostgreSQL — and exits 0.
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { defaultToProduction, env } from "../app/config/env.server";
import { closeDb, configureDatabase, getDb } from "../app/db.server";
import { migrateToLatest } from "../db/migrate";
import { seedDemoData } from "../db/seed";
import { type ResolvedDatabase, resolveDatabase } from "./lib/database";

const BUILD_DIR = path.resolve("build");
/** In-flight requests get this long to finish before their connections are cut. */
const DRAIN_MS = 5_000;

defaultToProduction();
const config = env();
let database: ResolvedDatabase | undefined;
let server: Server | undefined;
let stopping = false;

async function serve(build: ServerBuild): Promise<Server> {
  const app = express();
  app.disable("x-powered-by");
  const nosniff = (res: express.Response) => res.setHeader("X-Content-Type-Options", "nosniff");
  // Vite puts a content hash in every file name under /assets: cache them for good.
  app.use("/assets", express.static(path.join(BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y", setHeaders: nosniff }));
  app.use(express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h", setHeaders: nosniff }));
  app.all("*", createRequestHandler({ build, mode: config.NODE_ENV }));
  return new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, () => resolve(s));
    s.once("error", reject);
  });
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
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  server = await serve(build);
  console.log(`Flokk is running at http://localhost:${config.PORT} (database: ${database.description})`);
} catch (e) {
  console.error(e);
  await shutdown(1);
}
