// The HTTP section of `npm run bench`: the real server (scripts/start.ts serving
// the production build, in a child process) under 32 keep-alive connections —
// booking submissions through the booking form's POST endpoint and the venue
// week page — each beside /healthz, a route that touches neither the database
// nor React, measured in the same run on the same server.
//
// Each connection is one signed-in person: a session made directly in the
// database with the accounts module and its cookie signed the way the app
// signs it; one GET of the booking form per person fetches the CSRF cookie and
// token, as a browser would. Every submission asks for a slot of its own (the
// person's own venue, the next free hour), so all of them should succeed.
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { accountCookies } from "../../app/accounts/cookies.server";
import { createSession } from "../../app/accounts/sessions.server";
import { env } from "../../app/config/env.server";
import { addDays, localDateOf } from "../../app/time/zoned";
import type { Database } from "../../db/client";
import { startAppProcess } from "../lib/app-process";
import { ensureBuild } from "../lib/build";
import type { BenchWorld } from "./data";
import { makeVenues } from "./data";
import { cookiePairs, HttpClient, type HttpReply, load, type LoadResult } from "./http-load";
import { fmt, type Row, summarise } from "./stats";

const CONNECTIONS = 32;
const HOURS_PER_DAY = 16; // 06:00–22:00: clear of the night, when clocks change

/**
 * The bench signs cookies the server must accept: both need one secret. Call
 * before anything reads the configuration; SESSION_SECRET from the
 * environment wins.
 */
export function ensureBenchSessionSecret(): void {
  process.env.SESSION_SECRET ??= randomBytes(48).toString("base64url");
}

interface Person {
  cookie: string;
  csrf: string;
  venueSlug: string;
  nextSlot: number;
}

async function signedInPeople(db: Database, world: BenchWorld, tag: string, slugs: string[], now: Date): Promise<{ userId: number; cookie: string }[]> {
  const session = accountCookies().session;
  const people: { userId: number; cookie: string }[] = [];
  for (let i = 0; i < slugs.length; i++) {
    const user = await db
      .insertInto("users")
      .values({ email: `http-${tag}-${i}@flokk.example`, name: `HTTP bench ${i}` })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("memberships").values({ association_id: world.associationId, user_id: user.id, role: "member" }).execute();
    const id = await db.transaction().execute((trx) => createSession(trx, user.id, now));
    const setCookie = await session.serialize(id);
    people.push({ userId: user.id, cookie: setCookie.split(";")[0]! });
  }
  return people;
}

/** The CSRF cookie and the form's token, from one GET of the booking form. */
async function fetchCsrf(client: HttpClient, slug: string, sessionCookie: string): Promise<{ cookie: string; csrf: string }> {
  const reply = await client.send({ path: `/venues/${slug}/book`, headers: { Cookie: sessionCookie } });
  const token = /name="csrf"[^>]*value="([^"]+)"/.exec(reply.body)?.[1] ?? /value="([^"]+)"[^>]*name="csrf"/.exec(reply.body)?.[1];
  const pairs = cookiePairs(reply.headers);
  if (reply.status !== 200 || !token || pairs.length === 0) {
    throw new Error(`GET /venues/${slug}/book did not give a form with a CSRF token (status ${reply.status}):\n${reply.body.slice(0, 800)}`);
  }
  return { cookie: [sessionCookie, ...pairs].join("; "), csrf: token };
}

function merge(results: LoadResult[]) {
  const latencies = results.flatMap((r) => r.latencies);
  const perSecond = results.reduce((a, r) => a + r.perSecond, 0) / results.length;
  return {
    perSecond,
    count: results.reduce((a, r) => a + r.count, 0),
    failures: results.reduce((a, r) => a + r.failures, 0),
    firstFailure: results.find((r) => r.firstFailure)?.firstFailure ?? null,
    ...summarise(latencies),
  };
}

export async function benchHttp(db: Database, databaseUrl: string, world: BenchWorld, seconds: number): Promise<Row[]> {
  const secret = env().SESSION_SECRET;
  if (!secret) throw new Error("benchHttp: call ensureBenchSessionSecret() before the first env()");
  await ensureBuild((line) => console.error(line));

  const tag = Date.now().toString(36);
  const now = new Date();
  const slugs = (await makeVenues(db, world.siteId, `http-${tag}`, CONNECTIONS)).map((_, i) => `http-${tag}-${i + 1}`);
  const people = await signedInPeople(db, world, tag, slugs, now);
  // The week page of venues with realistic density: the availability section's 1,000 venues
  // (two bookings a day from 2026-01-05), over 70 weeks.
  const { rows: big } = await sql<{ slug: string }>`SELECT slug FROM venues WHERE slug LIKE 'big-%' ORDER BY id LIMIT 1000`.execute(db);
  const weekSlugs = big.length > 0 ? big.map((r) => r.slug) : slugs;
  const firstDay = addDays(localDateOf(now, "Europe/Oslo"), 2);

  console.error("Starting the server (production build, NODE_ENV=production)…");
  const app = await startAppProcess({ databaseUrl, sessionSecret: secret, nodeEnv: "production", seedDemoData: false });
  const client = new HttpClient(new URL(app.url), CONNECTIONS);
  try {
    const persons: Person[] = [];
    for (let i = 0; i < people.length; i++) {
      const { cookie, csrf } = await fetchCsrf(client, slugs[i]!, people[i]!.cookie);
      persons.push({ cookie, csrf, venueSlug: slugs[i]!, nextSlot: 0 });
    }

    const healthz = () => ({ path: "/healthz" });
    const isOk = (r: HttpReply) => r.status === 200;
    let weekRequest = 0;
    const weekPage = (w: number) => {
      const i = weekRequest++;
      const slug = weekSlugs[(i * 7919) % weekSlugs.length]!;
      return { path: `/venues/${slug}?week=${addDays("2026-01-05", 7 * ((i * 31) % 70))}`, headers: { Cookie: persons[w]!.cookie } };
    };
    const booking = (w: number) => {
      const p = persons[w]!;
      const k = p.nextSlot++;
      const hour = 6 + (k % HOURS_PER_DAY);
      const body = new URLSearchParams({
        csrf: p.csrf,
        idempotencyKey: randomUUID(),
        associationId: String(world.associationId),
        date: addDays(firstDay, Math.floor(k / HOURS_PER_DAY)),
        start: `${String(hour).padStart(2, "0")}:00`,
        end: `${String(hour + 1).padStart(2, "0")}:00`,
        title: `HTTP bench ${w}.${k}`,
        visibility: "private",
        expectedAttendees: "10",
      }).toString();
      return {
        method: "POST" as const,
        path: `/venues/${p.venueSlug}/book`,
        headers: { Cookie: p.cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: app.url, "Sec-Fetch-Site": "same-origin" },
        body,
      };
    };
    const booked = (r: HttpReply) => (r.status === 302 || r.status === 303) && String(r.headers.location ?? "").startsWith("/bookings/");

    // Warm up every path (JIT, plan caches, pool connections), then alternate
    // so that drift on a shared machine hits all three alike.
    console.error(`HTTP: ${CONNECTIONS} connections, ${seconds}s per phase…`);
    for (const [make, ok] of [
      [healthz, isOk],
      [weekPage, isOk],
      [booking, booked],
    ] as const) {
      const warm = await load(client, CONNECTIONS, 1000, make, ok);
      if (warm.failures) throw new Error(`HTTP bench warm-up failed: ${warm.firstFailure}`);
    }
    const h: LoadResult[] = [];
    const wk: LoadResult[] = [];
    const bk: LoadResult[] = [];
    for (let round = 0; round < 2; round++) {
      h.push(await load(client, CONNECTIONS, (seconds * 1000) / 2, healthz, isOk));
      wk.push(await load(client, CONNECTIONS, (seconds * 1000) / 2, weekPage, isOk));
      bk.push(await load(client, CONNECTIONS, (seconds * 1000) / 2, booking, booked));
    }
    const H = merge(h);
    const W = merge(wk);
    const B = merge(bk);
    const { rows: counted } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM bookings b JOIN venues v ON v.id = b.venue_id
      WHERE v.slug LIKE ${`http-${tag}-%`} AND b.status IN ('confirmed', 'pending')`.execute(db);
    const stored = counted[0]!.n;
    const warmups = persons.reduce((a, p) => a + p.nextSlot, 0) - B.count; // bookings made while warming up
    if (B.failures) console.error(`First refused booking: ${B.firstFailure}`);
    if (W.failures) console.error(`First failed week page: ${W.firstFailure}`);

    const c = `${CONNECTIONS} connections`;
    const base = `${fmt(H.perSecond)} /healthz req/s`;
    const baseP99 = `${fmt(H.p99, 1)} /healthz p99`;
    return [
      { figure: `HTTP GET /healthz, ${c} (requests/s)`, value: fmt(H.perSecond), baseline: "the baseline below", ratio: "1.00", target: "" },
      { figure: "  /healthz p99 ms", value: fmt(H.p99, 1), baseline: `p50 ${fmt(H.p50, 1)}`, ratio: "", target: "" },
      { figure: `HTTP GET venue week page, signed in, ${c} (requests/s)`, value: fmt(W.perSecond), baseline: base, ratio: fmt(W.perSecond / H.perSecond, 2), target: "" },
      { figure: "  week page p99 ms", value: fmt(W.p99, 1), baseline: baseP99, ratio: fmt(W.p99 / H.p99, 1), target: "" },
      { figure: `HTTP POST booking form, ${c}, distinct slots (bookings/s)`, value: fmt(B.perSecond), baseline: base, ratio: fmt(B.perSecond / H.perSecond, 2), target: "" },
      { figure: "  booking POST p99 ms", value: fmt(B.p99, 1), baseline: baseP99, ratio: fmt(B.p99 / H.p99, 1), target: "" },
      {
        figure: "  booking POSTs: redirected to the booking / refused / rows stored",
        value: `${fmt(B.count - B.failures)} / ${fmt(B.failures)} / ${fmt(stored - warmups)}`,
        baseline: `week pages failed: ${fmt(W.failures)}`,
        ratio: "",
        target: "refused = 0, rows = redirected",
      },
    ];
  } catch (e) {
    console.error(`The server said:\n${app.output().slice(-4000)}`);
    throw e;
  } finally {
    client.close();
    await app.stop();
  }
}
