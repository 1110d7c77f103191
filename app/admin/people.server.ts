// The people of an owner: caretakers of its sites (a site's caretaker looks
// after all its venues) and its admins. Only the owner's admins change them
// (requireAdminOfSite / requireAdminOwner); every change is written to the
// audit log in the same transaction. An owner always keeps one admin: checked
// here under a row lock on the owner, so two admins acting at once are served
// one after the other, and by the database's deferred trigger
// owner_admins_keep_an_admin as the last word (migration 0007).
import { sql, type Transaction } from "kysely";
import type { Database } from "db/client";
import type { DB } from "db/schema";
import { cleanEmail } from "~/accounts/users.server";
import { writeAudit } from "~/booking/booking-repository.server";
import { cleanId } from "~/booking/request";
import { Forbidden, InvalidInput, LastAdmin, NotFound } from "~/errors/domain-errors";
import { type AdminOwner, isAdminOf, requireAdminOfSite, requireAdminOwner } from "./access.server";

export interface PersonLine {
  userId: number;
  name: string;
  email: string;
}

export interface SitePeople {
  id: number;
  name: string;
  address: string;
  caretakers: PersonLine[];
}

export interface PeoplePage {
  owner: AdminOwner;
  sites: SitePeople[];
  admins: (PersonLine & { isMe: boolean })[];
}

const byName = (a: PersonLine, b: PersonLine) => (a.name || a.email).localeCompare(b.name || b.email, "nb") || a.userId - b.userId;

/** The owner's sites with their caretakers, and its admins. Forbidden unless the viewer administers the owner. */
export async function loadPeoplePage(db: Database, viewerId: number, ownerId?: number | null): Promise<PeoplePage> {
  const owner = await requireAdminOwner(db, viewerId, ownerId);
  const [sites, caretakers, admins] = await Promise.all([
    db.selectFrom("sites").select(["id", "name", "address"]).where("owner_id", "=", owner.id).orderBy("name").orderBy("id").execute(),
    db
      .selectFrom("site_caretakers as c")
      .innerJoin("sites as s", "s.id", "c.site_id")
      .innerJoin("users as u", "u.id", "c.user_id")
      .select(["c.site_id", "u.id", "u.name", "u.email"])
      .where("s.owner_id", "=", owner.id)
      .execute(),
    db
      .selectFrom("owner_admins as a")
      .innerJoin("users as u", "u.id", "a.user_id")
      .select(["u.id", "u.name", "u.email"])
      .where("a.owner_id", "=", owner.id)
      .execute(),
  ]);
  return {
    owner,
    sites: sites.map((s) => ({
      ...s,
      caretakers: caretakers
        .filter((c) => c.site_id === s.id)
        .map((c) => ({ userId: c.id, name: c.name, email: c.email }))
        .sort(byName),
    })),
    admins: admins.map((a) => ({ userId: a.id, name: a.name, email: a.email, isMe: a.id === viewerId })).sort(byName),
  };
}

/** The user with the address; an unknown address is a problem with the field, said plainly. */
async function userByEmail(db: Database, email: unknown): Promise<PersonLine> {
  const clean = cleanEmail("email", email);
  const user = await db.selectFrom("users").select(["id", "name", "email"]).where("email", "=", clean).executeTakeFirst();
  if (!user) throw new InvalidInput({ email: "unknownUser" });
  return { userId: user.id, name: user.name, email: user.email };
}

const person = (p: PersonLine) => ({ userId: p.userId, name: p.name, email: p.email });

export interface CaretakerChange {
  actorId: number;
  siteId: unknown;
  /**
   * The owner whose page the form was on, when known. The site must be one of
   * its buildings: the change is authorised by the site alone, and the admin is
   * sent back to this owner's page, so a form whose owner was changed would
   * otherwise land them on another owner's page (or a 403) after a change they
   * cannot see there.
   */
  ownerId?: unknown;
}

/** The site, checked as CaretakerChange says; returns its id. */
async function requireSiteOfPage(db: Database, req: CaretakerChange): Promise<number> {
  const siteId = cleanId("siteId", req.siteId);
  const ownerId = req.ownerId === undefined || req.ownerId === null ? null : cleanId("ownerId", req.ownerId);
  const siteOwner = await requireAdminOfSite(db, req.actorId, siteId);
  if (ownerId !== null && ownerId !== siteOwner) throw new InvalidInput({ siteId: "otherOwnersSite" });
  return siteId;
}

/** Makes the person with the address a caretaker of the site. Already one: nothing changes. Returns whether it changed. */
export async function assignCaretaker(db: Database, req: CaretakerChange & { email: unknown }): Promise<boolean> {
  const siteId = await requireSiteOfPage(db, req);
  const user = await userByEmail(db, req.email);
  return db.transaction().execute(async (trx) => {
    const added = await trx
      .insertInto("site_caretakers")
      .values({ site_id: siteId, user_id: user.userId })
      .onConflict((oc) => oc.columns(["site_id", "user_id"]).doNothing())
      .returning("user_id")
      .executeTakeFirst();
    if (!added) return false;
    await writeAudit(trx, req.actorId, "site", String(siteId), "caretaker-assigned", null, person(user));
    return true;
  });
}

/** Takes the person off the site's caretakers. */
export async function removeCaretaker(db: Database, req: CaretakerChange & { userId: unknown }): Promise<void> {
  const siteId = await requireSiteOfPage(db, req);
  const userId = cleanId("userId", req.userId);
  await db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom("site_caretakers").where("site_id", "=", siteId).where("user_id", "=", userId).returning("user_id").executeTakeFirst();
    if (!removed) throw new NotFound("caretaker");
    const user = await trx.selectFrom("users").select(["id as userId", "name", "email"]).where("id", "=", userId).executeTakeFirstOrThrow();
    await writeAudit(trx, req.actorId, "site", String(siteId), "caretaker-removed", person(user), null);
  });
}

export interface AdminChange {
  actorId: number;
  ownerId: unknown;
}

/**
 * Locks the owner for a change to its admins and checks, under the lock, that
 * the actor still administers it (a removed admin's second tab is refused).
 */
async function lockOwner(trx: Transaction<DB>, actorId: number, ownerId: number): Promise<void> {
  const locked = await sql`SELECT id FROM owners WHERE id = ${ownerId} FOR NO KEY UPDATE`.execute(trx);
  if (locked.rows.length === 0 || !(await isAdminOf(trx, actorId, ownerId))) throw new Forbidden();
}

/** The deferred trigger refusing an owner without an admin, as a domain error. */
function lastAdminFromDatabase(e: unknown): unknown {
  const err = e as { code?: string; constraint?: string };
  return err?.code === "23514" && err.constraint === "owner_admins_keep_an_admin" ? new LastAdmin() : e;
}

/** Gives the person with the address the admin role for the owner. Already an admin: nothing changes. */
export async function giveAdminRole(db: Database, req: AdminChange & { email: unknown }): Promise<boolean> {
  const ownerId = cleanId("ownerId", req.ownerId);
  await requireAdminOwner(db, req.actorId, ownerId);
  const user = await userByEmail(db, req.email);
  return db.transaction().execute(async (trx) => {
    await lockOwner(trx, req.actorId, ownerId);
    const added = await trx
      .insertInto("owner_admins")
      .values({ owner_id: ownerId, user_id: user.userId })
      .onConflict((oc) => oc.columns(["owner_id", "user_id"]).doNothing())
      .returning("user_id")
      .executeTakeFirst();
    if (!added) return false;
    await writeAudit(trx, req.actorId, "owner", String(ownerId), "admin-given", null, person(user));
    return true;
  });
}

/** Takes the admin role from someone (oneself included) as long as another admin remains. */
export async function takeAdminRole(db: Database, req: AdminChange & { userId: unknown }): Promise<void> {
  const ownerId = cleanId("ownerId", req.ownerId);
  const userId = cleanId("userId", req.userId);
  await requireAdminOwner(db, req.actorId, ownerId);
  try {
    await db.transaction().execute(async (trx) => {
      await lockOwner(trx, req.actorId, ownerId);
      const admins = await trx.selectFrom("owner_admins").select("user_id").where("owner_id", "=", ownerId).execute();
      if (!admins.some((a) => a.user_id === userId)) throw new NotFound("admin");
      if (admins.length <= 1) throw new LastAdmin();
      await trx.deleteFrom("owner_admins").where("owner_id", "=", ownerId).where("user_id", "=", userId).execute();
      const user = await trx.selectFrom("users").select(["id as userId", "name", "email"]).where("id", "=", userId).executeTakeFirstOrThrow();
      await writeAudit(trx, req.actorId, "owner", String(ownerId), "admin-taken", person(user), null);
    });
  } catch (e) {
    throw lastAdminFromDatabase(e);
  }
}
