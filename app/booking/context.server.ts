// Everything the rules need about a venue, the requesting association and a
// possible earlier request with the same idempotency key, fetched in one round
// trip through flokk_booking_context (db/migrations/…-0002, as replaced by
// …-0008 and …-0010), or kept from an earlier request (context-cache.server.ts):
// this sits on the hot path of every booking.
import { type RawBuilder, sql } from "kysely";
import type { Database } from "db/client";
import type { ApprovalMode, MemberRole } from "db/schema";
import { NotFound } from "~/errors/domain-errors";
import { addDays } from "~/time/zoned";
import type { StoredKey } from "./booking-repository.server";
import { type ContextCache, cacheFor } from "./context-cache.server";
import { type Coalescer, coalescerFor, type Outcome } from "./coalesce.server";
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
  /** New with any change of the venue's row, its hours, or the closures of it or of a venue it is part of (migration 0010): what a write checks a kept context by. */
  stamp: number;
}

export interface AssociationContext {
  associationId: number;
  verified: boolean;
  /** Turned down by an owner admin (app/admin/associations-admin.server.ts): books nothing. */
  rejected: boolean;
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
  stamp: number;
  leaves: number[];
  hours: { weekday: number; opens: string; closes: string }[];
  closures: { startsOn: string; endsOn: string; reason: string; venue?: string | null }[];
  association: { id: number; verified: boolean; rejected: boolean; role: MemberRole | null } | null;
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
  // Inside a caller's transaction the read must see that transaction: asked directly.
  const ctx = db.isTransaction ? await queryOne(db, q) : await coalescerFor(contexts, db, queryMany).call(q);
  if (!ctx) throw new NotFound("venue");
  return ctx;
}

async function queryOne(db: Database, q: ContextQuery): Promise<Row | null> {
  const { rows } = await sql<{ ctx: Row | null }>`
    SELECT flokk_booking_context(${q.venueId}::bigint, ${q.associationId ?? 0}::bigint, ${q.actorId ?? 0}::bigint,
      ${q.fromDate}::date, ${q.toDate}::date, ${q.idempotency?.scope ?? null}::text, ${q.idempotency?.key ?? null}::text) AS ctx`.execute(db);
  return rows[0]?.ctx ?? null;
}

const contexts = new WeakMap<Database, Coalescer<ContextQuery, Row | null>>();

/** The contexts of concurrent requests in one statement (see coalesce.server.ts); it only reads. */
async function queryMany(db: Database, qs: ContextQuery[]): Promise<Outcome<Row | null>[]> {
  if (qs.length === 1) return [{ ok: true, value: await queryOne(db, qs[0]!) }];
  try {
    return await queryBatch(db, qs);
  } catch {
    // It only reads, so asking again one by one is safe: a request that breaks
    // the statement fails alone, the others get their context.
    return Promise.all(
      qs.map((q) =>
        queryOne(db, q).then(
          (value): Outcome<Row | null> => ({ ok: true, value }),
          (error): Outcome<Row | null> => ({ ok: false, error }),
        ),
      ),
    );
  }
}

async function queryBatch(db: Database, qs: ContextQuery[]): Promise<Outcome<Row | null>[]> {
  const { rows } = await sql<{ ord: number; ctx: Row | null }>`
    SELECT q.ord::int AS ord, flokk_booking_context(q.venue, q.association, q.actor, q.from_date, q.to_date, q.scope, q.key) AS ctx
    FROM unnest(${qs.map((q) => q.venueId)}::bigint[], ${qs.map((q) => q.associationId ?? 0)}::bigint[],
      ${qs.map((q) => q.actorId ?? 0)}::bigint[], ${qs.map((q) => q.fromDate)}::date[], ${qs.map((q) => q.toDate)}::date[],
      ${qs.map((q) => q.idempotency?.scope ?? null)}::text[], ${qs.map((q) => q.idempotency?.key ?? null)}::text[])
      WITH ORDINALITY AS q(venue, association, actor, from_date, to_date, scope, key, ord)`.execute(db);
  const out: Outcome<Row | null>[] = qs.map(() => ({ ok: true, value: null }));
  for (const r of rows) out[r.ord - 1] = { ok: true, value: r.ctx };
  return out;
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
    stamp: Number(r.stamp),
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

const keptVenues = new WeakMap<Database, ContextCache<VenueContext>>();

/**
 * How a reader that checks the venue's stamp in a query of its own
 * (availability) gets the venue's context: the process's kept copy, or, when
 * it has none, the SQL to ask for it in that same query (over a year of
 * closures, so that the answer is worth keeping).
 */
export interface VenueContextPlan {
  venueId: number;
  fromDate: string;
  toDate: string;
  kept: VenueContext | null;
  sql: RawBuilder<unknown> | null;
}

export function planVenueContext(db: Database, venueId: number, fromDate: string, toDate: string): VenueContextPlan {
  const kept = keptVenues.get(db)?.get(String(venueId), fromDate, toDate) ?? null;
  const sqlToAsk = kept ? null : sql`flokk_booking_context(${venueId}::bigint, 0, 0, ${fromDate}::date, ${keptUntil(fromDate, toDate)}::date, NULL, NULL)`;
  return { venueId, fromDate, toDate, kept, sql: sqlToAsk };
}

/**
 * The venue's context for `plan`, given the venue's stamp and the answer to
 * `plan.sql` read beside it: the kept copy while its stamp is the venue's, else
 * that answer, kept; a stale kept copy is read again. NotFound when there is
 * no such venue.
 */
export async function settleVenueContext(db: Database, plan: VenueContextPlan, stamp: number | null, answer: unknown): Promise<VenueContext> {
  if (plan.kept && plan.kept.stamp === stamp) return plan.kept;
  const until = keptUntil(plan.fromDate, plan.toDate);
  const row = plan.kept ? await queryContext(db, { venueId: plan.venueId, fromDate: plan.fromDate, toDate: until }) : answer;
  if (!row) throw new NotFound("venue");
  const venue = toVenueContext(row as Row);
  cacheFor(keptVenues, db).set(String(plan.venueId), venue, plan.fromDate, until);
  return venue;
}

type BookingContextQuery = Required<Omit<ContextQuery, "idempotency">> & { idempotency: ContextQuery["idempotency"] };

export interface BookingContext {
  venue: VenueContext;
  association: AssociationContext;
  stored: StoredKey | null;
}

/** The venue, the association with the actor's role in it, and any stored idempotency key. */
export async function loadBookingContext(db: Database, q: BookingContextQuery): Promise<BookingContext> {
  return toBookingContext(await queryContext(db, q));
}

function toBookingContext(row: Row): BookingContext {
  const venue = toVenueContext(row);
  if (!row.association) throw new NotFound("association");
  const r = row.replay;
  return {
    venue,
    association: { associationId: row.association.id, verified: row.association.verified, rejected: row.association.rejected, actorRole: row.association.role },
    stored: r ? { bookingId: r.booking_id, seriesId: r.series_id, requestHash: r.request_hash } : null,
  };
}

/** How many days of closures a kept context holds from the first date asked: a year covers the usual horizon. */
const KEPT_DAYS = 370;
const kept = new WeakMap<Database, ContextCache<BookingContext>>();

/**
 * loadBookingContext through the process's cache (context-cache.server.ts).
 * A context from the cache knows no stored key (`stored` is null) and must be
 * checked by the write that uses it; `cached` says which it is.
 */
export async function loadBookingContextKept(db: Database, q: BookingContextQuery): Promise<BookingContext & { cached: boolean }> {
  const cache = cacheFor(kept, db);
  const key = keptKey(q);
  const hit = cache.get(key, q.fromDate, q.toDate);
  if (hit) return { ...hit, cached: true };
  const wide = { ...q, toDate: keptUntil(q.fromDate, q.toDate) };
  const context = toBookingContext(await queryContext(db, wide));
  // Kept as the rules read it, so that a hit converts nothing; never the stored key.
  cache.set(key, { venue: context.venue, association: context.association, stored: null }, wide.fromDate, wide.toDate);
  return { ...context, cached: false };
}

/** Drops the kept context: the write found it out of date. */
export function forgetBookingContext(db: Database, q: Pick<BookingContextQuery, "venueId" | "associationId" | "actorId">): void {
  kept.get(db)?.forget(keptKey(q));
}

const keptKey = (q: Pick<BookingContextQuery, "venueId" | "associationId" | "actorId">) => `${q.venueId}:${q.associationId}:${q.actorId}`;
/** The last date a kept context covers: a year on, within the calendar (year 9999 is refused later, not here). */
function keptUntil(from: string, to: string): string {
  const until = from < "9998-01-01" ? addDays(from, KEPT_DAYS) : to;
  return until > to ? until : to;
}
