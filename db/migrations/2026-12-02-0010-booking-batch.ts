// Frozen in time: this file must never import application code.
//
// A batch of booking requests written together (docs/decisions/005-booking-hot-path.md,
// "Set-based batch"). flokk_insert_bookings (0008) ran flokk_insert_booking
// once per request, each in a subtransaction of its own: about six statements,
// six executor start-ups and a subtransaction per booking. Now it first tries
// the whole batch as ONE statement that writes the same rows set-wise; only
// when that statement fails (a conflict, a deadlock, the spaces of a venue
// changed, any error of any request) is nothing of it kept, and the requests
// go one by one as before, so each still succeeds or fails on its own.
// Measured with pgbench on one connection, batches of 8: about twice the
// bookings per second of the loop.
//
// And a stamp on each venue's rules, so that a process may keep a venue's
// booking context between requests (app/booking/context-cache.server.ts) and
// the write can tell whether it is still what the rules were checked against:
// - venues.rules_stamp, a new number from a sequence whenever the venue's row,
//   its opening hours or the closures of it or of a venue it is part of change;
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
import { type Kysely, sql } from "kysely";

// The loop of 0008: the way back (unchecked), and the fall-back after a failed
// batch, where each request's context is checked in its own subtransaction.
const oneByOne = (checked: boolean) => `
      FOR r IN
        SELECT * FROM jsonb_to_recordset(p_requests) AS x(ord integer, id uuid, venue_id bigint, association_id bigint,
          title text, purpose text, is_public boolean, expected_attendees integer, note_to_caretaker text,
          starts_at timestamptz, ends_at timestamptz, claim_end timestamptz, status text, actor_id bigint,
          leaves bigint[], scope text, key text, request_hash text, notify boolean, reminder_hours integer, now timestamptz${
            checked ? ", stamp bigint, verified boolean" : ""
          })
      LOOP
        batch_ord := r.ord;
        batch_sqlstate := NULL;
        batch_message := NULL;
        BEGIN${
          checked
            ? `
          IF r.stamp IS NOT NULL THEN
            PERFORM flokk_check_context(r.venue_id, r.stamp, r.association_id, r.actor_id, r.verified);
          END IF;`
            : ""
        }
          booking := flokk_insert_booking(r.id, r.venue_id, r.association_id, r.title, r.purpose, r.is_public,
            r.expected_attendees, r.note_to_caretaker, r.starts_at, r.ends_at, r.claim_end, r.status, r.actor_id,
            r.leaves, r.scope, r.key, r.request_hash, r.notify, r.reminder_hours, r.now);
        EXCEPTION WHEN OTHERS THEN
          booking := NULL;
          batch_sqlstate := SQLSTATE;
          batch_message := SQLERRM;
        END;
        RETURN NEXT;
      END LOOP;`;

// The rows flokk_insert_booking writes for one request, for all of them in
// one statement: keys, bookings, claims, audit rows, messages. A request whose
// key already exists (or appears earlier in the batch) writes nothing and
// comes back as a row of NULLs, as from flokk_insert_booking.
const AT_ONCE = `
      BEGIN
        -- The spaces of each venue, checked under its lock (0008), in venue order.
        PERFORM flokk_check_leaves(v.venue_id, v.leaves)
        FROM (SELECT DISTINCT x.venue_id, x.leaves FROM jsonb_to_recordset(p_requests) AS x(venue_id bigint, leaves bigint[])
              ORDER BY x.venue_id) v;
        PERFORM flokk_check_context(c.venue_id, c.stamp, c.association_id, c.actor_id, c.verified)
        FROM (SELECT DISTINCT x.venue_id, x.stamp, x.association_id, x.actor_id, x.verified
              FROM jsonb_to_recordset(p_requests) AS x(venue_id bigint, stamp bigint, association_id bigint, actor_id bigint, verified boolean)
              WHERE x.stamp IS NOT NULL) c;
        WITH req AS MATERIALIZED (
          SELECT * FROM jsonb_to_recordset(p_requests) AS x(ord integer, id uuid, venue_id bigint, association_id bigint,
            title text, purpose text, is_public boolean, expected_attendees integer, note_to_caretaker text,
            starts_at timestamptz, ends_at timestamptz, claim_end timestamptz, status text, actor_id bigint,
            leaves bigint[], scope text, key text, request_hash text, notify boolean, reminder_hours integer, now timestamptz)
        ), k AS (
          -- Keys first, in request order: of two requests with one key the first wins.
          INSERT INTO idempotency_keys (scope, key, request_hash, booking_id)
          SELECT req.scope, req.key, req.request_hash, req.id FROM req WHERE req.key IS NOT NULL ORDER BY req.ord
          ON CONFLICT DO NOTHING
          RETURNING booking_id
        ), b AS (
          INSERT INTO bookings (id, venue_id, association_id, title, purpose, is_public, expected_attendees,
            note_to_caretaker, starts_at, ends_at, status, created_by)
          SELECT req.id, req.venue_id, req.association_id, req.title, req.purpose, req.is_public, req.expected_attendees,
            req.note_to_caretaker, req.starts_at, req.ends_at, req.status, req.actor_id
          FROM req WHERE req.key IS NULL OR req.id IN (SELECT k.booking_id FROM k)
          ORDER BY req.ord
          RETURNING *
        ), c AS (
          INSERT INTO booking_claims (booking_id, space_id, during)
          SELECT b.id, s.space_id, tstzrange(b.starts_at, req.claim_end, '[)')
          FROM b JOIN req ON req.id = b.id CROSS JOIN LATERAL unnest(req.leaves) AS s(space_id)
          WHERE b.status IN ('pending', 'confirmed')
          -- In time order, as insertBookings (series) does: concurrent batches wait, not deadlock.
          ORDER BY b.starts_at, s.space_id
        ), a AS (
          INSERT INTO audit_log (actor_id, entity, entity_id, action, after)
          SELECT req.actor_id, 'booking', b.id, 'requested', to_jsonb(b) FROM b JOIN req ON req.id = b.id
        ), e AS (
          -- What a message about the booking shows: the fields of BookingSnapshot (app/notifications/messages.ts).
          SELECT b.id, b.venue_id, b.created_by, b.status, b.starts_at, req.reminder_hours, req.now,
            jsonb_build_object('booking', jsonb_build_object(
              'id', b.id, 'venue_id', b.venue_id, 'association_id', b.association_id, 'title', b.title,
              'purpose', b.purpose, 'expected_attendees', b.expected_attendees, 'note_to_caretaker', b.note_to_caretaker,
              'starts_at', b.starts_at, 'ends_at', b.ends_at, 'status', b.status, 'sequence', b.sequence,
              'decision_reason', b.decision_reason, 'cancel_reason', b.cancel_reason,
              'created_at', b.created_at, 'updated_at', b.updated_at)) AS event
          FROM b JOIN req ON req.id = b.id
          WHERE req.notify
        ), o AS (
          INSERT INTO outbox (kind, recipient, payload, available_at)
          SELECT CASE e.status WHEN 'confirmed' THEN 'booking-confirmed' ELSE 'booking-received' END, u.email, e.event, now()
          FROM e JOIN users u ON u.id = e.created_by
          UNION ALL
          SELECT 'booking-reminder', u.email, jsonb_build_object('bookingId', e.id, 'startsAt', e.starts_at),
            e.starts_at - make_interval(hours => e.reminder_hours)
          FROM e JOIN users u ON u.id = e.created_by
          WHERE e.status = 'confirmed' AND e.starts_at - make_interval(hours => e.reminder_hours) > e.now
          UNION ALL
          SELECT 'booking-request', cu.email, e.event, now()
          FROM e JOIN venues v ON v.id = e.venue_id JOIN site_caretakers sc ON sc.site_id = v.site_id JOIN users cu ON cu.id = sc.user_id
          WHERE e.status = 'pending'
        )
        SELECT array_agg(req.ord ORDER BY req.ord), array_agg(CASE WHEN b.id IS NULL THEN NULL ELSE ROW(b.*)::bookings END ORDER BY req.ord)
        INTO ords, written
        FROM req LEFT JOIN b ON b.id = req.id;
      EXCEPTION WHEN OTHERS THEN
        -- Undone whole; the loop below finds which request failed and why.
        ords := NULL;
      END;
      IF ords IS NOT NULL THEN
        FOR i IN 1 .. array_length(ords, 1) LOOP
          batch_ord := ords[i];
          batch_sqlstate := NULL;
          batch_message := NULL;
          booking := written[i];
          RETURN NEXT;
        END LOOP;
        RETURN;
      END IF;`;

const batchFunction = (body: string) => `
    CREATE OR REPLACE FUNCTION flokk_insert_bookings(p_requests jsonb)
    RETURNS TABLE (batch_ord integer, batch_sqlstate text, batch_message text, booking bookings)
    -- Also for the statements of flokk_insert_booking it calls: they are
    -- single-row inserts, whose generic plan is as good as a custom one, and
    -- a custom plan is planned anew on every call.
    LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      r record;
      ords integer[];
      written bookings[];
    BEGIN${body}
    END
    $$`;

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
  // Opening hours belong to one venue; a closure also closes the venue's parts.
  await sql`
    CREATE FUNCTION flokk_venue_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed bigint[];
    BEGIN
      changed := CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.venue_id] WHEN 'DELETE' THEN ARRAY[OLD.venue_id]
        ELSE ARRAY[OLD.venue_id, NEW.venue_id] END;
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
    $$`.execute(db);
  for (const table of ["opening_hours", "closures"]) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_restamp_venue`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION flokk_venue_rules_changed()`.execute(db);
  }
  await sql`
    CREATE FUNCTION flokk_check_context(p_venue bigint, p_stamp bigint, p_association bigint, p_actor bigint, p_verified boolean)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      -- The venue's lock first, as flokk_check_leaves takes it (a no-op when
      -- held): a change of the venue's rules being made now holds its row
      -- FOR UPDATE (venues_restamp, flokk_venue_rules_changed), so this waits
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
  await sql.raw(batchFunction(AT_ONCE + oneByOne(true))).execute(db);
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
  await sql.raw(batchFunction(oneByOne(false))).execute(db);
  await sql.raw(contextFunction(false)).execute(db);
  await sql`DROP FUNCTION flokk_check_context(bigint, bigint, bigint, bigint, boolean)`.execute(db);
  await sql`DROP TRIGGER opening_hours_restamp_venue ON opening_hours`.execute(db);
  await sql`DROP TRIGGER closures_restamp_venue ON closures`.execute(db);
  await sql`DROP FUNCTION flokk_venue_rules_changed()`.execute(db);
  await sql`DROP TRIGGER venues_restamp ON venues`.execute(db);
  await sql`DROP FUNCTION flokk_venue_restamp()`.execute(db);
  await sql`ALTER TABLE venues DROP COLUMN rules_stamp`.execute(db);
  await sql`DROP SEQUENCE flokk_venue_rules_stamp`.execute(db);
}
