// Members of an association: who sees them, invitations, removal and the
// leader role. Every function checks who is asking (invariant 5): a person
// outside an association gets NotFound, as if it did not exist, so that pages
// and errors reveal nothing about associations one does not belong to.
//
// Changes to an association's members take a row lock on the association
// first (FOR NO KEY UPDATE, which does not block bookings' foreign keys), so
// two leaders acting at once are served one after the other; the database's
// deferred trigger `memberships_keep_a_leader` is the last word on "at least
// one leader".
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB, MemberRole } from "db/schema";
import { isOwnerAdmin, roleIn } from "~/accounts/authorization.server";
import { countRequest } from "~/accounts/rate-limit.server";
import { cleanEmail, type CurrentUser } from "~/accounts/users.server";
import { cleanId } from "~/booking/request";
import { publicUrl } from "~/config/env.server";
import { Forbidden, InvalidInput, LastLeader, NotFound } from "~/errors/domain-errors";
import { message } from "~/notifications/messages";
import { enqueue } from "~/notifications/outbox.server";

export const INVITATION_DAYS = 30;
/** Invitations a leader may send per hour: enough for a club's roster, too few for spam. */
export const INVITATIONS_PER_HOUR = 30;

const DAY = 86_400_000;

export interface MyAssociation {
  id: number;
  name: string;
  verified: boolean;
  /** The municipality turned it away: it books nothing. */
  rejected: boolean;
  role: MemberRole;
}

/** The associations the user belongs to, by name. */
export async function listMyAssociations(db: Kysely<DB>, userId: number): Promise<MyAssociation[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("associations as a", "a.id", "m.association_id")
    .select(["a.id", "a.name", "a.verified", "a.rejected_at", "m.role"])
    .where("m.user_id", "=", userId)
    .orderBy("a.name")
    .orderBy("a.id")
    .execute();
  return rows.map(({ rejected_at, ...a }) => ({ ...a, rejected: rejected_at !== null }));
}

export interface MemberView {
  userId: number;
  name: string;
  /** Only leaders (and owner admins) see members' addresses; everyone sees their own. */
  email: string | null;
  role: MemberRole;
}

export interface InvitationView {
  email: string;
  expiresAt: Date;
}

export interface AssociationView {
  association: { id: number; name: string; orgNumber: string; contactEmail: string; verified: boolean; rejectionReason: string | null };
  /** The viewer's role; null for an owner admin who is not a member. */
  myRole: MemberRole | null;
  members: MemberView[];
  /** Pending invitations; empty unless the viewer is a leader. */
  invitations: InvitationView[];
}

/** What a member (or an owner admin) may see of an association. Anyone else: NotFound. */
export async function viewAssociation(db: Kysely<DB>, actorId: number, associationId: unknown, now: Date): Promise<AssociationView> {
  const id = cleanId("associationId", associationId);
  const myRole = await roleIn(db, actorId, id);
  const admin = myRole === null && (await isOwnerAdmin(db, actorId));
  if (myRole === null && !admin) throw new NotFound("association");
  const association = await db.selectFrom("associations").selectAll().where("id", "=", id).executeTakeFirst();
  if (!association) throw new NotFound("association");
  const seesAddresses = myRole === "leader" || admin;
  const members = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.name", "u.email", "m.role"])
    .where("m.association_id", "=", id)
    // Leaders first, then by name; people without a name yet by address.
    .orderBy(sql`m.role = 'leader'`, "desc")
    .orderBy(sql`coalesce(nullif(u.name, ''), u.email)`)
    .execute();
  const invitations =
    myRole === "leader"
      ? await db
          .selectFrom("invitations")
          .select(["email", "expires_at"])
          .where("association_id", "=", id)
          .where("expires_at", ">", now)
          .orderBy("email")
          .execute()
      : [];
  return {
    association: {
      id: association.id,
      name: association.name,
      orgNumber: association.org_number,
      contactEmail: association.contact_email,
      verified: association.verified,
      // The reason the municipality gave when it turned the association away (null: it has not).
      rejectionReason: association.rejected_at ? (association.rejection_reason ?? "") : null,
    },
    myRole,
    members: members.map((m) => ({ userId: m.id, name: m.name, email: seesAddresses || m.id === actorId ? m.email : null, role: m.role })),
    invitations: invitations.map((i) => ({ email: i.email, expiresAt: i.expires_at })),
  };
}

/**
 * Locks the association for a change to its members and returns the actor's
 * role. Not a member: NotFound (the association is none of their business).
 */
async function lockForChange(trx: Transaction<DB>, actorId: number, associationId: number): Promise<MemberRole> {
  const locked = await sql`SELECT id FROM associations WHERE id = ${associationId} FOR NO KEY UPDATE`.execute(trx);
  if (locked.rows.length === 0) throw new NotFound("association");
  const role = await roleIn(trx, actorId, associationId);
  if (role === null) throw new NotFound("association");
  return role;
}

/** The deferred trigger refusing an association without a leader, as a domain error. */
function lastLeaderFromDatabase(e: unknown): unknown {
  const err = e as { code?: string; constraint?: string };
  return err?.code === "23514" && err.constraint === "memberships_keep_a_leader" ? new LastLeader() : e;
}

async function inTransaction<T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(work);
  } catch (e) {
    throw lastLeaderFromDatabase(e);
  }
}

export interface InviteRequest {
  actorId: number;
  associationId: unknown;
  email: unknown;
}

/**
 * A leader invites an address: the invitation is (re)made with a fresh expiry
 * and a mail goes through the outbox in the same transaction.
 */
export async function inviteMember(db: Kysely<DB>, req: InviteRequest, now: Date): Promise<void> {
  const associationId = cleanId("associationId", req.associationId);
  const email = cleanEmail("email", req.email);
  await inTransaction(db, async (trx) => {
    const role = await lockForChange(trx, req.actorId, associationId);
    if (role !== "leader") throw new Forbidden();
    const already = await trx
      .selectFrom("memberships as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select("u.id")
      .where("m.association_id", "=", associationId)
      .where("u.email", "=", email)
      .executeTakeFirst();
    if (already) throw new InvalidInput({ email: "alreadyMember" });
    await countRequest(trx, [{ bucket: `invite:user:${req.actorId}`, max: INVITATIONS_PER_HOUR, windowSeconds: 3600 }], now);
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * DAY);
    await trx
      .insertInto("invitations")
      .values({ association_id: associationId, email, invited_by: req.actorId, created_at: now, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(["association_id", "email"]).doUpdateSet({ invited_by: req.actorId, created_at: now, expires_at: expiresAt }))
      .execute();
    const context = await trx
      .selectFrom("associations as a")
      .innerJoin("users as u", (j) => j.on("u.id", "=", req.actorId))
      .select(["a.name as associationName", "u.name as inviterName", "u.email as inviterEmail", "u.locale"])
      .where("a.id", "=", associationId)
      .executeTakeFirstOrThrow();
    const next = `/associations/${associationId}`;
    const url = `${publicUrl()}/signin?${new URLSearchParams({ email, next })}`;
    await enqueue(trx, [
      message("association-invitation", email, {
        associationName: context.associationName,
        invitedBy: context.inviterName || context.inviterEmail,
        url,
        expiresDays: INVITATION_DAYS,
        // Only for an address nobody has an account with: the worker writes in
        // the invited user's own language (users.locale, read when the mail is
        // sent), and this is never consulted for them. A stranger has told us
        // no language; the inviting leader's is the best guess we have: they
        // know the person, and it is likely the association's own.
        locale: context.locale,
      }),
    ]);
  });
}

/** A leader takes back an invitation that has not been accepted. */
export async function withdrawInvitation(db: Kysely<DB>, req: InviteRequest): Promise<void> {
  const associationId = cleanId("associationId", req.associationId);
  const email = cleanEmail("email", req.email);
  await inTransaction(db, async (trx) => {
    if ((await lockForChange(trx, req.actorId, associationId)) !== "leader") throw new Forbidden();
    await trx.deleteFrom("invitations").where("association_id", "=", associationId).where("email", "=", email).execute();
  });
}

/**
 * Turns the user's standing invitations into memberships (called when they
 * sign in with the invited address); returns the associations joined.
 */
export async function acceptInvitations(trx: Transaction<DB>, user: Pick<CurrentUser, "id" | "email">, now: Date): Promise<number[]> {
  const accepted = await trx
    .deleteFrom("invitations")
    .where("email", "=", user.email)
    .where("expires_at", ">", now)
    .returning("association_id")
    .execute();
  if (accepted.length === 0) return [];
  const ids = accepted.map((a) => a.association_id);
  await trx
    .insertInto("memberships")
    .values(ids.map((id) => ({ association_id: id, user_id: user.id, role: "member" as const })))
    .onConflict((oc) => oc.columns(["association_id", "user_id"]).doNothing())
    .execute();
  return ids;
}

export interface MemberChange {
  actorId: number;
  associationId: unknown;
  userId: unknown;
}

/** What is known of a change to a membership when it is decided: roles are null for no member. */
export interface MemberChangeFacts {
  actorRole: MemberRole | null;
  /** The actor changes their own membership (leaving; handing over to oneself). */
  self: boolean;
  targetRole: MemberRole | null;
  /** The association's leaders; only read when the target is a leader being removed. */
  leaders: number;
}

/**
 * Why removing a member (or leaving) or handing over the leader role is
 * refused, or null when it is allowed: the one rule for the change itself
 * (under the lock, below) and for the question asked before it
 * (member-confirmation.server.ts), so the two cannot drift apart.
 * In this order: no member of it (NotFound, as for anyone outside), not a
 * leader changing someone else, not (or no longer) a member, already leader,
 * the last leader.
 */
export function memberChangeRefusal(change: "remove" | "handOver", f: MemberChangeFacts): Error | null {
  if (f.actorRole === null) return new NotFound("association");
  if (f.actorRole !== "leader" && (change === "handOver" || !f.self)) return new Forbidden();
  // The actor is a member, so the list is theirs to see: someone not (or no
  // longer: another leader, a second tab) on it is said in words on the page,
  // not a 404 for a page that exists.
  if (change === "handOver" && f.self) return new InvalidInput({ userId: "alreadyLeader" });
  if (f.targetRole === null) return new InvalidInput({ userId: "notMember" });
  if (change === "handOver" && f.targetRole === "leader") return new InvalidInput({ userId: "alreadyLeader" });
  if (change === "remove" && f.targetRole === "leader" && f.leaders <= 1) return new LastLeader();
  return null;
}

async function leaderCount(trx: Transaction<DB>, associationId: number): Promise<number> {
  const leaders = await trx
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("association_id", "=", associationId)
    .where("role", "=", "leader")
    .executeTakeFirstOrThrow();
  return Number(leaders.n);
}

/**
 * A leader removes a member, or a member leaves. The last leader can do
 * neither to themselves: hand over the role first.
 */
export async function removeMember(db: Kysely<DB>, req: MemberChange): Promise<void> {
  const associationId = cleanId("associationId", req.associationId);
  const userId = cleanId("userId", req.userId);
  await inTransaction(db, async (trx) => {
    const actorRole = await lockForChange(trx, req.actorId, associationId);
    const targetRole = await roleIn(trx, userId, associationId);
    const leaders = targetRole === "leader" ? await leaderCount(trx, associationId) : 0;
    const refusal = memberChangeRefusal("remove", { actorRole, self: userId === req.actorId, targetRole, leaders });
    if (refusal) throw refusal;
    await trx.deleteFrom("memberships").where("association_id", "=", associationId).where("user_id", "=", userId).execute();
  });
}

/** The leader makes another member leader and becomes a member. */
export async function handOverLeadership(db: Kysely<DB>, req: MemberChange): Promise<void> {
  const associationId = cleanId("associationId", req.associationId);
  const userId = cleanId("userId", req.userId);
  await inTransaction(db, async (trx) => {
    const actorRole = await lockForChange(trx, req.actorId, associationId);
    const refusal = memberChangeRefusal("handOver", { actorRole, self: userId === req.actorId, targetRole: await roleIn(trx, userId, associationId), leaders: 0 });
    if (refusal) throw refusal;
    await trx.updateTable("memberships").set({ role: "leader" }).where("association_id", "=", associationId).where("user_id", "=", userId).execute();
    await trx.updateTable("memberships").set({ role: "member" }).where("association_id", "=", associationId).where("user_id", "=", req.actorId).execute();
  });
}
