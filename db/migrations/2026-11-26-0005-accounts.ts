// Frozen in time: this file must never import application code. Later changes
// to the schema go into new migrations.
//
// Accounts: e-mail sign-in without passwords, sessions, rate limits, and
// invitations to associations. Secrets are never stored as they are: tokens
// and session ids as SHA-256, short codes as an HMAC keyed with the app's
// secret (see docs/decisions/009-accounts.md).
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per "send me a sign-in mail". The link's token and the mail's code
  // both lead here; the code only from the browser that asked (browser_hash is
  // the hash of a nonce in that browser's pending-sign-in cookie).
  await sql`
    CREATE TABLE sign_in_requests (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email citext NOT NULL,
      token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
      code_hash bytea NOT NULL CHECK (length(code_hash) = 32),
      browser_hash bytea NOT NULL UNIQUE CHECK (length(browser_hash) = 32),
      locale text NOT NULL,
      next_path text NOT NULL DEFAULT '/',
      code_attempts integer NOT NULL DEFAULT 0 CHECK (code_attempts >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      CHECK (expires_at > created_at)
    )`.execute(db);
  await sql`CREATE INDEX sign_in_requests_expires_idx ON sign_in_requests (expires_at)`.execute(db);

  // The cookie holds a random id; the table only its hash, so a copy of the
  // database does not let anyone act as the people in it.
  await sql`
    CREATE TABLE sessions (
      id_hash bytea PRIMARY KEY CHECK (length(id_hash) = 32),
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      CHECK (expires_at > created_at)
    )`.execute(db);
  await sql`CREATE INDEX sessions_user_idx ON sessions (user_id)`.execute(db);
  await sql`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`.execute(db);

  // Fixed-window counters, shared by every app server. A bucket names what is
  // counted ("signin:email:<hash>", "signin:ip:<address>", …).
  await sql`
    CREATE TABLE rate_limits (
      bucket text NOT NULL,
      window_start timestamptz NOT NULL,
      hits integer NOT NULL CHECK (hits > 0),
      PRIMARY KEY (bucket, window_start)
    )`.execute(db);
  await sql`CREATE INDEX rate_limits_window_idx ON rate_limits (window_start)`.execute(db);

  // A pending invitation; accepting it (by signing in with the address) turns
  // it into a membership and deletes it.
  await sql`
    CREATE TABLE invitations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      association_id bigint NOT NULL REFERENCES associations(id) ON DELETE CASCADE,
      email citext NOT NULL,
      invited_by bigint REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      UNIQUE (association_id, email),
      CHECK (expires_at > created_at)
    )`.execute(db);
  await sql`CREATE INDEX invitations_email_idx ON invitations (email)`.execute(db);

  // Every association keeps at least one leader. Checked at commit, so a
  // hand-over (one leader steps down, another steps up) may pass through a
  // moment without one. The row lock on the association serialises two
  // transactions that each remove a different leader: the second re-checks
  // after the first has committed and is refused.
  await sql`
    CREATE FUNCTION flokk_association_keeps_a_leader() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM associations WHERE id = OLD.association_id FOR NO KEY UPDATE;
      IF FOUND AND NOT EXISTS (
        SELECT 1 FROM memberships WHERE association_id = OLD.association_id AND role = 'leader'
      ) THEN
        RAISE EXCEPTION 'association % would have no leader', OLD.association_id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_keep_a_leader';
      END IF;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`
    CREATE CONSTRAINT TRIGGER memberships_keep_a_leader
    AFTER UPDATE OR DELETE ON memberships
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION flokk_association_keeps_a_leader()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER memberships_keep_a_leader ON memberships`.execute(db);
  await sql`DROP FUNCTION flokk_association_keeps_a_leader()`.execute(db);
  await sql`DROP TABLE invitations, rate_limits, sessions, sign_in_requests`.execute(db);
}
