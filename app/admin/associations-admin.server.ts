// Owner admins verify or reject associations. Associations book across
// owners and belong to none, so any owner's admin may decide (see
// access.server.ts). Verifying re-checks the organisation number (the mod-11
// rule) and refuses a number another association already holds; the partial
// unique index associations_org_number_active_key is the arbiter when two
// decisions race (migration 0007). Rejecting needs a reason, which goes to
// the association's contact address through the outbox, and turns down the
// association's requests still waiting. Both are audited in the same transaction.
import { sql, type Transaction } from "kysely";
import type { Database } from "db/client";
import type { DB } from "db/schema";
import { cleanId } from "~/booking/request";
import { changeStatus, lockWaiting, writeAudit } from "~/booking/booking-repository.server";
import { cleanText } from "~/booking/text";
import { InvalidInput, NotFound, OrgNumberTaken } from "~/errors/domain-errors";
import { normaliseOrgNumber } from "~/associations/org-number";
import { notifyAssociationRejected } from "~/notifications/association-mail.server";
import { localDateOf } from "~/time/zoned";
import { requireAdminOwner } from "./access.server";
import { MAX_REJECTION_REASON } from "./limits";

export { MAX_REJECTION_REASON };

export type AssociationState = "unverified" | "verified" | "rejected";

export interface AssociationLine {
  id: number;
  name: string;
  orgNumber: string;
  /** Whether the number passes the mod-11 check (the database refuses others; shown so nobody has to trust that). */
  orgNumberValid: boolean;
  contactEmail: string;
  createdAt: Date;
  /** The registration date in the admin's owner's zone, 'YYYY-MM-DD'. */
  createdOn: string;
  state: AssociationState;
  rejectionReason: string | null;
}

const LIST_LIMIT = 500;

/** Every association: unverified first (oldest first: a queue), then verified, then rejected, by name. */
export async function listAssociationsForAdmin(db: Database, viewerId: number): Promise<AssociationLine[]> {
  const owner = await requireAdminOwner(db, viewerId);
  const rows = await db
    .selectFrom("associations")
    .select(["id", "name", "org_number", "contact_email", "created_at", "verified", "rejected_at", "rejection_reason"])
    .orderBy(sql`CASE WHEN verified THEN 1 WHEN rejected_at IS NOT NULL THEN 2 ELSE 0 END`)
    .orderBy(sql`CASE WHEN NOT verified AND rejected_at IS NULL THEN created_at END`)
    .orderBy("name")
    .orderBy("id")
    .limit(LIST_LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    orgNumber: r.org_number,
    orgNumberValid: normaliseOrgNumber(r.org_number) === r.org_number,
    contactEmail: r.contact_email,
    createdAt: r.created_at,
    createdOn: localDateOf(r.created_at, owner.timeZone),
    state: r.verified ? "verified" : r.rejected_at ? "rejected" : "unverified",
    rejectionReason: r.rejection_reason,
  }));
}

export interface AssociationDecision {
  actorId: number;
  associationId: unknown;
}

const snapshot = (a: { verified: boolean; rejected_at: Date | null; rejection_reason: string | null; org_number: string }) => ({
  verified: a.verified,
  rejected_at: a.rejected_at,
  rejection_reason: a.rejection_reason,
  org_number: a.org_number,
});

/** The unique index on numbers held by associations that are not rejected. */
function isNumberHeld(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string };
  return err?.code === "23505" && err.constraint === "associations_org_number_active_key";
}

/** Verifies the association (a rejected one too: the admin changed their mind). Already verified: nothing changes. */
export async function verifyAssociation(db: Database, req: AssociationDecision, now: Date): Promise<void> {
  const associationId = cleanId("associationId", req.associationId);
  await requireAdminOwner(db, req.actorId);
  try {
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom("associations").selectAll().where("id", "=", associationId).forUpdate().executeTakeFirst();
      if (!before) throw new NotFound("association");
      if (before.verified) return;
      if (normaliseOrgNumber(before.org_number) !== before.org_number) throw new InvalidInput({ orgNumber: "invalidOrgNumber" });
      // A verified holder always refuses; a registration that is not rejected refuses only
      // when this one is rejected (otherwise the unique index already keeps them apart).
      const holder = await trx
        .selectFrom("associations")
        .select("name")
        .where("org_number", "=", before.org_number)
        .where("id", "<>", associationId)
        .where((eb) => eb.or([eb("verified", "=", true), eb("rejected_at", "is", null)]))
        .orderBy("verified", "desc")
        .executeTakeFirst();
      if (holder) throw new OrgNumberTaken(before.org_number, holder.name);
      const after = await trx
        .updateTable("associations")
        .set({ verified: true, rejected_at: null, rejection_reason: null, decided_by: req.actorId })
        .where("id", "=", associationId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(trx, req.actorId, "association", String(associationId), "verified", snapshot(before), snapshot(after));
      await refreshCalendars(trx, associationId, now);
    });
  } catch (e) {
    if (isNumberHeld(e)) {
      // Another decision took the number between our check and our update.
      const row = await db.selectFrom("associations").select("org_number").where("id", "=", associationId).executeTakeFirstOrThrow();
      const holder = await db
        .selectFrom("associations")
        .select("name")
        .where("org_number", "=", row.org_number)
        .where("id", "<>", associationId)
        .where("rejected_at", "is", null)
        .executeTakeFirst();
      throw new OrgNumberTaken(row.org_number, holder?.name ?? "?");
    }
    throw e;
  }
}

/**
 * Rejects the association with a reason (verified ones too: a registration
 * found to be wrong), turning down its waiting requests. Its contact address
 * gets the reason by mail, and so does each member whose requests went with
 * it, with those listed. Already rejected: nothing changes and no second mail
 * goes out (a double click).
 */
export async function rejectAssociation(db: Database, req: AssociationDecision & { reason: unknown }, now: Date): Promise<void> {
  const associationId = cleanId("associationId", req.associationId);
  const reason = cleanText("reason", req.reason, { max: MAX_REJECTION_REASON, required: true, multiline: true });
  await requireAdminOwner(db, req.actorId);
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("associations").selectAll().where("id", "=", associationId).forUpdate().executeTakeFirst();
    if (!before) throw new NotFound("association");
    if (before.rejected_at) return;
    const after = await trx
      .updateTable("associations")
      .set({ verified: false, rejected_at: now, rejection_reason: reason, decided_by: req.actorId })
      .where("id", "=", associationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, req.actorId, "association", String(associationId), "rejected", snapshot(before), snapshot(after));
    // Its requests still waiting go with it: they held their time, and a
    // caretaker could otherwise approve them. What was confirmed stays (an admin
    // cancels that on the venue's page, with a message of its own).
    const waiting = await lockWaiting(trx, { associationId }, now);
    for (const booking of waiting) await changeStatus(trx, booking, { status: "rejected", actorId: req.actorId, reason }, "rejected");
    await refreshCalendars(trx, associationId, now);
    await notifyAssociationRejected(trx, before, reason, waiting.map((b) => b.id));
  });
}

/**
 * Its public titles appear or go with the decision (app/booking/public-title.server.ts):
 * its coming bookings get a new SEQUENCE and updated_at, so that feeds change
 * their ETag and calendar apps take the new SUMMARY rather than keep the old one.
 */
async function refreshCalendars(trx: Transaction<DB>, associationId: number, now: Date): Promise<void> {
  await sql`
    UPDATE bookings SET sequence = sequence + 1, updated_at = now()
    WHERE association_id = ${associationId} AND status IN ('pending', 'confirmed') AND ends_at > ${now}`.execute(trx);
}
