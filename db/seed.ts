// Demo data: one municipality, its buildings and venues, associations and
// people, and bookings in the coming weeks. Bookings go through the booking
// engine (not straight into the tables), so the demo obeys the same rules and
// claims as real use. Everything is relative to `now`, which callers pass in.
import { sql } from "kysely";
import { orgNumberCheckDigit } from "../app/associations/org-number";
import { requestBooking } from "../app/booking/booking.server";
import { createSeries, previewSeries, type SeriesRequest } from "../app/booking/series.server";
import { blockTime } from "../app/caretaker/blocks.server";
import { SKIP } from "../app/notifications/render.server";
import { closureOn } from "../app/time/opening";
import { addDays, localDateOf, weekdayOf } from "../app/time/zoned";
import type { Database } from "./client";
import { ASSOCIATIONS, type Hours, SITES, USERS, type VenueSpec } from "./seed-data";

const ZONE = "Europe/Oslo";
// Any constant will do: it only keeps two processes from seeding at once.
const SEED_LOCK = 7_304_112;

export interface SeedSummary {
  venues: number;
  associations: number;
  users: number;
  bookings: number;
}

/** The first valid organisation number at or after the 8-digit base. */
export function orgNumberFrom(base8: number): string {
  for (let b = base8; ; b++) {
    const digits = String(b).padStart(8, "0");
    const check = orgNumberCheckDigit(digits);
    if (check !== null) return `${digits}${check}`;
  }
}

async function isEmpty(db: Database): Promise<boolean> {
  const { rows } = await sql<{ used: boolean }>`
    SELECT EXISTS (SELECT 1 FROM owners) OR EXISTS (SELECT 1 FROM venues)
        OR EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM associations) AS used`.execute(db);
  return !rows[0]?.used;
}

/**
 * Fills an empty database and returns what it made; on a database that holds
 * anything already it does nothing and returns null. Two app instances starting
 * at once seed once: the second waits on the lock, then finds data.
 */
export async function seedDemoData(db: Database, now: Date): Promise<SeedSummary | null> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${SEED_LOCK})`.execute(conn);
    try {
      if (!(await isEmpty(db))) return null;
      return await seed(db, now);
    } finally {
      await sql`SELECT pg_advisory_unlock(${SEED_LOCK})`.execute(conn);
    }
  });
}

/**
 * Tables a reset keeps: the calendar feeds' high-water marks and name version.
 * Subscribed clients remember our ETags and Last-Modified dates; starting them
 * over could answer "not modified" to a changed feed or move a date backwards.
 */
const KEPT_ON_RESET = ["calendar_feed_state", "calendar_names"];

/** Deletes every row of the application's tables, then seeds. For `npm run seed`. */
export async function resetAndSeed(db: Database, now: Date): Promise<SeedSummary> {
  const { rows } = await sql<{ name: string }>`
    SELECT quote_ident(tablename) AS name FROM pg_tables
    WHERE schemaname = current_schema() AND tablename NOT LIKE 'kysely\\_%'
      AND tablename <> ALL(${KEPT_ON_RESET})`.execute(db);
  if (rows.length) await sql.raw(`TRUNCATE ${rows.map((r) => r.name).join(", ")} RESTART IDENTITY CASCADE`).execute(db);
  const summary = await seedDemoData(db, now);
  if (!summary) throw new Error("The database was not empty after the reset");
  return summary;
}

function hoursRows(venueId: number, hours: Hours) {
  return Object.entries(hours).flatMap(([weekday, intervals]) =>
    intervals.map(([opens, closes]) => ({ venue_id: venueId, weekday: Number(weekday), opens, closes })),
  );
}

async function seed(db: Database, now: Date): Promise<SeedSummary> {
  const today = localDateOf(now, ZONE);
  const closures = demoClosures(today);

  const ids = await db.transaction().execute(async (trx) => {
    const owner = await trx
      .insertInto("owners")
      .values({ name: "Løvstad kommune", slug: "lovstad", time_zone: ZONE, locale: "nb" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const venues = new Map<string, number>();
    const sites = new Map<string, number>();
    for (const s of SITES) {
      const site = await trx.insertInto("sites").values({ owner_id: owner.id, name: s.name, address: s.address }).returning("id").executeTakeFirstOrThrow();
      sites.set(s.key, site.id);
      for (const v of s.venues) venues.set(v.slug, await insertVenue(trx, site.id, v, venues));
    }
    for (const [slug, list] of Object.entries(closures)) {
      for (const c of list) {
        await trx.insertInto("closures").values({ venue_id: venues.get(slug)!, starts_on: c.startsOn, ends_on: c.endsOn, reason: c.reason }).execute();
      }
    }
    const users = new Map<string, number>();
    for (const u of USERS) {
      const row = await trx.insertInto("users").values({ email: u.email, name: u.name, locale: "nb", phone: u.phone ?? "" }).returning("id").executeTakeFirstOrThrow();
      users.set(u.email, row.id);
    }
    await trx.insertInto("owner_admins").values({ owner_id: owner.id, user_id: users.get("admin@flokk.example")! }).execute();
    for (const siteId of sites.values()) {
      await trx.insertInto("site_caretakers").values({ site_id: siteId, user_id: users.get("vaktmester@flokk.example")! }).execute();
    }
    const associations = new Map<string, number>();
    for (const a of ASSOCIATIONS) {
      const row = await trx
        .insertInto("associations")
        .values({ name: a.name, org_number: orgNumberFrom(a.orgBase), contact_email: a.contactEmail, verified: a.verified })
        .returning("id")
        .executeTakeFirstOrThrow();
      associations.set(a.key, row.id);
      for (const [email, role] of a.members) {
        await trx.insertInto("memberships").values({ association_id: row.id, user_id: users.get(email)!, role }).execute();
      }
    }
    return { venues, users, associations };
  });

  const bookings = await demoBookings(db, now, today, closures, ids);
  // The bookings above went through the engine, which queued mail to the demo
  // people. Nobody is to receive it: mark it as not to be sent (the
  // development mailbox still shows it).
  await sql`UPDATE outbox SET skipped_at = now(), skip_reason = ${SKIP.demoData}
    WHERE sent_at IS NULL AND failed_at IS NULL AND skipped_at IS NULL`.execute(db);
  return { venues: ids.venues.size, associations: ids.associations.size, users: ids.users.size, bookings };
}

async function insertVenue(db: Database, siteId: number, v: VenueSpec, known: Map<string, number>): Promise<number> {
  const { hours, parent, ...values } = v;
  const row = await db
    .insertInto("venues")
    .values({ ...values, site_id: siteId, parent_id: parent ? known.get(parent)! : null, time_zone: ZONE })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("opening_hours").values(hoursRows(row.id, hours)).execute();
  return row.id;
}

type Closures = Record<string, { startsOn: string; endsOn: string; reason: string }[]>;

const PARENT = new Map(SITES.flatMap((s) => s.venues).map((v) => [v.slug, v.parent]));

/** A venue is closed when it or the venue it is part of is. */
function closuresOf(closures: Closures, slug: string) {
  const parent = PARENT.get(slug);
  return [...(closures[slug] ?? []), ...(parent ? (closures[parent] ?? []) : [])];
}

/** A maintenance week at the gym soon, and the Christmas holiday at the school's hall. */
function demoClosures(today: string): Closures {
  const maintenanceMonday = addDays(today, 15 - weekdayOf(today)); // the Monday after next
  const year = Number(today.slice(0, 4));
  const christmasYear = today <= `${year}-01-02` ? year - 1 : year;
  return {
    treningsrommet: [{ startsOn: maintenanceMonday, endsOn: addDays(maintenanceMonday, 4), reason: "Vedlikehold: nytt gulvbelegg" }],
    storsalen: [{ startsOn: `${christmasYear}-12-21`, endsOn: `${christmasYear + 1}-01-02`, reason: "Juleferie – skolen er stengt" }],
  };
}

interface Ids {
  venues: Map<string, number>;
  users: Map<string, number>;
  associations: Map<string, number>;
}

async function demoBookings(db: Database, now: Date, today: string, closures: Closures, ids: Ids): Promise<number> {
  const venue = (slug: string) => ids.venues.get(slug)!;
  const user = (email: string) => ids.users.get(email)!;
  const association = (key: string) => ids.associations.get(key)!;
  const from = addDays(today, 1);
  const until = addDays(from, 7 * 10 - 1);
  let count = 0;

  const series = async (req: Omit<SeriesRequest, "from" | "until" | "intervalWeeks">) => {
    const full: SeriesRequest = { ...req, intervalWeeks: 1, from, until };
    // Closed dates (Christmas, maintenance) are left out with consent, as a person would.
    const preview = await previewSeries(db, full, now);
    const skipDates = preview.filter((p) => p.conflict?.reason === "closure").map((p) => p.date);
    const result = await createSeries(db, { ...full, skipDates }, now);
    count += result.bookings.length;
  };
  await series({ actorId: user("kari@flokk.example"), associationId: association("il"), venueId: venue("storsalen"), title: "Innebandy for alle", isPublic: true, expectedAttendees: 40, weekday: 2, startTime: "18:00", durationMinutes: 90 });
  await series({ actorId: user("kari@flokk.example"), associationId: association("il"), venueId: venue("storsalen-a"), title: "Håndball G12", isPublic: true, expectedAttendees: 20, weekday: 4, startTime: "17:00", durationMinutes: 90 });
  await series({ actorId: user("jonas@flokk.example"), associationId: association("il"), venueId: venue("treningsrommet"), title: "Styrketrening", isPublic: false, expectedAttendees: 12, weekday: 3, startTime: "19:00", durationMinutes: 60 });
  await series({ actorId: user("per@flokk.example"), associationId: association("korps"), venueId: venue("musikkrommet"), title: "Korpsøvelse", isPublic: true, expectedAttendees: 22, weekday: 1, startTime: "18:00", durationMinutes: 120 });
  await series({ actorId: user("liv@flokk.example"), associationId: association("dans"), venueId: venue("peisestua"), title: "Seniordans", isPublic: true, expectedAttendees: 25, weekday: 3, startTime: "11:00", durationMinutes: 120 });
  await series({ actorId: user("nils@flokk.example"), associationId: association("sjakk"), venueId: venue("lillesalen"), title: "Sjakkveld", isPublic: false, expectedAttendees: 10, weekday: 4, startTime: "18:30", durationMinutes: 150 });

  const single = async (slug: string, email: string, key: string, weekday: number, start: string, end: string, title: string, isPublic: boolean, earliest = from) => {
    const date = firstDate(weekday, earliest, closuresOf(closures, slug));
    await requestBooking(db, { actorId: user(email), associationId: association(key), venueId: venue(slug), date, start, end, title, isPublic, expectedAttendees: 10 }, now);
    count++;
  };
  // The kitchen needs two days' notice and approval; this one waits for the caretaker.
  await single("skolekjokkenet", "aisha@flokk.example", "husflid", 6, "11:00", "14:00", "Bakekurs for nybegynnere", true, addDays(today, 3));
  // An unverified association: pending until the municipality has checked it.
  await single("peisestua", "maja@flokk.example", "strikk", 5, "18:00", "21:00", "Strikkekafé", true);
  await single("lillesalen", "kari@flokk.example", "il", 2, "19:00", "21:00", "Styremøte", false);
  await single("storsalen", "per@flokk.example", "korps", 7, "14:00", "16:00", "Konsert med skolekorpset", true, addDays(today, 7));

  // A few in the next open days, so that this week's page shows busy time too.
  // Times avoid the series above on every weekday.
  const soon = async (slug: string, email: string, key: string, weekday: [string, string], weekend: [string, string], title: string) => {
    let date = from;
    while (closureOn(date, closuresOf(closures, slug))) date = addDays(date, 1);
    const [start, end] = weekdayOf(date) >= 6 ? weekend : weekday;
    await requestBooking(db, { actorId: user(email), associationId: association(key), venueId: venue(slug), date, start, end, title, isPublic: true, expectedAttendees: 15 }, now);
    count++;
  };
  await soon("storsalen-b", "kari@flokk.example", "il", ["20:00", "21:30"], ["12:00", "13:30"], "Basketball for ungdom");
  await soon("treningsrommet", "jonas@flokk.example", "il", ["20:30", "21:30"], ["12:00", "13:00"], "Yoga");
  await soon("peisestua", "nils@flokk.example", "sjakk", ["14:00", "15:00"], ["14:00", "15:00"], "Sjakkurs for barn");
  // The caretaker has closed the whole hall (and so both halves) on the coming Saturday morning:
  // the public week shows it as closed, the caretaker's pages say why.
  const floorDay = firstDate(6, from, closuresOf(closures, "storsalen"));
  await blockTime(db, { actorId: user("vaktmester@flokk.example"), venueId: venue("storsalen"), date: floorDay, start: "09:00", end: "12:00", reason: "Vask og vedlikehold av gulvet" }, now);
  return count;
}

/** The first date on or after `earliest` that falls on `weekday` and is not closed. */
function firstDate(weekday: number, earliest: string, closures: { startsOn: string; endsOn: string; reason: string }[]): string {
  let d = addDays(earliest, (weekday - weekdayOf(earliest) + 7) % 7);
  while (closureOn(d, closures)) d = addDays(d, 7);
  return d;
}
