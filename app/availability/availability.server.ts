// Free and busy time of one venue, inside its opening hours, with closures and
// buffers applied. Reads may go to a replica: the exclusion constraint, not
// this view, decides whether a booking fits.
import { sql } from "kysely";
import type { Database } from "db/client";
import { keptVenueContext, loadVenueContextAndKeep } from "~/booking/context.server";
import { InvalidInput } from "~/errors/domain-errors";
import { type Interval, intersect, merge, subtract } from "~/time/interval";
import { openIntervals } from "~/time/opening";
import { addDays, parseLocalDate, startOfLocalDay } from "~/time/zoned";

export interface BusyInterval extends Interval {
  /** Set for public bookings only; private ones show as simply busy. */
  publicTitle: string | null;
  /** Time a caretaker blocked: shown as closed, and its reason never leaves the staff pages. */
  closed: boolean;
}

export interface Availability {
  venueId: number;
  timeZone: string;
  from: string;
  to: string;
  open: Interval[];
  free: Interval[];
  busy: BusyInterval[];
  closures: { startsOn: string; endsOn: string; reason: string }[];
}

const MAX_DAYS = 62;
const DAY = 24 * 60 * 60 * 1000;

/**
 * The claims held on any of the leaf spaces that overlap the window, buffer
 * included (a claim runs to the booking's end plus the venue's buffer): the
 * same rows the exclusion constraint compares a new booking with.
 */
export async function claimsOverlapping(db: Database, leaves: readonly number[], window: Interval): Promise<BusyInterval[]> {
  const { rows } = await sql<ClaimRow>`
    SELECT lower(c.during) AS start, upper(c.during) AS end,
      CASE WHEN b.is_public AND b.kind = 'booking' THEN b.title END AS title, b.kind = 'block' AS closed
    FROM booking_claims c JOIN bookings b ON b.id = c.booking_id
    WHERE c.space_id = ANY(${leaves as number[]}::bigint[])
      AND c.during && tstzrange(${new Date(window.start)}, ${new Date(window.end)}, '[)')
    ORDER BY lower(c.during)`.execute(db);
  return rows.map(toBusy);
}

/**
 * The same for the spaces the venue has now, with the venue's rules stamp
 * (null when there is no such venue), in one call of flokk_venue_claims
 * (db/migrations/…-0010).
 */
async function claimsOfVenue(db: Database, venueId: number, window: Interval): Promise<{ stamp: number | null; claims: BusyInterval[] }> {
  const { rows } = await sql<Partial<ClaimRow> & { stamp: number | null }>`
    SELECT stamp, starts_at AS start, ends_at AS end, title, closed
    FROM flokk_venue_claims(${venueId}::bigint, ${new Date(window.start)}::timestamptz, ${new Date(window.end)}::timestamptz)`.execute(db);
  return { stamp: rows[0]?.stamp ?? null, claims: rows.flatMap((r) => (r.start ? [toBusy(r as ClaimRow)] : [])) };
}

interface ClaimRow {
  start: Date;
  end: Date;
  title: string | null;
  closed: boolean;
}

const toBusy = (r: ClaimRow): BusyInterval => ({ start: r.start.getTime(), end: r.end.getTime(), publicTitle: r.title, closed: r.closed });

/** Availability over the local dates [fromDate, toDate] (inclusive) in the venue's zone. */
export async function availability(db: Database, venueId: number, fromDate: string, toDate: string): Promise<Availability> {
  parseLocalDate(fromDate, "from");
  parseLocalDate(toDate, "to");
  if (toDate < fromDate) throw new InvalidInput({ to: "untilBeforeFrom" });
  if (addDays(fromDate, MAX_DAYS) < toDate) throw new InvalidInput({ to: "rangeTooLong" });

  // The claims over the dates in UTC widened by a day each way cover every
  // zone, and are cut to the venue's local window once its zone is known. The
  // venue's rules: the process's kept copy when its stamp is still the venue's
  // (one round trip); else read beside the claims, not after them (the tail
  // of two round trips one after the other is the p99).
  const wide = { start: Date.parse(`${fromDate}T00:00:00Z`) - DAY, end: Date.parse(`${addDays(toDate, 1)}T00:00:00Z`) + DAY };
  const kept = keptVenueContext(db, venueId, fromDate, toDate);
  const [{ stamp, claims }, read] = await Promise.all([
    claimsOfVenue(db, venueId, wide),
    kept ? null : loadVenueContextAndKeep(db, venueId, fromDate, toDate),
  ]);
  const venue = read ?? (kept && kept.stamp === stamp ? kept : await loadVenueContextAndKeep(db, venueId, fromDate, toDate));
  const closures = venue.closures.filter((c) => c.endsOn >= fromDate && c.startsOn <= toDate);
  const window = {
    start: startOfLocalDay(fromDate, venue.timeZone).toMillis(),
    end: startOfLocalDay(addDays(toDate, 1), venue.timeZone).toMillis(),
  };
  const busy = claims.filter((b) => b.end > window.start && b.start < window.end);
  const open = openIntervals(venue.openingHours, closures, fromDate, toDate, venue.timeZone);
  const busyInOpen = intersect(merge(busy), open);
  return {
    venueId,
    timeZone: venue.timeZone,
    from: fromDate,
    to: toDate,
    open,
    free: subtract(open, busyInOpen),
    busy,
    closures,
  };
}
