// A booking claims the spaces of its venue as the engine read them (the
// venue's context). An owner admin may add, archive or restore a part between
// that read and the write, changing which spaces the venue's bookings must
// claim; the write then checks, under a lock on the venue's row, that the
// spaces are still those (flokk_check_leaves, db/migrations/…-0008). A single
// booking request reads the context again and retries; the rarer writes
// (series, moves, blocks) ask the person to try again.
import { sql } from "kysely";
import type { Database } from "db/client";
import { VenueChanged } from "~/errors/domain-errors";

/**
 * PostgreSQL's serialization_failure: only flokk_check_leaves and
 * flokk_check_context (a kept context out of date, migration 0010) raise it;
 * the engine runs in READ COMMITTED. Either way: read the context again.
 */
export function isVenueChange(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "40001";
}

/**
 * Locks the venue's row (FOR KEY SHARE, until the transaction ends) and
 * throws VenueChanged unless its spaces are still `leaves`. Call it in the
 * transaction that writes the claims, before writing them.
 */
export async function checkLeaves(trx: Database, venueId: number, leaves: readonly number[]): Promise<void> {
  try {
    await sql`SELECT flokk_check_leaves(${venueId}::bigint, ${leaves as number[]}::bigint[])`.execute(trx);
  } catch (e) {
    if (isVenueChange(e)) throw new VenueChanged();
    throw e;
  }
}
