// Small builders for test data, written straight to the database.
import type { BookingRequest } from "../../app/booking/booking.server";
import type { Database } from "../../db/client";
import type { VenuesTable } from "../../db/schema";
import type { Insertable } from "kysely";
import { orgNumberCheckDigit } from "../../app/associations/org-number";

let counter = 0;
const next = () => ++counter;

/** Valid organisation numbers (mod-11 check digit) for tests. */
export const ORG_NUMBERS = ["974760673", "971524960", "983887457", "912345675", "922222223", "987654325"];

export async function makeOwner(db: Database, timeZone = "Europe/Oslo") {
  const n = next();
  const owner = await db.insertInto("owners").values({ name: `Kommune ${n}`, slug: `kommune-${n}`, time_zone: timeZone }).returningAll().executeTakeFirstOrThrow();
  const site = await db.insertInto("sites").values({ owner_id: owner.id, name: `Skole ${n}`, address: `Skolevegen ${n}` }).returningAll().executeTakeFirstOrThrow();
  return { owner, site };
}

export interface VenueOptions extends Partial<Insertable<VenuesTable>> {
  /** Opening hours for every weekday; default 08:00–22:00. */
  hours?: { opens: string; closes: string }[];
}

export async function makeVenue(db: Database, siteId: number, options: VenueOptions = {}) {
  const n = next();
  const { hours = [{ opens: "08:00", closes: "22:00" }], ...values } = options;
  const venue = await db
    .insertInto("venues")
    .values({
      site_id: siteId,
      name: `Rom ${n}`,
      slug: `rom-${n}-${Math.random().toString(36).slice(2, 8)}`,
      kind: "meeting-room",
      capacity: 30,
      min_duration_minutes: 30,
      max_duration_minutes: 600,
      horizon_days: 400,
      min_notice_minutes: 0,
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const rows = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => hours.map((h) => ({ venue_id: venue.id, weekday, ...h })));
  if (rows.length) await db.insertInto("opening_hours").values(rows).execute();
  return venue;
}

export async function makeUser(db: Database, name = "Test Person") {
  const n = next();
  return db.insertInto("users").values({ email: `user${n}-${Math.random().toString(36).slice(2, 8)}@example.org`, name }).returningAll().executeTakeFirstOrThrow();
}

/** An association with a member (the leader) ready to book. */
export async function makeAssociation(db: Database, options: { verified?: boolean } = {}) {
  const n = next();
  // Spaced by 11 so that skipping a base without a check digit never reaches the next one;
  // each test file has its own process, counter and database.
  const orgNumber = withCheckDigit(String(10_000_000 + n * 11));
  const association = await db
    .insertInto("associations")
    .values({ name: `Lag ${n}`, org_number: orgNumber, contact_email: `lag${n}@example.org`, verified: options.verified ?? true })
    .returningAll()
    .executeTakeFirstOrThrow();
  const leader = await makeUser(db, `Leder ${n}`);
  await db.insertInto("memberships").values({ association_id: association.id, user_id: leader.id, role: "leader" }).execute();
  return { association, leader };
}

/**
 * A venue (open 08:00–22:00) and an association whose leader may book it, with
 * a request for it, 10:00–11:00 on 2026-09-10, for a test to vary.
 */
export async function makeBookingSetup(db: Database, options: { venue?: VenueOptions; verified?: boolean } = {}) {
  const { site } = await makeOwner(db);
  const venue = await makeVenue(db, site.id, options.venue);
  const { association, leader } = await makeAssociation(db, { verified: options.verified });
  const base: BookingRequest = {
    actorId: leader.id,
    venueId: venue.id,
    associationId: association.id,
    date: "2026-09-10",
    start: "10:00",
    end: "11:00",
    title: "Trening",
    expectedAttendees: 10,
  };
  return { site, venue, association, leader, base };
}

/** Appends the mod-11 check digit; tries the next base when none exists. */
export function withCheckDigit(base8: string): string {
  for (let b = Number(base8); ; b++) {
    const digits = String(b).padStart(8, "0").slice(-8);
    const check = orgNumberCheckDigit(digits);
    if (check !== null) return digits + check;
  }
}
