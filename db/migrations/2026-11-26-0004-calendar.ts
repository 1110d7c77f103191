// Frozen in time: this file must never import application code.
//
// Calendar subscriptions: capability tokens (stored as SHA-256 hashes only),
// the per-feed high-water mark behind Last-Modified, and a trigger that keeps
// SEQUENCE and updated_at honest whatever code path changes a booking.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // One active token per subscriber and feed; revoked ones are kept (revoked_at)
  // so that a hash is never reissued and the list can say when it was revoked.
  await sql`
    CREATE TABLE calendar_tokens (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      scope text NOT NULL CHECK (scope ~ '^(venue-staff|association|person):[1-9][0-9]{0,18}$'),
      token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX calendar_tokens_one_active_idx ON calendar_tokens (user_id, scope) WHERE revoked_at IS NULL`.execute(db);

  // Last-Modified of a feed never moves backwards, also when bookings leave it
  // (a deletion, a cancellation dropped after its grace period): app servers
  // are stateless, so the mark lives here. fingerprint is the feed's ETag.
  await sql`
    CREATE TABLE calendar_feed_state (
      feed text PRIMARY KEY,
      fingerprint text NOT NULL,
      last_modified timestamptz NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  // Feeds show names kept in other tables (venues, sites, associations,
  // people). Hashing them per row made the unchanged-feed check cost 5-10x
  // more; instead any change to one of those names bumps one global version,
  // which every feed's fingerprint includes. Renames are rare; each costs one
  // rebuild per feed. An upsert, so that it survives a TRUNCATE (npm run seed).
  await sql`
    CREATE TABLE calendar_names (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      version bigint NOT NULL DEFAULT 0,
      changed_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`INSERT INTO calendar_names DEFAULT VALUES`.execute(db);
  await sql`
    CREATE FUNCTION flokk_calendar_names_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO calendar_names (id, version) VALUES (true, 1)
      ON CONFLICT (id) DO UPDATE SET version = calendar_names.version + 1, changed_at = now();
      RETURN NULL;
    END
    $$`.execute(db);
  for (const [table, columns] of [
    ["venues", ["name", "time_zone", "site_id", "parent_id"]],
    ["sites", ["name", "address"]],
    ["associations", ["name", "contact_email"]],
    ["users", ["name", "email", "phone"]],
  ] as const) {
    const changed = columns.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(" OR ");
    await sql
      .raw(
        `CREATE TRIGGER ${table}_calendar_names AFTER UPDATE OF ${columns.join(", ")} ON ${table}
         FOR EACH ROW WHEN (${changed}) EXECUTE FUNCTION flokk_calendar_names_changed()`,
      )
      .execute(db);
  }

  // Calendar clients only take an update whose SEQUENCE is higher, and feeds
  // answer 304 until updated_at moves. Code that changes a booking should do
  // both; this makes sure of it.
  await sql`
    CREATE FUNCTION flokk_booking_calendar_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF (NEW.starts_at, NEW.ends_at, NEW.status, NEW.venue_id)
           IS DISTINCT FROM (OLD.starts_at, OLD.ends_at, OLD.status, OLD.venue_id)
         AND NEW.sequence <= OLD.sequence THEN
        NEW.sequence := OLD.sequence + 1;
      END IF;
      IF NEW IS DISTINCT FROM OLD AND NEW.updated_at <= OLD.updated_at THEN
        NEW.updated_at := greatest(now(), OLD.updated_at + interval '1 microsecond');
      END IF;
      RETURN NEW;
    END
    $$`.execute(db);
  await sql`
    CREATE TRIGGER bookings_calendar_change BEFORE UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION flokk_booking_calendar_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS bookings_calendar_change ON bookings`.execute(db);
  await sql`DROP FUNCTION IF EXISTS flokk_booking_calendar_change()`.execute(db);
  for (const table of ["venues", "sites", "associations", "users"]) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${table}_calendar_names ON ${table}`).execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS flokk_calendar_names_changed()`.execute(db);
  await sql`DROP TABLE IF EXISTS calendar_names`.execute(db);
  await sql`DROP TABLE IF EXISTS calendar_feed_state`.execute(db);
  await sql`DROP TABLE IF EXISTS calendar_tokens`.execute(db);
}
