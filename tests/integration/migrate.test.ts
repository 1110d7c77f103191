// Several app instances starting at once must migrate once, not race.
import pg from "pg";
import { sql } from "kysely";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { migrations } from "../../db/migrations";
import { withDatabase } from "../../db/url";

const name = `flokk_migrate_${process.pid}_${Date.now().toString(36)}`;
const admin = () => new pg.Client({ connectionString: inject("adminDbUrl") });

afterAll(async () => {
  const c = admin();
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
});

describe("migrateToLatest", () => {
  it("runs every migration exactly once when four instances start together", async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const dbs = Array.from({ length: 4 }, () => createDb(withDatabase(inject("adminDbUrl"), name), { max: 1 }));
    try {
      const results = await Promise.all(dbs.map((db) => migrateToLatest(db)));
      const applied = results.flatMap((r) => (r.results ?? []).filter((m) => m.status === "Success").map((m) => m.migrationName));
      expect(applied.sort()).toEqual(Object.keys(migrations).sort());
      const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(dbs[0]!);
      expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
  });
});
