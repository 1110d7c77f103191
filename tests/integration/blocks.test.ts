// Blocked time (maintenance, a private event) on real PostgreSQL: the
// exclusion constraint keeps blocks and bookings apart both ways (buffer
// included, whole venue vs its parts), only the site's caretakers and the
// owner's admins may block, and a block never shows up as an association's
// booking, counts to a quota or causes mail; the public sees it as closed,
// without its reason.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availability } from "../../app/availability/availability.server";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { describeBlocking, listMyBookings, viewBooking } from "../../app/booking/booking-view.server";
import { moveBooking } from "../../app/booking/move.server";
import { publicVenueFeed, tokenFeed, type CalendarAnswer } from "../../app/calendar/feeds.server";
import { createToken } from "../../app/calendar/tokens.server";
import { blockTime, describeHolder, loadBlockPage, removeBlock } from "../../app/caretaker/blocks.server";
import { loadDaySchedule } from "../../app/caretaker/caretaker.server";
import {
  BlockOver,
  BookingConflict,
  EndNotAfterStart,
  Forbidden,
  InvalidInput,
  NonexistentLocalTime,
  NotFound,
  QuotaExceeded,
} from "../../app/errors/domain-errors";
import { getLanguage } from "../../app/i18n";
import { loadVenuePage } from "../../app/venues/venue-page.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2026-12-03T08:00:00Z");
const nb = getLanguage("nb");
const none = { ifNoneMatch: null, ifModifiedSince: null };

async function setup(venueOptions: Parameters<typeof makeVenue>[2] = {}) {
  const { owner, site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, { name: "Storsalen", ...venueOptions });
  const { association, leader } = await makeAssociation(t.db);
  const caretaker = await makeUser(t.db, "Ola Vaktmester");
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  const admin = await makeUser(t.db, "Ingrid Admin");
  await t.db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: admin.id }).execute();
  const book = (date: string, start: string, end: string, extra: { venueId?: number; title?: string; isPublic?: boolean } = {}) =>
    requestBooking(
      t.db,
      { actorId: leader.id, associationId: association.id, venueId: venue.id, date, start, end, title: "Korpsøving", expectedAttendees: 10, ...extra },
      NOW,
    );
  const block = (date: string, start: string, end: string, extra: { venueId?: number; actorId?: number; reason?: string } = {}) =>
    blockTime(t.db, { actorId: caretaker.id, venueId: venue.id, date, start, end, reason: "Vedlikehold", ...extra }, NOW);
  return { owner, site, venue, association, leader, caretaker, admin, book, block };
}

async function outboxCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(t.db);
  return rows[0]!.n;
}

async function auditActions(id: string): Promise<string[]> {
  const rows = await t.db.selectFrom("audit_log").select("action").where("entity_id", "=", id).orderBy("id").execute();
  return rows.map((r) => r.action);
}

async function conflictOf(p: Promise<unknown>): Promise<BookingConflict> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BookingConflict);
  return e as BookingConflict;
}

function body(a: CalendarAnswer): string {
  if (a.status !== 200) throw new Error(`expected 200, got ${a.status}`);
  return a.body;
}

describe("blocking time", () => {
  it("stores a block as a confirmed, private row without association, with claims and an audit row, and sends no mail", async () => {
    const { venue, caretaker, block } = await setup({ buffer_minutes: 15 });
    const mail = await outboxCount();
    const b = await block("2026-12-10", "10:00", "12:00");
    expect(b).toMatchObject({ kind: "block", association_id: null, status: "confirmed", title: "Vedlikehold", is_public: false, venue_id: venue.id, created_by: caretaker.id });
    expect(b.starts_at.toISOString()).toBe("2026-12-10T09:00:00.000Z");
    expect(b.ends_at.toISOString()).toBe("2026-12-10T11:00:00.000Z");
    const claims = await t.db.selectFrom("booking_claims").select(["space_id", sql<string>`upper(during)::text`.as("upper")]).where("booking_id", "=", b.id).execute();
    // No cleaning buffer after a block.
    expect(claims).toEqual([{ space_id: venue.id, upper: "2026-12-10 11:00:00+00" }]);
    expect(await auditActions(b.id)).toEqual(["blocked"]);
    expect(await outboxCount()).toBe(mail);
  });

  it("is refused where a booking is, naming the booking, buffer included", async () => {
    const { book, block } = await setup({ buffer_minutes: 30 });
    const { booking } = await book("2026-12-10", "10:00", "12:00");
    expect((await conflictOf(block("2026-12-10", "11:00", "13:00"))).conflictingBookingId).toBe(booking.id);
    // The booking's cleaning time runs to 12:30.
    expect((await conflictOf(block("2026-12-10", "12:00", "13:00"))).conflictingBookingId).toBe(booking.id);
    await expect(block("2026-12-10", "12:30", "13:00")).resolves.toMatchObject({ kind: "block" });
  });

  it("refuses a booking into a block, and a booking whose buffer reaches it", async () => {
    const { book, block } = await setup({ buffer_minutes: 30 });
    const b = await block("2026-12-10", "14:00", "16:00");
    expect((await conflictOf(book("2026-12-10", "15:00", "17:00"))).conflictingBookingId).toBe(b.id);
    expect((await conflictOf(book("2026-12-10", "13:00", "14:00"))).conflictingBookingId).toBe(b.id);
    // Right after a block is free: it holds no buffer of its own.
    await expect(book("2026-12-10", "16:00", "17:00")).resolves.toMatchObject({ booking: { status: "confirmed" } });
    await expect(book("2026-12-10", "12:00", "13:30")).resolves.toMatchObject({ booking: { status: "confirmed" } });
  });

  it("refuses to move a booking into a block", async () => {
    const { leader, book, block } = await setup();
    const { booking } = await book("2026-12-10", "10:00", "11:00");
    const b = await block("2026-12-10", "14:00", "16:00");
    expect((await conflictOf(moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-10", start: "15:00", end: "16:00" }, NOW))).conflictingBookingId).toBe(b.id);
  });

  it("blocks a whole venue's parts, and a part blocks the whole, but not the other part", async () => {
    const { site, venue: hall, book, block } = await setup();
    const halfA = await makeVenue(t.db, site.id, { name: "Hallen A", parent_id: hall.id });
    const halfB = await makeVenue(t.db, site.id, { name: "Hallen B", parent_id: hall.id });
    const whole = await block("2026-12-11", "10:00", "12:00");
    expect((await conflictOf(book("2026-12-11", "11:00", "12:00", { venueId: halfA.id }))).conflictingBookingId).toBe(whole.id);
    expect((await conflictOf(book("2026-12-11", "11:00", "12:00", { venueId: halfB.id }))).conflictingBookingId).toBe(whole.id);

    const part = await block("2026-12-12", "10:00", "12:00", { venueId: halfA.id });
    expect((await conflictOf(book("2026-12-12", "11:00", "13:00"))).conflictingBookingId).toBe(part.id);
    await expect(book("2026-12-12", "11:00", "13:00", { venueId: halfB.id })).resolves.toMatchObject({ booking: { venue_id: halfB.id } });
    // And a booking of a part is in the way of blocking the whole.
    const { booking } = await book("2026-12-13", "10:00", "11:00", { venueId: halfB.id });
    expect((await conflictOf(block("2026-12-13", "09:00", "12:00"))).conflictingBookingId).toBe(booking.id);
  });

  it("lets a block lie outside opening hours, inside a closure and at short notice, with no duration or horizon limit", async () => {
    const { venue, block } = await setup({ min_notice_minutes: 24 * 60, horizon_days: 5, min_duration_minutes: 60, max_duration_minutes: 120 });
    await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2026-12-24", ends_on: "2026-12-24", reason: "Julaften" }).execute();
    await expect(block("2026-12-03", "22:30", "23:30")).resolves.toBeTruthy(); // after closing, today
    await expect(block("2026-12-04", "21:45", "24:00")).resolves.toBeTruthy(); // past closing, to midnight
    await expect(block("2026-12-24", "10:00", "10:15")).resolves.toBeTruthy(); // in a closure, 15 minutes
    await expect(block("2027-06-01", "08:00", "20:00")).resolves.toBeTruthy(); // beyond the horizon, 12 hours
  });

  it("refuses bad input with typed errors", async () => {
    const { block } = await setup();
    await expect(block("2026-12-10", "12:00", "12:00")).rejects.toBeInstanceOf(EndNotAfterStart);
    await expect(block("2026-12-10", "12:00", "11:00")).rejects.toBeInstanceOf(EndNotAfterStart);
    await expect(block("2026-12-10", "10:00", "11:00", { reason: "   " })).rejects.toMatchObject({ fields: { reason: "required" } });
    await expect(block("2026-12-10", "10:00", "11:00", { reason: "x".repeat(201) })).rejects.toMatchObject({ fields: { reason: "tooLong" } });
    await expect(block("2026-12-10", "10:00", "11:00", { reason: "Vedlikehold\u0007" })).rejects.toMatchObject({ fields: { reason: "controlCharacters" } });
    await expect(block("2026-12-10", "10:00", "11:00", { reason: "x".repeat(200) })).resolves.toBeTruthy();
    await expect(block("2026-02-30", "10:00", "11:00")).rejects.toMatchObject({ fields: { date: "invalidDate" } });
    // No horizon, but ten years at most: a year like 9999 is a typing mistake.
    await expect(block("9999-12-15", "10:00", "11:00")).rejects.toMatchObject({ fields: { date: "outOfRange" } });
    await expect(block("9999-12-31", "10:00", "11:00")).rejects.toMatchObject({ fields: { date: "outOfRange" } });
    await expect(block("2036-12-01", "10:00", "11:00")).resolves.toBeTruthy();
    await expect(block("2026-12-10", "25:00", "26:00")).rejects.toBeInstanceOf(InvalidInput);
    // Already over: nothing to close.
    await expect(block("2026-12-02", "10:00", "11:00")).rejects.toMatchObject({ fields: { end: "inPast" } });
    // 02:30 does not exist in Oslo on 28 March 2027.
    await expect(block("2027-03-28", "02:30", "04:00")).rejects.toBeInstanceOf(NonexistentLocalTime);
    await expect(block("2026-12-10", "10:00", "11:00", { venueId: 999_999_999 })).rejects.toBeInstanceOf(NotFound);
    await expect(block("2026-12-10", "10:00", "11:00", { venueId: -1 })).rejects.toBeInstanceOf(InvalidInput);
  });

  it("is for the site's caretakers and the owner's admins only", async () => {
    const { leader, admin, block } = await setup();
    const other = await setup();
    await expect(block("2026-12-14", "10:00", "11:00", { actorId: other.caretaker.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(block("2026-12-14", "10:00", "11:00", { actorId: other.admin.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(block("2026-12-14", "10:00", "11:00", { actorId: leader.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(block("2026-12-14", "10:00", "11:00", { actorId: admin.id })).resolves.toMatchObject({ created_by: admin.id });
    // Nothing was stored by the refused attempts.
    const rows = await t.db.selectFrom("bookings").select("id").where("kind", "=", "block").where("created_by", "in", [other.caretaker.id, other.admin.id, leader.id]).execute();
    expect(rows).toEqual([]);
  });

  it("cannot be written inconsistently: a block has no association, a booking has one", async () => {
    const { venue, association } = await setup();
    const insert = (kind: "booking" | "block", associationId: number | null) =>
      t.db
        .insertInto("bookings")
        .values({ id: crypto.randomUUID(), venue_id: venue.id, association_id: associationId, kind, title: "x", expected_attendees: 1, starts_at: "2026-12-20T10:00Z", ends_at: "2026-12-20T11:00Z", status: "confirmed" })
        .execute();
    await expect(insert("block", association.id)).rejects.toMatchObject({ code: "23514" });
    await expect(insert("booking", null)).rejects.toMatchObject({ code: "23514" });
  });
});

describe("a block in other people's views", () => {
  it("is nobody's booking: not in My bookings, not in the quota, and booking operations do not find it", async () => {
    const { leader, caretaker, association, book, block } = await setup({ weekly_quota_minutes: 120 });
    const b = await block("2026-12-08", "08:00", "20:00");
    // The association still has its full two hours that week.
    await expect(book("2026-12-09", "10:00", "12:00")).resolves.toBeTruthy();
    await expect(book("2026-12-10", "10:00", "10:30")).rejects.toBeInstanceOf(QuotaExceeded);
    const mine = await listMyBookings(t.db, leader.id, NOW);
    const ids = mine.flatMap((a) => [...a.upcoming, ...a.past].map((r) => r.id));
    expect(ids).not.toContain(b.id);
    expect(mine.find((a) => a.association.id === association.id)?.upcoming).toHaveLength(1);
    await expect(viewBooking(t.db, caretaker.id, b.id)).rejects.toBeInstanceOf(NotFound);
    await expect(cancelBooking(t.db, { actorId: caretaker.id, bookingId: b.id, now: NOW })).rejects.toBeInstanceOf(NotFound);
    await expect(moveBooking(t.db, { actorId: caretaker.id, bookingId: b.id, date: "2026-12-08", start: "09:00", end: "10:00" }, NOW)).rejects.toBeInstanceOf(NotFound);
  });

  it("shows as closed, without its reason, in availability, the venue's week and the public feed", async () => {
    const { venue, block, book } = await setup();
    await book("2026-12-10", "18:00", "19:00", { title: "Quiz", isPublic: true });
    await block("2026-12-10", "10:00", "12:00", { reason: "Hemmelig gulvlakk" });

    const av = await availability(t.db, venue.id, "2026-12-10", "2026-12-10");
    expect(av.busy.map((b) => ({ closed: b.closed, title: b.publicTitle }))).toEqual([
      { closed: true, title: null },
      { closed: false, title: "Quiz" },
    ]);
    expect(av.free.some((f) => f.start < Date.parse("2026-12-10T11:00Z") && f.end > Date.parse("2026-12-10T09:00Z"))).toBe(false);

    const page = await loadVenuePage(t.db, { slug: venue.slug, week: "2026-12-10", lang: nb, now: NOW });
    const thursday = page.week.days.find((d) => d.date === "2026-12-10")!;
    expect(thursday.slots.find((s) => s.start === "10:00")).toMatchObject({ end: "12:00", status: "closed", title: null, book: null });
    expect(thursday.slots.find((s) => s.start === "18:00")).toMatchObject({ status: "busy", title: "Quiz" });
    expect(JSON.stringify(page)).not.toContain("Hemmelig");

    const feed = body(await publicVenueFeed(t.db, { slug: venue.slug, now: NOW, ...none }));
    expect(feed).toContain("SUMMARY:Stengt");
    expect(feed).toContain("SUMMARY:Quiz");
    expect(feed).not.toContain("Hemmelig");
  });

  it("tells a booker the venue is closed, never why", async () => {
    const { leader, block } = await setup();
    const b = await block("2026-12-10", "10:00", "12:00", { reason: "Hemmelig gulvlakk" });
    const seen = (await describeBlocking(t.db, leader.id, [b.id])).get(b.id);
    expect(seen).toMatchObject({ closed: true, title: null, venueName: "Storsalen" });
  });

  it("shows its reason and who blocked in the staff feed, and as blocked on the day plan", async () => {
    const { venue, caretaker, block, book } = await setup();
    await block("2026-12-10", "10:00", "12:00", { reason: "Gulvlakk" });
    await book("2026-12-10", "13:00", "14:00");
    const { token } = await createToken(t.db, { userId: caretaker.id, scope: `venue-staff:${venue.id}` });
    const feed = body(await tokenFeed(t.db, { token, now: NOW, ...none }));
    expect(feed).toContain("SUMMARY:Sperret: Gulvlakk");
    expect(feed).toContain("Sperret av: Ola Vaktmester");

    const day = await loadDaySchedule(t.db, { viewerId: caretaker.id, date: "2026-12-10", lang: nb, now: NOW });
    expect(day.lines.map((l) => ({ title: l.title, blocked: l.blocked, association: l.associationName, contact: l.contactName }))).toEqual([
      { title: "Gulvlakk", blocked: true, association: null, contact: null },
      { title: "Korpsøving", blocked: false, association: expect.any(String), contact: expect.any(String) },
    ]);
  });

  it("names the booking in the way with its association to staff only", async () => {
    const { caretaker, leader, association, book, block } = await setup();
    const { booking } = await book("2026-12-10", "10:00", "12:00", { title: "Styremøte" });
    const e = await conflictOf(block("2026-12-10", "11:00", "13:00"));
    const seen = await describeHolder(t.db, { viewerId: caretaker.id, bookingId: e.conflictingBookingId, lang: nb });
    expect(seen).toMatchObject({ kind: "booking", title: "Styremøte", associationName: association.name, venueName: "Storsalen" });
    expect(seen?.when).toContain("10:00–12:00");
    expect(await describeHolder(t.db, { viewerId: leader.id, bookingId: booking.id, lang: nb })).toBeNull();
  });
});

describe("removing a block", () => {
  it("frees the time, writes an audit row, sends no mail, and is harmless twice", async () => {
    const { caretaker, book, block } = await setup();
    const b = await block("2026-12-10", "10:00", "12:00");
    const mail = await outboxCount();
    const removed = await removeBlock(t.db, { actorId: caretaker.id, blockId: b.id }, NOW);
    expect(removed.status).toBe("cancelled");
    expect(await t.db.selectFrom("booking_claims").select("space_id").where("booking_id", "=", b.id).execute()).toEqual([]);
    await expect(removeBlock(t.db, { actorId: caretaker.id, blockId: b.id }, NOW)).resolves.toMatchObject({ status: "cancelled" });
    expect(await auditActions(b.id)).toEqual(["blocked", "unblocked"]);
    expect(await outboxCount()).toBe(mail);
    await expect(book("2026-12-10", "10:00", "12:00")).resolves.toBeTruthy();
  });

  it("is for the site's caretakers and the owner's admins, only for blocks, and not once over", async () => {
    const { leader, admin, book, block } = await setup();
    const other = await setup();
    const b = await block("2026-12-10", "10:00", "12:00");
    await expect(removeBlock(t.db, { actorId: other.caretaker.id, blockId: b.id }, NOW)).rejects.toBeInstanceOf(Forbidden);
    await expect(removeBlock(t.db, { actorId: leader.id, blockId: b.id }, NOW)).rejects.toBeInstanceOf(Forbidden);
    const { booking } = await book("2026-12-11", "10:00", "12:00");
    await expect(removeBlock(t.db, { actorId: admin.id, blockId: booking.id }, NOW)).rejects.toBeInstanceOf(NotFound);
    await expect(removeBlock(t.db, { actorId: admin.id, blockId: "not-a-uuid" }, NOW)).rejects.toBeInstanceOf(InvalidInput);
    await expect(removeBlock(t.db, { actorId: admin.id, blockId: b.id }, new Date("2026-12-10T12:00:00Z"))).rejects.toBeInstanceOf(BlockOver);
    await expect(removeBlock(t.db, { actorId: admin.id, blockId: b.id }, NOW)).resolves.toMatchObject({ status: "cancelled", cancelled_by: admin.id });
  });
});

describe("the block page", () => {
  it("lists the venues and the upcoming blocks at the person's own sites only", async () => {
    const { caretaker, leader, venue, block } = await setup();
    const other = await setup();
    await block("2026-12-10", "10:00", "12:00", { reason: "Vår sperring" });
    await block("2026-12-03", "08:00", "10:00", { reason: "Pågår nå" });
    await other.block("2026-12-10", "10:00", "12:00", { reason: "Deres sperring" });
    const removed = await block("2026-12-11", "10:00", "12:00", { reason: "Fjernet" });
    await removeBlock(t.db, { actorId: caretaker.id, blockId: removed.id }, NOW);

    const page = await loadBlockPage(t.db, { viewerId: caretaker.id, lang: nb, now: NOW });
    expect(page.venues.map((v) => v.id)).toEqual([venue.id]);
    expect(page.blocks.map((b) => b.reason)).toEqual(["Pågår nå", "Vår sperring"]);
    expect(page.blocks[0]).toMatchObject({ venueName: "Storsalen", createdBy: "Ola Vaktmester" });
    await expect(loadBlockPage(t.db, { viewerId: leader.id, lang: nb, now: NOW })).rejects.toBeInstanceOf(Forbidden);
  });
});
