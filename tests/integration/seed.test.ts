import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseOrgNumber } from "../../app/associations/org-number";
import { availability } from "../../app/availability/availability.server";
import { addDays, localDateOf, mondayOf } from "../../app/time/zoned";
import { resetAndSeed, seedDemoData } from "../../db/seed";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";

// A Thursday afternoon in Oslo.
const NOW = new Date("2026-11-26T13:00:00Z");

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

async function count(table: string, where = sql`true`): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(t.db);
  return rows[0]!.n;
}

describe("demo data", () => {
  it("fills an empty database with the demo municipality", async () => {
    const summary = await seedDemoData(t.db, NOW);
    expect(summary).not.toBeNull();
    expect(await count("owners")).toBe(1);
    expect(await count("sites")).toBe(3);
    expect(await count("venues")).toBe(8);
    expect(await count("venues", sql`parent_id IS NOT NULL`)).toBe(2);
    expect(await count("venues", sql`approval_mode = 'manual'`)).toBeGreaterThanOrEqual(1);
    expect(await count("venues", sql`weekly_quota_minutes IS NOT NULL`)).toBeGreaterThanOrEqual(1);
    expect(await count("venues", sql`buffer_minutes > 0`)).toBeGreaterThanOrEqual(1);
    expect(await count("venues", sql`NOT step_free`)).toBeGreaterThanOrEqual(1);
    expect(await count("closures", sql`reason <> ''`)).toBeGreaterThanOrEqual(1);
    expect(await count("associations")).toBe(6);
    expect(await count("associations", sql`NOT verified`)).toBe(1);
    expect(await count("users")).toBe(summary!.users);
    expect(await count("owner_admins")).toBe(1);
    expect(await count("site_caretakers")).toBeGreaterThanOrEqual(1);
    expect(await count("memberships", sql`role = 'leader'`)).toBe(6);
    expect(await count("memberships", sql`role = 'member'`)).toBeGreaterThan(0);
    expect(await count("users", sql`email = 'admin@flokk.example'`)).toBe(1);
    // The engine queued mail for the demo bookings; none of it may go to the demo people.
    expect(await count("outbox")).toBeGreaterThan(0);
    expect(await count("outbox", sql`skipped_at IS NULL`)).toBe(0);

    // Several opening intervals on one day somewhere.
    const { rows } = await sql<{ n: number }>`
      SELECT max(c)::int AS n FROM (SELECT count(*) AS c FROM opening_hours GROUP BY venue_id, weekday) x`.execute(t.db);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it("gives every association a valid organisation number", async () => {
    const rows = await t.db.selectFrom("associations").select("org_number").execute();
    for (const r of rows) expect(normaliseOrgNumber(r.org_number)).toBe(r.org_number);
  });

  it("makes bookings through the engine, in the coming weeks, confirmed and pending", async () => {
    const bookings = await t.db.selectFrom("bookings").select(["id", "status", "starts_at", "series_id"]).where("kind", "=", "booking").execute();
    expect(bookings.length).toBeGreaterThan(20);
    expect(bookings.every((b) => b.starts_at > NOW)).toBe(true);
    expect(bookings.every((b) => b.starts_at.getTime() < NOW.getTime() + 80 * 86_400_000)).toBe(true);
    expect(bookings.some((b) => b.status === "confirmed")).toBe(true);
    expect(bookings.some((b) => b.status === "pending")).toBe(true);
    expect(bookings.some((b) => b.series_id !== null)).toBe(true);
    // The engine writes a claim for each active booking and an audit row for each.
    expect(await count("audit_log", sql`entity = 'booking' AND action = 'requested'`)).toBe(bookings.length);
    expect(await count("booking_claims")).toBeGreaterThanOrEqual(bookings.length);
    // And the caretaker has blocked one morning, through the engine too.
    expect(await count("bookings", sql`kind = 'block' AND starts_at > ${NOW}`)).toBe(1);
    expect(await count("audit_log", sql`entity = 'booking' AND action = 'blocked'`)).toBe(1);
  });

  it("shows busy time on the venue pages, this week included", async () => {
    const venues = await t.db.selectFrom("venues").select(["id", "slug", "time_zone"]).execute();
    const today = localDateOf(NOW, "Europe/Oslo");
    const busyThisWeek: string[] = [];
    let busySoon = 0;
    for (const v of venues) {
      const week = await availability(t.db, v.id, mondayOf(today), addDays(mondayOf(today), 6));
      if (week.busy.length) busyThisWeek.push(v.slug);
      const month = await availability(t.db, v.id, today, addDays(today, 34));
      if (month.busy.length) busySoon++;
    }
    expect(busyThisWeek.length).toBeGreaterThanOrEqual(2);
    expect(busySoon).toBeGreaterThanOrEqual(6);
  });

  it("does nothing on a database that is not empty", async () => {
    const before = await count("bookings");
    expect(await seedDemoData(t.db, NOW)).toBeNull();
    expect(await count("bookings")).toBe(before);
    expect(await count("venues")).toBe(8);
  });

  it("rebuilds from scratch on reset, whatever day it is", async () => {
    // Around Christmas (a closure), over the spring and autumn clock changes, late on a Sunday.
    const days = ["2026-12-20T22:30:00Z", "2026-12-31T10:00:00Z", "2027-03-27T12:00:00Z", "2027-10-30T21:00:00Z", "2027-01-03T22:59:00Z"];
    // And every day of a week, just after midnight in Oslo (still the day before in UTC).
    for (let i = 0; i < 7; i++) days.push(new Date(Date.parse("2027-02-07T23:30:00Z") + i * 86_400_000).toISOString());
    for (const day of days) {
      const summary = await resetAndSeed(t.db, new Date(day));
      expect(summary.venues, day).toBe(8);
      expect(summary.bookings, day).toBeGreaterThan(20);
      expect(await count("owners")).toBe(1);
    }
  }, 120_000);

  it("keeps the calendar feeds' high-water marks and name version across a reset", async () => {
    await t.db.insertInto("calendar_feed_state").values({ feed: "venue:test", fingerprint: "f", last_modified: new Date("2027-01-01T00:00:00Z") }).execute();
    await t.db.updateTable("calendar_names").set({ version: 41 }).execute();
    await resetAndSeed(t.db, new Date("2026-12-01T10:00:00Z"));
    const feed = await t.db.selectFrom("calendar_feed_state").select("last_modified").where("feed", "=", "venue:test").executeTakeFirst();
    expect(feed?.last_modified.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    // The single version row survives (its triggers need it) and never goes back.
    const after = await t.db.selectFrom("calendar_names").select("version").execute();
    expect(after).toHaveLength(1);
    expect(Number(after[0]!.version)).toBeGreaterThanOrEqual(41);
  });
});
