// Finding a venue: what it is (kind, size, equipment, step-free access) and,
// when asked, whether it is free at a given local time.
//
// SQL does what it does best: the plain filters, and the question "does any
// claim overlap this time?", answered by the exclusion constraint's own GiST
// index over the same leaf spaces and the same buffered range the constraint
// would compare a new booking with. Whether the venue is open then (opening
// hours, closures of it or of the venue it is part of) is decided by the
// booking rules' own check (checkOpen in app/booking/rules.ts), so search and
// booking cannot disagree about it.
import { sql } from "kysely";
import type { Database } from "db/client";
import { checkOpen, type VenueRules } from "~/booking/rules";
import { localSpan } from "~/booking/request";
import { DomainError, InvalidInput, NonexistentLocalTime } from "~/errors/domain-errors";
import type { Interval } from "~/time/interval";
import type { Closure, OpeningRule } from "~/time/opening";
import { addDays, localDateOf, parseLocalDate, parseLocalTime } from "~/time/zoned";

/** Local date and wall times in each venue's own zone; `end` may be "24:00". */
export interface WallSpan {
  date: string;
  start: string;
  end: string;
}

export interface SearchFilters {
  /** Any of these kinds; none means every kind. */
  kinds?: readonly string[];
  capacityAtLeast?: number | null;
  /** All of these amenities. */
  amenities?: readonly string[];
  stepFree?: boolean;
  /** Free for the whole of this time. */
  free?: WallSpan | null;
}

export interface VenueHit {
  id: number;
  slug: string;
  name: string;
  kind: string;
  capacity: number;
  amenities: string[];
  stepFree: boolean;
  parentName: string | null;
  siteId: number;
  siteName: string;
  siteAddress: string;
  timeZone: string;
}

export interface SearchResult {
  venues: VenueHit[];
  /** The time every venue in `venues` is free, when one was asked for. */
  freeAt: WallSpan | null;
}

/** The options the search form offers: what the venues really have. */
export interface SearchOptions {
  kinds: string[];
  amenities: string[];
}

/** Dates further ahead than this cannot be booked anyway; it bounds a hand-edited URL. */
const MAX_DAYS_AHEAD = 3650;
const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_CHOICES = 50;

export async function searchOptions(db: Database): Promise<SearchOptions> {
  const { rows } = await sql<{ kinds: string[] | null; amenities: string[] | null }>`
    SELECT (SELECT array_agg(DISTINCT kind ORDER BY kind) FROM venues WHERE archived_at IS NULL) AS kinds,
           (SELECT array_agg(DISTINCT a ORDER BY a) FROM venues, unnest(amenities) AS a WHERE archived_at IS NULL) AS amenities`.execute(db);
  return { kinds: rows[0]?.kinds ?? [], amenities: rows[0]?.amenities ?? [] };
}

function cleanChoices(field: string, values: readonly string[] | undefined): string[] {
  const list = [...new Set(values ?? [])];
  if (list.length > MAX_CHOICES || list.some((v) => typeof v !== "string" || v.length > 60 || !SLUG_RE.test(v)))
    throw new InvalidInput({ [field]: "invalidChoice" });
  return list;
}

/** "HH:MM" wall times compare as strings; "24:00" is the end of the day. */
function checkWallSpan(free: WallSpan): void {
  const fields: Record<string, string> = {};
  try {
    parseLocalDate(free.date, "date");
  } catch {
    fields.date = "invalidDate";
  }
  try {
    parseLocalTime(free.start, "start");
  } catch {
    fields.start = "invalidTime";
  }
  try {
    if (free.end !== "24:00") parseLocalTime(free.end, "end");
  } catch {
    fields.end = "invalidTime";
  }
  if (Object.keys(fields).length) throw new InvalidInput(fields);
  if (free.end.slice(0, 5) <= free.start.slice(0, 5)) throw new InvalidInput({ end: "endNotAfterStart" });
}

/**
 * The span in each zone where it exists and has not begun. Throws a field
 * error when it exists in none of them, naming why in the first zone.
 */
function spansByZone(free: WallSpan, zones: readonly string[], now: Date): Map<string, Interval> {
  const spans = new Map<string, Interval>();
  let problem: Record<string, string> | null = null;
  for (const zone of zones) {
    const today = localDateOf(now, zone);
    if (free.date > addDays(today, MAX_DAYS_AHEAD)) {
      problem ??= { date: "outOfRange" };
      continue;
    }
    try {
      const span = localSpan(free.date, free.start, free.end, zone);
      if (span.start < now.getTime()) {
        problem ??= free.date < today ? { date: "inPast" } : { start: "inPast" };
        continue;
      }
      spans.set(zone, span);
    } catch (e) {
      if (!(e instanceof NonexistentLocalTime)) throw e;
      problem ??= e.params.time === free.start ? { start: "nonexistentTime" } : { end: "nonexistentTime" };
    }
  }
  if (spans.size === 0 && problem) throw new InvalidInput(problem);
  return spans;
}

/** A candidate venue with the rules that decide whether it can be booked at the span. */
export interface VenueCandidate extends VenueHit {
  rules: VenueRules;
  bufferMinutes: number;
  /** The span in this venue's zone, when one was asked for. */
  span: Interval | null;
}

interface CandidateRow {
  id: number;
  slug: string;
  name: string;
  kind: string;
  capacity: number;
  amenities: string[];
  step_free: boolean;
  parent_name: string | null;
  site_id: number;
  site_name: string;
  site_address: string;
  time_zone: string;
  buffer_minutes: number;
  min_duration_minutes: number;
  max_duration_minutes: number;
  horizon_days: number;
  min_notice_minutes: number;
  hours: OpeningRule[] | null;
  closures: Closure[] | null;
  span_start: Date | null;
  span_end: Date | null;
}

export interface CandidateQuery {
  kinds: readonly string[];
  capacityAtLeast: number | null;
  amenities: readonly string[];
  stepFree: boolean;
  /**
   * When set: only venues in one of these zones whose leaf spaces hold no
   * claim overlapping the zone's span plus the venue's buffer (the range a
   * booking there would claim), with their opening hours and their closures
   * (and those of the venues they are part of) on the local dates around it.
   * A single interval means the same instants in every zone.
   */
  spans: Map<string, Interval> | Interval | null;
  closureDates?: { from: string; to: string };
}

/** Venues matching the plain filters and, with spans, free of claims then. One statement. */
export async function findCandidates(db: Database, q: CandidateQuery): Promise<VenueCandidate[]> {
  const row = (zone: string, s: Interval) => ({ zone, lo: new Date(s.start).toISOString(), hi: new Date(s.end).toISOString() });
  const spans = q.spans === null ? null : q.spans instanceof Map ? [...q.spans].map(([zone, s]) => row(zone, s)) : [row("*", q.spans)];
  const from = q.closureDates?.from ?? "1970-01-01";
  const to = q.closureDates?.to ?? "1970-01-01";
  const { rows } = await sql<CandidateRow>`
    WITH RECURSIVE cand AS (
      SELECT v.* FROM venues v
      WHERE v.archived_at IS NULL
        ${q.kinds.length ? sql`AND v.kind = ANY(${q.kinds as string[]}::text[])` : sql``}
        ${q.capacityAtLeast !== null ? sql`AND v.capacity >= ${q.capacityAtLeast}` : sql``}
        ${q.amenities.length ? sql`AND v.amenities @> ${q.amenities as string[]}::text[]` : sql``}
        ${q.stepFree ? sql`AND v.step_free` : sql``}
    ), down AS (
      -- Each candidate and its parts (not archived), as flokk_booking_context walks them.
      SELECT c.id AS root, c.id FROM cand c
      UNION ALL SELECT d.root, v.id FROM venues v JOIN down d ON v.parent_id = d.id WHERE v.archived_at IS NULL
    ), up AS (
      SELECT c.id AS root, c.id, c.parent_id FROM cand c
      UNION ALL SELECT u.root, v.id, v.parent_id FROM venues v JOIN up u ON v.id = u.parent_id
    ), spans AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(spans ?? [])}::jsonb) AS s(zone text, lo timestamptz, hi timestamptz)
    )
    SELECT v.id, v.slug, v.name, v.kind, v.capacity, v.amenities, v.step_free, p.name AS parent_name,
      s.id AS site_id, s.name AS site_name, s.address AS site_address, v.time_zone, v.buffer_minutes,
      v.min_duration_minutes, v.max_duration_minutes, v.horizon_days, v.min_notice_minutes,
      sp.lo AS span_start, sp.hi AS span_end,
      CASE WHEN ${spans !== null}::boolean THEN (
        SELECT json_agg(json_build_object('weekday', h.weekday, 'opens', h.opens, 'closes', h.closes))
        FROM opening_hours h WHERE h.venue_id = v.id) END AS hours,
      CASE WHEN ${spans !== null}::boolean THEN (
        -- Of it, of every venue it is part of, and of its parts: a closed half
        -- makes the whole unavailable (migration 0014).
        SELECT json_agg(json_build_object('startsOn', c.starts_on, 'endsOn', c.ends_on, 'reason', c.reason))
        FROM closures c
        WHERE (c.venue_id IN (SELECT u.id FROM up u WHERE u.root = v.id) OR c.venue_id IN (SELECT d.id FROM down d WHERE d.root = v.id))
          AND c.ends_on >= ${from}::date AND c.starts_on <= ${to}::date) END AS closures
    FROM cand v
    JOIN sites s ON s.id = v.site_id
    LEFT JOIN venues p ON p.id = v.parent_id
    LEFT JOIN spans sp ON sp.zone IN (v.time_zone, '*')
    WHERE NOT ${spans !== null}::boolean OR (
      sp.zone IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM down d JOIN booking_claims bc ON bc.space_id = d.id
        WHERE d.root = v.id
          -- Claims sit on leaf spaces only: a whole hall claims each of its parts.
          AND NOT EXISTS (SELECT 1 FROM venues ch WHERE ch.parent_id = d.id AND ch.archived_at IS NULL)
          AND bc.during && tstzrange(sp.lo, sp.hi + make_interval(mins => v.buffer_minutes), '[)')))
    ORDER BY s.name, coalesce(p.name, v.name), v.parent_id IS NOT NULL, v.name, v.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    kind: r.kind,
    capacity: r.capacity,
    amenities: r.amenities,
    stepFree: r.step_free,
    parentName: r.parent_name,
    siteId: r.site_id,
    siteName: r.site_name,
    siteAddress: r.site_address,
    timeZone: r.time_zone,
    bufferMinutes: r.buffer_minutes,
    rules: {
      timeZone: r.time_zone,
      capacity: r.capacity,
      minDurationMinutes: r.min_duration_minutes,
      maxDurationMinutes: r.max_duration_minutes,
      horizonDays: r.horizon_days,
      minNoticeMinutes: r.min_notice_minutes,
      openingHours: r.hours ?? [],
      closures: r.closures ?? [],
    },
    span: r.span_start && r.span_end ? { start: new Date(r.span_start).getTime(), end: new Date(r.span_end).getTime() } : null,
  }));
}

/** True when `check` passes; false when it throws a domain error (a rule the span breaks). */
export function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}

export function toHit(c: VenueCandidate): VenueHit {
  const { rules: _r, bufferMinutes: _b, span: _s, ...hit } = c;
  return hit;
}

/**
 * Active venues matching every filter, by site, each whole venue before its
 * parts. With `free`, only venues open for the whole of that local time (in
 * their own zone), not closed that day, and with no booking (buffer included)
 * on any space they occupy. Throws InvalidInput naming the field for a
 * malformed filter, a time that does not exist or has passed.
 */
export async function searchVenues(db: Database, filters: SearchFilters, now: Date): Promise<SearchResult> {
  const kinds = cleanChoices("kind", filters.kinds);
  const amenities = cleanChoices("amenity", filters.amenities);
  const capacity = filters.capacityAtLeast ?? null;
  if (capacity !== null && (!Number.isSafeInteger(capacity) || capacity <= 0)) throw new InvalidInput({ capacity: "positiveInteger" });
  const free = filters.free ?? null;

  let spans: Map<string, Interval> | null = null;
  if (free) {
    checkWallSpan(free);
    const zones = await db.selectFrom("venues").select("time_zone").distinct().where("archived_at", "is", null).execute();
    spans = spansByZone(
      free,
      zones.map((z) => z.time_zone),
      now,
    );
  }
  const candidates = await findCandidates(db, {
    kinds,
    capacityAtLeast: capacity,
    amenities,
    stepFree: filters.stepFree === true,
    spans,
    closureDates: free ? { from: addDays(free.date, -1), to: addDays(free.date, 1) } : undefined,
  });
  const venues = candidates.filter((c) => c.span === null || passes(() => checkOpen(c.rules, c.span!))).map(toHit);
  return { venues, freeAt: free ? { date: free.date, start: free.start.slice(0, 5), end: free.end.slice(0, 5) } : null };
}
