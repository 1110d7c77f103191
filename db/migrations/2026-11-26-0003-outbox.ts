// Frozen in time: this file must never import application code.
//
// Delivery state for the outbox (docs/decisions/007-outbox-and-mail.md):
// - a lease (locked_until, locked_by): a worker claims rows with FOR UPDATE
//   SKIP LOCKED in a short transaction and sends after it commits; a crashed
//   worker's rows come back when the lease runs out;
// - failed_at: given up after the last attempt (shown to admins, can be retried);
// - skipped_at / skip_reason: not sent on purpose, e.g. the reminder of a
//   booking that was cancelled meanwhile.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE outbox
      ADD COLUMN locked_until timestamptz,
      ADD COLUMN locked_by text,
      ADD COLUMN failed_at timestamptz,
      ADD COLUMN skipped_at timestamptz,
      ADD COLUMN skip_reason text,
      ADD CONSTRAINT outbox_one_outcome CHECK (num_nonnulls(sent_at, failed_at, skipped_at) <= 1),
      ADD CONSTRAINT outbox_attempts_nonnegative CHECK (attempts >= 0)`.execute(db);
  // The worker's query: due rows that still wait for an outcome, oldest first.
  await sql`DROP INDEX outbox_pending_idx`.execute(db);
  await sql`
    CREATE INDEX outbox_due_idx ON outbox (available_at, id)
    WHERE sent_at IS NULL AND failed_at IS NULL AND skipped_at IS NULL`.execute(db);
  // The admins' list of messages that could not be delivered.
  await sql`CREATE INDEX outbox_failed_idx ON outbox (failed_at) WHERE failed_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX outbox_failed_idx`.execute(db);
  await sql`DROP INDEX outbox_due_idx`.execute(db);
  await sql`CREATE INDEX outbox_pending_idx ON outbox (available_at) WHERE sent_at IS NULL`.execute(db);
  await sql`
    ALTER TABLE outbox
      DROP CONSTRAINT outbox_attempts_nonnegative,
      DROP CONSTRAINT outbox_one_outcome,
      DROP COLUMN skip_reason,
      DROP COLUMN skipped_at,
      DROP COLUMN failed_at,
      DROP COLUMN locked_by,
      DROP COLUMN locked_until`.execute(db);
}
