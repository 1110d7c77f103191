// Frozen in time: this file must never import application code.
//
// A stamp on each venue's rules, so that a process may keep a venue's
// booking context between requests (app/booking/context-cache.server.ts) and
// the write can tell whether it is still what the rules were checked against
// (docs/decisions/005-booking-hot-path.md, "Set-based batch, contexts kept"):
// - venues.rules_stamp, a new number from a sequence whenever the venue's row,
//   its opening hours or the closures of it or of a venue it is part of change;
//   for hours and closures once per statement, whatever number of rows it
//   changes (an admin replacing a week of hours restamps the venue twice, not
//   twenty-one times);
// - flokk_booking_context returns it ('stamp');
// - flokk_check_context raises 40001 when the stamp is no longer the venue's,
//   or the actor is no longer a member of the association, or the association
//   was verified or turned down since; the engine reads the context afresh and
//   tries again, as after a change of the venue's spaces (0008);
// - flokk_check_leaves, replaced: after the venue's row lock, the writer also
//   takes a transaction lock on each of the venue's spaces, in space order, so
//   writers of claims on one space go one after the other. Two transactions
//   inserting overlapping claims at once otherwise each find the other's row
//   in the exclusion index and wait for each other: a deadlock, which
//   PostgreSQL breaks only after deadlock_timeout (a second) per pair. With
//   the lock, the second writer waits for the first to commit and then gets
//   its conflict (23P01) at once.
// - flokk_venue_claims: what availability reads of the claims, with the stamp,
//   so that a kept context is checked in the same round trip; as a function
//   its plan is made once per connection (planning was ~0.5 ms of ~1.2).
// The batch write that checks kept contexts is 0011.
import { type Kysely, sql } from "kysely";

// 0008's context function, with the venue's stamp when withStamp.
const contextFunction = (withStamp: boolean) => `
    CREATE OR REPLACE FUNCTION flokk_booking_context(
      p_venue bigint, p_association bigint, p_actor bigint, p_from date, p_to date, p_scope text, p_key text
    ) RETURNS json LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      v record;
      leaves bigint[];
    BEGIN
      SELECT vv.*, s.owner_id INTO v FROM venues vv JOIN sites s ON s.id = vv.site_id WHERE vv.id = p_venue;
      IF NOT FOUND THEN
        RETURN NULL;
      END IF;
      leaves := flokk_leaves(p_venue);
      RETURN json_build_object(
        'id', v.id, 'site_id', v.site_id, 'owner_id', v.owner_id, 'time_zone', v.time_zone,
        'capacity', v.capacity, 'approval_mode', v.approval_mode,
        'min_duration_minutes', v.min_duration_minutes, 'max_duration_minutes', v.max_duration_minutes,
        'horizon_days', v.horizon_days, 'min_notice_minutes', v.min_notice_minutes,
        'buffer_minutes', v.buffer_minutes, 'weekly_quota_minutes', v.weekly_quota_minutes,
        'archived', v.archived_at IS NOT NULL,${withStamp ? "\n        'stamp', v.rules_stamp," : ""}
        'leaves', leaves,
        'hours', (SELECT coalesce(json_agg(json_build_object('weekday', h.weekday, 'opens', h.opens, 'closes', h.closes)), '[]')
          FROM opening_hours h WHERE h.venue_id = p_venue),
        -- Closures of the venue and of every venue it is part of.
        'closures', CASE WHEN v.parent_id IS NULL THEN
            (SELECT coalesce(json_agg(json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on, 'reason', c.reason)), '[]')
              FROM closures c WHERE c.venue_id = p_venue AND c.ends_on >= p_from AND c.starts_on <= p_to)
          ELSE
            (WITH RECURSIVE up AS (
              SELECT id, parent_id FROM venues WHERE id = p_venue
              UNION ALL SELECT u2.id, u2.parent_id FROM venues u2 JOIN up u ON u2.id = u.parent_id
            )
            SELECT coalesce(json_agg(json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on, 'reason', c.reason)), '[]')
              FROM closures c WHERE c.venue_id IN (SELECT id FROM up) AND c.ends_on >= p_from AND c.starts_on <= p_to)
          END,
        'association', (SELECT json_build_object('id', a.id, 'verified', a.verified, 'rejected', a.rejected_at IS NOT NULL, 'role', m.role)
          FROM associations a LEFT JOIN memberships m ON m.association_id = a.id AND m.user_id = p_actor
          WHERE a.id = p_association),
        'replay', (SELECT json_build_object('booking_id', k.booking_id, 'series_id', k.series_id, 'request_hash', k.request_hash)
          FROM idempotency_keys k WHERE k.scope = p_scope AND k.key = p_key)
      );
    END
    $$`;

// 0008's flokk_check_leaves, with the space locks when `locked`.
const checkLeavesFunction = (locked: boolean) => `
    CREATE OR REPLACE FUNCTION flokk_check_leaves(p_venue bigint, p_leaves bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF flokk_current_leaves(p_venue) IS DISTINCT FROM p_leaves THEN
        RAISE EXCEPTION 'the spaces of venue % changed while it was being booked', p_venue
          USING ERRCODE = '40001', HINT = 'flokk:venue-changed';
      END IF;${
        locked
          ? `
      -- After the venue's row lock, never before: an owner admin changing the
      -- venue's parts holds the row and then writes claims on its spaces.
      -- Keyed (namespace, space id); ids past 2^31 would only share a key.
      -- The order in a subquery: a function beside ORDER BY may run before the sort.
      PERFORM pg_advisory_xact_lock(${SPACE_LOCKS}, (l.s % 2147483647)::int)
      FROM (SELECT s FROM unnest(p_leaves) AS s ORDER BY s) AS l;`
          : ""
      }
    END
    $$`;

/** The first key of the space locks: "Flk" in ASCII, apart from the one-key locks of quotas. */
const SPACE_LOCKS = 0x466c6b;

// Hours and closures restamp their venues once per statement: one trigger per
// table and event reads the statement's rows from its transition tables
// (which PostgreSQL allows only on a trigger for a single event).
const RULE_TABLES = ["opening_hours", "closures"] as const;
type RuleEvent = "INSERT" | "UPDATE" | "DELETE";
const RULE_EVENTS: Record<RuleEvent, { referencing: string; venues: string }> = {
  INSERT: { referencing: "NEW TABLE AS new_rows", venues: "SELECT venue_id FROM new_rows" },
  UPDATE: { referencing: "OLD TABLE AS old_rows NEW TABLE AS new_rows", venues: "SELECT venue_id FROM old_rows UNION SELECT venue_id FROM new_rows" },
  DELETE: { referencing: "OLD TABLE AS old_rows", venues: "SELECT venue_id FROM old_rows" },
};

const rulesChangedFunction = (event: RuleEvent) => `
    CREATE FUNCTION flokk_venue_rules_changed_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed bigint[];
    BEGIN
      SELECT array_agg(DISTINCT venue_id) INTO changed FROM (${RULE_EVENTS[event].venues}) v;
      IF changed IS NULL THEN
        RETURN NULL;
      END IF;
      -- A closure also closes the venue's parts (and theirs).
      IF TG_TABLE_NAME = 'closures' THEN
        WITH RECURSIVE down AS (
          SELECT id FROM venues WHERE id = ANY(changed)
          UNION SELECT c.id FROM venues c JOIN down d ON c.parent_id = d.id
        )
        SELECT array_agg(id) INTO changed FROM down;
      END IF;
      -- FOR UPDATE, which a booking's FOR KEY SHARE on the venue (flokk_check_leaves)
      -- waits for and which waits for it: a booking being written now commits
      -- first (and an admin's list of affected bookings, read after this, shows
      -- it), or is checked after this change commits. A plain UPDATE would not wait.
      PERFORM 1 FROM venues WHERE id = ANY(changed) ORDER BY id FOR UPDATE;
      UPDATE venues SET rules_stamp = 0 WHERE id = ANY(changed);  -- venues_restamp gives the new stamp
      RETURN NULL;
    END
    $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(checkLeavesFunction(true)).execute(db);
  await sql`CREATE SEQUENCE flokk_venue_rules_stamp`.execute(db);
  await sql`ALTER TABLE venues ADD COLUMN rules_stamp bigint NOT NULL DEFAULT nextval('flokk_venue_rules_stamp')`.execute(db);
  // Any change of the row: its rules, archiving, even its name. A new stamp
  // costs a cached context and nothing else, and a list of rule columns here
  // would be one more thing to keep in step with the table.
  await sql`
    CREATE FUNCTION flokk_venue_restamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.rules_stamp := nextval('flokk_venue_rules_stamp');
      RETURN NEW;
    END
    $$`.execute(db);
  await sql`CREATE TRIGGER venues_restamp BEFORE UPDATE ON venues FOR EACH ROW EXECUTE FUNCTION flokk_venue_restamp()`.execute(db);
  for (const event of Object.keys(RULE_EVENTS) as RuleEvent[]) {
    await sql.raw(rulesChangedFunction(event)).execute(db);
    for (const table of RULE_TABLES) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_restamp_venue_${event.toLowerCase()} AFTER ${event} ON ${table}
           REFERENCING ${RULE_EVENTS[event].referencing} FOR EACH STATEMENT EXECUTE FUNCTION flokk_venue_rules_changed_${event.toLowerCase()}()`,
        )
        .execute(db);
    }
  }
  await sql`
    CREATE FUNCTION flokk_check_context(p_venue bigint, p_stamp bigint, p_association bigint, p_actor bigint, p_verified boolean)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      -- The venue's lock first, as flokk_check_leaves takes it (a no-op when
      -- held): a change of the venue's rules being made now holds its row
      -- FOR UPDATE (venues_restamp, flokk_venue_rules_changed_*), so this waits
      -- for it, and the stamp, read in a statement of its own, is the one it left.
      PERFORM 1 FROM venues WHERE id = p_venue FOR KEY SHARE;
      PERFORM 1 FROM venues WHERE id = p_venue AND rules_stamp = p_stamp;
      IF FOUND THEN
        -- FOR SHARE waits for a change of the association or the membership
        -- being made now (verifying, turning down, removing the member) and
        -- then reads the rows as that change left them.
        PERFORM 1 FROM associations a JOIN memberships m ON m.association_id = a.id AND m.user_id = p_actor
        WHERE a.id = p_association AND a.verified = p_verified AND a.rejected_at IS NULL
        FOR SHARE OF a, m;
      END IF;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'the booking context of venue % changed while it was being booked', p_venue
          USING ERRCODE = '40001', HINT = 'flokk:context-changed';
      END IF;
    END
    $$`.execute(db);
  await sql.raw(contextFunction(true)).execute(db);
  // The claims on the venue's spaces overlapping [p_from, p_to), in time order,
  // each with the venue's stamp; no claim gives one row with only the stamp
  // (NULL too when there is no such venue).
  await sql`
    CREATE FUNCTION flokk_venue_claims(p_venue bigint, p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (stamp bigint, starts_at timestamptz, ends_at timestamptz, title text, closed boolean)
    LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      spaces bigint[] := flokk_leaves(p_venue);
    BEGIN
      SELECT v.rules_stamp INTO stamp FROM venues v WHERE v.id = p_venue;
      RETURN QUERY
        SELECT stamp, lower(c.during), upper(c.during),
          CASE WHEN b.is_public AND b.kind = 'booking' THEN b.title END, b.kind = 'block'
        FROM booking_claims c JOIN bookings b ON b.id = c.booking_id
        WHERE c.space_id = ANY(spaces) AND c.during && tstzrange(p_from, p_to, '[)')
        ORDER BY lower(c.during);
      IF NOT FOUND THEN
        RETURN NEXT;
      END IF;
    END
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(checkLeavesFunction(false)).execute(db);
  await sql`DROP FUNCTION flokk_venue_claims(bigint, timestamptz, timestamptz)`.execute(db);
  await sql.raw(contextFunction(false)).execute(db);
  await sql`DROP FUNCTION flokk_check_context(bigint, bigint, bigint, bigint, boolean)`.execute(db);
  for (const event of Object.keys(RULE_EVENTS) as RuleEvent[]) {
    for (const table of RULE_TABLES) await sql.raw(`DROP TRIGGER ${table}_restamp_venue_${event.toLowerCase()} ON ${table}`).execute(db);
    await sql.raw(`DROP FUNCTION flokk_venue_rules_changed_${event.toLowerCase()}()`).execute(db);
  }
  await sql`DROP TRIGGER venues_restamp ON venues`.execute(db);
  await sql`DROP FUNCTION flokk_venue_restamp()`.execute(db);
  await sql`ALTER TABLE venues DROP COLUMN rules_stamp`.execute(db);
  await sql`DROP SEQUENCE flokk_venue_rules_stamp`.execute(db);
}
