// Frozen in time: this file must never import application code.
//
// A closed part makes the whole it belongs to unavailable for those days (a
// hall whose half is being painted cannot be booked whole), as a closed whole
// already closed its parts (QA, 2026-12-03: a whole-hall booking was accepted
// on the day its half was closed, and the closure listed none of the whole's
// bookings as affected):
// - flokk_booking_context (0010's, with the stamp) gives a venue the closures
//   of its parts too, at any depth, archived parts left out;
// - the restamp triggers of 0010 also restamp every venue a changed closure's
//   venue is part of, so a kept context of the whole is read afresh.
// The admin's list of affected bookings reads the wholes too (app/admin).
import { type Kysely, sql } from "kysely";

type RuleEvent = "INSERT" | "UPDATE" | "DELETE";
const RULE_EVENTS: Record<RuleEvent, { referencing: string; venues: string }> = {
  INSERT: { referencing: "NEW TABLE AS new_rows", venues: "SELECT venue_id FROM new_rows" },
  UPDATE: { referencing: "OLD TABLE AS old_rows NEW TABLE AS new_rows", venues: "SELECT venue_id FROM old_rows UNION SELECT venue_id FROM new_rows" },
  DELETE: { referencing: "OLD TABLE AS old_rows", venues: "SELECT venue_id FROM old_rows" },
};

// The booking context of 0010 (with the venue's stamp) around its closures.
const contextFunction = (closures: string) => `
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
        'archived', v.archived_at IS NOT NULL,
        'stamp', v.rules_stamp,
        'leaves', leaves,
        'hours', (SELECT coalesce(json_agg(json_build_object('weekday', h.weekday, 'opens', h.opens, 'closes', h.closes)), '[]')
          FROM opening_hours h WHERE h.venue_id = p_venue),
${closures}        'association', (SELECT json_build_object('id', a.id, 'verified', a.verified, 'rejected', a.rejected_at IS NOT NULL, 'role', m.role)
          FROM associations a LEFT JOIN memberships m ON m.association_id = a.id AND m.user_id = p_actor
          WHERE a.id = p_association),
        'replay', (SELECT json_build_object('booking_id', k.booking_id, 'series_id', k.series_id, 'request_hash', k.request_hash)
          FROM idempotency_keys k WHERE k.scope = p_scope AND k.key = p_key)
      );
    END
    $$`;

const CONTEXT_CLOSURES_0014 = `        -- Closures of the venue, of every venue it is part of, and of its parts
        -- (at any depth, not archived): the whole is not free while a part is closed.
        'closures', CASE WHEN v.parent_id IS NULL AND leaves = ARRAY[p_venue] THEN
            (SELECT coalesce(json_agg(json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on, 'reason', c.reason)), '[]')
              FROM closures c WHERE c.venue_id = p_venue AND c.ends_on >= p_from AND c.starts_on <= p_to)
          ELSE
            (WITH RECURSIVE up AS (
              SELECT id, parent_id FROM venues WHERE id = p_venue
              UNION ALL SELECT u2.id, u2.parent_id FROM venues u2 JOIN up u ON u2.id = u.parent_id
            ), down AS (
              SELECT id FROM venues WHERE parent_id = p_venue AND archived_at IS NULL
              UNION ALL SELECT d2.id FROM venues d2 JOIN down d ON d2.parent_id = d.id WHERE d2.archived_at IS NULL
            )
            SELECT coalesce(json_agg(json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on, 'reason', c.reason)
                ORDER BY c.starts_on, c.id), '[]')
              FROM closures c WHERE (c.venue_id IN (SELECT id FROM up) OR c.venue_id IN (SELECT id FROM down))
                AND c.ends_on >= p_from AND c.starts_on <= p_to)
          END,
`;

// 0010's, for down.
const CONTEXT_CLOSURES_0010 = `        -- Closures of the venue and of every venue it is part of.
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
`;

const RESTAMP_CLOSURES_0014 = `      -- A closure also closes the venue's parts (and theirs), and makes every
      -- venue it is part of unavailable for those days.
      IF TG_TABLE_NAME = 'closures' THEN
        WITH RECURSIVE down AS (
          SELECT id FROM venues WHERE id = ANY(changed)
          UNION SELECT c.id FROM venues c JOIN down d ON c.parent_id = d.id
        ), up AS (
          SELECT id, parent_id FROM venues WHERE id = ANY(changed)
          UNION SELECT p.id, p.parent_id FROM venues p JOIN up u ON p.id = u.parent_id
        )
        SELECT array_agg(DISTINCT id) INTO changed FROM (SELECT id FROM down UNION SELECT id FROM up) v;
      END IF;`;

const RESTAMP_CLOSURES_0010 = `      -- A closure also closes the venue's parts (and theirs).
      IF TG_TABLE_NAME = 'closures' THEN
        WITH RECURSIVE down AS (
          SELECT id FROM venues WHERE id = ANY(changed)
          UNION SELECT c.id FROM venues c JOIN down d ON c.parent_id = d.id
        )
        SELECT array_agg(id) INTO changed FROM down;
      END IF;`;

const rulesChanged = (event: RuleEvent, closures: string) => `
    CREATE OR REPLACE FUNCTION flokk_venue_rules_changed_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed bigint[];
    BEGIN
      SELECT array_agg(DISTINCT venue_id) INTO changed FROM (${RULE_EVENTS[event].venues}) v;
      IF changed IS NULL THEN
        RETURN NULL;
      END IF;
${closures}
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
  await sql.raw(contextFunction(CONTEXT_CLOSURES_0014)).execute(db);
  for (const event of Object.keys(RULE_EVENTS) as RuleEvent[]) await sql.raw(rulesChanged(event, RESTAMP_CLOSURES_0014)).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(contextFunction(CONTEXT_CLOSURES_0010)).execute(db);
  for (const event of Object.keys(RULE_EVENTS) as RuleEvent[]) await sql.raw(rulesChanged(event, RESTAMP_CLOSURES_0010)).execute(db);
}
