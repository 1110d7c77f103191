// Bulk data for the benchmark, written with set-based SQL: going through the
// engine for a million rows would take longer than the benchmark itself.
import { sql } from "kysely";
import type pg from "pg";
import type { Database } from "../../db/client";
import { orgNumberCheckDigit } from "../../app/associations/org-number";

function validOrgNumber(from: number): string {
  for (let b = from; ; b++) {
    const check = orgNumberCheckDigit(String(b));
    if (check !== null) return `${b}${check}`;
  }
}

export interface BenchWorld {
  ownerId: number;
  siteId: number;
  actorId: number;
  associationId: number;
}

/** What every section of the benchmark works with: one database, its pool, one world. */
export interface BenchContext {
  db: Database;
  /** The pool behind `db`, for the plain-SQL baselines. */
  pool: pg.Pool;
  world: BenchWorld;
  now: Date;
  /** Makes this run's names unique. */
  tag: string;
}

export async function makeWorld(db: Database, tag: string): Promise<BenchWorld> {
  const owner = await db.insertInto("owners").values({ name: `Bench ${tag}`, slug: `bench-${tag}` }).returning("id").executeTakeFirstOrThrow();
  const site = await db.insertInto("sites").values({ owner_id: owner.id, name: `Bench ${tag}` }).returning("id").executeTakeFirstOrThrow();
  const user = await db.insertInto("users").values({ email: `bench-${tag}@flokk.example`, name: "Bench" }).returning("id").executeTakeFirstOrThrow();
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM associations`.execute(db);
  const orgNumber = validOrgNumber(80_000_000 + rows[0]!.n * 13);
  const association = await db
    .insertInto("associations")
    .values({ name: `Bench ${tag}`, org_number: orgNumber, contact_email: "bench@flokk.example", verified: true })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("memberships").values({ association_id: association.id, user_id: user.id, role: "leader" }).execute();
  return { ownerId: owner.id, siteId: site.id, actorId: user.id, associationId: association.id };
}

/** `count` venues open around the clock every day with permissive rules. */
export async function makeVenues(db: Database, siteId: number, prefix: string, count: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO venues (site_id, name, slug, kind, capacity, min_duration_minutes, max_duration_minutes, horizon_days, min_notice_minutes)
    SELECT ${siteId}, ${prefix} || ' ' || g, ${prefix} || '-' || g, 'meeting-room', 50, 15, 1440, 3650, 0
    FROM generate_series(1, ${count}) g RETURNING id`.execute(db);
  const ids = rows.map((r) => Number(r.id));
  await sql`
    INSERT INTO opening_hours (venue_id, weekday, opens, closes)
    SELECT v, d, '00:00', '24:00' FROM unnest(${ids}::bigint[]) v, generate_series(1, 7) d`.execute(db);
  return ids;
}

/**
 * `perVenue` one-hour confirmed bookings on each venue, two a day from `from`,
 * with their claims, so the claims index holds realistic density.
 */
export async function bulkBookings(db: Database, world: BenchWorld, venueIds: number[], perVenue: number, from: Date): Promise<void> {
  const batch = 100;
  for (let i = 0; i < venueIds.length; i += batch) {
    const ids = venueIds.slice(i, i + batch);
    await sql`
      WITH b AS (
        INSERT INTO bookings (id, venue_id, association_id, title, expected_attendees, starts_at, ends_at, status, is_public)
        SELECT gen_random_uuid(), v, ${world.associationId}, 'Bench ' || n, 10,
          ${from}::timestamptz + (n / 2) * interval '1 day' + (CASE WHEN n % 2 = 0 THEN 10 ELSE 18 END) * interval '1 hour',
          ${from}::timestamptz + (n / 2) * interval '1 day' + (CASE WHEN n % 2 = 0 THEN 11 ELSE 19 END) * interval '1 hour',
          'confirmed', n % 3 = 0
        FROM unnest(${ids}::bigint[]) v, generate_series(0, ${perVenue - 1}) n
        RETURNING id, venue_id, starts_at, ends_at
      )
      INSERT INTO booking_claims (booking_id, space_id, during)
      SELECT id, venue_id, tstzrange(starts_at, ends_at, '[)') FROM b`.execute(db);
  }
}
