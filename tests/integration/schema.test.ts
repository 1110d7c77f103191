import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

describe("schema", () => {
  it("has the exclusion constraint on claims", async () => {
    const { rows } = await sql<{ conname: string }>`
      SELECT conname FROM pg_constraint WHERE contype = 'x' AND conrelid = 'booking_claims'::regclass`.execute(t.db);
    expect(rows.map((r) => r.conname)).toEqual(["booking_claims_no_overlap"]);
  });

  it("checks organisation numbers in the database", async () => {
    const { rows } = await sql<{ ok: boolean; bad: boolean; short: boolean }>`
      SELECT flokk_valid_org_number('974760673') AS ok, flokk_valid_org_number('974760674') AS bad,
             flokk_valid_org_number('12345') AS short`.execute(t.db);
    expect(rows[0]).toEqual({ ok: true, bad: false, short: false });
  });
});
