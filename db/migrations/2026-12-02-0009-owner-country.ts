// Frozen in time: this file must never import application code.
//
// The country an owner lends venues in, as an ISO 3166-1 alpha-2 code: which
// public holidays an admin can add as closures in one step
// (docs/decisions/015-opening-hours-and-closures.md). Every owner so far is
// Norwegian, hence the default.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE owners
      ADD COLUMN country text NOT NULL DEFAULT 'NO' CONSTRAINT owners_country_check CHECK (country ~ '^[A-Z]{2}$')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE owners DROP COLUMN country`.execute(db);
}
