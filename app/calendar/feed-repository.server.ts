// Plain statements for calendar feeds: which bookings a feed holds, a cheap
// fingerprint of them, the rows themselves, and the feed's Last-Modified mark.
// No rules here beyond the SQL that selects a feed's rows.
import { type RawBuilder, sql } from "kysely";
import type { Database } from "db/client";
import type { BookingStatus } from "db/schema";
import { PUBLIC_TITLE, PUBLICLY_ANNOUNCED } from "~/booking/public-title.server";

/** Which bookings: those of a venue (and the spaces that overlap it), of an association, or of a person's associations. */
export type FeedSelection =
  | { kind: "venue"; venueId: number }
  | { kind: "association"; associationId: number }
  | { kind: "person"; userId: number };

/** What a reader may see: the public projection reads no private column at all. */
export type Audience = "public" | "staff" | "member";

export interface FeedWindow {
  /** Bookings that start before this are left out (history). */
  startsFrom: Date;
  /** Cancelled and rejected bookings whose cancellation is older than this are left out. */
  inactiveSince: Date;
}

function selectionFilter(s: FeedSelection): RawBuilder<boolean> {
  switch (s.kind) {
    case "venue":
      // The venue, the whole it is part of, and its parts: a booking of any of
      // them takes this venue's time (see decision 003). Not siblings. ARRAY()
      // makes the planner resolve the ids once and use the (venue_id, starts_at) index.
      return sql<boolean>`b.venue_id = ANY(ARRAY(
        WITH RECURSIVE up(id, parent_id) AS (
          SELECT id, parent_id FROM venues WHERE id = ${s.venueId}
          UNION SELECT p.id, p.parent_id FROM venues p JOIN up ON p.id = up.parent_id
        ), down(id) AS (
          SELECT ${s.venueId}::bigint
          UNION SELECT c.id FROM venues c JOIN down ON c.parent_id = down.id
        )
        SELECT id FROM up UNION SELECT id FROM down))`;
    case "association":
      return sql<boolean>`b.association_id = ${s.associationId}`;
    case "person":
      return sql<boolean>`b.association_id = ANY(ARRAY(SELECT m.association_id FROM memberships m WHERE m.user_id = ${s.userId}))`;
  }
}

function windowFilter(w: FeedWindow | null): RawBuilder<boolean> {
  if (w === null) return sql<boolean>`true`;
  return sql<boolean>`b.starts_at >= ${w.startsFrom}
    AND (b.status IN ('pending', 'confirmed') OR coalesce(b.cancelled_at, b.decided_at, b.updated_at) >= ${w.inactiveSince})`;
}

const FROM = sql`bookings b
  JOIN venues v ON v.id = b.venue_id
  JOIN sites s ON s.id = v.site_id
  LEFT JOIN associations a ON a.id = b.association_id
  LEFT JOIN users u ON u.id = b.created_by`;

export interface FeedFingerprint {
  count: number;
  maxUpdatedAt: Date | null;
  /**
   * Changes whenever the feed's bytes may: a booking enters or leaves (count,
   * the sum of id hashes), any booking in it changes (updated_at, kept honest
   * by the trigger of migration 0004: the sum of their epochs moves even when
   * a slow transaction commits an older timestamp), or a name it shows changes
   * (the global names version). Booking columns are covered by updated_at,
   * so no text is read: 10,000 bookings take a few milliseconds.
   */
  digest: string;
  /** The stored state of the feed, read in the same statement. */
  state: FeedState | null;
}

export async function feedFingerprint(db: Database, sel: FeedSelection, window: FeedWindow, feed: string): Promise<FeedFingerprint> {
  const { rows } = await sql<{ count: number; max_updated_at: Date | null; ids: string | null; epochs: string | null; names: number | null; fingerprint: string | null; last_modified: Date | null }>`
    SELECT count(*)::int AS count, max(b.updated_at) AS max_updated_at,
           sum(uuid_hash_extended(b.id, 0))::text AS ids, sum(extract(epoch FROM b.updated_at))::text AS epochs,
           (SELECT n.version FROM calendar_names n) AS names,
           (SELECT st.fingerprint FROM calendar_feed_state st WHERE st.feed = ${feed}) AS fingerprint,
           (SELECT st.last_modified FROM calendar_feed_state st WHERE st.feed = ${feed}) AS last_modified
    FROM bookings b
    WHERE ${selectionFilter(sel)} AND ${windowFilter(window)}`.execute(db);
  const r = rows[0]!;
  return {
    count: r.count,
    maxUpdatedAt: r.max_updated_at,
    digest: `${r.ids ?? 0}/${r.epochs ?? 0}/${r.names ?? 0}`,
    state: r.fingerprint !== null && r.last_modified !== null ? { fingerprint: r.fingerprint, lastModified: r.last_modified } : null,
  };
}

export interface PublicFeedRow {
  id: string;
  /** The title only when the booking is public; null otherwise (never read). */
  public_title: string | null;
  /** Time a caretaker blocked: shown as closed; its reason (the title) is never read for the public. */
  closed: boolean;
  starts_at: Date;
  ends_at: Date;
  status: BookingStatus;
  sequence: number;
  created_at: Date;
  updated_at: Date;
  venue_name: string;
  time_zone: string;
  site_name: string;
  address: string;
}

export interface FullFeedRow extends PublicFeedRow {
  title: string;
  purpose: string;
  is_public: boolean;
  expected_attendees: number;
  note_to_caretaker: string;
  decision_reason: string | null;
  cancel_reason: string | null;
  /** Null for a block, which belongs to no association. */
  association_name: string | null;
  association_email: string | null;
  booker_name: string | null;
  booker_email: string | null;
  booker_phone: string | null;
}

const PUBLIC_COLUMNS = sql`b.id, ${PUBLIC_TITLE} AS public_title,
  b.kind = 'block' AS closed, b.starts_at, b.ends_at, b.status,
  b.sequence, b.created_at, b.updated_at, v.name AS venue_name, v.time_zone, s.name AS site_name, s.address`;

const FULL_COLUMNS = sql`${PUBLIC_COLUMNS}, b.title, b.purpose, b.is_public, b.expected_attendees, b.note_to_caretaker,
  b.decision_reason, b.cancel_reason, a.name AS association_name, a.contact_email::text AS association_email,
  u.name AS booker_name, u.email::text AS booker_email, u.phone AS booker_phone`;

export async function feedRows(db: Database, sel: FeedSelection, audience: "public", window: FeedWindow | null, bookingId?: string): Promise<PublicFeedRow[]>;
export async function feedRows(db: Database, sel: FeedSelection, audience: "staff" | "member", window: FeedWindow | null, bookingId?: string): Promise<FullFeedRow[]>;
export async function feedRows(
  db: Database,
  sel: FeedSelection,
  audience: Audience,
  window: FeedWindow | null,
  bookingId?: string,
): Promise<PublicFeedRow[] | FullFeedRow[]> {
  const one = bookingId === undefined ? sql<boolean>`true` : sql<boolean>`b.id = ${bookingId}::uuid`;
  const { rows } = await sql<FullFeedRow>`
    SELECT ${audience === "public" ? PUBLIC_COLUMNS : FULL_COLUMNS}
    FROM ${FROM}
    WHERE ${selectionFilter(sel)} AND ${windowFilter(window)} AND ${one}
    ORDER BY b.starts_at, b.id`.execute(db);
  return rows;
}

/** One public booking, for its .ics without a token, with its owner's language: no private column is read. */
export async function publicBooking(db: Database, bookingId: string): Promise<(PublicFeedRow & { owner_locale: string }) | undefined> {
  const { rows } = await sql<PublicFeedRow & { owner_locale: string }>`
    SELECT ${PUBLIC_COLUMNS}, o.locale AS owner_locale
    FROM ${FROM} JOIN owners o ON o.id = s.owner_id
    WHERE b.id = ${bookingId}::uuid AND ${PUBLICLY_ANNOUNCED}`.execute(db);
  return rows[0];
}

export interface FeedState {
  fingerprint: string;
  lastModified: Date;
}

export async function getFeedState(db: Database, feed: string): Promise<FeedState | undefined> {
  const row = await db.selectFrom("calendar_feed_state").select(["fingerprint", "last_modified"]).where("feed", "=", feed).executeTakeFirst();
  return row ? { fingerprint: row.fingerprint, lastModified: row.last_modified } : undefined;
}

/**
 * Records a new fingerprint. Last-Modified becomes the newest booking change
 * if that is later than the mark, else `now` (rows left the feed, or a name
 * changed); it never decreases, whatever order concurrent servers write in.
 */
export async function recordFeedChange(db: Database, feed: string, fingerprint: string, maxUpdatedAt: Date | null, now: Date): Promise<Date> {
  const { rows } = await sql<{ last_modified: Date }>`
    INSERT INTO calendar_feed_state AS st (feed, fingerprint, last_modified)
    VALUES (${feed}, ${fingerprint}, coalesce(${maxUpdatedAt}::timestamptz, ${now}::timestamptz))
    ON CONFLICT (feed) DO UPDATE SET
      fingerprint = EXCLUDED.fingerprint,
      last_modified = CASE WHEN ${maxUpdatedAt}::timestamptz > st.last_modified THEN ${maxUpdatedAt}::timestamptz
                           ELSE greatest(st.last_modified, ${now}::timestamptz) END,
      changed_at = now()
    WHERE st.fingerprint <> EXCLUDED.fingerprint
    RETURNING last_modified`.execute(db);
  if (rows[0]) return rows[0].last_modified;
  // Another server recorded the same fingerprint a moment ago.
  return (await getFeedState(db, feed))!.lastModified;
}
