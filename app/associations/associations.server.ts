// Associations: the voluntary organisations that book venues.
import type { Database } from "db/client";
import type { Selectable } from "kysely";
import type { AssociationsTable } from "db/schema";
import { cleanText } from "~/booking/text";
import { InvalidInput } from "~/errors/domain-errors";
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
