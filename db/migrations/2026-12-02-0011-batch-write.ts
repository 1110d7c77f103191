// Frozen in time: this file must never import application code.
//
// A batch of booking requests written together
// (docs/decisions/005-booking-hot-path.md, "Set-based batch" and "One parse,
// one check per batch"). flokk_insert_bookings (0008) ran flokk_insert_booking
// once per request, each in a subtransaction of its own: about six statements,
// six executor start-ups and a subtransaction per booking.
// flokk_write_bookings first tries the whole batch at once:
// - the json argument is scanned once into an array of flokk_booking_request,
//   which every statement then reads;
// - flokk_check_batch checks what the requests were decided on, for all of
//   them in four statements:
//   1. the batch's venues locked FOR KEY SHARE, in id order (as the restamp
//      triggers of 0010 take them FOR UPDATE), then
//   2. the space locks of 0010, in space order over the whole batch;
//   3. in a statement of its own after the locks, so with a fresh snapshot:
//      each venue still there, not archived, with the stamp and the spaces
//      the request was checked against;
//   4. the actors' memberships and their associations, FOR SHARE, unchanged;
// - one statement writes the keys, bookings, claims, audit rows and messages
//   set-wise.
// Only when any of that fails (a conflict, a deadlock, a changed venue or
// context, any request's error) is nothing of it kept, and the requests go one
// by one as in 0008, each checked with flokk_check_context, so each still
// succeeds or fails on its own. Every writer of a batch, the one-by-one loop
// included, takes all its venues' locks before any space lock: a loop taking
// them request by request could hold a space while it waited for a venue that
// an admin held FOR UPDATE, while the admin waited for a part another batch
// held as it waited for that space (a deadlock of three, found in review).
// For each request it returns its error, or the time the booking was written
// at; the rest of the new row is what the engine sent and the table's defaults.
//
// 0008's flokk_insert_bookings(jsonb) stays for an instance of the app still
// running the earlier code while this one starts; nothing here calls it.
import { type Kysely, sql } from "kysely";

/** The first key of the space locks (0010's SPACE_LOCKS): "Flk" in ASCII. */
const SPACE_LOCKS = 0x466c6b;

// What the engine sends for each booking (app/booking/booking-write.server.ts):
// the row, its spaces, its idempotency key, whether to write its messages, and
// the context it was checked against (stamp, verified) when that may be a kept one.
const REQUEST_TYPE = `
    CREATE TYPE flokk_booking_request AS (
      ord integer, id uuid, venue_id bigint, association_id bigint, title text, purpose text, is_public boolean,
      expected_attendees integer, note_to_caretaker text, starts_at timestamptz, ends_at timestamptz,
      claim_end timestamptz, status text, actor_id bigint, leaves bigint[], scope text, key text,
      request_hash text, notify boolean, reminder_hours integer, now timestamptz, stamp bigint, verified boolean
    )`;

// The locks of a batch: all its venues (ORDER BY is applied before the
// locking clause, so in id order), then all its spaces (the order in a
// subquery: a function beside ORDER BY may run before the sort).
const lockBatch = (requests: string) => `
      PERFORM 1 FROM venues v WHERE v.id IN (SELECT q.venue_id FROM unnest(${requests}) q) ORDER BY v.id FOR KEY SHARE;
      PERFORM pg_advisory_xact_lock(${SPACE_LOCKS}, (l.s % 2147483647)::int)
      FROM (SELECT DISTINCT s FROM unnest(${requests}) q CROSS JOIN LATERAL unnest(q.leaves) AS s ORDER BY s) l;`;

const CHECK_BATCH = `
    CREATE FUNCTION flokk_check_batch(p_requests flokk_booking_request[]) RETURNS void
    LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      differing integer;
    BEGIN${lockBatch("p_requests")}
      SELECT count(*) INTO differing
      FROM (SELECT DISTINCT r.venue_id, r.leaves, r.stamp FROM unnest(p_requests) r) r
      LEFT JOIN venues v ON v.id = r.venue_id
      WHERE v.id IS NULL OR v.archived_at IS NOT NULL OR r.stamp <> v.rules_stamp
        -- flokk_leaves's own first test, here: most venues have no parts, and a call each costs more than the test.
        OR CASE WHEN EXISTS (SELECT 1 FROM venues c WHERE c.parent_id = r.venue_id AND c.archived_at IS NULL)
             THEN flokk_leaves(r.venue_id) ELSE ARRAY[r.venue_id] END IS DISTINCT FROM r.leaves;
      IF differing > 0 THEN
        RAISE EXCEPTION 'a venue of the batch changed while it was being booked'
          USING ERRCODE = '40001', HINT = 'flokk:venue-changed';
      END IF;
      -- Each (association, actor, verified) the requests were checked with, when
      -- they carry a stamp; FOR SHARE waits for a change of either row being
      -- made now and then reads the row as that change left it.
      WITH asked AS MATERIALIZED (
        SELECT DISTINCT r.association_id, r.actor_id, r.verified FROM unnest(p_requests) r WHERE r.stamp IS NOT NULL
      ), held AS (
        SELECT a.id FROM associations a
        JOIN memberships m ON m.association_id = a.id
        JOIN asked q ON q.association_id = a.id AND q.actor_id = m.user_id AND q.verified = a.verified
        WHERE a.rejected_at IS NULL
        ORDER BY a.id, m.user_id
        FOR SHARE OF a, m
      )
      SELECT (SELECT count(*) FROM asked) - (SELECT count(*) FROM held) INTO differing;
      IF differing <> 0 THEN
        RAISE EXCEPTION 'the booking context of a request of the batch changed while it was being booked'
          USING ERRCODE = '40001', HINT = 'flokk:context-changed';
      END IF;
    END
    $$`;

// The at-once write, and the loop that writes one by one when it fails.
const WRITE_BOOKINGS = `
    CREATE FUNCTION flokk_write_bookings(p_requests json)
    RETURNS TABLE (batch_ord integer, batch_sqlstate text, batch_message text, written_at timestamptz)
    -- Also for the statements of flokk_insert_booking it calls: they are
    -- single-row inserts, whose generic plan is as good as a custom one, and
    -- a custom plan is planned anew on every call.
    LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      reqs flokk_booking_request[] := ARRAY(SELECT x FROM json_populate_recordset(NULL::flokk_booking_request, p_requests) x);
      r flokk_booking_request;
      ords integer[];
      written timestamptz[];
      booking bookings;
    BEGIN
      BEGIN
        PERFORM flokk_check_batch(reqs);
        WITH req AS MATERIALIZED (
          SELECT * FROM unnest(reqs)
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
        SELECT array_agg(req.ord ORDER BY req.ord), array_agg(b.created_at ORDER BY req.ord)
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
          written_at := written[i];
          RETURN NEXT;
        END LOOP;
        RETURN;
      END IF;
      -- Undone with the subtransaction, so taken again: all venues before any space.${lockBatch("reqs")}
      FOREACH r IN ARRAY reqs LOOP
        batch_ord := r.ord;
        batch_sqlstate := NULL;
        batch_message := NULL;
        BEGIN
          IF r.stamp IS NOT NULL THEN
            PERFORM flokk_check_context(r.venue_id, r.stamp, r.association_id, r.actor_id, r.verified);
          END IF;
          booking := flokk_insert_booking(r.id, r.venue_id, r.association_id, r.title, r.purpose, r.is_public,
            r.expected_attendees, r.note_to_caretaker, r.starts_at, r.ends_at, r.claim_end, r.status, r.actor_id,
            r.leaves, r.scope, r.key, r.request_hash, r.notify, r.reminder_hours, r.now);
        EXCEPTION WHEN OTHERS THEN
          booking := NULL;
          batch_sqlstate := SQLSTATE;
          batch_message := SQLERRM;
        END;
        written_at := booking.created_at;
        RETURN NEXT;
      END LOOP;
    END
    $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(REQUEST_TYPE).execute(db);
  await sql.raw(CHECK_BATCH).execute(db);
  await sql.raw(WRITE_BOOKINGS).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION flokk_write_bookings(json)`.execute(db);
  await sql`DROP FUNCTION flokk_check_batch(flokk_booking_request[])`.execute(db);
  await sql`DROP TYPE flokk_booking_request`.execute(db);
}
