// Archiving a venue takes it out of search, the home page and booking (the
// engine refuses an archived venue with NotFound) without deleting its
// history. Rules (docs/decisions/014-venue-admin.md):
// - a whole venue is archived with its parts, and restored with the parts
//   archived together with it;
// - active future bookings are shown and block archiving until the admin
//   confirms keeping them; for a part they must be cancelled first, because
//   an archived part stops being one of its whole's leaves, so a kept booking
//   of the part would no longer block new bookings of the whole;
// - restoring a part gives its whole's active bookings claims on it again,
//   and archiving the last part gives them claims on the whole
//   (app/admin/venue-claims.server.ts).
import type { Database } from "db/client";
import type { Transaction } from "kysely";
import type { DB } from "db/schema";
import { requireAdminOfVenue } from "~/admin/access.server";
import { activeBookings, lockVenue } from "~/admin/schedule-repository.server";
import { claimLeafForWhole, isLeaf } from "~/admin/venue-claims.server";
import { writeAudit } from "~/booking/booking-repository.server";
import { type BookingInTheWay, InvalidInput, VenueHasBookings } from "~/errors/domain-errors";

export interface ArchiveRequest {
  actorId: number;
  venueId: number;
  /**
   * The bookings in the way the admin was shown and chose to keep (whole or
   * single venues only). One made since is not among them: nothing is kept
   * unseen, the list comes again.
   */
  keep?: readonly string[];
}

/** Active bookings (not blocks) of these venues that have not ended by `now`, earliest first. */
export async function activeFutureBookings(db: Database, venueIds: number[], now: Date): Promise<BookingInTheWay[]> {
  const rows = await activeBookings(db, venueIds, now);
  return rows.map((r) => ({ id: r.id, title: r.title, venueName: r.venueName, startsAt: r.startsAt, endsAt: r.endsAt }));
}

/** Archives the venue (and its parts). Returns false when it already was archived. */
export async function archiveVenue(db: Database, req: ArchiveRequest, now: Date): Promise<boolean> {
  await requireAdminOfVenue(db, req.actorId, req.venueId);
  return db.transaction().execute(async (trx) => {
    const venue = await lockFamily(trx, req.venueId);
    if (venue.archived_at !== null) return false;
    const parts = await trx.selectFrom("venues").select("id").where("parent_id", "=", venue.id).where("archived_at", "is", null).forUpdate().execute();
    const family = [venue.id, ...parts.map((p) => p.id)];
    const inTheWay = await activeFutureBookings(trx, family, now);
    const canKeep = venue.parent_id === null;
    const seen = new Set(req.keep ?? []);
    const keeping = canKeep && req.keep !== undefined && inTheWay.every((b) => seen.has(b.id));
    if (inTheWay.length > 0 && !keeping) throw new VenueHasBookings(inTheWay, canKeep);
    await trx.updateTable("venues").set({ archived_at: now, updated_at: now }).where("id", "in", family).execute();
    // The whole's last part gone: the whole is its own leaf again, and new bookings of it claim only it.
    if (venue.parent_id !== null && (await isLeaf(trx, venue.parent_id))) await claimLeafForWhole(trx, venue.parent_id, venue.parent_id, now);
    const kept = inTheWay.map((b) => b.id);
    for (const id of family) {
      const after = id === venue.id && kept.length > 0 ? { archived_at: now.toISOString(), kept_bookings: kept } : { archived_at: now.toISOString() };
      await writeAudit(trx, req.actorId, "venue", String(id), "archived", { archived_at: null }, after);
    }
    return true;
  });
}

/**
 * Restores the venue, and the parts archived together with it (the same
 * archived_at); parts archived on their own before stay archived. A part of
 * an archived whole cannot come back alone. Returns false when it was not archived.
 */
export async function unarchiveVenue(db: Database, req: { actorId: number; venueId: number }, now: Date): Promise<boolean> {
  await requireAdminOfVenue(db, req.actorId, req.venueId);
  return db.transaction().execute(async (trx) => {
    const venue = await lockFamily(trx, req.venueId);
    if (venue.archived_at === null) return false;
    if (venue.parent_id !== null) {
      const parent = await trx.selectFrom("venues").select("archived_at").where("id", "=", venue.parent_id).executeTakeFirstOrThrow();
      if (parent.archived_at !== null) throw new InvalidInput({ parentId: "parentArchived" });
    }
    const parts = await trx
      .selectFrom("venues")
      .select("id")
      .where("parent_id", "=", venue.id)
      .where("archived_at", "=", venue.archived_at)
      .forUpdate()
      .execute();
    const family = [venue.id, ...parts.map((p) => p.id)];
    await trx.updateTable("venues").set({ archived_at: null, updated_at: now }).where("id", "in", family).execute();
    // While the part was archived, new bookings of its whole claimed only the other parts (or the whole itself).
    if (venue.parent_id !== null) await claimLeafForWhole(trx, venue.parent_id, venue.id, now);
    for (const id of family) await writeAudit(trx, req.actorId, "venue", String(id), "unarchived", { archived_at: venue.archived_at.toISOString() }, { archived_at: null });
    return true;
  });
}

/**
 * Locks the venue's whole (when it is a part) and then the venue, always in
 * that order: archiving a part, restoring it, archiving its whole and adding
 * a part all lock the whole, so they run one after another (no part restored
 * under a whole being archived; claims given once) and cannot deadlock.
 */
async function lockFamily(trx: Transaction<DB>, venueId: number) {
  const head = await trx.selectFrom("venues").select("parent_id").where("id", "=", venueId).executeTakeFirstOrThrow();
  if (head.parent_id !== null) await lockVenue(trx, head.parent_id);
  return trx.selectFrom("venues").select(["id", "parent_id", "archived_at"]).where("id", "=", venueId).forUpdate().executeTakeFirstOrThrow();
}
