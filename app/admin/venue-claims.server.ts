// Keeping the double-booking invariant when a venue's parts change. An active
// booking claims the leaves of its venue as they were when it was made (a
// whole with parts: each active part; a whole without: itself), and the
// exclusion constraint only compares claims on the same space. So whenever
// the leaves of a whole change — a part is added or restored, or its last
// active part is archived and the whole is a leaf again — the whole's active
// bookings must claim the new leaf too, or a booking of that leaf could
// overlap them. Callers lock the whole's row first (lockVenue), so that this
// runs once per change, in the transaction of the change.
import { sql } from "kysely";
import type { Database } from "db/client";

/**
 * Gives every active booking of the whole that has not ended at `now` (every
 * active one when `now` is null) a claim on `spaceId`, over the range of its
 * existing claims; bookings that claim it already are left alone.
 */
export async function claimLeafForWhole(trx: Database, wholeId: number, spaceId: number, now: Date | null): Promise<void> {
  await sql`
    INSERT INTO booking_claims (booking_id, space_id, during)
    SELECT DISTINCT ON (b.id) b.id, ${spaceId}::bigint, c.during
    FROM bookings b JOIN booking_claims c ON c.booking_id = b.id
    WHERE b.venue_id = ${wholeId} AND b.status IN ('pending', 'confirmed')
      AND (${now}::timestamptz IS NULL OR b.ends_at > ${now}::timestamptz)
      AND NOT EXISTS (SELECT 1 FROM booking_claims x WHERE x.booking_id = b.id AND x.space_id = ${spaceId})
    ORDER BY b.id`.execute(trx);
}

/** Whether the whole has no active part left, i.e. its bookings claim the whole itself. */
export async function isLeaf(trx: Database, venueId: number): Promise<boolean> {
  const part = await trx.selectFrom("venues").select("id").where("parent_id", "=", venueId).where("archived_at", "is", null).executeTakeFirst();
  return part === undefined;
}
