// What an association the municipality has not verified yet may hold. Its
// bookings wait for a caretaker, but a pending booking holds its time like a
// confirmed one (the exclusion constraint), so without a ceiling one new
// account could register an association and hold every evening of a hall for
// months until someone turned it away (found in a security review). A
// real new association books a weekly series for a season at most before the
// admin gets to it; more waits until it is verified.
import { sql } from "kysely";
import type { Database } from "db/client";
import { UnverifiedLimit } from "~/errors/domain-errors";

/** Coming bookings (pending or confirmed, not yet ended) of an unverified association: a weekly series for a season. */
export const UNVERIFIED_MAX_UPCOMING = 20;

/**
 * Refuses `adding` more bookings when the association would then hold more
 * than UNVERIFIED_MAX_UPCOMING coming ones. Run it in the transaction that
 * writes them: it takes a lock per association first, so two requests at once
 * cannot both squeeze under the ceiling. Before any quota lock (lockQuota), in
 * every writer, so the two never wait on each other the other way round.
 */
export async function requireRoomWhileUnverified(trx: Database, associationId: number, adding: number, now: Date): Promise<void> {
  await lockUnverified(trx, associationId);
  const held = await heldUpcoming(trx, associationId, now);
  if (held + adding > UNVERIFIED_MAX_UPCOMING) throw new UnverifiedLimit(UNVERIFIED_MAX_UPCOMING, held, adding);
}

async function heldUpcoming(db: Database, associationId: number, now: Date): Promise<number> {
  const { rows } = await sql<{ held: number }>`SELECT ${held(associationId, now)} AS held`.execute(db);
  return rows[0]?.held ?? 0;
}

/** The association's coming bookings, pending or confirmed: what the ceiling counts. */
const held = (associationId: number, now: Date) => sql<number>`(
  SELECT count(*)::int FROM bookings
  WHERE association_id = ${associationId} AND status IN ('pending', 'confirmed') AND ends_at > ${now})`;

/**
 * For a preview, before anything is written: how many coming bookings an
 * unverified association holds against the ceiling; null when it is verified
 * (or unknown: the write decides). One statement, without the lock: a hint.
 */
export async function unverifiedHolding(db: Database, associationId: number, now: Date): Promise<{ held: number; ceiling: number } | null> {
  const { rows } = await sql<{ held: number }>`
    SELECT ${held(associationId, now)} AS held FROM associations WHERE id = ${associationId} AND NOT verified`.execute(db);
  return rows[0] ? { held: rows[0].held, ceiling: UNVERIFIED_MAX_UPCOMING } : null;
}

/** The lock requireRoomWhileUnverified takes, for a writer that must take it before others (a transaction holds it once however often it asks). */
export async function lockUnverified(trx: Database, associationId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`unverified:${associationId}`}, 0))`.execute(trx);
}
