// Caretakers and admins of an owner (app/admin/people.server.ts): only the
// owner's admins change them, every change is audited in its transaction, and
// an owner never loses its last admin — not even when two admins remove each
// other at the same moment on separate connections (the domain's row lock and
// the database's deferred trigger owner_admins_keep_an_admin).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignCaretaker, giveAdminRole, loadPeoplePage, removeCaretaker, takeAdminRole } from "../../app/admin/people.server";
import { Forbidden, InvalidInput, LastAdmin, NotFound } from "../../app/errors/domain-errors";
import { createDb } from "../../db/client";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser } from "../helpers/fixtures";
import { makeWorld, type World } from "../helpers/people";

let t: TestDb;
let w: World;
/** Another owner with its own admin and site. */
let other: { ownerId: number; siteId: number; adminId: number };

beforeAll(async () => {
  t = await createTestDb();
  w = await makeWorld(t.db);
  const o = await makeOwner(t.db);
  const admin = await makeUser(t.db, "Annen Admin");
  await t.db.insertInto("owner_admins").values({ owner_id: o.owner.id, user_id: admin.id }).execute();
  other = { ownerId: o.owner.id, siteId: o.site.id, adminId: admin.id };
});
afterAll(() => dropTestDb(t));

const caretakersOf = async (siteId: number) =>
  (await t.db.selectFrom("site_caretakers").select("user_id").where("site_id", "=", siteId).execute()).map((r) => r.user_id).sort();
const adminsOf = async (ownerId: number) =>
  (await t.db.selectFrom("owner_admins").select("user_id").where("owner_id", "=", ownerId).execute()).map((r) => r.user_id).sort();
const audit = (entity: string, id: number) =>
  t.db.selectFrom("audit_log").select(["actor_id", "action", "before", "after"]).where("entity", "=", entity).where("entity_id", "=", String(id)).orderBy("id").execute();

/** A fresh owner with the given number of admins. */
async function ownerWithAdmins(n: number) {
  const { owner, site } = await makeOwner(t.db);
  const admins = [];
  for (let i = 0; i < n; i++) admins.push(await makeUser(t.db, `Admin ${i + 1}`));
  if (admins.length) await t.db.insertInto("owner_admins").values(admins.map((a) => ({ owner_id: owner.id, user_id: a.id }))).execute();
  return { owner, site, admins };
}

describe("the people page", () => {
  it("lists the owner's sites with their caretakers, and its admins", async () => {
    const page = await loadPeoplePage(t.db, w.users.admin.id);
    expect(page.owner.id).toBe(w.owner.id);
    expect(page.sites.map((s) => s.id)).toEqual([w.site.id]);
    expect(page.sites[0]!.caretakers.map((c) => c.email)).toEqual([w.users.caretaker.email]);
    expect(page.admins).toEqual([{ userId: w.users.admin.id, name: "Ingrid Admin", email: w.users.admin.email, isMe: true }]);
  });

  it("is refused to caretakers, members and another owner's admin asking for this owner", async () => {
    await expect(loadPeoplePage(t.db, w.users.caretaker.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(loadPeoplePage(t.db, w.users.memberA.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(loadPeoplePage(t.db, other.adminId, w.owner.id)).rejects.toBeInstanceOf(Forbidden);
    // Their own owner's page shows nothing of this owner.
    const own = await loadPeoplePage(t.db, other.adminId);
    expect(own.sites.map((s) => s.id)).toEqual([other.siteId]);
  });
});

describe("caretakers", () => {
  it("an admin assigns an existing user by e-mail (any case) and removes them; each change is audited", async () => {
    const person = await makeUser(t.db, "Per Vaktmester");
    expect(await assignCaretaker(t.db, { actorId: w.users.admin.id, siteId: w.site.id, email: ` ${person.email.toUpperCase()} ` })).toBe(true);
    expect(await caretakersOf(w.site.id)).toContain(person.id);
    // Again (a double click): nothing changes, nothing more is audited.
    expect(await assignCaretaker(t.db, { actorId: w.users.admin.id, siteId: w.site.id, email: person.email })).toBe(false);
    await removeCaretaker(t.db, { actorId: w.users.admin.id, siteId: w.site.id, userId: person.id });
    expect(await caretakersOf(w.site.id)).not.toContain(person.id);
    const rows = await audit("site", w.site.id);
    expect(rows.map((r) => [r.actor_id, r.action])).toEqual([
      [w.users.admin.id, "caretaker-assigned"],
      [w.users.admin.id, "caretaker-removed"],
    ]);
    expect(rows[0]!.after).toMatchObject({ userId: person.id, email: person.email, name: "Per Vaktmester" });
    expect(rows[1]!.before).toMatchObject({ userId: person.id });
    await expect(removeCaretaker(t.db, { actorId: w.users.admin.id, siteId: w.site.id, userId: person.id })).rejects.toBeInstanceOf(NotFound);
  });

  it("refuses an unknown e-mail with a field problem and writes nothing", async () => {
    const before = await caretakersOf(w.site.id);
    const e = await assignCaretaker(t.db, { actorId: w.users.admin.id, siteId: w.site.id, email: "nobody-here@example.org" }).catch((x) => x);
    expect(e).toBeInstanceOf(InvalidInput);
    expect((e as InvalidInput).fields).toEqual({ email: "unknownUser" });
    const bad = await assignCaretaker(t.db, { actorId: w.users.admin.id, siteId: w.site.id, email: "not an address" }).catch((x) => x);
    expect((bad as InvalidInput).fields).toEqual({ email: "invalidEmail" });
    expect(await caretakersOf(w.site.id)).toEqual(before);
    expect(await audit("site", w.site.id)).toHaveLength(2); // the two rows of the test above
  });

  it("a caretaker cannot assign or remove; another owner's admin cannot touch this owner's sites", async () => {
    const person = await makeUser(t.db);
    const before = await caretakersOf(w.site.id);
    await expect(assignCaretaker(t.db, { actorId: w.users.caretaker.id, siteId: w.site.id, email: person.email })).rejects.toBeInstanceOf(Forbidden);
    await expect(assignCaretaker(t.db, { actorId: other.adminId, siteId: w.site.id, email: person.email })).rejects.toBeInstanceOf(Forbidden);
    await expect(assignCaretaker(t.db, { actorId: w.users.memberA.id, siteId: w.site.id, email: person.email })).rejects.toBeInstanceOf(Forbidden);
    await expect(removeCaretaker(t.db, { actorId: other.adminId, siteId: w.site.id, userId: w.users.caretaker.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(removeCaretaker(t.db, { actorId: w.users.caretaker.id, siteId: w.site.id, userId: w.users.caretaker.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(assignCaretaker(t.db, { actorId: w.users.admin.id, siteId: 999_999, email: person.email })).rejects.toBeInstanceOf(NotFound);
    expect(await caretakersOf(w.site.id)).toEqual(before);
  });
});

describe("admins", () => {
  it("an admin gives the role by e-mail and takes it away again; both audited", async () => {
    const { owner, admins } = await ownerWithAdmins(1);
    const newcomer = await makeUser(t.db, "Nina Ny");
    expect(await giveAdminRole(t.db, { actorId: admins[0]!.id, ownerId: owner.id, email: newcomer.email })).toBe(true);
    expect(await adminsOf(owner.id)).toEqual([admins[0]!.id, newcomer.id].sort());
    await takeAdminRole(t.db, { actorId: admins[0]!.id, ownerId: owner.id, userId: newcomer.id });
    expect(await adminsOf(owner.id)).toEqual([admins[0]!.id]);
    const rows = await audit("owner", owner.id);
    expect(rows.map((r) => r.action)).toEqual(["admin-given", "admin-taken"]);
    expect(rows[0]!.after).toMatchObject({ userId: newcomer.id, name: "Nina Ny" });
  });

  it("refuses another owner's admin, caretakers and members, and unknown addresses", async () => {
    const person = await makeUser(t.db);
    await expect(giveAdminRole(t.db, { actorId: other.adminId, ownerId: w.owner.id, email: person.email })).rejects.toBeInstanceOf(Forbidden);
    await expect(giveAdminRole(t.db, { actorId: w.users.caretaker.id, ownerId: w.owner.id, email: person.email })).rejects.toBeInstanceOf(Forbidden);
    await expect(takeAdminRole(t.db, { actorId: other.adminId, ownerId: w.owner.id, userId: w.users.admin.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(takeAdminRole(t.db, { actorId: w.users.memberA.id, ownerId: w.owner.id, userId: w.users.admin.id })).rejects.toBeInstanceOf(Forbidden);
    const e = await giveAdminRole(t.db, { actorId: w.users.admin.id, ownerId: w.owner.id, email: "ukjent@example.org" }).catch((x) => x);
    expect((e as InvalidInput).fields).toEqual({ email: "unknownUser" });
    await expect(takeAdminRole(t.db, { actorId: w.users.admin.id, ownerId: w.owner.id, userId: person.id })).rejects.toBeInstanceOf(NotFound);
    expect(await adminsOf(w.owner.id)).toEqual([w.users.admin.id]);
    expect(await audit("owner", w.owner.id)).toEqual([]);
  });

  it("never takes the last admin; taking one's own role is fine while another remains", async () => {
    const { owner, admins } = await ownerWithAdmins(2);
    const [x, y] = [admins[0]!, admins[1]!];
    await takeAdminRole(t.db, { actorId: x.id, ownerId: owner.id, userId: x.id });
    expect(await adminsOf(owner.id)).toEqual([y.id]);
    await expect(takeAdminRole(t.db, { actorId: y.id, ownerId: owner.id, userId: y.id })).rejects.toBeInstanceOf(LastAdmin);
    expect(await adminsOf(owner.id)).toEqual([y.id]);
    // The one who gave up the role can no longer act for the owner.
    await expect(takeAdminRole(t.db, { actorId: x.id, ownerId: owner.id, userId: y.id })).rejects.toBeInstanceOf(Forbidden);
  });

  it("two admins removing each other (or themselves) at once on separate connections: exactly one succeeds", async () => {
    const a = createDb(t.url, { max: 2 });
    const b = createDb(t.url, { max: 2 });
    try {
      for (const mode of ["each other", "themselves"] as const) {
        const { owner, admins } = await ownerWithAdmins(2);
        const [x, y] = [admins[0]!, admins[1]!];
        const results = await Promise.allSettled([
          takeAdminRole(a, { actorId: x.id, ownerId: owner.id, userId: mode === "each other" ? y.id : x.id }),
          takeAdminRole(b, { actorId: y.id, ownerId: owner.id, userId: mode === "each other" ? x.id : y.id }),
        ]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        expect(failure.reason).toBeInstanceOf(mode === "each other" ? Forbidden : LastAdmin);
        expect(await adminsOf(owner.id)).toHaveLength(1);
        expect(await audit("owner", owner.id)).toHaveLength(1);
      }
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });
});

describe("the database's last-admin guard (owner_admins_keep_an_admin)", () => {
  async function client() {
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    return c;
  }

  it("refuses deleting or moving away the last admin, even by hand", async () => {
    const { owner, admins } = await ownerWithAdmins(1);
    const other2 = await ownerWithAdmins(1);
    await expect(t.db.deleteFrom("owner_admins").where("owner_id", "=", owner.id).execute()).rejects.toMatchObject({
      code: "23514",
      constraint: "owner_admins_keep_an_admin",
    });
    await expect(t.db.updateTable("owner_admins").set({ owner_id: other2.owner.id }).where("owner_id", "=", owner.id).execute()).rejects.toMatchObject({
      constraint: "owner_admins_keep_an_admin",
    });
    expect(await adminsOf(owner.id)).toEqual([admins[0]!.id]);
    // A hand-over in one transaction passes: at commit there is an admin.
    const next = await makeUser(t.db);
    await t.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("owner_admins").where("owner_id", "=", owner.id).execute();
      await trx.insertInto("owner_admins").values({ owner_id: owner.id, user_id: next.id }).execute();
    });
    expect(await adminsOf(owner.id)).toEqual([next.id]);
  });

  it("two transactions deleting different admins, committing together: exactly one commits", async () => {
    const { owner, admins } = await ownerWithAdmins(2);
    const [c1, c2] = await Promise.all([client(), client()]);
    try {
      await c1.query("BEGIN");
      await c2.query("BEGIN");
      await c1.query("DELETE FROM owner_admins WHERE owner_id = $1 AND user_id = $2", [owner.id, admins[0]!.id]);
      await c2.query("DELETE FROM owner_admins WHERE owner_id = $1 AND user_id = $2", [owner.id, admins[1]!.id]);
      const results = await Promise.allSettled([c1.query("COMMIT"), c2.query("COMMIT")]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(failure.reason).toMatchObject({ code: "23514", constraint: "owner_admins_keep_an_admin" });
      expect(await adminsOf(owner.id)).toHaveLength(1);
    } finally {
      await Promise.all([c1.end(), c2.end()]);
    }
  });
});
