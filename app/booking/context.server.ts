// Everything the rules need about a venue, the requesting association and a
// possible earlier request with the same idempotency key, fetched in one round
// trip through flokk_booking_context (db/migrations/…-0002): this sits on the
// hot path of every booking.
import { sql } from "kysely";
import type { Database } from "db/client";
import type { ApprovalMode, MemberRole } from "db/schema";
import { NotFound } from "~/errors/domain-errors";
import type { StoredKey } from "./booking-repository.server";
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
  leaves: number[];
  hours: { weekday: number; opens: string; closes: string }[];
  closures: { startsOn: string; endsOn: string; reason: string }[];
  association: { id: number; verified: boolean; role: MemberRole | null } | null;
  replay: { booking_id: string | null; series_id: string | null; request_hash: string } | null;
}

interface ContextQuery {
  venueId: number;
  fromDate: string;
  toDate: string;
  associationId?: number;
  actorId?: number;
  idempotency?: { scope: string; key: string } | null;
}

async function queryContext(db: Database, q: ContextQuery): Promise<Row> {
  const { rows } = await sql<{ ctx: Row | null }>`
    SELECT flokk_booking_context(${q.venueId}::bigint, ${q.associationId ?? 0}::bigint, ${q.actorId ?? 0}::bigint,
      ${q.fromDate}::date, ${q.toDate}::date, ${q.idempotency?.scope ?? null}::text, ${q.idempotency?.key ?? null}::text) AS ctx`.execute(db);
  const ctx = rows[0]?.ctx;
  if (!ctx) throw new NotFound("venue");
  return ctx;
}

function toVenueContext(r: Row): VenueContext {
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

/**
 * The venue's rules, with closures of the venue and of every venue it is part
 * of (a closed hall closes its halves) overlapping the local dates [fromDate, toDate].
 */
export async function loadVenueContext(db: Database, venueId: number, fromDate: string, toDate: string): Promise<VenueContext> {
  return toVenueContext(await queryContext(db, { venueId, fromDate, toDate }));
}

/** The venue, the association with the actor's role in it, and any stored idempotency key. */
export async function loadBookingContext(
  db: Database,
  q: Required<Omit<ContextQuery, "idempotency">> & { idempotency: ContextQuery["idempotency"] },
): Promise<{ venue: VenueContext; association: AssociationContext; stored: StoredKey | null }> {
  const row = await queryContext(db, q);
  const venue = toVenueContext(row);
  if (!row.association) throw new NotFound("association");
  const r = row.replay;
  return {
    venue,
    association: { associationId: row.association.id, verified: row.association.verified, actorRole: row.association.role },
    stored: r ? { bookingId: r.booking_id, seriesId: r.series_id, requestHash: r.request_hash } : null,
  };
}
