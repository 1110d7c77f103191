// The outbox: messages written in the same transaction as the change that
// causes them, delivered after commit by the worker (invariant 6).
import type { Kysely } from "kysely";
import type { DB } from "db/schema";

export interface OutboxMessage {
  /** What kind of message: 'sign-in', 'booking-confirmed', … (the template's name). */
  kind: string;
  recipient: string;
  /** Everything the template needs; never secrets beyond what the mail itself must carry. */
  payload: Record<string, unknown>;
  /** Not before this instant (reminders); default now. */
  availableAt?: Date;
}

/** Pass the transaction of the change, so the message exists if and only if the change does. */
export async function enqueue(trx: Kysely<DB>, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await trx
    .insertInto("outbox")
    .values(
      messages.map((m) => ({
        kind: m.kind,
        recipient: m.recipient,
        payload: JSON.stringify(m.payload),
        ...(m.availableAt ? { available_at: m.availableAt } : {}),
      })),
    )
    .execute();
}
