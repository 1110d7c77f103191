import { type MigrationResultSet, Migrator } from "kysely";
import type { Database } from "./client";
import { migrations } from "./migrations";

/**
 * Brings the schema up to date. Kysely's Postgres adapter takes a transaction
 * advisory lock around the run, so several app instances starting at once
 * migrate once and the rest wait, then find nothing to do.
 */
export async function migrateToLatest(db: Database): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
