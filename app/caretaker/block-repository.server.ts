// Plain statements for blocked time and attendance: no rules here. A block is
// a bookings row of kind 'block' (db/migrations/…-0006-blocks.ts) that holds
// claims like a booking, so the exclusion constraint keeps it and bookings apart.
import { sql, type Transaction } from "kysely";
import type { Database } from "db/client";
import type { Booking, BookingStatus, DB } from "db/schema";

export interface NewBlock {
  id: string;
  venueId: number;
  reason: string;
  startsAt: Date;
  endsAt: Date;
  /** End of the claims; a block holds no cleaning buffer of its own. */
  claimEnd: Date;
  actorId: number;
}

/**
 * The block, its claim on every leaf space and its audit row, in one statement
 * (atomic on its own). Throws pg error 23P01 when a claim overlaps another.
 */
export async function insertBlock(db: Database, b: NewBlock, leaves: readonly number[]): Promise<Booking> {
  const { rows } = await sql<Booking>`
    WITH b AS (
      INSERT INTO bookings (id, venue_id, association_id, kind, title, is_public, expected_attendees, starts_at, ends_at, status, created_by)
      VALUES (${b.id}::uuid, ${b.venueId}, NULL, 'block', ${b.reason}, false, 0, ${b.startsAt}, ${b.endsAt}, 'confirmed', ${b.actorId})
      RETURNING *
    ), c AS (
      INSERT INTO booking_claims (booking_id, space_id, during)
      SELECT b.id, s.space_id, tstzrange(b.starts_at, ${b.claimEnd}::timestamptz, '[)')
      FROM b CROSS JOIN unnest(${leaves as number[]}::bigint[]) AS s(space_id)
    ), a AS (
      INSERT INTO audit_log (actor_id, entity, entity_id, action, after)
      SELECT ${b.actorId}, 'booking', b.id, 'blocked', to_jsonb(b) FROM b
    )
    SELECT * FROM b`.execute(db);
  return rows[0]!;
}

/** Head count, or no-show: recording one clears the other. */
export async function setAttendance(trx: Transaction<DB>, id: string, value: { attendance: number | null; noShow: boolean }): Promise<Booking> {
  return trx
    .updateTable("bookings")
    .set({ attendance: value.attendance, no_show: value.noShow, updated_at: sql<Date>`now()` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface BlockListRow {
  id: string;
  reason: string;
  starts_at: Date;
  ends_at: Date;
  venue_name: string;
  time_zone: string;
  site_name: string;
  created_by_name: string | null;
}

/** Active blocks at the sites that have not ended by `now`, soonest first. */
export async function listBlocks(db: Database, siteIds: readonly number[], now: Date, limit: number): Promise<BlockListRow[]> {
  if (siteIds.length === 0) return [];
  return db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .leftJoin("users as u", "u.id", "b.created_by")
    .select(["b.id", "b.title as reason", "b.starts_at", "b.ends_at", "v.name as venue_name", "v.time_zone", "s.name as site_name", "u.name as created_by_name"])
    .where("b.kind", "=", "block")
    .where("b.status", "=", "confirmed")
    .where("v.site_id", "in", siteIds)
    .where("b.ends_at", ">", now)
    .orderBy("b.starts_at")
    .orderBy("v.name")
    .orderBy("b.id")
    .limit(limit)
    .execute();
}

export interface BlockableVenueRow {
  id: number;
  name: string;
  site_name: string;
  parent_id: number | null;
}

/** The venues at the sites that are not archived, by building and name. */
export async function venuesAtSites(db: Database, siteIds: readonly number[]): Promise<BlockableVenueRow[]> {
  if (siteIds.length === 0) return [];
  return db
    .selectFrom("venues as v")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .select(["v.id", "v.name", "s.name as site_name", "v.parent_id"])
    .where("v.site_id", "in", siteIds)
    .where("v.archived_at", "is", null)
    .orderBy("s.name")
    .orderBy("s.id")
    .orderBy("v.name")
    .orderBy("v.id")
    .execute();
}

export interface HolderRow {
  id: string;
  kind: "booking" | "block";
  title: string;
  status: BookingStatus;
  starts_at: Date;
  ends_at: Date;
  venue_name: string;
  time_zone: string;
  site_id: number;
  association_name: string | null;
}

/** The booking (or block) that holds a claim in the way, with its association. */
export async function getHolder(db: Database, id: string): Promise<HolderRow | undefined> {
  return db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .leftJoin("associations as a", "a.id", "b.association_id")
    .select(["b.id", "b.kind", "b.title", "b.status", "b.starts_at", "b.ends_at", "v.name as venue_name", "v.time_zone", "v.site_id", "a.name as association_name"])
    .where("b.id", "=", id)
    .executeTakeFirst();
}
