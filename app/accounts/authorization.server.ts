// Who may do what. Checked in the domain, not in routes, so every entry point
// (web, scripts, future APIs) gets the same answer.
import type { Database } from "db/client";
import type { MemberRole } from "db/schema";
import { Forbidden } from "~/errors/domain-errors";

/** A caretaker of the site, or an admin of the owner, manages the site's venues. */
export async function managesSite(db: Database, userId: number, siteId: number): Promise<boolean> {
  const row = await db
    .selectFrom("sites as s")
    .select((eb) => [
      eb
        .exists(eb.selectFrom("site_caretakers as c").select("c.user_id").whereRef("c.site_id", "=", "s.id").where("c.user_id", "=", userId))
        .as("caretaker"),
      eb
        .exists(eb.selectFrom("owner_admins as a").select("a.user_id").whereRef("a.owner_id", "=", "s.owner_id").where("a.user_id", "=", userId))
        .as("admin"),
    ])
    .where("s.id", "=", siteId)
    .executeTakeFirst();
  return Boolean(row?.caretaker || row?.admin);
}

export async function isMember(db: Database, userId: number, associationId: number): Promise<boolean> {
  const row = await db
    .selectFrom("memberships")
    .select("role")
    .where("user_id", "=", userId)
    .where("association_id", "=", associationId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function requireManagesSite(db: Database, userId: number, siteId: number): Promise<void> {
  if (!(await managesSite(db, userId, siteId))) throw new Forbidden();
}

/** The user's role in the association, or null when not a member. */
export async function roleIn(db: Database, userId: number, associationId: number): Promise<MemberRole | null> {
  const row = await db
    .selectFrom("memberships")
    .select("role")
    .where("user_id", "=", userId)
    .where("association_id", "=", associationId)
    .executeTakeFirst();
  return row?.role ?? null;
}

/** Owner admins verify associations, so they may read any association's page. */
export async function isOwnerAdmin(db: Database, userId: number): Promise<boolean> {
  const row = await db.selectFrom("owner_admins").select("user_id").where("user_id", "=", userId).executeTakeFirst();
  return row !== undefined;
}
