// The calendar section of `npm run bench`: a venue feed of 10,000 events built
// through Flokk's feed code, beside ical-generator alone building the same
// events in the same run, and the unchanged-feed path (304 from the fingerprint).
import { sql } from "kysely";
import ical from "ical-generator";
import { DateTime } from "luxon";
import type pg from "pg";
import { feedRows } from "../../app/calendar/feed-repository.server";
import { feedWindow, project, publicVenueFeed, tokenFeed } from "../../app/calendar/feeds.server";
import { type EventInput, vtimezone } from "../../app/calendar/ical.server";
import { createToken } from "../../app/calendar/tokens.server";
import { getLanguage } from "../../app/i18n";
import type { Database } from "../../db/client";
import type { BenchWorld } from "./data";
import { makeVenues } from "./data";
import { fmt, latencyRows, type Row, summarise } from "./stats";

const EVENTS = 10_000;
const none = { ifNoneMatch: null, ifModifiedSince: null };

function median(xs: number[]): number {
  return summarise(xs).p50;
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** ical-generator on its own: the same events, its own serialisation and folding. */
function libraryAlone(events: readonly EventInput[], name: string): string {
  const cal = ical({ prodId: "//Flokk//Bench//EN", name, ttl: 3600, timezone: { name: null, generator: vtimezone } });
  for (const e of events) {
    cal.createEvent({
      id: `${e.bookingId}@flokk`,
      sequence: e.sequence,
      stamp: DateTime.fromJSDate(new Date(e.updatedAt), { zone: "utc" }),
      created: DateTime.fromJSDate(new Date(e.createdAt), { zone: "utc" }),
      lastModified: DateTime.fromJSDate(new Date(e.updatedAt), { zone: "utc" }),
      start: DateTime.fromJSDate(new Date(e.start), { zone: e.zone }),
      end: DateTime.fromJSDate(new Date(e.end), { zone: e.zone }),
      timezone: e.zone,
      status: e.status,
      summary: e.summary,
      location: e.location ?? null,
      description: e.description ?? null,
    });
  }
  return cal.toString();
}

/**
 * A venue with 10,000 bookings, a caretaker and a token for its staff feed.
 * Bookings run from the day they were made over about three years, so they
 * are reused for 150 days (deleting them would check idempotency_keys, which
 * has no index on booking_id, once per row); then a new venue is made.
 */
async function feedVenue(db: Database, world: BenchWorld): Promise<{ slug: string; venueId: number; token: string }> {
  const { rows: reusable } = await sql<{ id: number; slug: string }>`
    SELECT v.id, v.slug FROM venues v
    WHERE v.slug LIKE 'feed-bench-%' AND v.created_at > now() - interval '150 days'
      AND (SELECT count(*) FROM bookings b WHERE b.venue_id = v.id) = ${EVENTS}
    ORDER BY v.id DESC LIMIT 1`.execute(db);
  let venue = reusable[0];
  if (venue) {
    // Keep the cancelled ones inside their 30 days in the feed.
    await sql`UPDATE bookings SET cancelled_at = now() WHERE venue_id = ${venue.id} AND status = 'cancelled'`.execute(db);
  } else {
    const prefix = `feed-bench-${Date.now().toString(36)}`;
    const venueId = (await makeVenues(db, world.siteId, prefix, 1))[0]!;
    venue = { id: venueId, slug: `${prefix}-1` };
    await sql`
      INSERT INTO bookings (id, venue_id, association_id, title, purpose, is_public, expected_attendees, note_to_caretaker,
                            starts_at, ends_at, status, created_by, cancelled_at, sequence)
      SELECT gen_random_uuid(), ${venueId}, ${world.associationId},
             'Øving ' || n || ' – korps, kor; æøå 🎺', 'Formål nr. ' || n || E'\nto linjer; med komma, og æøå', n % 3 = 0, 10 + n % 40,
             CASE WHEN n % 10 = 0 THEN 'Nøkkel hos vaktmesteren, ring før 17' ELSE '' END,
             date_trunc('day', now()) + interval '1 day' + (n / 10) * interval '1 day' + (n % 10) * interval '90 minutes',
             date_trunc('day', now()) + interval '1 day' + (n / 10) * interval '1 day' + (n % 10) * interval '90 minutes' + interval '1 hour',
             CASE WHEN n % 50 = 0 THEN 'cancelled' ELSE 'confirmed' END, ${world.actorId},
             CASE WHEN n % 50 = 0 THEN now() END, n % 3
      FROM generate_series(0, ${EVENTS - 1}) n`.execute(db);
    await sql`ANALYZE bookings`.execute(db);
  }
  const caretaker = await db
    .insertInto("users")
    .values({ email: `feed-bench-${Date.now()}@flokk.example`, name: "Bench vaktmester" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { site_id } = await db.selectFrom("venues").select("site_id").where("id", "=", venue.id).executeTakeFirstOrThrow();
  await db.insertInto("site_caretakers").values({ site_id, user_id: caretaker.id }).execute();
  const { token } = await createToken(db, { userId: caretaker.id, scope: `venue-staff:${venue.id}` });
  return { slug: venue.slug, venueId: venue.id, token };
}

export async function benchCalendar(db: Database, pool: pg.Pool, world: BenchWorld): Promise<Row[]> {
  const rows: Row[] = [];
  const { slug, venueId, token } = await feedVenue(db, world);
  const lang = getLanguage("nb");
  const now = new Date();

  for (const kind of ["public", "staff"] as const) {
    const fetch = () => (kind === "public" ? publicVenueFeed(db, { slug, now, ...none }) : tokenFeed(db, { token, now, ...none }));
    await fetch(); // warm up: JIT, plan caches, the VTIMEZONE
    const ours: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      const r = await time(fetch);
      ours.push(r.ms);
      if (r.value.status !== 200) throw new Error("expected a full build");
      bytes = Buffer.byteLength(r.value.body);
    }
    // The same events, handed to ical-generator alone (rows loaded and projected beforehand, not timed).
    const loaded = kind === "public" ? await feedRows(db, { kind: "venue", venueId }, "public", feedWindow(now)) : await feedRows(db, { kind: "venue", venueId }, "staff", feedWindow(now));
    if (loaded.length !== EVENTS) throw new Error(`expected ${EVENTS} events, got ${loaded.length}`);
    const events = loaded.map((r) => project(r, kind, lang));
    libraryAlone(events.slice(0, 200), "warm-up");
    // ical-generator alone takes seconds per run (its line folding): fewer runs keep the section short.
    const alone: number[] = [];
    for (let i = 0; i < (kind === "public" ? 2 : 1); i++) alone.push((await time(() => libraryAlone(events, "Bench"))).ms);
    const o = median(ours);
    const a = median(alone);
    rows.push({
      figure: `calendar feed, ${fmt(EVENTS)} events, ${kind}: full build from the database (ms)`,
      value: fmt(o),
      baseline: `${fmt(a)} ical-generator alone`,
      ratio: fmt(o / a, 2),
      target: "<= 1.00",
    });
    rows.push({ figure: `  ${kind} feed size (bytes)`, value: fmt(bytes), baseline: "", ratio: "", target: "" });
  }

  // Unchanged: the client sends its ETag, the server answers 304 from the fingerprint alone.
  const first = await publicVenueFeed(db, { slug, now, ...none });
  const etag = first.etag;
  const notModified: number[] = [];
  const trivial: number[] = [];
  for (let i = 0; i < 220; i++) {
    const r = await time(() => publicVenueFeed(db, { slug, now, ifNoneMatch: etag, ifModifiedSince: null }));
    if (r.value.status !== 304) throw new Error("expected 304");
    notModified.push(r.ms);
    trivial.push((await time(() => pool.query("SELECT 1"))).ms);
  }
  rows.push(
    ...latencyRows(
      { p50: `calendar feed, ${fmt(EVENTS)} events, unchanged: 304 p50 (ms)`, p99: "  unchanged: 304 p99 (ms)" },
      notModified.slice(20),
      trivial.slice(20),
    ),
  );
  return rows;
}
