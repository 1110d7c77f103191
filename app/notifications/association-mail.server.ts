// The notices an association's rejection sends, enqueued in the transaction of
// the rejection (invariant 6): one to its contact address and one to each
// member whose waiting requests went with it, listing theirs; not a mail per
// request (a season's series is twenty).
import { type Selectable, sql, type Transaction } from "kysely";
import type { AssociationsTable, DB } from "db/schema";
import { type AssociationRejectedPayload, message } from "./messages";
import { enqueue } from "./outbox.server";

type TurnedDown = NonNullable<AssociationRejectedPayload["turnedDown"]>;

export async function notifyAssociationRejected(
  trx: Transaction<DB>,
  association: Pick<Selectable<AssociationsTable>, "id" | "name" | "org_number" | "contact_email">,
  reason: string,
  turnedDownIds: readonly string[],
): Promise<void> {
  const { rows } = await sql<{ email: string; title: string; venue: string; starts_at: Date; ends_at: Date; time_zone: string }>`
    SELECT u.email::text AS email, b.title, v.name AS venue, b.starts_at, b.ends_at, v.time_zone
    FROM bookings b JOIN users u ON u.id = b.created_by JOIN venues v ON v.id = b.venue_id
    WHERE b.id = ANY(${turnedDownIds as string[]}::uuid[])
    ORDER BY b.starts_at, b.id`.execute(trx);
  // In a leader's language when the contact address is not a user's (the worker prefers the user's own).
  const leader = await trx
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select("u.locale")
    .where("m.association_id", "=", association.id)
    .where("m.role", "=", "leader")
    .orderBy("u.id")
    .executeTakeFirst();
  // Addresses compare without case (citext in the database); the contact address's notice comes first.
  const notices = new Map<string, { email: string; turnedDown: TurnedDown }>();
  const noticeTo = (email: string) => {
    const k = email.toLowerCase();
    if (!notices.has(k)) notices.set(k, { email, turnedDown: [] });
    return notices.get(k)!;
  };
  noticeTo(association.contact_email);
  for (const b of rows) {
    noticeTo(b.email).turnedDown.push({ title: b.title, venue: b.venue, startsAt: b.starts_at.toISOString(), endsAt: b.ends_at.toISOString(), timeZone: b.time_zone });
  }
  const about = { associationName: association.name, orgNumber: association.org_number, reason, ...(leader ? { locale: leader.locale } : {}) };
  await enqueue(
    trx,
    [...notices.values()].map((n) => message("association-rejected", n.email, { ...about, turnedDown: n.turnedDown })),
  );
}
