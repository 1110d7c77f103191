// Reading the demo data and the outcomes of the journeys straight from the
// server's database: ids to aim at, and rows to count after a click.
import { sql } from "kysely";
import type { Database } from "../../../db/client";

export async function userId(db: Database, email: string): Promise<number> {
  return (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}

export async function associationId(db: Database, name: string): Promise<number> {
  return (await db.selectFrom("associations").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
}

export async function venueId(db: Database, slug: string): Promise<number> {
  return (await db.selectFrom("venues").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

export interface StoredBooking {
  id: string;
  title: string;
  status: string;
  association: string;
  seriesId: string | null;
  date: string;
  start: string;
  end: string;
}

/**
 * Bookings of a venue on a local date (Europe/Oslo), any status, earliest
 * first; `activeOnly` keeps pending and confirmed ones.
 */
export async function bookingsOn(db: Database, slug: string, date: string, options: { activeOnly?: boolean } = {}): Promise<StoredBooking[]> {
  const { rows } = await sql<StoredBooking>`
    SELECT b.id::text AS id, b.title, b.status, a.name AS association, b.series_id::text AS "seriesId",
           to_char(b.starts_at AT TIME ZONE 'Europe/Oslo', 'YYYY-MM-DD') AS date,
           to_char(b.starts_at AT TIME ZONE 'Europe/Oslo', 'HH24:MI') AS start,
           to_char(b.ends_at AT TIME ZONE 'Europe/Oslo', 'HH24:MI') AS "end"
    FROM bookings b JOIN venues v ON v.id = b.venue_id JOIN associations a ON a.id = b.association_id
    WHERE v.slug = ${slug}
      AND (b.starts_at AT TIME ZONE 'Europe/Oslo')::date = ${date}::date
      AND (${options.activeOnly ?? false} = false OR b.status IN ('pending', 'confirmed'))
    ORDER BY b.starts_at, b.created_at`.execute(db);
  return rows;
}

/**
 * The upcoming local date (Europe/Oslo) whose active bookings are spread over
 * the most buildings (the earliest of equals), with the names of those
 * buildings: a full day sheet to open.
 */
export async function busiestSheetDay(db: Database): Promise<{ date: string; sites: string[] }> {
  const { rows } = await sql<{ date: string; sites: string[] }>`
    SELECT to_char(b.starts_at AT TIME ZONE 'Europe/Oslo', 'YYYY-MM-DD') AS date,
           array_agg(DISTINCT s.name ORDER BY s.name) AS sites
    FROM bookings b JOIN venues v ON v.id = b.venue_id JOIN sites s ON s.id = v.site_id
    WHERE b.status IN ('pending', 'confirmed') AND b.starts_at > now()
    GROUP BY 1
    ORDER BY count(DISTINCT s.id) DESC, 1
    LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error("The demo data has no upcoming bookings");
  return rows[0];
}
