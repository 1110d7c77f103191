// Finds or starts PostgreSQL for the test run and builds a migrated template
// database; each test file clones it (tests/helpers/db.ts), so files are
// isolated and run in parallel.
import { chmod, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/lib/app-process";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDb } from "../../db/client";
import { type EmbeddedServer, startEmbeddedPostgres } from "../../db/embedded";
import { migrateToLatest } from "../../db/migrate";
import { env } from "../../app/config/env.server";
import { withDatabase } from "../../db/url";

declare module "vitest" {
  export interface ProvidedContext {
    /** A connection URL to the test server's maintenance database. */
    adminDbUrl: string;
    templateDb: string;
  }
}

let embedded: EmbeddedServer | undefined;

export default async function setup(project: TestProject) {
  let adminUrl: string;
  const configured = env().TEST_DATABASE_URL;
  if (configured) {
    adminUrl = configured;
  } else {
    const parent = await mkdtemp(path.join(tmpdir(), "flokk-test-"));
    await chmod(parent, 0o755); // the server may run as another user (postgres, when we are root)
    const dataDir = path.join(parent, "pg");
    embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), durable: false, persistent: false });
    adminUrl = embedded.url("postgres");
  }
  const prefix = `flokk_t${Date.now().toString(36)}${process.pid}`;
  const template = `${prefix}_template`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const db = createDb(withDatabase(adminUrl, template), { max: 1 });
  await migrateToLatest(db);
  await db.destroy();

  project.provide("adminDbUrl", adminUrl);
  project.provide("templateDb", template);

  return async () => {
    // Drop every database this run made (test files may leave theirs behind on failure).
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  };
}
