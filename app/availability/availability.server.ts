// Free and busy time of one venue, inside its opening hours, with closures and
// buffers applied. Reads may go to a replica: the exclusion constraint, not
// this view, decides whether a booking fits.
import { type RawBuilder, sql } from "kysely";
import type { Database } from "db/client";
import { loadVenueContext } from "~/booking/context.server";
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
export function claimsOverlapping(db: Database, leaves: readonly number[], window: Interval): Promise<BusyInterval[]> {
  return claimsOn(db, sql`${leaves as number[]}::bigint[]`, window);
}

/** The same for the spaces the venue has now (flokk_leaves, db/migrations/…-0008), in one query. */
function claimsOfVenue(db: Database, venueId: number, window: Interval): Promise<BusyInterval[]> {
  return claimsOn(db, sql`flokk_leaves(${venueId}::bigint)`, window);
}

async function claimsOn(db: Database, spaces: RawBuilder<unknown>, window: Interval): Promise<BusyInterval[]> {
  const { rows } = await sql<{ start: Date; end: Date; title: string | null; closed: boolean }>`
    SELECT lower(c.during) AS start, upper(c.during) AS end,
      CASE WHEN b.is_public AND b.kind = 'booking' THEN b.title END AS title, b.kind = 'block' AS closed
    FROM booking_claims c JOIN bookings b ON b.id = c.booking_id
    WHERE c.space_id = ANY(${spaces})
      AND c.during && tstzrange(${new Date(window.start)}, ${new Date(window.end)}, '[)')
    ORDER BY lower(c.during)`.execute(db);
  return rows.map((r) => ({ start: r.start.getTime(), end: r.end.getTime(), publicTitle: r.title, closed: r.closed }));
}

/** Availability over the local dates [fromDate, toDate] (inclusive) in the venue's zone. */
export async function availability(db: Database, venueId: number, fromDate: string, toDate: string): Promise<Availability> {
  parseLocalDate(fromDate, "from");
  parseLocalDate(toDate, "to");
  if (toDate < fromDate) throw new InvalidInput({ to: "untilBeforeFrom" });
  if (addDays(fromDate, MAX_DAYS) < toDate) throw new InvalidInput({ to: "rangeTooLong" });

  // The venue's rules and its claims side by side, not one after the other
  // (half the wait, and the tail of two round trips is the p99): the claims
  // over the dates in UTC widened by a day each way cover every zone, and are
  // cut to the venue's local window once its zone is known.
  const wide = { start: Date.parse(`${fromDate}T00:00:00Z`) - DAY, end: Date.parse(`${addDays(toDate, 1)}T00:00:00Z`) + DAY };
  const [venue, claims] = await Promise.all([loadVenueContext(db, venueId, fromDate, toDate), claimsOfVenue(db, venueId, wide)]);
  const window = {
    start: startOfLocalDay(fromDate, venue.timeZone).toMillis(),
    end: startOfLocalDay(addDays(toDate, 1), venue.timeZone).toMillis(),
  };
  const busy = claims.filter((b) => b.end > window.start && b.start < window.end);
  const open = openIntervals(venue.openingHours, venue.closures, fromDate, toDate, venue.timeZone);
  const busyInOpen = intersect(merge(busy), open);
  return {
    venueId,
    timeZone: venue.timeZone,
    from: fromDate,
    to: toDate,
    open,
    free: subtract(open, busyInOpen),
    busy,
    closures: [...venue.closures],
  };
}
