// Free and busy time of one venue, inside its opening hours, with closures and
// buffers applied. Reads may go to a replica: the exclusion constraint, not
// this view, decides whether a booking fits.
import { type RawBuilder, sql } from "kysely";
import type { Database } from "db/client";
import { planVenueContext, settleVenueContext } from "~/booking/context.server";
import { InvalidInput } from "~/errors/domain-errors";
import { type Interval, intersect, merge, subtract } from "~/time/interval";
import { type Closure, openIntervals } from "~/time/opening";
import { addDays, parseLocalDate, startOfLocalDayMillis } from "~/time/zoned";
import { PUBLIC_TITLE } from "~/booking/public-title.server";

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
  closures: Closure[];
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
      ${PUBLIC_TITLE} AS title, b.kind = 'block' AS closed
    FROM booking_claims c JOIN bookings b ON b.id = c.booking_id
    WHERE c.space_id = ANY(${leaves as number[]}::bigint[])
      AND c.during && tstzrange(${new Date(window.start)}, ${new Date(window.end)}, '[)')
    ORDER BY lower(c.during)`.execute(db);
  return rows.map(toBusy);
}

/**
 * The same for the spaces the venue has now, with the venue's rules stamp
 * (null when there is no such venue), in one call of flokk_venue_claims
 * (db/migrations/…-0010); and, when given `context`, that too, in the same
 * statement (so from the same snapshot, and in one round trip).
 */
async function claimsOfVenue(
  db: Database,
  venueId: number,
  window: Interval,
  context: RawBuilder<unknown> | null,
): Promise<{ stamp: number | null; claims: BusyInterval[]; context: unknown }> {
  const { rows } = await sql<Partial<ClaimRow> & { stamp: number | null; context: unknown }>`
    SELECT c.stamp, c.starts_at AS start, c.ends_at AS end, c.title, c.closed,
      ${context ? sql`CASE WHEN c.n = 1 THEN (SELECT ${context}) END` : sql`NULL`} AS context
    FROM flokk_venue_claims(${venueId}::bigint, ${new Date(window.start)}::timestamptz, ${new Date(window.end)}::timestamptz)
      WITH ORDINALITY AS c(stamp, starts_at, ends_at, title, closed, n)
    ORDER BY c.n`.execute(db);
  return {
    stamp: rows[0]?.stamp ?? null,
    claims: rows.flatMap((r) => (r.start ? [toBusy(r as ClaimRow)] : [])),
    context: rows[0]?.context ?? null,
  };
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
  // venue's rules: the process's kept copy when its stamp is still the venue's,
  // else read in the same statement as the claims; one round trip either way
  // (the tail of two round trips is the p99), two only when a kept copy is stale.
  const wide = { start: Date.parse(`${fromDate}T00:00:00Z`) - DAY, end: Date.parse(`${addDays(toDate, 1)}T00:00:00Z`) + DAY };
  const plan = planVenueContext(db, venueId, fromDate, toDate);
  const { stamp, claims, context } = await claimsOfVenue(db, venueId, wide, plan.sql);
  const venue = await settleVenueContext(db, plan, stamp, context);
  const closures = venue.closures.filter((c) => c.endsOn >= fromDate && c.startsOn <= toDate);
  const window = {
    start: startOfLocalDayMillis(fromDate, venue.timeZone),
    end: startOfLocalDayMillis(addDays(toDate, 1), venue.timeZone),
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
