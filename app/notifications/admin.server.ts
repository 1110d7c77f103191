// What admins see of mail that did not go out: given up (failed), being
// retried, or waiting longer than it should (no worker running, say). Never
// the payload: a sign-in message carries a live link and code.
import { sql } from "kysely";
import type { Database } from "db/client";
import { isOwnerAdmin } from "~/accounts/authorization.server";
import { Forbidden } from "~/errors/domain-errors";

export type UndeliveredState = "failed" | "retrying" | "stuck";

export interface UndeliveredMessage {
  id: number;
  kind: string;
  recipient: string;
  state: UndeliveredState;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  /** When the next attempt is due (retrying, stuck), or when it was given up (failed). */
  nextAttemptAt: Date | null;
  failedAt: Date | null;
}

export interface UndeliveredQuery {
  now: Date;
  /** A message nobody has tried for this long counts as stuck. */
  stuckAfterMinutes?: number;
  limit?: number;
  /** Only this message. */
  id?: number;
}

/**
 * Messages an owner admin should know about: about bookings at the owner's
 * venues, and those tied to no venue (sign-in, invitations). Newest first.
 */
export async function listUndeliveredMessages(db: Database, actorId: number, q: UndeliveredQuery): Promise<UndeliveredMessage[]> {
  if (!(await isOwnerAdmin(db, actorId))) throw new Forbidden();
  const stuckBefore = new Date(q.now.getTime() - (q.stuckAfterMinutes ?? 15) * 60_000);
  const { rows } = await sql<{
    id: number;
    kind: string;
    recipient: string;
    state: UndeliveredState;
    attempts: number;
    last_error: string | null;
    created_at: Date;
    available_at: Date;
    failed_at: Date | null;
  }>`
    SELECT o.id, o.kind, o.recipient::text AS recipient, o.attempts, o.last_error, o.created_at, o.available_at, o.failed_at,
      CASE WHEN o.failed_at IS NOT NULL THEN 'failed' WHEN o.attempts > 0 AND o.last_error IS NOT NULL THEN 'retrying' ELSE 'stuck' END AS state
    FROM outbox o
    LEFT JOIN venues v ON v.id = coalesce(
      (o.payload->'booking'->>'venue_id')::bigint,
      (o.payload->'series'->>'venue_id')::bigint,
      (SELECT b.venue_id FROM bookings b WHERE b.id = (o.payload->>'bookingId')::uuid))
    LEFT JOIN sites s ON s.id = v.site_id
    WHERE o.sent_at IS NULL AND o.skipped_at IS NULL
      AND (o.failed_at IS NOT NULL OR (o.attempts > 0 AND o.last_error IS NOT NULL) OR o.available_at < ${stuckBefore})
      AND (v.id IS NULL OR s.owner_id IN (SELECT owner_id FROM owner_admins WHERE user_id = ${actorId}))
      AND (${q.id ?? null}::bigint IS NULL OR o.id = ${q.id ?? null}::bigint)
    ORDER BY o.id DESC
    LIMIT ${q.limit ?? 200}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    recipient: r.recipient,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    nextAttemptAt: r.failed_at ? null : r.available_at,
    failedAt: r.failed_at,
  }));
}

/** Puts a failed message back in the queue with a fresh set of attempts. Returns false when it is not the admin's or not failed. */
export async function retryFailedMessage(db: Database, actorId: number, id: number, now: Date): Promise<boolean> {
  const [message] = await listUndeliveredMessages(db, actorId, { now, id });
  if (message?.state !== "failed") return false;
  const r = await db
    .updateTable("outbox")
    .set({ failed_at: null, attempts: 0, available_at: now, locked_until: null })
    .where("id", "=", id)
    .where("failed_at", "is not", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
