// Frozen in time: this file must never import application code.
//
// flokk_check_batch (0011) with plans that do not grow with the tables.
// Its statements keep generic plans (plan_cache_mode), planned once per
// connection with the batch's size unknown, and 0011 wrote them as joins of
// the request array with venues, associations and memberships. For those the
// planner may choose, and did choose with about 3,400 venues, to hash the
// whole table: a sequential scan of venues for the stamps and another for
// "has it parts", about 1.2 ms a batch at that size, against 0.07 ms with an
// index lookup per request, and more as a municipality adds venues. Which plan
// it chose depended on the statistics of the moment.
//
// Here each request's rows are read in a LATERAL subquery with LIMIT 1 or a
// locking clause, which the planner cannot turn into a join: one lookup per
// distinct venue, association and member, by index once a table is large
// enough for that to matter (a table of a few rows it may still read whole).
// What is checked and locked, and in which order, is as in 0011: venues FOR
// KEY SHARE in id order, then the space locks in space order, then the stamps
// and spaces afresh, then association and membership FOR SHARE in (association,
// member) order.
import { type Kysely, sql } from "kysely";

/** The first key of the space locks (0010's SPACE_LOCKS): "Flk" in ASCII. */
const SPACE_LOCKS = 0x466c6b;

const SPACE_LOCK_STATEMENT = `
      PERFORM pg_advisory_xact_lock(${SPACE_LOCKS}, (l.s % 2147483647)::int)
      FROM (SELECT DISTINCT s FROM unnest(p_requests) q CROSS JOIN LATERAL unnest(q.leaves) AS s ORDER BY s) l;`;

const VENUE_CHANGED = `
      IF differing > 0 THEN
        RAISE EXCEPTION 'a venue of the batch changed while it was being booked'
          USING ERRCODE = '40001', HINT = 'flokk:venue-changed';
      END IF;`;

const CONTEXT_CHANGED = `
      IF differing <> 0 THEN
        RAISE EXCEPTION 'the booking context of a request of the batch changed while it was being booked'
          USING ERRCODE = '40001', HINT = 'flokk:context-changed';
      END IF;`;

/** The function around its statements; 0011's header, so down restores 0011's text exactly. */
const checkBatch = (statements: string) => `
    CREATE OR REPLACE FUNCTION flokk_check_batch(p_requests flokk_booking_request[]) RETURNS void
    LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      differing integer;
    BEGIN${statements}
    END
    $$`;

const CHECK_BATCH = checkBatch(`
      -- A nested loop over the sorted ids (the lateral side depends on them),
      -- so the venues are locked in id order, as the restamp triggers take them.
      PERFORM 1 FROM (SELECT DISTINCT q.venue_id FROM unnest(p_requests) q ORDER BY q.venue_id) q
      CROSS JOIN LATERAL (SELECT 1 FROM venues v WHERE v.id = q.venue_id FOR KEY SHARE OF v) locked;${SPACE_LOCK_STATEMENT}
      -- After the locks, in a statement of its own, so with a fresh snapshot.
      SELECT count(*) INTO differing
      FROM (SELECT DISTINCT r.venue_id, r.leaves, r.stamp FROM unnest(p_requests) r) r
      LEFT JOIN LATERAL (SELECT v.archived_at, v.rules_stamp FROM venues v WHERE v.id = r.venue_id LIMIT 1) v ON true
      -- flokk_leaves's own first test, here: most venues have no parts, and a call each costs more than the test.
      LEFT JOIN LATERAL (SELECT true AS parted FROM venues c WHERE c.parent_id = r.venue_id AND c.archived_at IS NULL LIMIT 1) p ON true
      WHERE v.rules_stamp IS NULL OR v.archived_at IS NOT NULL OR r.stamp <> v.rules_stamp
        OR CASE WHEN p.parted THEN flokk_leaves(r.venue_id) ELSE ARRAY[r.venue_id] END IS DISTINCT FROM r.leaves;${VENUE_CHANGED}
      -- Each (association, actor, verified) the requests were checked with, when
      -- they carry a stamp; FOR SHARE waits for a change of either row being
      -- made now and then reads the row as that change left it.
      SELECT count(*) FILTER (WHERE held.association_id IS NULL) INTO differing
      FROM (
        SELECT DISTINCT r.association_id, r.actor_id, r.verified FROM unnest(p_requests) r WHERE r.stamp IS NOT NULL
        ORDER BY r.association_id, r.actor_id
      ) q
      LEFT JOIN LATERAL (
        SELECT a.id AS association_id FROM associations a
        JOIN memberships m ON m.association_id = a.id AND m.user_id = q.actor_id
        WHERE a.id = q.association_id AND a.verified = q.verified AND a.rejected_at IS NULL
        FOR SHARE OF a, m
      ) held ON true;${CONTEXT_CHANGED}`);

// 0011's text, for down.
const CHECK_BATCH_0011 = checkBatch(`
      PERFORM 1 FROM venues v WHERE v.id IN (SELECT q.venue_id FROM unnest(p_requests) q) ORDER BY v.id FOR KEY SHARE;${SPACE_LOCK_STATEMENT}
      SELECT count(*) INTO differing
      FROM (SELECT DISTINCT r.venue_id, r.leaves, r.stamp FROM unnest(p_requests) r) r
      LEFT JOIN venues v ON v.id = r.venue_id
      WHERE v.id IS NULL OR v.archived_at IS NOT NULL OR r.stamp <> v.rules_stamp
        -- flokk_leaves's own first test, here: most venues have no parts, and a call each costs more than the test.
        OR CASE WHEN EXISTS (SELECT 1 FROM venues c WHERE c.parent_id = r.venue_id AND c.archived_at IS NULL)
             THEN flokk_leaves(r.venue_id) ELSE ARRAY[r.venue_id] END IS DISTINCT FROM r.leaves;${VENUE_CHANGED}
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
      SELECT (SELECT count(*) FROM asked) - (SELECT count(*) FROM held) INTO differing;${CONTEXT_CHANGED}`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(CHECK_BATCH).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(CHECK_BATCH_0011).execute(db);
}
