// Moving a booking through its pages: the form starts with its date and
// times, a move redirects to the booking with a message, bad input and a
// taken time are answered beside the form in the person's language with
// nothing changed, a move to the time it has is answered as such, and a
// booking that is over cannot be moved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import * as bookingPage from "../../app/routes/bookings.$id";
import * as move from "../../app/routes/bookings.$id_.move";
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

type Reply = { fieldErrors: Record<string, string>; formError: string | null; values: Record<string, string> };
type Page = { booking: { canCancel: boolean; wall: { date: string; start: string; end: string } } };

const book = (date: string, start: string, end: string, title: string, now = new Date()) =>
  requestBooking(t.db, { actorId: w.users.leaderA.id, associationId: w.a.id, venueId: w.venue.id, date, start, end, title, expectedAttendees: 10 }, now).then((r) => r.booking);
const stored = async (id: string) => t.db.selectFrom("bookings").select(["starts_at", "ends_at", "status"]).where("id", "=", id).executeTakeFirstOrThrow();

async function moverOf(id: string, language?: string) {
  const browser = await signedIn(t.db, w.users.leaderA.id, language ? { language } : {});
  const page = await browser.visit<Page>(move.loader, `/bookings/${id}/move`, { id });
  return { browser, page, submit: (fields: Record<string, string>) => browser.submit<Reply>(move.action, `/bookings/${id}/move`, fields, { params: { id } }) };
}

describe("moving a booking", () => {
  it("starts with its date and times, moves it, and says so on its page", async () => {
    const date = nextWeekday(2, 21);
    const b = await book(date, "18:00", "19:00", "Flyttes");
    const { browser, page, submit } = await moverOf(b.id);
    expect(page.status).toBe(200);
    expect(page.data.booking.wall).toEqual({ date, start: "18:00", end: "19:00" });
    const done = await submit({ date, start: "20:00", end: "21:30" });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/bookings/${b.id}?moved=1`);
    const after = await stored(b.id);
    expect(after.ends_at.getTime() - after.starts_at.getTime()).toBe(90 * 60_000);
    const shown = await browser.visit<{ moved: boolean }>(bookingPage.loader, done.location!, { id: b.id });
    expect(shown.data.moved).toBe(true);
  });

  it("answers bad input beside the fields, in English too, and changes nothing", async () => {
    const date = nextWeekday(3, 21);
    const b = await book(date, "18:00", "19:00", "Står");
    const before = await stored(b.id);
    const { submit } = await moverOf(b.id, "en");
    const bad = await submit({ date: "2027-02-30", start: "18:00", end: "19:00" });
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors.date).toMatch(/^Date is not a valid date/);
    expect(bad.data.values).toMatchObject({ date: "2027-02-30", start: "18:00", end: "19:00" });
    const backwards = await submit({ date, start: "19:00", end: "18:00" });
    expect(backwards.status).toBe(400);
    expect(backwards.data.fieldErrors.end).toBe("End time must be after the start time.");
    expect(await stored(b.id)).toEqual(before);
  });

  it("refuses a time another booking has, with a message above the form, and changes nothing", async () => {
    const date = nextWeekday(4, 21);
    const b = await book(date, "10:00", "11:00", "Vil flytte");
    await book(date, "14:00", "15:00", "I veien");
    const before = await stored(b.id);
    const { submit } = await moverOf(b.id);
    const taken = await submit({ date, start: "14:30", end: "15:30" });
    expect(taken.status).toBe(409);
    expect(taken.data.formError).toBe("Tidspunktet er allerede booket. Velg et annet tidspunkt.");
    expect(await stored(b.id)).toEqual(before);
  });

  it("says that the booking already has the time it is sent, with its times kept in the form", async () => {
    const date = nextWeekday(1, 21);
    const b = await book(date, "12:00", "13:00", "Blir");
    const { page, submit } = await moverOf(b.id);
    const same = await submit(page.data.booking.wall);
    expect(same.status).toBe(422);
    expect(same.data.formError).toBe("Bookingen har allerede denne tiden. Velg en annen dato eller et annet klokkeslett for å flytte den.");
    expect(same.data.values).toEqual(page.data.booking.wall);
  });

  it("does not move a booking that is over", async () => {
    const date = nextWeekday(5, -14);
    const b = await book(date, "10:00", "11:00", "Forbi", new Date(Date.now() - 30 * 86_400_000));
    const { page, submit } = await moverOf(b.id);
    expect(page.data.booking.canCancel).toBe(false);
    expect((await submit({ date: nextWeekday(5, 7), start: "10:00", end: "11:00" })).status).toBe(409);
  });
});
