// Blocked time: a caretaker of the site, or an admin of its owner, closes a
// venue for maintenance or a private event. Entered like a booking (a local
// date and wall times in the venue's zone), but none of the booking rules
// apply: no opening hours, notice, horizon, duration or quota. What does apply
// is the one guarantee against double-booking: a block holds claims like a
// booking, so the exclusion constraint refuses it where a booking is (buffer
// included) and refuses a later booking into it (docs/decisions/013-blocks.md).
// Blocks send no mail, count to no quota and show as "Closed" to the public.
import type { Database } from "db/client";
import type { Booking } from "db/schema";
import { managesSite } from "~/accounts/authorization.server";
import { changeStatus, findClaimHolder, lockBooking } from "~/booking/booking-repository.server";
import { isSlotContention } from "~/booking/booking.server";
import { loadVenueContext } from "~/booking/context.server";
import { checkLeaves } from "~/booking/venue-lock.server";
import { cleanId, cleanUuid, localSpan } from "~/booking/request";
import { cleanText } from "~/booking/text";
import { formatWhen } from "~/booking/when";
import { BlockOver, BookingConflict, EndNotAfterStart, Forbidden, InvalidInput, NotFound } from "~/errors/domain-errors";
import { newId } from "~/ids/ids";
import type { Language } from "~/i18n";
import { addDays, checkedDate, localDateOf } from "~/time/zoned";
import { managedSiteIds } from "./days.server";
import { getHolder, insertBlock, listBlocks, venuesAtSites } from "./block-repository.server";
import { MAX_REASON_LENGTH } from "./limits";

const MAX_CONFLICT_RETRIES = 3;

export interface BlockRequest {
  actorId: number;
  venueId: number;
  /** Local date and wall times in the venue's zone; the end may be "24:00". */
  date: string;
  start: string;
  end: string;
  /** Why: "Vedlikehold", "Kommunestyremøte". Shown to staff only. */
  reason: string;
}

/** Blocks the time; BookingConflict names the booking (or block) in the way. */
export async function blockTime(db: Database, req: BlockRequest, now: Date): Promise<Booking> {
  const actorId = cleanId("actorId", req.actorId);
  const venueId = cleanId("venueId", req.venueId);
  const reason = cleanText("reason", req.reason, { max: MAX_REASON_LENGTH, required: true });
  // No booking horizon, but a date like 9999-12-15 is a typing mistake, not a
  // plan: ten years, as the day plan allows, checked before the days either
  // side are reckoned (today in UTC is near enough for that).
  checkedDate(req.date, "date", localDateOf(now, "UTC"));
  // The dates either side only bound the closures read, which blocks ignore.
  const venue = await loadVenueContext(db, venueId, addDays(req.date, -1), addDays(req.date, 1));
  if (venue.archived) throw new NotFound("venue");
  if (!(await managesSite(db, actorId, venue.siteId))) throw new Forbidden();

  const span = localSpan(req.date, req.start, req.end, venue.timeZone);
  if (!(span.end > span.start)) throw new EndNotAfterStart();
  // Closing time that has already passed changes nothing and would only confuse reports.
  if (span.end <= now.getTime()) throw new InvalidInput({ end: "inPast" });

  const block = {
    id: newId(),
    venueId,
    reason,
    startsAt: new Date(span.start),
    endsAt: new Date(span.end),
    // No cleaning buffer after a block: the next booking may start when it ends.
    // A booking before it keeps its own buffer, which its claim already holds.
    claimEnd: new Date(span.end),
    actorId,
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        await checkLeaves(trx, venueId, venue.leaves);
        return insertBlock(trx, block, venue.leaves);
      });
    } catch (e) {
      if (!isSlotContention(e)) throw e;
      const holder = await findClaimHolder(db, venue.leaves, block.startsAt, block.claimEnd);
      // The booking in the way may have been cancelled in the meantime: try again.
      if (holder || attempt >= MAX_CONFLICT_RETRIES) throw new BookingConflict(holder);
    }
  }
}

/** Removes (cancels) a block that has not ended; its time is free again. */
export async function removeBlock(db: Database, req: { actorId: number; blockId: string }, now: Date): Promise<Booking> {
  const actorId = cleanId("actorId", req.actorId);
  const blockId = cleanUuid("blockId", req.blockId);
  return db.transaction().execute(async (trx) => {
    const locked = await lockBooking(trx, blockId);
    if (locked?.kind !== "block") throw new NotFound("block");
    if (!(await managesSite(trx, actorId, locked.site_id))) throw new Forbidden();
    const { site_id: _s, owner_id: _o, ...before } = locked;
    // Removed already (a double click): once is enough.
    if (before.status === "cancelled") return before;
    if (before.ends_at.getTime() <= now.getTime()) throw new BlockOver();
    // Frees the claims and writes the audit row; no mail: nobody booked it.
    return changeStatus(trx, before, { status: "cancelled", actorId, reason: null }, "unblocked");
  });
}

export interface BlockLine {
  id: string;
  reason: string;
  when: string;
  venueName: string;
  siteName: string;
  createdBy: string | null;
}

export interface BlockPage {
  /** The venues the person may block, labelled "Storsalen (Løvstad skole)". */
  venues: { id: number; label: string }[];
  /** Upcoming and ongoing blocks at the person's sites, soonest first. */
  blocks: BlockLine[];
}

const LIST_LIMIT = 200;

/** The block page of a caretaker or admin; Forbidden for someone who manages no site. */
export async function loadBlockPage(db: Database, args: { viewerId: number; lang: Language; now: Date }): Promise<BlockPage> {
  const sites = await managedSiteIds(db, args.viewerId);
  if (sites.length === 0) throw new Forbidden();
  const [venues, blocks] = await Promise.all([venuesAtSites(db, sites), listBlocks(db, sites, args.now, LIST_LIMIT)]);
  return {
    venues: venues.map((v) => ({ id: v.id, label: `${v.name} (${v.site_name})` })),
    blocks: blocks.map((b) => ({
      id: b.id,
      reason: b.reason,
      when: formatWhen(args.lang, b.starts_at, b.ends_at, b.time_zone),
      venueName: b.venue_name,
      siteName: b.site_name,
      createdBy: b.created_by_name,
    })),
  };
}

export interface HolderView {
  /** A block in the way (its reason as title), or a booking (with its association). */
  kind: "booking" | "block";
  title: string;
  associationName: string | null;
  venueName: string;
  when: string;
}

/**
 * What is in the way of a block, for the person blocking: staff of the
 * holder's site see its title and association (they see those on their day
 * plan anyway); anyone else, or a holder that is gone, null.
 */
export async function describeHolder(db: Database, args: { viewerId: number; bookingId: string | null; lang: Language }): Promise<HolderView | null> {
  if (!args.bookingId) return null;
  const h = await getHolder(db, args.bookingId);
  if (!h || !(await managesSite(db, args.viewerId, h.site_id))) return null;
  return {
    kind: h.kind,
    title: h.title,
    associationName: h.association_name,
    venueName: h.venue_name,
    when: formatWhen(args.lang, h.starts_at, h.ends_at, h.time_zone),
  };
}
