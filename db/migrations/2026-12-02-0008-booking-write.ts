// Frozen in time: this file must never import application code.
//
// The booking hot path in PL/pgSQL (docs/decisions/005-booking-hot-path.md):
// - flokk_insert_booking: the write of a single booking request, i.e. the
//   idempotency key, the booking, the claims on its leaf spaces, its audit row
//   and the messages about it. Sent as a CTE statement it was planned again on
//   every call (~0.5 ms, the largest cost of the hot path); PL/pgSQL keeps the
//   plans of its statements per connection. It writes exactly what the
//   multi-row CTE in insertBookings writes for one row; series keep that CTE.
// - flokk_insert_bookings: many such writes in one call, each on its own.
// - flokk_booking_context, replaced: the same result, cheaper (see below).
import { type Kysely, sql } from "kysely";
import { up as createContext0002 } from "./2026-11-26-0002-booking-context";

export async function up(db: Kysely<unknown>): Promise<void> {
  // The spaces a booking of the venue claims, read under a lock: NULL when the
  // venue is gone or archived. Every write of claims checks the leaves it was
  // given against this first. An owner admin who adds, archives or restores a
  // part holds the whole's row (and the part's) FOR UPDATE while the claims of
  // the whole's bookings are brought up to date (app/admin/venue-claims.server.ts);
  // FOR KEY SHARE waits for that to commit, and the reading after it is a
  // statement of its own, so it sees the parts as they are now. Without it a
  // booking whose context was read just before such a change would claim the
  // old spaces, and the exclusion constraint would not see it overlap.
  // The spaces as they are in the statement's snapshot, without a lock: what
  // readers (availability) use; writers lock first (flokk_current_leaves).
  await sql`
    CREATE FUNCTION flokk_leaves(p_venue bigint) RETURNS bigint[] LANGUAGE plpgsql STABLE AS $$
    DECLARE
      leaves bigint[];
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM venues c WHERE c.parent_id = p_venue AND c.archived_at IS NULL) THEN
        RETURN ARRAY[p_venue];
      END IF;
      WITH RECURSIVE down AS (
        SELECT p_venue AS id
        UNION ALL SELECT c.id FROM venues c JOIN down d ON c.parent_id = d.id WHERE c.archived_at IS NULL
      )
      SELECT array_agg(d.id ORDER BY d.id) INTO leaves FROM down d
      WHERE NOT EXISTS (SELECT 1 FROM venues c WHERE c.parent_id = d.id AND c.archived_at IS NULL);
      RETURN leaves;
    END
    $$`.execute(db);
  await sql`
    CREATE FUNCTION flokk_current_leaves(p_venue bigint) RETURNS bigint[] LANGUAGE plpgsql AS $$
    DECLARE
      archived timestamptz;
    BEGIN
      SELECT archived_at INTO archived FROM venues WHERE id = p_venue FOR KEY SHARE;
      IF NOT FOUND OR archived IS NOT NULL THEN
        RETURN NULL;
      END IF;
      -- A statement of its own, after the lock: a fresh snapshot.
      RETURN flokk_leaves(p_venue);
    END
    $$`.execute(db);
  // Raises 40001 when the venue's spaces are not `p_leaves` any more; the
  // engine reads the context again and retries (app/booking/venue-lock.server.ts).
  await sql`
    CREATE FUNCTION flokk_check_leaves(p_venue bigint, p_leaves bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF flokk_current_leaves(p_venue) IS DISTINCT FROM p_leaves THEN
        RAISE EXCEPTION 'the spaces of venue % changed while it was being booked', p_venue
          USING ERRCODE = '40001', HINT = 'flokk:venue-changed';
      END IF;
    END
    $$`.execute(db);
  await sql`
    CREATE FUNCTION flokk_insert_booking(
      p_id uuid, p_venue bigint, p_association bigint, p_title text, p_purpose text, p_public boolean,
      p_attendees integer, p_note text, p_starts timestamptz, p_ends timestamptz, p_claim_end timestamptz,
      p_status text, p_actor bigint, p_leaves bigint[],
      p_scope text, p_key text, p_hash text,
      p_notify boolean, p_reminder_hours integer, p_now timestamptz
    ) RETURNS bookings LANGUAGE plpgsql AS $$
    DECLARE
      b bookings;
      event jsonb;
    BEGIN
      PERFORM flokk_check_leaves(p_venue, p_leaves);
      IF p_key IS NULL THEN
        INSERT INTO bookings (id, venue_id, association_id, title, purpose, is_public, expected_attendees,
          note_to_caretaker, starts_at, ends_at, status, created_by)
        VALUES (p_id, p_venue, p_association, p_title, p_purpose, p_public, p_attendees,
          p_note, p_starts, p_ends, p_status, p_actor)
        RETURNING * INTO b;
      ELSE
        -- The key first and in the same statement (its foreign key is checked
        -- at the end of the statement, when the booking exists): a concurrent
        -- request with the same key waits on it, then writes nothing.
        WITH k AS (
          INSERT INTO idempotency_keys (scope, key, request_hash, booking_id)
          VALUES (p_scope, p_key, p_hash, p_id)
          ON CONFLICT DO NOTHING
          RETURNING 1
        )
        INSERT INTO bookings (id, venue_id, association_id, title, purpose, is_public, expected_attendees,
          note_to_caretaker, starts_at, ends_at, status, created_by)
        SELECT p_id, p_venue, p_association, p_title, p_purpose, p_public, p_attendees,
          p_note, p_starts, p_ends, p_status, p_actor
        WHERE EXISTS (SELECT 1 FROM k)
        RETURNING * INTO b;
        IF NOT FOUND THEN
          RETURN NULL;
        END IF;
      END IF;

      IF b.status IN ('pending', 'confirmed') THEN
        INSERT INTO booking_claims (booking_id, space_id, during)
        SELECT b.id, s.space_id, tstzrange(b.starts_at, p_claim_end, '[)') FROM unnest(p_leaves) AS s(space_id);
      END IF;

      INSERT INTO audit_log (actor_id, entity, entity_id, action, after)
      VALUES (p_actor, 'booking', b.id, 'requested', to_jsonb(b));

      IF p_notify THEN
        -- What a message about the booking shows: the fields of BookingSnapshot (app/notifications/messages.ts).
        event := jsonb_build_object('booking', jsonb_build_object(
          'id', b.id, 'venue_id', b.venue_id, 'association_id', b.association_id, 'title', b.title,
          'purpose', b.purpose, 'expected_attendees', b.expected_attendees, 'note_to_caretaker', b.note_to_caretaker,
          'starts_at', b.starts_at, 'ends_at', b.ends_at, 'status', b.status, 'sequence', b.sequence,
          'decision_reason', b.decision_reason, 'cancel_reason', b.cancel_reason,
          'created_at', b.created_at, 'updated_at', b.updated_at));
        INSERT INTO outbox (kind, recipient, payload, available_at)
        SELECT CASE b.status WHEN 'confirmed' THEN 'booking-confirmed' ELSE 'booking-received' END, u.email, event, now()
        FROM users u WHERE u.id = b.created_by
        UNION ALL
        SELECT 'booking-reminder', u.email, jsonb_build_object('bookingId', b.id, 'startsAt', b.starts_at),
          b.starts_at - make_interval(hours => p_reminder_hours)
        FROM users u
        WHERE u.id = b.created_by AND b.status = 'confirmed'
          AND b.starts_at - make_interval(hours => p_reminder_hours) > p_now
        UNION ALL
        SELECT 'booking-request', cu.email, event, now()
        FROM venues v JOIN site_caretakers sc ON sc.site_id = v.site_id JOIN users cu ON cu.id = sc.user_id
        WHERE v.id = b.venue_id AND b.status = 'pending';
      END IF;
      RETURN b;
    END
    $$`.execute(db);
  // Many requests of one process in one call (app/booking/coalesce.server.ts):
  // one round trip, statement and commit for up to 32 bookings. Each runs in
  // its own subtransaction (the EXCEPTION block), so a conflict or any other
  // error undoes that booking only and comes back as its SQLSTATE; the others
  // are written. Input: a JSON array of objects with the arguments of
  // flokk_insert_booking by name.
  await sql`
    CREATE FUNCTION flokk_insert_bookings(p_requests jsonb)
    RETURNS TABLE (batch_ord integer, batch_sqlstate text, batch_message text, booking bookings)
    -- Also for the statements of flokk_insert_booking it calls: they are
    -- single-row inserts, whose generic plan is as good as a custom one, and
    -- a custom plan is planned anew on every call.
    LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      r record;
    BEGIN
      FOR r IN
        SELECT * FROM jsonb_to_recordset(p_requests) AS x(ord integer, id uuid, venue_id bigint, association_id bigint,
          title text, purpose text, is_public boolean, expected_attendees integer, note_to_caretaker text,
          starts_at timestamptz, ends_at timestamptz, claim_end timestamptz, status text, actor_id bigint,
          leaves bigint[], scope text, key text, request_hash text, notify boolean, reminder_hours integer, now timestamptz)
      LOOP
        batch_ord := r.ord;
        batch_sqlstate := NULL;
        batch_message := NULL;
        BEGIN
          booking := flokk_insert_booking(r.id, r.venue_id, r.association_id, r.title, r.purpose, r.is_public,
            r.expected_attendees, r.note_to_caretaker, r.starts_at, r.ends_at, r.claim_end, r.status, r.actor_id,
            r.leaves, r.scope, r.key, r.request_hash, r.notify, r.reminder_hours, r.now);
        EXCEPTION WHEN OTHERS THEN
          booking := NULL;
          batch_sqlstate := SQLSTATE;
          batch_message := SQLERRM;
        END;
        RETURN NEXT;
      END LOOP;
    END
    $$`.execute(db);
  await sql.raw(CONTEXT_FUNCTION).execute(db);
}

// The same result as the single query of 0002, in steps, so that the usual
// venue — no parts, no parent — costs a few index lookups instead of two
// recursive walks and their hash joins (0.3–0.5 ms per booking measured on
// small, seldom analysed tables, where the planner scans venues whole). The
// walks still run for halls and parts. Its one statement of 0002 was also
// planned on every call (custom plans); generic plans are as good here.
const CONTEXT_FUNCTION = `
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

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION flokk_check_leaves(bigint, bigint[])`.execute(db);
  await sql`DROP FUNCTION flokk_current_leaves(bigint)`.execute(db);
  await sql`DROP FUNCTION flokk_leaves(bigint)`.execute(db);
  await sql`DROP FUNCTION flokk_booking_context(bigint, bigint, bigint, date, date, text, text)`.execute(db);
  await createContext0002(db);
  await sql`DROP FUNCTION flokk_insert_bookings(jsonb)`.execute(db);
  await sql`
    DROP FUNCTION flokk_insert_booking(uuid, bigint, bigint, text, text, boolean, integer, text, timestamptz,
      timestamptz, timestamptz, text, bigint, bigint[], text, text, text, boolean, integer, timestamptz)`.execute(db);
}
