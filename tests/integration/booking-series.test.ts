// Weekly series: atomic, DST-stable, and partial only with explicit consent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { createSeries, previewSeries } from "../../app/booking/series.server";
import { NonexistentLocalTime, OutsideOpeningHours, QuotaExceeded, SeriesConflict } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2026-08-20T08:00:00Z");

async function setup(zone = "Europe/Oslo", venueOptions: Parameters<typeof makeVenue>[2] = {}) {
  const { site } = await makeOwner(t.db, zone);
  const venue = await makeVenue(t.db, site.id, { time_zone: zone, ...venueOptions });
  const { association, leader } = await makeAssociation(t.db);
  const series = {
    actorId: leader.id,
    venueId: venue.id,
    associationId: association.id,
    weekday: 4, // Thursday
    startTime: "18:00",
    durationMinutes: 90,
    intervalWeeks: 1,
    from: "2026-09-01",
    until: "2027-04-30",
    title: "Korøving",
    expectedAttendees: 25,
  };
  return { venue, association, leader, series };
}

const count = async (seriesId?: string) =>
  (await t.db.selectFrom("bookings").select((eb) => eb.fn.countAll<number>().as("n")).$if(!!seriesId, (q) => q.where("series_id", "=", seriesId!)).executeTakeFirstOrThrow()).n;

describe("createSeries", () => {
  it.each(["Europe/Oslo", "Europe/Copenhagen"])("keeps 18:00 local across both DST changes in %s", async (zone) => {
    const { series } = await setup(zone);
    const result = await createSeries(t.db, series, NOW);
    expect(result.bookings).toHaveLength(35); // Thursdays 2026-09-03 … 2027-04-29
    const byDate = new Map(result.bookings.map((b) => [b.starts_at.toISOString().slice(0, 10), b.starts_at.toISOString()]));
    expect(byDate.get("2026-10-22")).toBe("2026-10-22T16:00:00.000Z"); // summer time
    expect(byDate.get("2026-10-29")).toBe("2026-10-29T17:00:00.000Z"); // after fall-back
    expect(byDate.get("2027-03-25")).toBe("2027-03-25T17:00:00.000Z"); // winter
    expect(byDate.get("2027-04-01")).toBe("2027-04-01T16:00:00.000Z"); // after spring-forward
    expect(result.bookings.every((b) => b.ends_at.getTime() - b.starts_at.getTime() === 90 * 60_000)).toBe(true);
    const audit = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", result.seriesId).execute();
    expect(audit.map((a) => a.action)).toEqual(["created"]);
  });

  it("every N weeks", async () => {
    const { series } = await setup();
    const result = await createSeries(t.db, { ...series, intervalWeeks: 2, until: "2026-10-31" }, NOW);
    expect(result.bookings.map((b) => b.starts_at.toISOString().slice(0, 10))).toEqual(["2026-09-03", "2026-09-17", "2026-10-01", "2026-10-15", "2026-10-29"]);
  });

  it("creates nothing when a date conflicts, and lists each conflict with the booking in the way", async () => {
    const { series, leader, venue, association } = await setup();
    const { booking } = await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-11-12", start: "19:00", end: "20:00", title: "Annet", expectedAttendees: 5 },
      NOW,
    );
    const before = await count();
    const err = await createSeries(t.db, series, NOW).catch((e) => e);
    expect(err).toBeInstanceOf(SeriesConflict);
    expect(err.conflicts).toEqual([{ date: "2026-11-12", bookingId: booking.id, reason: "booking" }]);
    expect(await count()).toBe(before);

    const preview = await previewSeries(t.db, series, NOW);
    expect(preview).toHaveLength(35);
    expect(preview.filter((p) => p.conflict).map((p) => p.date)).toEqual(["2026-11-12"]);

    // With consent to skip exactly that date, all the others are created.
    const result = await createSeries(t.db, { ...series, skipDates: ["2026-11-12"] }, NOW);
    expect(result.bookings).toHaveLength(34);
    expect(result.skipped).toEqual([{ date: "2026-11-12", bookingId: booking.id, reason: "booking" }]);
  });

  it("consent to skip one date does not cover another", async () => {
    const { series, leader, venue, association } = await setup();
    await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-12-03", start: "18:00", end: "19:00", title: "Annet", expectedAttendees: 5 },
      NOW,
    );
    const before = await count();
    const err = await createSeries(t.db, { ...series, skipDates: ["2026-11-12"] }, NOW).catch((e) => e);
    expect(err).toBeInstanceOf(SeriesConflict);
    expect(err.conflicts.map((c: { date: string }) => c.date)).toEqual(["2026-12-03"]);
    expect(await count()).toBe(before);
  });

  it("reports closed dates as skippable conflicts", async () => {
    const { series, venue } = await setup();
    await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2026-12-21", ends_on: "2027-01-03", reason: "Juleferie" }).execute();
    const err = await createSeries(t.db, series, NOW).catch((e) => e);
    expect(err.conflicts).toEqual([
      { date: "2026-12-24", bookingId: null, reason: "closure" },
      { date: "2026-12-31", bookingId: null, reason: "closure" },
    ]);
    const ok = await createSeries(t.db, { ...series, skipDates: ["2026-12-24", "2026-12-31"] }, NOW);
    expect(ok.bookings).toHaveLength(33);
  });

  it("refuses the whole series when a date breaks a rule or does not exist", async () => {
    const { series } = await setup();
    const before = await count();
    await expect(createSeries(t.db, { ...series, startTime: "21:30" }, NOW)).rejects.toBeInstanceOf(OutsideOpeningHours);
    const { series: sunday } = await setup("Europe/Oslo", { hours: [{ opens: "00:00", closes: "24:00" }] });
    const err = await createSeries(t.db, { ...sunday, weekday: 7, startTime: "02:30", durationMinutes: 60 }, NOW).catch((e) => e);
    expect(err).toBeInstanceOf(NonexistentLocalTime);
    expect(err.params.date).toBe("2027-03-28");
    expect(await count()).toBe(before);
  });

  it("refuses dates like 9999-12-31 on their own fields, in the preview and when booking", async () => {
    const { series } = await setup();
    for (const dates of [{ until: "9999-12-31" }, { from: "9999-12-25", until: "9999-12-31" }]) {
      const far = { ...series, ...dates };
      const field = "from" in dates ? "from" : "until";
      await expect(previewSeries(t.db, far, NOW)).rejects.toMatchObject({ fields: { [field]: "outOfRange" } });
      await expect(createSeries(t.db, far, NOW)).rejects.toMatchObject({ fields: { [field]: "outOfRange" } });
    }
  });

  it("respects the weekly quota", async () => {
    const { series } = await setup("Europe/Oslo", { weekly_quota_minutes: 60 });
    await expect(createSeries(t.db, series, NOW)).rejects.toBeInstanceOf(QuotaExceeded);
  });

  it("shows in the preview which dates go over the weekly quota, refuses the series for them, and leaves them out when asked", async () => {
    const { venue, association, leader, series } = await setup("Europe/Oslo", { weekly_quota_minutes: 240 });
    // Three hours already on the Monday of the week of Thursday 2026-10-08; a 90-minute date that week makes 4.5.
    await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-10-05", start: "10:00", end: "13:00", title: "Styremøte", expectedAttendees: 5 },
      NOW,
    );
    const items = await previewSeries(t.db, series, NOW);
    expect(items).toHaveLength(35);
    expect(items.filter((i) => i.overQuota).map((i) => [i.date, i.overQuota])).toEqual([["2026-10-08", { usedMinutes: 180, quotaMinutes: 240 }]]);
    expect(items.every((i) => i.conflict === null)).toBe(true);
    await expect(createSeries(t.db, series, NOW)).rejects.toBeInstanceOf(QuotaExceeded);
    // Leaving another date out is not agreeing to leave this one out.
    await expect(createSeries(t.db, { ...series, skipDates: ["2026-10-15"] }, NOW)).rejects.toBeInstanceOf(QuotaExceeded);
    expect(await t.db.selectFrom("series").select("id").where("venue_id", "=", venue.id).execute()).toEqual([]);
    // Named, it is left out and reported; every other week has room for 90 minutes.
    const made = await createSeries(t.db, { ...series, skipDates: ["2026-10-08"] }, NOW);
    expect(made.skipped).toEqual([{ date: "2026-10-08", bookingId: null, reason: "quota" }]);
    expect(made.bookings).toHaveLength(34);
    expect(made.bookings.map((b) => b.starts_at.toISOString().slice(0, 10))).not.toContain("2026-10-08");
    const mail = await t.db.selectFrom("outbox").select("payload").where("kind", "=", "series-created").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect((mail.payload as { skipped: string[] }).skipped).toEqual(["2026-10-08"]);
  });

  it("refuses a series whose every date would go over the quota, even when all are named", async () => {
    const { series } = await setup("Europe/Oslo", { weekly_quota_minutes: 60 });
    const dates = (await previewSeries(t.db, series, NOW)).map((i) => i.date);
    await expect(createSeries(t.db, { ...series, skipDates: dates }, NOW)).rejects.toMatchObject({ conflicts: expect.arrayContaining([{ date: dates[0], bookingId: null, reason: "quota" }]) });
  });

  it("a double click (the same key at once) makes one series and both get it", async () => {
    const { series } = await setup();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => createSeries(t.db, { ...series, until: "2026-10-31", idempotencyKey: "double-click-series" }, NOW)),
    );
    const ids = new Set(results.map((r) => r.seriesId));
    expect(ids.size).toBe(1);
    expect(await count(results[0]!.seriesId)).toBe(9);
  });

  it("a repeated idempotency key returns the first series", async () => {
    const { series } = await setup();
    const first = await createSeries(t.db, { ...series, until: "2026-09-30", idempotencyKey: "series-key-123" }, NOW);
    const again = await createSeries(t.db, { ...series, until: "2026-09-30", idempotencyKey: "series-key-123" }, NOW);
    expect(again.replayed).toBe(true);
    expect(again.seriesId).toBe(first.seriesId);
    expect(await count(first.seriesId)).toBe(first.bookings.length);
  });
});
