// A booking's audit history (app/admin/audit-history.server.ts): every audit
// row of the booking, when in the venue's zone, who by name, what happened
// and what changed before → after in words; for the admins of the venue's
// owner and the caretakers of its site. Members of the booking's association
// get Forbidden; everyone else NotFound (as on the booking page).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBookingHistory } from "../../app/admin/audit-history.server";
import { loadBookingPage } from "../../app/booking/booking-page.server";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { moveBooking } from "../../app/booking/move.server";
import { Forbidden, NotFound } from "../../app/errors/domain-errors";
import { getLanguage } from "../../app/i18n";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser } from "../helpers/fixtures";
import { makeWorld, type World } from "../helpers/people";

let t: TestDb;
let w: World;
let otherAdmin: number;
let otherCaretaker: number;
let bookingId: string;
const NOW = new Date("2027-02-01T09:00:00Z");
const nb = getLanguage("nb");
const en = getLanguage("en");

beforeAll(async () => {
  t = await createTestDb();
  w = await makeWorld(t.db);
  const o = await makeOwner(t.db);
  otherAdmin = (await makeUser(t.db, "Annen Admin")).id;
  otherCaretaker = (await makeUser(t.db, "Annen Vaktmester")).id;
  await t.db.insertInto("owner_admins").values({ owner_id: o.owner.id, user_id: otherAdmin }).execute();
  await t.db.insertInto("site_caretakers").values({ site_id: o.site.id, user_id: otherCaretaker }).execute();
  // Booked by A's member, moved an hour later by the caretaker, cancelled by the admin.
  const { booking } = await requestBooking(
    t.db,
    { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date: "2027-03-10", start: "18:00", end: "20:00", title: "Korøving", expectedAttendees: 12 },
    NOW,
  );
  bookingId = booking.id;
  await moveBooking(t.db, { actorId: w.users.caretaker.id, bookingId, date: "2027-03-10", start: "19:00", end: "21:00" }, NOW);
  await cancelBooking(t.db, { actorId: w.users.admin.id, bookingId, reason: "Vannlekkasje", now: NOW });
});
afterAll(() => dropTestDb(t));

describe("the booking's history", () => {
  it("shows every row in order: when in the venue's zone, who by name, what, and what changed", async () => {
    const h = await loadBookingHistory(t.db, { viewerId: w.users.admin.id, bookingId, lang: nb });
    expect(h.title).toBe("Korøving");
    expect(h.timeZone).toBe("Europe/Oslo");
    expect(h.entries.map((e) => [e.action, e.who])).toEqual([
      ["Booket", "Mona Medlem"],
      ["Flyttet", "Ola Vaktmester"],
      ["Avlyst", "Ingrid Admin"],
    ]);
    const [booked, moved, cancelled] = h.entries as [(typeof h.entries)[0], (typeof h.entries)[0], (typeof h.entries)[0]];
    expect(booked.changes).toContainEqual({ field: "Status", before: null, after: "bekreftet" });
    expect(booked.changes).toContainEqual({ field: "Tid", before: null, after: "onsdag 10. mars 2027, 18:00–20:00" });
    // Wall times in Oslo (UTC+1 in March before the switch), not UTC.
    expect(moved.changes).toEqual([{ field: "Tid", before: "onsdag 10. mars 2027, 18:00–20:00", after: "onsdag 10. mars 2027, 19:00–21:00" }]);
    expect(cancelled.changes).toContainEqual({ field: "Status", before: "bekreftet", after: "avlyst" });
    expect(cancelled.changes).toContainEqual({ field: "Grunn til avlysning", before: null, after: "Vannlekkasje" });
    // The audit row's instant, shown in Oslo time: the rows were written just now, so only the form is checked.
    expect(booked.at).toMatch(/\d{2}:\d{2}:\d{2}/);
  });

  it("reads in English too", async () => {
    const h = await loadBookingHistory(t.db, { viewerId: w.users.caretaker.id, bookingId, lang: en });
    expect(h.entries.map((e) => e.action)).toEqual(["Booked", "Moved", "Cancelled"]);
    expect(h.entries[2]!.changes).toContainEqual({ field: "Status", before: "confirmed", after: "cancelled" });
  });

  it("is for the site's caretakers and the owner's admins; the association's members get Forbidden, anyone else NotFound", async () => {
    await expect(loadBookingHistory(t.db, { viewerId: w.users.caretaker.id, bookingId, lang: nb })).resolves.toBeTruthy();
    await expect(loadBookingHistory(t.db, { viewerId: w.users.memberA.id, bookingId, lang: nb })).rejects.toBeInstanceOf(Forbidden);
    await expect(loadBookingHistory(t.db, { viewerId: w.users.leaderA.id, bookingId, lang: nb })).rejects.toBeInstanceOf(Forbidden);
    for (const viewer of [w.users.memberB.id, w.users.outsider.id, otherAdmin, otherCaretaker]) {
      await expect(loadBookingHistory(t.db, { viewerId: viewer, bookingId, lang: nb })).rejects.toBeInstanceOf(NotFound);
    }
    await expect(loadBookingHistory(t.db, { viewerId: w.users.admin.id, bookingId: "42", lang: nb })).rejects.toBeInstanceOf(NotFound);
    await expect(loadBookingHistory(t.db, { viewerId: w.users.admin.id, bookingId: crypto.randomUUID(), lang: nb })).rejects.toBeInstanceOf(NotFound);
  });

  it("the booking page links to it for staff only", async () => {
    const forAdmin = await loadBookingPage(t.db, { viewerId: w.users.admin.id, bookingId, lang: nb, now: NOW });
    const forCaretaker = await loadBookingPage(t.db, { viewerId: w.users.caretaker.id, bookingId, lang: nb, now: NOW });
    const forMember = await loadBookingPage(t.db, { viewerId: w.users.memberA.id, bookingId, lang: nb, now: NOW });
    expect(forAdmin.historyHref).toBe(`/bookings/${bookingId}/history`);
    expect(forCaretaker.historyHref).toBe(`/bookings/${bookingId}/history`);
    expect(forMember.historyHref).toBeNull();
  });
});
