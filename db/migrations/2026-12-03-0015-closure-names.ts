// Frozen in time: this file must never import application code.
//
// A booking refused for a closure of another venue (a whole refused because
// its half is being painted, a half because the whole is closed) named no
// venue: "the venue is closed on 8 December" on a page where the venue shows
// no closure (QA, 2026-12-03). flokk_booking_context now gives each closure of
// another venue that venue's name ('venue'; absent for the venue's own), and
// the refusal says "Halvdel A is closed on 8 December". Otherwise 0014's.
// A renamed part does not restamp the whole: a kept context may show the old
// name for the minute it is kept, and nothing is decided by the name.
import { type Kysely, sql } from "kysely";

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

// The closures part of the context: 0014's, and with names (this migration's).
const contextClosures = (named: boolean) => `        -- Closures of the venue, of every venue it is part of, and of its parts
        -- (at any depth, not archived): the whole is not free while a part is closed.${named ? "\n        -- Those of another venue carry its name." : ""}
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
            SELECT coalesce(json_agg(json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on, 'reason', c.reason${
              named ? ",\n                'venue', CASE WHEN c.venue_id <> p_venue THEN (SELECT o.name FROM venues o WHERE o.id = c.venue_id) END" : ""
            })
                ORDER BY c.starts_on, c.id), '[]')
              FROM closures c WHERE (c.venue_id IN (SELECT id FROM up) OR c.venue_id IN (SELECT id FROM down))
                AND c.ends_on >= p_from AND c.starts_on <= p_to)
          END,
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(contextFunction(contextClosures(true))).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(contextFunction(contextClosures(false))).execute(db);
}
