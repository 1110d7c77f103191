import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAssociation } from "../../app/associations/associations.server";
import { InvalidInput } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeUser } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

describe("registerAssociation", () => {
  it("registers an unverified association with its leader, accepting spaces in the number", async () => {
    const leader = await makeUser(t.db);
    const a = await registerAssociation(t.db, { name: "Løvstad Sjakklubb", orgNumber: "974 760 673", contactEmail: "post@sjakk.example", leaderId: leader.id });
    expect(a).toMatchObject({ org_number: "974760673", verified: false });
    const m = await t.db.selectFrom("memberships").selectAll().where("association_id", "=", a.id).execute();
    expect(m).toEqual([{ association_id: a.id, user_id: leader.id, role: "leader" }]);
  });

  it.each([
    ["wrong check digit", "974760674", "orgNumber"],
    ["too short", "97476067", "orgNumber"],
    ["letters", "97476067A", "orgNumber"],
    ["bad e-mail", "971524960", "contactEmail"],
  ])("refuses %s", async (_n, orgNumber, field) => {
    const leader = await makeUser(t.db);
    const err = await registerAssociation(t.db, { name: "Lag", orgNumber, contactEmail: field === "contactEmail" ? "not-an-email" : "a@b.example", leaderId: leader.id }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(Object.keys(err.fields)).toEqual([field]);
  });

  it("refuses a number already registered, writing nothing", async () => {
    const leader = await makeUser(t.db);
    await registerAssociation(t.db, { name: "Først", orgNumber: "983887457", contactEmail: "a@b.example", leaderId: leader.id });
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM memberships`.execute(t.db)).rows[0]!.n;
    await expect(registerAssociation(t.db, { name: "Andre", orgNumber: "983887457", contactEmail: "c@d.example", leaderId: leader.id })).rejects.toBeInstanceOf(InvalidInput);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM memberships`.execute(t.db)).rows[0]!.n).toBe(before);
  });

  it("the database refuses an invalid number even past the domain", async () => {
    await expect(
      t.db.insertInto("associations").values({ name: "X", org_number: "123456789", contact_email: "x@y.example" }).execute(),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
