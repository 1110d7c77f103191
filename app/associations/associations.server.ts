// Associations: the voluntary organisations that book venues.
import type { Database } from "db/client";
import { type Selectable, sql } from "kysely";
import type { AssociationsTable } from "db/schema";
import { cleanText } from "~/booking/text";
import { InvalidInput, TooManyUnverified } from "~/errors/domain-errors";
import { normaliseOrgNumber } from "./org-number";

export type Association = Selectable<AssociationsTable>;

export interface NewAssociation {
  name: string;
  orgNumber: string;
  contactEmail: string;
  /** Who registers it; becomes its first leader. */
  leaderId: number;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Registers an association, unverified until an owner admin verifies it. */
export async function registerAssociation(db: Database, input: NewAssociation): Promise<Association> {
  const name = cleanText("name", input.name, { max: 120, required: true });
  const orgNumber = normaliseOrgNumber(String(input.orgNumber ?? ""));
  if (!orgNumber) throw new InvalidInput({ orgNumber: "invalidOrgNumber" });
  const contactEmail = cleanText("contactEmail", input.contactEmail, { max: 254, required: true });
  if (!EMAIL_RE.test(contactEmail)) throw new InvalidInput({ contactEmail: "invalidEmail" });
  return db.transaction().execute(async (trx) => {
    await requireFewUnverified(trx, input.leaderId);
    const created = await trx
      .insertInto("associations")
      .values({ name, org_number: orgNumber, contact_email: contactEmail, verified: false })
      // Held by one association that is not rejected (migration 0007): a rejected registration does not keep the number.
      .onConflict((oc) => oc.column("org_number").where("rejected_at", "is", null).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!created) throw new InvalidInput({ orgNumber: "orgNumberTaken" });
    await trx.insertInto("memberships").values({ association_id: created.id, user_id: input.leaderId, role: "leader" }).execute();
    return created;
  });
}

/**
 * Associations one person may lead while the municipality has verified none
 * of them: each may hold UNVERIFIED_MAX_UPCOMING bookings, so registering
 * more is the way around that ceiling (app/booking/unverified.server.ts).
 */
export const MAX_UNVERIFIED_LED = 3;

async function requireFewUnverified(trx: Database, userId: number): Promise<void> {
  // One registration at a time per person, so two at once cannot both pass the count.
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`register:${userId}`}, 0))`.execute(trx);
  const { rows } = await sql<{ led: number }>`
    SELECT count(*)::int AS led FROM memberships m JOIN associations a ON a.id = m.association_id
    WHERE m.user_id = ${userId} AND m.role = 'leader' AND NOT a.verified AND a.rejected_at IS NULL`.execute(trx);
  if ((rows[0]?.led ?? 0) >= MAX_UNVERIFIED_LED) throw new TooManyUnverified(MAX_UNVERIFIED_LED);
}
