// Frozen in time: this file must never import application code.
//
// Blocked time: a caretaker or admin closes a venue for maintenance or a
// private event. A block is a row in bookings (kind = 'block') without an
// association, so that it holds claims like any booking and the one exclusion
// constraint keeps blocks and bookings apart, buffer included (decision 003).
// Attendance and no-shows are recorded on bookings only, and never both.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE bookings
      ADD COLUMN kind text NOT NULL DEFAULT 'booking' CONSTRAINT bookings_kind_check CHECK (kind IN ('booking', 'block')),
      ALTER COLUMN association_id DROP NOT NULL,
      ADD CONSTRAINT bookings_block_without_association CHECK ((kind = 'block') = (association_id IS NULL)),
      -- Nobody is expected at a block: it stores 0.
      DROP CONSTRAINT bookings_expected_attendees_check,
      ADD CONSTRAINT bookings_expected_attendees_check CHECK (expected_attendees > 0 OR kind = 'block'),
      ADD CONSTRAINT bookings_attendance_only_bookings CHECK (kind = 'booking' OR (attendance IS NULL AND NOT no_show)),
      ADD CONSTRAINT bookings_attendance_or_no_show CHECK (NOT (no_show AND attendance IS NOT NULL))`.execute(db);
  // The caretaker's list of upcoming blocks at their sites.
  await sql`CREATE INDEX bookings_blocks_idx ON bookings (venue_id, starts_at) WHERE kind = 'block'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM bookings WHERE kind = 'block'`.execute(db);
  await sql`DROP INDEX IF EXISTS bookings_blocks_idx`.execute(db);
  await sql`
    ALTER TABLE bookings
      DROP CONSTRAINT bookings_attendance_or_no_show,
      DROP CONSTRAINT bookings_attendance_only_bookings,
      DROP CONSTRAINT bookings_expected_attendees_check,
      ADD CONSTRAINT bookings_expected_attendees_check CHECK (expected_attendees > 0),
      DROP CONSTRAINT bookings_block_without_association,
      ALTER COLUMN association_id SET NOT NULL,
      DROP COLUMN kind`.execute(db);
}
