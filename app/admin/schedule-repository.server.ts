// Rows behind a venue's opening hours and closures, and the bookings a change
// to them could touch. Plain functions, no rules.
import { sql, type Transaction } from "kysely";
import type { Database } from "db/client";
import type { DB } from "db/schema";
import type { Closure, OpeningRule } from "~/time/opening";

export interface VenueFacts {
  id: number;
  name: string;
  slug: string;
  timeZone: string;
  parentId: number | null;
  country: string;
  /** The owner's language: names of public holidays are stored in it. */
  locale: string;
}

export async function venueFacts(db: Database, venueId: number): Promise<VenueFacts | undefined> {
  const row = await db
    .selectFrom("venues as v")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .innerJoin("owners as o", "o.id", "s.owner_id")
    .select(["v.id", "v.name", "v.slug", "v.time_zone", "v.parent_id", "o.country", "o.locale"])
    .where("v.id", "=", venueId)
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, slug: row.slug, timeZone: row.time_zone, parentId: row.parent_id, country: row.country, locale: row.locale };
}

/** A recursive CTE "up": the venue and every venue it is part of, at any depth. */
const upFrom = (venueId: number) => sql`up AS (
      SELECT id, parent_id FROM venues WHERE id = ${venueId}
      UNION ALL SELECT v.id, v.parent_id FROM venues v JOIN up u ON v.id = u.parent_id
    )`;

/** Serialises changes to one venue's schedule (two admins, a double click on "add holidays"). */
export async function lockVenue(trx: Transaction<DB>, venueId: number): Promise<void> {
  // Its parts and the venues it is part of too: a closure of the whole closes
  // its parts, one of a part makes the whole unavailable (migration 0014), and
  // a booking of any of them being written now must commit before the affected
  // bookings are read, or be checked after this change (flokk_check_leaves
  // takes the booked venue's row).
  await sql`
    WITH RECURSIVE ${upFrom(venueId)}
    SELECT id FROM venues
    WHERE id IN (SELECT id FROM up) OR parent_id = ${venueId}
    ORDER BY id FOR UPDATE`.execute(trx);
}

export async function openingHours(db: Database, venueId: number): Promise<OpeningRule[]> {
  return db.selectFrom("opening_hours").select(["weekday", "opens", "closes"]).where("venue_id", "=", venueId).orderBy("weekday").orderBy("opens").execute();
}

export async function replaceOpeningHours(trx: Transaction<DB>, venueId: number, rules: readonly OpeningRule[]): Promise<void> {
  await trx.deleteFrom("opening_hours").where("venue_id", "=", venueId).execute();
  if (rules.length > 0) await trx.insertInto("opening_hours").values(rules.map((r) => ({ venue_id: venueId, ...r }))).execute();
}

export interface ClosureRow extends Closure {
  id: number;
  venueId: number;
  venueName: string;
  /** A closure of one of the venue's parts (asked for with `parts`), not of it or a venue it is part of. */
  ofPart: boolean;
}

/**
 * Closures that end on or after `fromDate`, of the venue and of every venue it
 * is part of (they close it too); with `parts`, also those of its parts (not
 * archived), which make it unavailable for their days (migration 0014) but
 * close nothing else of it.
 */
export async function closuresAffecting(db: Database, venueId: number, fromDate: string, { parts = false } = {}): Promise<ClosureRow[]> {
  const { rows } = await sql<{ id: number; venue_id: number; venue_name: string; starts_on: string; ends_on: string; reason: string; of_part: boolean }>`
    WITH RECURSIVE ${upFrom(venueId)}, down AS (
      SELECT id FROM venues WHERE parent_id = ${venueId} AND archived_at IS NULL AND ${parts}::boolean
      UNION ALL SELECT v.id FROM venues v JOIN down d ON v.parent_id = d.id WHERE v.archived_at IS NULL
    )
    SELECT c.id, c.venue_id, v.name AS venue_name, c.starts_on, c.ends_on, c.reason, c.venue_id IN (SELECT id FROM down) AS of_part
    FROM closures c JOIN venues v ON v.id = c.venue_id
    WHERE (c.venue_id IN (SELECT id FROM up) OR c.venue_id IN (SELECT id FROM down)) AND c.ends_on >= ${fromDate}::date
    ORDER BY c.starts_on, c.id`.execute(db);
  return rows.map((r) => ({
    id: Number(r.id),
    venueId: Number(r.venue_id),
    venueName: r.venue_name,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    reason: r.reason,
    ofPart: r.of_part,
  }));
}

export async function insertClosures(trx: Transaction<DB>, venueId: number, closures: readonly Closure[]): Promise<void> {
  if (closures.length === 0) return;
  await trx
    .insertInto("closures")
    .values(closures.map((c) => ({ venue_id: venueId, starts_on: c.startsOn, ends_on: c.endsOn, reason: c.reason })))
    .execute();
}

/** Deletes the venue's own closure; false when it is not there (or another venue's). */
export async function deleteClosure(db: Database, venueId: number, closureId: number): Promise<boolean> {
  const r = await db.deleteFrom("closures").where("id", "=", closureId).where("venue_id", "=", venueId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface ActiveBookingRow {
  id: string;
  venueId: number;
  venueName: string;
  timeZone: string;
  title: string;
  associationName: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The venues a closure of this one touches: it, all its parts at any depth (a
 * closure of the whole closes them) and every venue it is part of (a closed
 * part makes the whole unavailable, migration 0014).
 */
export async function venuesAClosureTouches(db: Database, venueId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE down AS (
      SELECT ${venueId}::bigint AS id
      UNION ALL SELECT v.id FROM venues v JOIN down d ON v.parent_id = d.id
    ), ${upFrom(venueId)}
    SELECT id FROM down UNION SELECT id FROM up`.execute(db);
  return rows.map((r) => Number(r.id));
}

/** Pending and confirmed bookings (not blocks) at the venues that have not ended at `now`, soonest first. */
export async function activeBookings(db: Database, venueIds: readonly number[], now: Date): Promise<ActiveBookingRow[]> {
  if (venueIds.length === 0) return [];
  const rows = await db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .innerJoin("associations as a", "a.id", "b.association_id")
    .select(["b.id", "b.venue_id", "v.name as venue_name", "v.time_zone", "b.title", "a.name as association_name", "b.starts_at", "b.ends_at"])
    .where("b.venue_id", "in", [...venueIds])
    .where("b.kind", "=", "booking")
    .where("b.status", "in", ["pending", "confirmed"])
    .where("b.ends_at", ">", now)
    .orderBy("b.starts_at")
    .orderBy("b.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    venueId: r.venue_id,
    venueName: r.venue_name,
    timeZone: r.time_zone,
    title: r.title,
    associationName: r.association_name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
}
