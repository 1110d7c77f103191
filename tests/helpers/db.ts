// A fresh database per test file, cloned from the migrated template.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import pg from "pg";
import { createDb, type Database } from "../../db/client";
import { withDatabase } from "../../db/url";

export interface TestDb {
  db: Database;
  url: string;
  name: string;
}

const admin = () => new pg.Client({ connectionString: inject("adminDbUrl") });

export async function createTestDb(options: { max?: number } = {}): Promise<TestDb> {
  const template = inject("templateDb");
  const name = `${template.replace(/_template$/, "")}_${randomBytes(4).toString("hex")}`;
  const client = admin();
  await client.connect();
  try {
    // Several files clone at once; PostgreSQL refuses a clone while another is
    // being made from the same template, so retry briefly.
    for (let i = 0; ; i++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (e) {
        if (i > 50 || !String((e as Error).message).includes("being accessed")) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    // A test database need not survive a crash; not waiting for each commit's
    // WAL flush keeps a busy disk from slowing every test that writes.
    await client.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await client.end();
  }
  const url = withDatabase(inject("adminDbUrl"), name);
  const db = createDb(url, { max: options.max ?? 10 });
  return { db, url, name };
}

export async function dropTestDb(t: TestDb | undefined): Promise<void> {
  if (!t) return;
  await t.db.destroy();
  const client = admin();
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${t.name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
