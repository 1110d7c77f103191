// Who administers what. An owner admin acts for one owner (a municipality):
// its sites, venues, caretakers and admins. Associations are not owned by
// anyone (they book across owners), so verifying them is open to any owner's
// admins. Checked here, in the domain, so routes, scripts and the CSV import
// get the same answer.
import type { Database } from "db/client";
import { Forbidden, NotFound } from "~/errors/domain-errors";

export interface AdminOwner {
  id: number;
  name: string;
  slug: string;
  timeZone: string;
}

/** The owners the person administers, by name. */
export async function adminOwners(db: Database, userId: number): Promise<AdminOwner[]> {
  const rows = await db
    .selectFrom("owner_admins as a")
    .innerJoin("owners as o", "o.id", "a.owner_id")
    .select(["o.id", "o.name", "o.slug", "o.time_zone"])
    .where("a.user_id", "=", userId)
    .orderBy("o.name")
    .orderBy("o.id")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, slug: r.slug, timeZone: r.time_zone }));
}

/**
 * The owner an admin page acts for: the one asked for (?owner=id) when the
 * person administers it, else their first. Forbidden for everyone else.
 */
export async function requireAdminOwner(db: Database, userId: number, wanted?: number | null): Promise<AdminOwner> {
  const owners = await adminOwners(db, userId);
  if (owners.length === 0) throw new Forbidden();
  if (wanted === undefined || wanted === null) return owners[0]!;
  const owner = owners.find((o) => o.id === wanted);
  if (!owner) throw new Forbidden();
  return owner;
}

export async function isAdminOf(db: Database, userId: number, ownerId: number): Promise<boolean> {
  const row = await db
    .selectFrom("owner_admins")
    .select("user_id")
    .where("user_id", "=", userId)
    .where("owner_id", "=", ownerId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Forbidden unless the person administers the venue's owner; NotFound for an unknown venue. Returns the owner's id. */
export async function requireAdminOfVenue(db: Database, userId: number, venueId: number): Promise<number> {
  const row = await db
    .selectFrom("venues as v")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .select("s.owner_id")
    .where("v.id", "=", venueId)
    .executeTakeFirst();
  if (!row) throw new NotFound("venue");
  if (!(await isAdminOf(db, userId, row.owner_id))) throw new Forbidden();
  return row.owner_id;
}

/** Forbidden unless the person administers the site's owner; NotFound for an unknown site. Returns the owner's id. */
export async function requireAdminOfSite(db: Database, userId: number, siteId: number): Promise<number> {
  const row = await db.selectFrom("sites").select("owner_id").where("id", "=", siteId).executeTakeFirst();
  if (!row) throw new NotFound("site");
  if (!(await isAdminOf(db, userId, row.owner_id))) throw new Forbidden();
  return row.owner_id;
}
