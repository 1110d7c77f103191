// Frozen in time: this file must never import application code.
//
// The facts a booking request needs, as one PL/pgSQL function: PL/pgSQL keeps
// the plans of its statements per connection, so the hot path pays for
// planning this many-part query once instead of on every booking
// (docs/decisions/005-booking-hot-path.md). Only reads; the rules stay in
// TypeScript.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION flokk_booking_context(
      p_venue bigint, p_association bigint, p_actor bigint, p_from date, p_to date, p_scope text, p_key text
    ) RETURNS json LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RETURN (
        WITH RECURSIVE down AS (
          SELECT p_venue AS id
          UNION ALL SELECT v.id FROM venues v JOIN down d ON v.parent_id = d.id WHERE v.archived_at IS NULL
        ), up AS (
          SELECT id, parent_id FROM venues WHERE id = p_venue
          UNION ALL SELECT v.id, v.parent_id FROM venues v JOIN up u ON v.id = u.parent_id
        )
        SELECT json_build_object(
          'id', v.id, 'site_id', v.site_id, 'owner_id', s.owner_id, 'time_zone', v.time_zone,
          'capacity', v.capacity, 'approval_mode', v.approval_mode,
          'min_duration_minutes', v.min_duration_minutes, 'max_duration_minutes', v.max_duration_minutes,
          'horizon_days', v.horizon_days, 'min_notice_minutes', v.min_notice_minutes,
          'buffer_minutes', v.buffer_minutes, 'weekly_quota_minutes', v.weekly_quota_minutes,
          'archived', v.archived_at IS NOT NULL,
          'leaves', (SELECT array_agg(d.id ORDER BY d.id) FROM down d
            WHERE NOT EXISTS (SELECT 1 FROM venues c WHERE c.parent_id = d.id AND c.archived_at IS NULL)),
          'hours', (SELECT coalesce(json_agg(json_build_object('weekday', h.weekday, 'opens', h.opens, 'closes', h.closes)), '[]')
            FROM opening_hours h WHERE h.venue_id = v.id),
          'closures', (SELECT coalesce(json_agg(json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on, 'reason', c.reason)), '[]')
            FROM closures c WHERE c.venue_id IN (SELECT id FROM up) AND c.ends_on >= p_from AND c.starts_on <= p_to),
          'association', (SELECT json_build_object('id', a.id, 'verified', a.verified, 'role', m.role)
            FROM associations a LEFT JOIN memberships m ON m.association_id = a.id AND m.user_id = p_actor
            WHERE a.id = p_association),
          'replay', (SELECT json_build_object('booking_id', k.booking_id, 'series_id', k.series_id, 'request_hash', k.request_hash)
            FROM idempotency_keys k WHERE k.scope = p_scope AND k.key = p_key)
        )
        FROM venues v JOIN sites s ON s.id = v.site_id
        WHERE v.id = p_venue
      );
    END
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION flokk_booking_context(bigint, bigint, bigint, date, date, text, text)`.execute(db);
}
