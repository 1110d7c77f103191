// Frozen in time: this file must never import application code. Later changes
// to the schema go into new migrations.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS btree_gist`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS citext`.execute(db);

  // Norwegian organisation numbers: 9 digits, the last a mod-11 check digit with
  // weights 3 2 7 6 5 4 3 2. A remainder giving check digit 10 is never issued.
  await sql`
    CREATE FUNCTION flokk_valid_org_number(n text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT n ~ '^[0-9]{9}$' AND (
        WITH s AS (
          SELECT (3 * substr(n,1,1)::int + 2 * substr(n,2,1)::int + 7 * substr(n,3,1)::int
                + 6 * substr(n,4,1)::int + 5 * substr(n,5,1)::int + 4 * substr(n,6,1)::int
                + 3 * substr(n,7,1)::int + 2 * substr(n,8,1)::int) % 11 AS r
        )
        SELECT CASE WHEN r = 0 THEN 0 WHEN r = 1 THEN NULL ELSE 11 - r END = substr(n,9,1)::int FROM s
      ) IS TRUE
    $$`.execute(db);

  await sql`
    CREATE TABLE owners (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL,
      slug text NOT NULL UNIQUE,
      time_zone text NOT NULL DEFAULT 'Europe/Oslo',
      locale text NOT NULL DEFAULT 'nb',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE sites (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      owner_id bigint NOT NULL REFERENCES owners(id),
      name text NOT NULL,
      address text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE venues (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      site_id bigint NOT NULL REFERENCES sites(id),
      parent_id bigint REFERENCES venues(id),
      name text NOT NULL,
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      kind text NOT NULL,
      capacity integer NOT NULL CHECK (capacity > 0),
      amenities text[] NOT NULL DEFAULT '{}',
      step_free boolean NOT NULL DEFAULT false,
      accessibility_notes text NOT NULL DEFAULT '',
      description text NOT NULL DEFAULT '',
      time_zone text NOT NULL DEFAULT 'Europe/Oslo',
      approval_mode text NOT NULL DEFAULT 'auto' CHECK (approval_mode IN ('auto', 'manual')),
      min_duration_minutes integer NOT NULL DEFAULT 30 CHECK (min_duration_minutes > 0),
      max_duration_minutes integer NOT NULL DEFAULT 480,
      horizon_days integer NOT NULL DEFAULT 180 CHECK (horizon_days > 0),
      min_notice_minutes integer NOT NULL DEFAULT 60 CHECK (min_notice_minutes >= 0),
      buffer_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_minutes >= 0),
      weekly_quota_minutes integer CHECK (weekly_quota_minutes > 0),
      archived_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (max_duration_minutes >= min_duration_minutes),
      CHECK (parent_id IS NULL OR parent_id <> id)
    )`.execute(db);
  await sql`CREATE INDEX venues_parent_idx ON venues (parent_id)`.execute(db);
  await sql`CREATE INDEX venues_site_idx ON venues (site_id)`.execute(db);

  // Several intervals a day are allowed (for example 08–12 and 17–23).
  await sql`
    CREATE TABLE opening_hours (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      venue_id bigint NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
      weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
      opens time NOT NULL,
      closes time NOT NULL,
      CHECK (closes > opens OR closes = '24:00')
    )`.execute(db);
  await sql`CREATE INDEX opening_hours_venue_idx ON opening_hours (venue_id)`.execute(db);

  // Dates in the venue's zone, both ends inclusive.
  await sql`
    CREATE TABLE closures (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      venue_id bigint NOT NULL REFERENCES venues(id) ON DELETE CASCADE,
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      reason text NOT NULL,
      CHECK (ends_on >= starts_on)
    )`.execute(db);
  await sql`CREATE INDEX closures_venue_idx ON closures (venue_id, ends_on)`.execute(db);

  await sql`
    CREATE TABLE users (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email citext NOT NULL UNIQUE,
      name text NOT NULL,
      phone text NOT NULL DEFAULT '',
      locale text NOT NULL DEFAULT 'nb',
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE associations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL,
      org_number text NOT NULL UNIQUE CHECK (flokk_valid_org_number(org_number)),
      contact_email citext NOT NULL,
      verified boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE TABLE memberships (
      association_id bigint NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('leader', 'member')),
      PRIMARY KEY (association_id, user_id)
    )`.execute(db);
  await sql`CREATE INDEX memberships_user_idx ON memberships (user_id)`.execute(db);

  await sql`
    CREATE TABLE owner_admins (
      owner_id bigint NOT NULL REFERENCES owners(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (owner_id, user_id)
    )`.execute(db);

  await sql`
    CREATE TABLE site_caretakers (
      site_id bigint NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (site_id, user_id)
    )`.execute(db);

  await sql`
    CREATE TABLE series (
      id uuid PRIMARY KEY,
      venue_id bigint NOT NULL REFERENCES venues(id),
      association_id bigint NOT NULL REFERENCES associations(id),
      title text NOT NULL,
      weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
      interval_weeks smallint NOT NULL CHECK (interval_weeks BETWEEN 1 AND 52),
      start_time time NOT NULL,
      duration_minutes integer NOT NULL CHECK (duration_minutes > 0),
      starts_on date NOT NULL,
      until date NOT NULL,
      time_zone text NOT NULL,
      created_by bigint REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (until >= starts_on)
    )`.execute(db);

  await sql`
    CREATE TABLE bookings (
      id uuid PRIMARY KEY,
      venue_id bigint NOT NULL REFERENCES venues(id),
      association_id bigint NOT NULL REFERENCES associations(id),
      series_id uuid REFERENCES series(id),
      title text NOT NULL,
      purpose text NOT NULL DEFAULT '',
      is_public boolean NOT NULL DEFAULT false,
      expected_attendees integer NOT NULL CHECK (expected_attendees > 0),
      note_to_caretaker text NOT NULL DEFAULT '',
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected', 'cancelled')),
      created_by bigint REFERENCES users(id),
      decided_by bigint REFERENCES users(id),
      decided_at timestamptz,
      decision_reason text,
      cancelled_by bigint REFERENCES users(id),
      cancelled_at timestamptz,
      cancel_reason text,
      attendance integer CHECK (attendance >= 0),
      no_show boolean NOT NULL DEFAULT false,
      sequence integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at)
    )`.execute(db);
  await sql`CREATE INDEX bookings_venue_time_idx ON bookings (venue_id, starts_at)`.execute(db);
  await sql`CREATE INDEX bookings_association_time_idx ON bookings (association_id, starts_at)`.execute(db);
  await sql`CREATE INDEX bookings_series_idx ON bookings (series_id) WHERE series_id IS NOT NULL`.execute(db);

  // The arbiter against double-booking. Active bookings hold one claim per leaf
  // space they occupy (a whole hall claims each of its halves), over
  // [start, end + buffer). The exclusion constraint includes space_id with "="
  // so that it can be distributed by space later.
  await sql`
    CREATE TABLE booking_claims (
      booking_id uuid NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
      space_id bigint NOT NULL REFERENCES venues(id),
      during tstzrange NOT NULL,
      PRIMARY KEY (booking_id, space_id),
      CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)
             AND lower_inc(during) AND NOT upper_inc(during)),
      CONSTRAINT booking_claims_no_overlap EXCLUDE USING gist (space_id WITH =, during WITH &&)
    )`.execute(db);

  await sql`
    CREATE TABLE idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      booking_id uuid REFERENCES bookings(id),
      series_id uuid REFERENCES series(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    )`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor_id bigint REFERENCES users(id),
      entity text NOT NULL,
      entity_id uuid NOT NULL,
      action text NOT NULL,
      before jsonb,
      after jsonb
    )`.execute(db);
  await sql`CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at)`.execute(db);

  await sql`
    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL,
      recipient citext NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      available_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      sent_at timestamptz,
      last_error text
    )`.execute(db);
  await sql`CREATE INDEX outbox_pending_idx ON outbox (available_at) WHERE sent_at IS NULL`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("The first migration cannot be undone; restore from a backup instead.");
}
