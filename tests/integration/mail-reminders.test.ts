// Reminders: enqueued with the booking (or its approval) for REMINDER_HOURS
// before the start, sent then, and not at all when the booking was cancelled
// or moved in the meantime (checked at send time).
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveBooking, cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import { env } from "../../app/config/env.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { drain, outbox, transportFor, worker } from "../helpers/mail";
import { startTestSmtp, type TestSmtp } from "../helpers/smtp";

let t: TestDb;
let smtp: TestSmtp;
beforeAll(async () => {
  t = await createTestDb();
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp.stop();
  await dropTestDb(t);
});

const NOW = new Date("2026-12-03T08:00:00Z");
const HOUR = 3_600_000;

async function setup(approval: "auto" | "manual" = "auto") {
  const { site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, { approval_mode: approval, name: "Møterommet" });
  const { association, leader } = await makeAssociation(t.db);
  const caretaker = await makeUser(t.db, "Vaktmester");
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  const base = { actorId: leader.id, venueId: venue.id, associationId: association.id, title: "Årsmøte", expectedAttendees: 12 };
  return { leader, caretaker, base };
}

async function deliverAt(now: Date) {
  const transport = transportFor(smtp.url);
  try {
    return await drain(worker(t.db, transport), now);
  } finally {
    transport.close();
  }
}

const reminderOf = async (bookingId: string) =>
  (await outbox(t.db)).find((r) => r.kind === "booking-reminder" && (r.payload as { bookingId: string }).bookingId === bookingId);

describe("reminders", () => {
  it("is queued REMINDER_HOURS before a confirmed booking and sent then, not before", async () => {
    const { base, leader } = await setup();
    const { booking } = await requestBooking(t.db, { ...base, date: "2026-12-10", start: "18:00", end: "20:00" }, NOW);
    const reminder = (await reminderOf(booking.id))!;
    expect(reminder.recipient).toBe(leader.email);
    expect(reminder.available_at.getTime()).toBe(booking.starts_at.getTime() - env().REMINDER_HOURS * HOUR);

    await deliverAt(new Date()); // the confirmation goes now
    const before = smtp.received.length;
    expect((await deliverAt(new Date(reminder.available_at.getTime() - 60_000))).sent).toEqual([]);
    const report = await deliverAt(new Date(reminder.available_at.getTime() + 60_000));
    expect(report.sent).toEqual([reminder.id]);
    const m = smtp.received[before]!;
    expect(m.envelope.to).toEqual([leader.email]);
    expect(m.parsed.subject).toBe("Påminnelse: Årsmøte 10. des. 2026");
    expect(m.parsed.text).toContain("torsdag 10. desember 2026 kl. 18:00–20:00");
  });

  it("is not sent for a booking cancelled in the meantime", async () => {
    const { base, leader } = await setup();
    const { booking } = await requestBooking(t.db, { ...base, date: "2026-12-11", start: "18:00", end: "20:00" }, NOW);
    const reminder = (await reminderOf(booking.id))!;
    await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: NOW });
    await deliverAt(new Date()); // confirmation and cancellation
    const before = smtp.received.length;
    const report = await deliverAt(new Date(reminder.available_at.getTime() + 60_000));
    expect(report.skipped).toEqual([reminder.id]);
    expect(report.sent).toEqual([]);
    expect(smtp.received.length).toBe(before);
    const row = (await outbox(t.db)).find((r) => r.id === reminder.id)!;
    expect(row.skipped_at).not.toBeNull();
    expect(row.skip_reason).toBe("booking cancelled");
    expect(row.sent_at).toBeNull();
  });

  it("is not sent for the old time of a booking that was moved", async () => {
    const { base } = await setup();
    const { booking } = await requestBooking(t.db, { ...base, date: "2026-12-12", start: "18:00", end: "20:00" }, NOW);
    const reminder = (await reminderOf(booking.id))!;
    await sql`UPDATE bookings SET starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day' WHERE id = ${booking.id}`.execute(t.db);
    await deliverAt(new Date());
    const report = await deliverAt(new Date(reminder.available_at.getTime() + 60_000));
    expect(report.skipped).toEqual([reminder.id]);
    expect((await outbox(t.db)).find((r) => r.id === reminder.id)!.skip_reason).toBe("booking moved");
  });

  it("is not queued when the booking starts sooner than that", async () => {
    const { base } = await setup();
    const { booking } = await requestBooking(t.db, { ...base, date: "2026-12-03", start: "18:00", end: "19:00" }, NOW);
    expect(await reminderOf(booking.id)).toBeUndefined();
    expect((await outbox(t.db)).some((r) => r.kind === "booking-confirmed" && (r.payload as { booking: { id: string } }).booking.id === booking.id)).toBe(true);
  });

  it("waits for approval: none for a pending request, one once it is approved", async () => {
    const { base, caretaker } = await setup("manual");
    const { booking } = await requestBooking(t.db, { ...base, date: "2026-12-14", start: "18:00", end: "20:00" }, NOW);
    expect(booking.status).toBe("pending");
    expect(await reminderOf(booking.id)).toBeUndefined();
    await approveBooking(t.db, { actorId: caretaker.id, bookingId: booking.id, now: NOW });
    const reminder = (await reminderOf(booking.id))!;
    expect(reminder.available_at.getTime()).toBe(booking.starts_at.getTime() - env().REMINDER_HOURS * HOUR);
  });

  it("is queued for each confirmed date of a series, with one summary and no message per date", async () => {
    const { base, leader } = await setup();
    const series = await createSeries(
      t.db,
      { ...base, weekday: 4, startTime: "18:00", durationMinutes: 60, intervalWeeks: 1, from: "2026-12-03", until: "2026-12-24" },
      NOW,
    );
    expect(series.bookings.map((b) => b.status)).toEqual(["confirmed", "confirmed", "confirmed", "confirmed"]);
    const ids = series.bookings.map((b) => b.id);
    const rows = (await outbox(t.db)).filter(
      (r) => ids.includes((r.payload as { bookingId?: string }).bookingId ?? "") || ids.includes((r.payload as { booking?: { id: string } }).booking?.id ?? ""),
    );
    // 3 December 18:00 starts sooner than REMINDER_HOURS after NOW: no reminder for it.
    expect(rows.map((r) => r.kind)).toEqual(["booking-reminder", "booking-reminder", "booking-reminder"]);
    expect(rows.map((r) => r.available_at.getTime()).sort()).toEqual(series.bookings.slice(1).map((b) => b.starts_at.getTime() - env().REMINDER_HOURS * HOUR));
    expect(rows.every((r) => r.recipient === leader.email)).toBe(true);
    const summaries = (await outbox(t.db)).filter((r) => r.kind === "series-created" && (r.payload as { series: { id: string } }).series.id === series.seriesId);
    expect(summaries).toHaveLength(1);
  });
});
