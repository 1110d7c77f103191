// "My bookings" and cancelling through the pages: the list per association,
// the confirmation page, and cancelling one booking, one date of a series, or
// a date and every later one, with a reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import { provideDatabase } from "../../app/db.server";
import * as bookingPage from "../../app/routes/bookings.$id";
import * as cancel from "../../app/routes/bookings.$id_.cancel";
import * as myBookings from "../../app/routes/bookings._index";
import { addDays } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeWorld, nextWeekday, signedIn, type World } from "../helpers/people";

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
});
afterAll(() => dropTestDb(t));

const one = (actor: number, association: number, date: string, title: string, start = "18:00", end = "19:00") =>
  requestBooking(t.db, { actorId: actor, associationId: association, venueId: w.venue.id, date, start, end, title, expectedAttendees: 10 }, new Date()).then((r) => r.booking);

const weekly = async (title: string, from: string, weeks: number) => {
  const s = await createSeries(
    t.db,
    {
      actorId: w.users.leaderA.id,
      associationId: w.a.id,
      venueId: w.venue.id,
      weekday: 4,
      startTime: "17:00",
      durationMinutes: 60,
      intervalWeeks: 1,
      from,
      until: addDays(from, 7 * (weeks - 1)),
      title,
      expectedAttendees: 10,
    },
    new Date(),
  );
  return s.bookings;
};

const status = async (id: string) => (await t.db.selectFrom("bookings").select(["status", "cancel_reason", "cancelled_by"]).where("id", "=", id).executeTakeFirstOrThrow());

interface Section {
  association: { id: number; name: string };
  upcoming: { id: string; title: string; status: string; statusText: string; canCancel: boolean; inSeries: boolean; when: string }[];
  past: { id: string; title: string }[];
}

describe("My bookings", () => {
  it("lists upcoming and past bookings per association the person belongs to, and nothing of others", async () => {
    const soon = nextWeekday(1, 7);
    const mine = await one(w.users.memberA.id, w.a.id, soon, "A sitt møte");
    const theirs = await one(w.users.memberB.id, w.b.id, soon, "B sitt møte", "20:00", "21:00");
    // A past booking: written straight to the table (the engine refuses the past).
    await t.db
      .insertInto("bookings")
      .values({
        id: "018f0000-0000-7000-8000-000000000001",
        venue_id: w.venue.id,
        association_id: w.a.id,
        title: "I fjor",
        expected_attendees: 3,
        starts_at: new Date(Date.now() - 30 * 86_400_000),
        ends_at: new Date(Date.now() - 30 * 86_400_000 + 3_600_000),
        status: "confirmed",
        created_by: w.users.memberA.id,
      })
      .execute();
    const browser = await signedIn(t.db, w.users.memberA.id);
    const page = await browser.visit<{ associations: { id: number }[]; sections: Section[] }>(myBookings.loader, "/bookings");
    expect(page.status).toBe(200);
    expect(page.data.sections.map((s) => s.association.id)).toEqual([w.a.id]);
    const a = page.data.sections[0]!;
    expect(a.upcoming.map((b) => b.id)).toContain(mine.id);
    expect(a.upcoming.find((b) => b.id === mine.id)).toMatchObject({ status: "confirmed", statusText: "Bekreftet", canCancel: true, inSeries: false });
    expect(a.past.map((b) => b.title)).toEqual(["I fjor"]);
    expect(JSON.stringify(page.data)).not.toContain(theirs.id);
    expect(JSON.stringify(page.data)).not.toContain("B sitt møte");

    // Someone in two associations sees two sections, and may filter to one.
    await t.db
      .insertInto("memberships")
      .values([w.a.id, w.b.id].map((id) => ({ association_id: id, user_id: w.users.outsider.id, role: "member" as const })))
      .execute();
    const both = await signedIn(t.db, w.users.outsider.id);
    const two = await both.visit<{ sections: Section[]; chosen: number | null }>(myBookings.loader, "/bookings");
    expect(two.data.sections.map((s) => s.association.id).sort()).toEqual([w.a.id, w.b.id].sort());
    const filtered = await both.visit<{ sections: Section[]; chosen: number | null }>(myBookings.loader, `/bookings?association=${w.b.id}`);
    expect(filtered.data.chosen).toBe(w.b.id);
    expect(filtered.data.sections.map((s) => s.association.id)).toEqual([w.b.id]);
    await t.db.deleteFrom("memberships").where("user_id", "=", w.users.outsider.id).execute();

    // A filter naming someone else's association shows no more than the person's own.
    const sneaky = await browser.visit<{ sections: Section[]; chosen: number | null }>(myBookings.loader, `/bookings?association=${w.b.id}`);
    expect(sneaky.data.chosen).toBeNull();
    expect(sneaky.data.sections.map((s) => s.association.id)).toEqual([w.a.id]);
  });
});

describe("cancelling", () => {
  it("one booking: a confirmation page first, then cancelled with the reason, the mail queued and an audit row", async () => {
    const b = await one(w.users.memberA.id, w.a.id, nextWeekday(2, 7), "Avlyses");
    const browser = await signedIn(t.db, w.users.memberA.id);
    const page = await browser.visit<{ scope: string; targets: { id: string; label: string; active: boolean }[] }>(cancel.loader, `/bookings/${b.id}/cancel`, { id: b.id });
    expect(page.status).toBe(200);
    expect(page.data.scope).toBe("one");
    expect(page.data.targets.map((x) => x.id)).toEqual([b.id]);
    // Looking changes nothing.
    expect((await status(b.id)).status).toBe("confirmed");

    const done = await browser.submit(cancel.action, `/bookings/${b.id}/cancel`, { scope: "one", reason: "Sykdom i laget" }, { params: { id: b.id } });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/bookings/${b.id}?cancelled=1`);
    expect(await status(b.id)).toEqual({ status: "cancelled", cancel_reason: "Sykdom i laget", cancelled_by: w.users.memberA.id });
    const audit = await t.db.selectFrom("audit_log").select("action").where("entity_id", "=", b.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["requested", "cancelled"]);
    const mail = await t.db.selectFrom("outbox").select("kind").where("kind", "=", "booking-cancelled").execute();
    expect(mail.length).toBeGreaterThanOrEqual(1);

    const after = await browser.visit<{ cancelled: number; booking: { status: string; canCancel: boolean; reason: string } }>(bookingPage.loader, done.location!, { id: b.id });
    expect(after.data).toMatchObject({ cancelled: 1, booking: { status: "cancelled", canCancel: false, reason: "Sykdom i laget" } });

    // Again: nothing left to cancel, said in words with a 409.
    const again = await browser.submit<{ formError: string }>(cancel.action, `/bookings/${b.id}/cancel`, { scope: "one" }, { params: { id: b.id } });
    expect(again.status).toBe(409);
    expect(again.data.formError).toBe("Bookingen har status «avlyst», så det kan ikke gjøres nå.");
  });

  it("one date of a series, and then that date and every later one", async () => {
    const dates = await weekly("Sjakkveld", nextWeekday(4, 7), 5);
    expect(dates).toHaveLength(5);
    const [d1, d2, d3, d4, d5] = dates as [typeof dates[number], typeof dates[number], typeof dates[number], typeof dates[number], typeof dates[number]];
    const browser = await signedIn(t.db, w.users.memberA.id, { language: "en" });

    // Only the second date.
    await browser.visit(cancel.loader, `/bookings/${d2.id}/cancel`, { id: d2.id });
    const single = await browser.submit(cancel.action, `/bookings/${d2.id}/cancel`, { scope: "one" }, { params: { id: d2.id } });
    expect(single.location).toBe(`/bookings/${d2.id}?cancelled=1`);
    expect((await Promise.all(dates.map((d) => status(d.id)))).map((s) => s.status)).toEqual(["confirmed", "cancelled", "confirmed", "confirmed", "confirmed"]);

    // From the fourth date on, after a look at what that means.
    const page = await browser.visit<{ scope: string; targets: { id: string }[]; booking: { series: { activeFromHere: number } } }>(
      cancel.loader,
      `/bookings/${d4.id}/cancel?scope=rest`,
      { id: d4.id },
    );
    expect(page.data.scope).toBe("rest");
    expect(page.data.targets.map((x) => x.id)).toEqual([d4.id, d5.id]);
    const rest = await browser.submit(cancel.action, `/bookings/${d4.id}/cancel`, { scope: "rest", reason: "Sesongen er over" }, { params: { id: d4.id } });
    expect(rest.status).toBe(302);
    expect(rest.location).toBe(`/bookings/${d4.id}?cancelled=2`);
    const after = await Promise.all(dates.map((d) => status(d.id)));
    expect(after.map((s) => s.status)).toEqual(["confirmed", "cancelled", "confirmed", "cancelled", "cancelled"]);
    expect(after[4]!.cancel_reason).toBe("Sesongen er over");
    const seriesAudit = await t.db.selectFrom("audit_log").select(["action", "after"]).where("entity", "=", "series").where("entity_id", "=", d1.series_id!).execute();
    expect(seriesAudit.map((a) => a.action)).toEqual(["created", "cancelled-from"]);
    expect((seriesAudit[1]!.after as { bookingIds: string[] }).bookingIds).toEqual([d4.id, d5.id]);

    const shown = await browser.visit<{ cancelled: number; booking: { series: { occurrences: { status: string }[] } } }>(bookingPage.loader, rest.location!, { id: d4.id });
    expect(shown.data.cancelled).toBe(2);
    expect(shown.data.booking.series.occurrences.map((o) => o.status)).toEqual(["confirmed", "cancelled", "confirmed", "cancelled", "cancelled"]);
    expect(d3.status).toBe("confirmed");
  });

  it("people outside the association get a 404 on the page and on the POST; the caretaker may cancel", async () => {
    const b = await one(w.users.memberA.id, w.a.id, nextWeekday(3, 7), "Ikke ditt");
    const outsider = await signedIn(t.db, w.users.memberB.id);
    const look = await outsider.visit(cancel.loader, `/bookings/${b.id}/cancel`, { id: b.id });
    expect(look.status).toBe(404);
    await outsider.visit(myBookings.loader, "/bookings");
    const post = await outsider.submit(cancel.action, `/bookings/${b.id}/cancel`, { scope: "one" }, { params: { id: b.id } });
    expect(post.status).toBe(404);
    expect((await status(b.id)).status).toBe("confirmed");

    const caretaker = await signedIn(t.db, w.users.caretaker.id);
    await caretaker.visit(cancel.loader, `/bookings/${b.id}/cancel`, { id: b.id });
    const done = await caretaker.submit(cancel.action, `/bookings/${b.id}/cancel`, { scope: "one", reason: "Vannlekkasje" }, { params: { id: b.id } });
    expect(done.status).toBe(302);
    expect(await status(b.id)).toMatchObject({ status: "cancelled", cancelled_by: w.users.caretaker.id });
  });
});
