// Everything the rules need about a venue and the requesting association,
// fetched in one round trip: this sits on the hot path of every booking.
import { sql } from "kysely";
import type { Database } from "db/client";
import type { ApprovalMode, MemberRole } from "db/schema";
import { NotFound } from "~/errors/domain-errors";
import type { VenueRules } from "./rules";

export interface VenueContext extends VenueRules {
  venueId: number;
  siteId: number;
  ownerId: number;
  approvalMode: ApprovalMode;
  bufferMinutes: number;
  weeklyQuotaMinutes: number | null;
  /** The leaf spaces this venue occupies: itself, or all its parts' leaves. */
  leaves: number[];
  archived: boolean;
}

export interface AssociationContext {
  associationId: number;
  verified: boolean;
  actorRole: MemberRole | null;
}

interface Row {
  id: number;
  site_id: number;
  owner_id: number;
  time_zone: string;
  capacity: number;
  approval_mode: ApprovalMode;
  min_duration_minutes: number;
  max_duration_minutes: number;
  horizon_days: number;
  min_notice_minutes: number;
  buffer_minutes: number;
  weekly_quota_minutes: number | null;
  archived: boolean;
  leaves: string[] | number[];
  hours: { weekday: number; opens: string; closes: string }[];
  closures: { startsOn: string; endsOn: string; reason: string }[];
}

/**
 * Closures of the venue and of every venue it is part of (a closed hall closes
 * its halves), overlapping the local dates [fromDate, toDate].
 */
export async function loadVenueContext(db: Database, venueId: number, fromDate: string, toDate: string): Promise<VenueContext> {
  const { rows } = await sql<Row>`
    WITH RECURSIVE down AS (
      SELECT id FROM venues WHERE id = ${venueId}
      UNION ALL SELECT v.id FROM venues v JOIN down d ON v.parent_id = d.id WHERE v.archived_at IS NULL
    ), up AS (
      SELECT id, parent_id FROM venues WHERE id = ${venueId}
      UNION ALL SELECT v.id, v.parent_id FROM venues v JOIN up u ON v.id = u.parent_id
    )
    SELECT v.id, v.site_id, s.owner_id, v.time_zone, v.capacity, v.approval_mode,
      v.min_duration_minutes, v.max_duration_minutes, v.horizon_days, v.min_notice_minutes,
      v.buffer_minutes, v.weekly_quota_minutes, v.archived_at IS NOT NULL AS archived,
      (SELECT array_agg(d.id ORDER BY d.id) FROM down d
        WHERE NOT EXISTS (SELECT 1 FROM venues c WHERE c.parent_id = d.id AND c.archived_at IS NULL)) AS leaves,
      (SELECT coalesce(json_agg(json_build_object('weekday', h.weekday, 'opens', h.opens, 'closes', h.closes)), '[]')
        FROM opening_hours h WHERE h.venue_id = v.id) AS hours,
      (SELECT coalesce(json_agg(json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on, 'reason', c.reason)), '[]')
        FROM closures c WHERE c.venue_id IN (SELECT id FROM up)
        AND c.ends_on >= ${fromDate}::date AND c.starts_on <= ${toDate}::date) AS closures
    FROM venues v JOIN sites s ON s.id = v.site_id
    WHERE v.id = ${venueId}`.execute(db);
  const r = rows[0];
  if (!r) throw new NotFound("venue");
  return {
    venueId: r.id,
    siteId: r.site_id,
    ownerId: r.owner_id,
    timeZone: r.time_zone,
    capacity: r.capacity,
    approvalMode: r.approval_mode,
    minDurationMinutes: r.min_duration_minutes,
    maxDurationMinutes: r.max_duration_minutes,
    horizonDays: r.horizon_days,
    minNoticeMinutes: r.min_notice_minutes,
    bufferMinutes: r.buffer_minutes,
    weeklyQuotaMinutes: r.weekly_quota_minutes,
    archived: r.archived,
    leaves: r.leaves.map(Number),
    openingHours: r.hours,
    closures: r.closures,
  };
}

export async function loadAssociationContext(db: Database, associationId: number, actorId: number): Promise<AssociationContext> {
  const row = await db
    .selectFrom("associations as a")
    .leftJoin("memberships as m", (j) => j.onRef("m.association_id", "=", "a.id").on("m.user_id", "=", actorId))
    .select(["a.id", "a.verified", "m.role"])
    .where("a.id", "=", associationId)
    .executeTakeFirst();
  if (!row) throw new NotFound("association");
  return { associationId: row.id, verified: row.verified, actorRole: row.role };
}
