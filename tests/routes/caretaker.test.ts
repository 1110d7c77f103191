// The caretaker pages through real sign-in (session cookie, CSRF token): the
// approval queue shows only the caretaker's own sites, oldest request first,
// with the association's status, history and contact details; approving and
// rejecting go through the engine (outbox message to the booker); a rejection
// needs a reason; another site's caretaker changes nothing; the day plan lists
// the day's bookings in the venue's local time.
import { sql } from "kysely";
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import type { ApprovalQueue, DaySchedule } from "../../app/caretaker/caretaker.server";
import { blockTime } from "../../app/caretaker/blocks.server";
import { provideDatabase } from "../../app/db.server";
import * as requests from "../../app/routes/caretaker.requests";
import * as today from "../../app/routes/caretaker.today";
import { moveBooking } from "../../app/booking/move.server";
import { addDays } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { makeWorld, nextWeekday, signedIn, type World } from "../helpers/people";
import { renderPage } from "./render";

let t: TestDb;
let w: World;
let other: { caretaker: number; venueId: number };
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db, { approval_mode: "manual" });
  await t.db.updateTable("users").set({ phone: "+47 912 34 567" }).where("id", "=", w.users.memberA.id).execute();
  const o = await makeOwner(t.db, "Europe/Oslo");
  const venue = await makeVenue(t.db, o.site.id, { name: "Annen hall", approval_mode: "manual" });
  const caretaker = (await makeUser(t.db, "Annen Vaktmester")).id;
  await t.db.insertInto("site_caretakers").values({ site_id: o.site.id, user_id: caretaker }).execute();
  other = { caretaker, venueId: venue.id };
});
afterAll(() => dropTestDb(t));

const ask = async (venueId: number, date: string, title: string, start = "18:00", end = "19:00", note = "") =>
  (
    await requestBooking(
      t.db,
      { actorId: w.users.memberA.id, associationId: w.a.id, venueId, date, start, end, title, purpose: `${title} formål`, expectedAttendees: 14, noteToCaretaker: note },
      new Date(),
    )
  ).booking;
const status = async (id: string) => (await t.db.selectFrom("bookings").select(["status", "decision_reason"]).where("id", "=", id).executeTakeFirstOrThrow());
const mailFor = async (id: string, kind: string) =>
  (await t.db.selectFrom("outbox").select(["recipient"]).where("kind", "=", kind).where(sql<boolean>`payload->'booking'->>'id' = ${id}`).execute()).map((r) => r.recipient);

async function queue(userId: number) {
  const b = await signedIn(t.db, userId);
  const reply = await b.visit<ApprovalQueue>(requests.loader, "/caretaker/requests");
  return { b, reply };
}

describe("the approval queue", () => {
  it("shows only the caretaker's own sites, oldest request first, with status, history and contact details", async () => {
    const later = await ask(w.venue.id, nextWeekday(2, 14), "Nyere forespørsel");
    const earlier = await ask(w.venue.id, nextWeekday(2, 21), "Eldre forespørsel", "18:00", "19:00", "Trenger nøkkel");
    // Make the second request the older one: the queue goes by when it was asked, not by its date.
    await t.db.updateTable("bookings").set({ created_at: sql`now() - interval '2 days'` }).where("id", "=", earlier.id).execute();
    const elsewhere = await ask(other.venueId, nextWeekday(2, 14), "Annet sted");
    // A past confirmed booking and a no-show make the association's history.
    await t.db
      .insertInto("bookings")
      .values([0, 1].map((i) => ({
        id: crypto.randomUUID(),
        venue_id: w.venue.id,
        association_id: w.a.id,
        title: `Før ${i}`,
        expected_attendees: 5,
        starts_at: new Date(Date.now() - (10 + i) * 86400_000),
        ends_at: new Date(Date.now() - (10 + i) * 86400_000 + 3600_000),
        status: "confirmed" as const,
        no_show: i === 1,
      })))
      .execute();

    const { reply } = await queue(w.users.caretaker.id);
    expect(reply.status).toBe(200);
    const items = reply.data.items.filter((i) => [earlier.id, later.id].includes(i.id));
    expect(items.map((i) => i.first.title)).toEqual(["Eldre forespørsel", "Nyere forespørsel"]);
    expect(reply.data.items.map((i) => i.id)).not.toContain(elsewhere.id);
    expect(JSON.stringify(reply.data)).not.toContain("Annet sted");
    const card = items[0]!.first;
    expect(card.association).toMatchObject({ name: w.a.name, verified: true, contactEmail: w.a.contact_email, pastConfirmed: 2, noShows: 1 });
    expect(card.booker).toEqual({ name: w.users.memberA.name, phone: "+47 912 34 567" });
    expect(card).toMatchObject({ expectedAttendees: 14, noteToCaretaker: "Trenger nøkkel", purpose: "Eldre forespørsel formål", venueName: "Storsalen" });
    expect(card.when).toMatch(/18:00–19:00/);

    // The other site's caretaker sees theirs and not these.
    const theirs = await queue(other.caretaker);
    expect(theirs.reply.data.items.map((i) => i.id)).toEqual([elsewhere.id]);
  });

  it("marks a request from an association the municipality has since turned down", async () => {
    const { association, leader } = await makeAssociation(t.db, { verified: false });
    const { booking } = await requestBooking(
      t.db,
      { actorId: leader.id, venueId: w.venue.id, associationId: association.id, date: nextWeekday(3, 35), start: "10:00", end: "11:00", title: "Før avslaget", expectedAttendees: 5 },
      new Date(),
    );
    await t.db.updateTable("associations").set({ rejected_at: new Date(), rejection_reason: "Ikke en forening" }).where("id", "=", association.id).execute();
    const { reply } = await queue(w.users.caretaker.id);
    const card = reply.data.items.find((i) => i.id === booking.id)!.first;
    expect(card.association).toMatchObject({ verified: false, rejected: true });
    const mine = reply.data.items.find((i) => i.first.association.id === w.a.id)!.first;
    expect(mine.association.rejected).toBe(false);
  });

  it("says which request is a booking moved to a new time, and from when", async () => {
    const date = nextWeekday(5, 42);
    const asked = await ask(w.venue.id, date, "Flyttes");
    const { b } = await queue(w.users.caretaker.id);
    await b.submit(requests.action, "/caretaker/requests", { intent: "approve", kind: "booking", id: asked.id });
    // The member moves it: at this manual venue it waits for approval again.
    await moveBooking(t.db, { actorId: w.users.memberA.id, bookingId: asked.id, date, start: "20:00", end: "21:00" }, new Date());
    const { reply } = await queue(w.users.caretaker.id);
    const item = reply.data.items.find((i) => i.id === asked.id)!;
    expect(item.dates).toEqual([{ id: asked.id, when: expect.stringMatching(/, 20:00–21:00$/), movedFrom: expect.stringMatching(/, 18:00–19:00$/) }]);
    expect(reply.data.items.find((i) => i.id !== asked.id)!.dates[0]!.movedFrom).toBeNull();
  });

  it("approves: the booking is confirmed and the requester gets a message through the outbox", async () => {
    const asked = await ask(w.venue.id, nextWeekday(4, 30), "Til godkjenning");
    const { b } = await queue(w.users.caretaker.id);
    const reply = await b.submit(requests.action, "/caretaker/requests", { intent: "approve", kind: "booking", id: asked.id });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/caretaker/requests?done=approved&count=1");
    expect((await status(asked.id)).status).toBe("confirmed");
    expect(await mailFor(asked.id, "booking-confirmed")).toEqual([w.users.memberA.email]);
  });

  it("refuses a rejection without a reason (400, message beside the field) and rejects with one", async () => {
    const asked = await ask(w.venue.id, nextWeekday(4, 37), "Til avslag");
    const { b } = await queue(w.users.caretaker.id);
    const empty = await b.submit<{ intent: string; fieldErrors: Record<string, string> }>(requests.action, "/caretaker/requests", { intent: "reject", kind: "booking", id: asked.id, reason: "  " });
    expect(empty.status).toBe(400);
    expect(empty.data.intent).toBe(asked.id);
    expect(empty.data.fieldErrors.reason).toMatch(/må fylles ut/);
    expect((await status(asked.id)).status).toBe("pending");

    const done = await b.submit(requests.action, "/caretaker/requests", { intent: "reject", kind: "booking", id: asked.id, reason: "Stengt for vedlikehold" });
    expect(done.status).toBe(302);
    expect(await status(asked.id)).toEqual({ status: "rejected", decision_reason: "Stengt for vedlikehold" });
    expect(await mailFor(asked.id, "booking-rejected")).toEqual([w.users.memberA.email]);
  });

  it("decides a whole series at once", async () => {
    const from = nextWeekday(5, 50);
    const s = await createSeries(
      t.db,
      { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, weekday: 5, startTime: "17:00", durationMinutes: 60, intervalWeeks: 1, from, until: addDays(from, 14), title: "Fredagsserie", expectedAttendees: 9 },
      new Date(),
    );
    const { b, reply } = await queue(w.users.caretaker.id);
    const item = reply.data.items.find((i) => i.id === s.seriesId)!;
    expect(item.kind).toBe("series");
    expect(item.dates).toHaveLength(3);
    const done = await b.submit(requests.action, "/caretaker/requests", { intent: "approve", kind: "series", id: s.seriesId });
    expect(done.location).toBe("/caretaker/requests?done=approved&count=3");
    const rows = await t.db.selectFrom("bookings").select("status").where("series_id", "=", s.seriesId).execute();
    expect(rows.map((r) => r.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
  });

  it("deciding a request that is no longer there shows the queue again with a message at the top (it was a full-page 404)", async () => {
    const waiting = await ask(w.venue.id, nextWeekday(3, 51), "Venter fortsatt");
    const b = await signedIn(t.db, w.users.caretaker.id);
    await b.visit(requests.loader, "/caretaker/requests");
    const gone = "00000000-0000-7000-8000-000000000000";
    for (const form of [
      { intent: "approve", kind: "booking", id: gone, reason: "" },
      { intent: "reject", kind: "booking", id: gone, reason: "Nei" },
      { intent: "approve", kind: "series", id: gone, reason: "" },
    ]) {
      const reply = await b.submit<{ intent: string; formError: string | null }>(requests.action, "/caretaker/requests", form);
      expect(reply.status, JSON.stringify(form)).toBe(404);
      expect(reply.data.formError).toBe("Forespørselen finnes ikke lenger, så ingenting er gjort. Listen under viser det som venter nå.");
    }
    const page = await renderPage(
      "/",
      { loader: async ({ request }) => ((await requests.loader({ request, params: {}, context: {} })) as unknown as { data: unknown }).data, Component: requests.default as ComponentType },
      { Cookie: `${b.cookieHeader()}; lang=en` },
      { action: requests.action as never, body: new URLSearchParams({ csrf: b.csrf, intent: "approve", kind: "booking", id: gone }) },
    );
    expect(page.status).toBe(404);
    expect(page.html).toMatch(/role="alert"[^>]*>That request no longer exists, so nothing was done\./);
    // The id of an old page can also be a block now (a caretaker's blocked time is no request): the same reply, not a 403 or 500.
    const block = await blockTime(t.db, { actorId: w.users.caretaker.id, venueId: w.venue.id, date: nextWeekday(4, 52), start: "10:00", end: "11:00", reason: "Vask" }, new Date());
    const onBlock = await b.submit<{ formError: string | null }>(requests.action, "/caretaker/requests", { intent: "approve", kind: "booking", id: block.id, reason: "" });
    expect(onBlock.status).toBe(404);
    expect(onBlock.data.formError).toBe("Forespørselen finnes ikke lenger, så ingenting er gjort. Listen under viser det som venter nå.");
    expect((await status(block.id)).status).toBe("confirmed");
    // The queue is there below it, still offering what waits.
    expect(page.html).toContain(waiting.title);
    expect((await status(waiting.id)).status).toBe("pending");
  });

  it("another site's caretaker and a member get 403 and nothing changes", async () => {
    const asked = await ask(w.venue.id, nextWeekday(3, 44), "Ikke din");
    for (const userId of [other.caretaker, w.users.memberA.id]) {
      const b = await signedIn(t.db, userId);
      await b.visit(requests.loader, "/caretaker/requests");
      const approve = await b.submit(requests.action, "/caretaker/requests", { intent: "approve", kind: "booking", id: asked.id });
      expect(approve.status).toBe(403);
      const reject = await b.submit(requests.action, "/caretaker/requests", { intent: "reject", kind: "booking", id: asked.id, reason: "Nei" });
      expect(reject.status).toBe(403);
    }
    expect((await status(asked.id)).status).toBe("pending");
    expect(await mailFor(asked.id, "booking-confirmed")).toEqual([]);
    const member = await signedIn(t.db, w.users.memberA.id);
    expect((await member.visit(requests.loader, "/caretaker/requests")).status).toBe(403);
  });
});

describe("the day plan", () => {
  it("says at the top why attendance was refused for a booking not on the day's list (a changed id gave a 400 with no message)", async () => {
    const b = await signedIn(t.db, w.users.caretaker.id);
    await b.visit(today.loader, "/caretaker/today");
    const page = await renderPage(
      "/",
      { loader: async ({ request }) => ((await today.loader({ request, params: {}, context: {} })) as unknown as { data: unknown }).data, Component: today.default as ComponentType },
      { Cookie: b.cookieHeader() },
      { action: today.action as never, body: new URLSearchParams({ csrf: b.csrf, intent: "attendance", id: "00000000-0000-7000-8000-000000000000", attendance: "-5" }) },
    );
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.status).toBeLessThan(500);
    expect(page.html).toMatch(/role="alert"[^>]*>[^<]+</);
  });

  it("lists the day's confirmed and pending bookings at own sites in time order, in the venue's local time", async () => {
    const date = nextWeekday(1, 60);
    const evening = await ask(w.venue.id, date, "Kveld", "19:00", "21:00", "Lås opp bakdøra");
    const morning = await ask(w.venue.id, date, "Morgen", "08:00", "09:30");
    await t.db.updateTable("bookings").set({ status: "confirmed" }).where("id", "=", morning.id).execute();
    const gone = await ask(w.venue.id, date, "Avlyst", "12:00", "13:00");
    await t.db.updateTable("bookings").set({ status: "cancelled" }).where("id", "=", gone.id).execute();
    await ask(other.venueId, date, "Annet sted", "10:00", "11:00");
    await ask(w.venue.id, addDays(date, 1), "Neste dag", "10:00", "11:00");

    const b = await signedIn(t.db, w.users.caretaker.id);
    const reply = await b.visit<DaySchedule>(today.loader, `/caretaker/today?date=${date}`);
    expect(reply.status).toBe(200);
    const day = reply.data;
    expect(day.lines.map((l) => [l.title, l.start, l.end, l.status])).toEqual([
      ["Morgen", "08:00", "09:30", "confirmed"],
      ["Kveld", "19:00", "21:00", "pending"],
    ]);
    expect(day.lines[1]).toMatchObject({ venueName: "Storsalen", associationName: w.a.name, contactName: w.users.memberA.name, contactPhone: "+47 912 34 567", expectedAttendees: 14, noteToCaretaker: "Lås opp bakdøra" });
    expect(day.previous).toBe(addDays(date, -1));
    expect(day.next).toBe(addDays(date, 1));
    expect(evening.id).toBe(day.lines[1]!.id);

    const bad = await b.visit(today.loader, "/caretaker/today?date=2026-02-30");
    expect(bad.status).toBe(400);
    const member = await signedIn(t.db, w.users.memberA.id);
    expect((await member.visit(today.loader, `/caretaker/today?date=${date}`)).status).toBe(403);
  });
});
