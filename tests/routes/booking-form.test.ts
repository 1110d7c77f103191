// Booking one time through /venues/:slug/book with real requests, cookies and
// CSRF tokens against real PostgreSQL: the way in from the week calendar, the
// form's answers (field errors, a double click, a taken time with its
// alternatives in both languages), and the result page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import * as bookingPage from "../../app/routes/bookings.$id";
import * as book from "../../app/routes/venues.$slug_.book";
import * as venuePage from "../../app/routes/venues.$slug";
import * as signin from "../../app/routes/signin._index";
import * as verify from "../../app/routes/signin.verify";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeVenue } from "../helpers/fixtures";
import { anonymous, makeWorld, nextWeekday, signedIn, type World } from "../helpers/people";

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db, { buffer_minutes: 0 });
});
afterAll(() => dropTestDb(t));

interface FormPage {
  venue: { slug: string; name: string };
  associations: { id: number; name: string }[];
  values: Record<string, string>;
  freeTimes: string[] | null;
  idempotencyKey: string;
}
type Reply = book.BookReply;

const path = (query = "") => `/venues/${w.venue.slug}/book${query}`;
const params = () => ({ slug: w.venue.slug });

function form(date: string, extra: Record<string, string | number> = {}) {
  return {
    associationId: w.a.id,
    date,
    start: "18:00",
    end: "20:00",
    title: "Styremøte",
    purpose: "Årsmøteforberedelser",
    visibility: "private",
    expectedAttendees: 12,
    noteToCaretaker: "Trenger prosjektor",
    ...extra,
  };
}

async function bookingsAt(date: string) {
  return t.db
    .selectFrom("bookings")
    .selectAll()
    .where("venue_id", "=", w.venue.id)
    .where("starts_at", ">=", new Date(`${date}T00:00:00Z`))
    .where("starts_at", "<", new Date(`${date}T23:59:59Z`))
    .execute();
}

describe("from the week calendar to the form", () => {
  it("offers Book links on free times, and a signed-out person signs in and comes back", async () => {
    const date = nextWeekday(3);
    const page = await anonymous().visit<{ week: { days: { date: string; slots: { status: string; book: { start: string; end: string } | null }[] }[] } }>(
      venuePage.loader,
      `/venues/${w.venue.slug}?week=${date}`,
      params(),
    );
    const day = page.data.week.days.find((d) => d.date === date)!;
    expect(day.slots[0]).toMatchObject({ status: "free", book: { start: "08:00", end: "10:00" } });

    const browser = anonymous({ language: "en" });
    const target = path(`?date=${date}&start=08:00&end=10:00`);
    const away = await browser.visit(book.loader, target, params());
    expect(away.status).toBe(302);
    expect(away.location).toBe(`/signin?${new URLSearchParams({ next: target })}`);

    // Sign in with that `next`, by the mail's link, and land on the form.
    const email = w.users.memberA.email;
    await browser.visit(signin.loader, away.location!);
    await browser.submit(signin.action, "/signin", { email, next: target });
    const mail = await t.db.selectFrom("outbox").select("payload").where("kind", "=", "sign-in").where("recipient", "=", email).orderBy("id", "desc").executeTakeFirstOrThrow();
    const url = (mail.payload as { url: string }).url;
    await browser.visit(verify.loader, url.replace(/^https?:\/\/[^/]+/, ""));
    const done = await browser.submit(verify.action, "/signin/verify", { token: new URL(url).searchParams.get("token")! });
    expect(done.location).toBe(target);

    const back = await browser.visit<FormPage>(book.loader, target, params());
    expect(back.status).toBe(200);
    expect(back.data.values).toMatchObject({ date, start: "08:00", end: "10:00" });
    expect(back.data.freeTimes).toEqual(["08:00–22:00"]);
    expect(back.data.associations.map((a) => a.id)).toEqual([w.a.id]);
    expect(back.data.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it("a redirect to sign in never leaves the site", async () => {
    const reply = await anonymous().visit(book.loader, `/venues/${w.venue.slug}/book?date=//evil.example`, params());
    expect(reply.location!.startsWith("/signin?next=%2Fvenues%2F")).toBe(true);
  });

  it("gives each showing of the form a new key, and a 404 for an unknown venue", async () => {
    const browser = await signedIn(t.db, w.users.memberA.id);
    const one = await browser.visit<FormPage>(book.loader, path(), params());
    const two = await browser.visit<FormPage>(book.loader, path(), params());
    expect(one.data.idempotencyKey).not.toBe(two.data.idempotencyKey);
    expect(one.headers.get("Cache-Control")).toBe("no-store");
    const missing = await browser.visit<{ message: string }>(book.loader, "/venues/finnes-ikke/book", { slug: "finnes-ikke" });
    expect(missing.status).toBe(404);
    expect(missing.data.message).toBe("Fant ikke lokalet.");
  });
});

describe("booking", () => {
  it("books, shows the result page, and a double click with the same key books once", async () => {
    const date = nextWeekday(2, 7);
    const browser = await signedIn(t.db, w.users.memberA.id);
    const page = await browser.visit<FormPage>(book.loader, path(`?date=${date}&start=18:00&end=20:00`), params());
    const fields = { ...form(date), idempotencyKey: page.data.idempotencyKey };
    const [first, second] = await Promise.all([
      browser.submit(book.action, path(), fields, { params: params() }),
      browser.submit(book.action, path(), fields, { params: params() }),
    ]);
    expect(first.status).toBe(302);
    expect(second.status).toBe(302);
    expect(second.location).toBe(first.location);
    const third = await browser.submit(book.action, path(), fields, { params: params() });
    expect(third.location).toBe(first.location);
    const rows = await bookingsAt(date);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ title: "Styremøte", is_public: false, expected_attendees: 12, status: "confirmed", created_by: w.users.memberA.id });
    expect(first.location).toBe(`/bookings/${rows[0]!.id}`);

    const result = await browser.visit<{ booking: { status: string; when: string; timeZone: string; title: string; association: { name: string } } }>(
      bookingPage.loader,
      first.location!,
      { id: rows[0]!.id },
    );
    expect(result.status).toBe(200);
    expect(result.data.booking).toMatchObject({ status: "confirmed", title: "Styremøte", timeZone: "Europe/Oslo", association: { name: w.a.name } });
    expect(result.data.booking.when).toMatch(/^tirsdag \d+\. \w+ \d{4}, 18:00–20:00$/);
  });

  it("an unverified association's booking awaits approval", async () => {
    const { association, leader } = await makeAssociation(t.db, { verified: false });
    const date = nextWeekday(4, 7);
    const browser = await signedIn(t.db, leader.id, { language: "en" });
    const page = await browser.visit<FormPage>(book.loader, path(), params());
    const reply = await browser.submit(book.action, path(), { ...form(date, { associationId: association.id }), idempotencyKey: page.data.idempotencyKey }, { params: params() });
    expect(reply.status).toBe(302);
    const id = reply.location!.split("/").pop()!;
    const result = await browser.visit<{ booking: { status: string; statusText: string; when: string } }>(bookingPage.loader, reply.location!, { id });
    expect(result.data.booking.status).toBe("pending");
    expect(result.data.booking.statusText).toBe("Awaiting approval");
    expect(result.data.booking.when).toMatch(/^Thursday,? \d+ \w+ \d{4}, 18:00–20:00$/);
  });

  it("does not offer an association the municipality has rejected", async () => {
    const { association, leader } = await makeAssociation(t.db, { verified: false });
    const { association: rejected } = await makeAssociation(t.db, { verified: false });
    await t.db.insertInto("memberships").values({ association_id: rejected.id, user_id: leader.id, role: "member" }).execute();
    await t.db.updateTable("associations").set({ rejected_at: new Date(), rejection_reason: "Ikke en forening" }).where("id", "=", rejected.id).execute();
    const browser = await signedIn(t.db, leader.id);
    const page = await browser.visit<{ associations: { id: number }[] }>(book.loader, path(), params());
    expect(page.data.associations.map((a) => a.id)).toEqual([association.id]);
  });

  it("refuses bad input with a message beside each field, in the person's language, and saves nothing", async () => {
    const date = nextWeekday(5, 7);
    for (const [language, expected] of [
      ["nb", { title: "Tittel må fylles ut.", end: "Sluttid må være etter starttiden.", expectedAttendees: "Antall deltakere må være et helt tall større enn null." }],
      ["en", { title: "Title must be filled in.", end: "End time must be after the start time.", expectedAttendees: "Number of attendees must be a whole number greater than zero." }],
    ] as const) {
      const browser = await signedIn(t.db, w.users.memberA.id, { language });
      const page = await browser.visit<FormPage>(book.loader, path(), params());
      const reply = await browser.submit<Reply>(
        book.action,
        path(),
        { ...form(date, { title: "  ", end: "17:00", expectedAttendees: "mange" }), idempotencyKey: page.data.idempotencyKey },
        { params: params() },
      );
      expect(reply.status).toBe(400);
      expect(reply.data.fieldErrors).toEqual(expected);
      expect(reply.data.values.title).toBe("  ");
      expect(reply.data.idempotencyKey).toBe(page.data.idempotencyKey);
    }
    expect(await bookingsAt(date)).toHaveLength(0);
  });

  it("explains a rule the time breaks above the form, with a 422", async () => {
    const browser = await signedIn(t.db, w.users.memberA.id);
    const page = await browser.visit<FormPage>(book.loader, path(), params());
    const reply = await browser.submit<Reply>(book.action, path(), { ...form(nextWeekday(1, 7), { start: "21:00", end: "23:00" }), idempotencyKey: page.data.idempotencyKey }, { params: params() });
    expect(reply.status).toBe(422);
    expect(reply.data.formError).toBe("Tidspunktet er utenfor åpningstiden til lokalet.");
  });

  it("does not let a member of B book for A", async () => {
    const date = nextWeekday(6, 7);
    const browser = await signedIn(t.db, w.users.memberB.id);
    const page = await browser.visit<FormPage>(book.loader, path(), params());
    const reply = await browser.submit(book.action, path(), { ...form(date), idempotencyKey: page.data.idempotencyKey }, { params: params() });
    expect(reply.status).toBe(403);
    expect(await bookingsAt(date)).toHaveLength(0);
  });
});

describe("a taken time", () => {
  it("answers 409, says what is in the way without another association's private details, and offers alternatives in nb and en", async () => {
    const date = nextWeekday(3, 14);
    const now = new Date();
    // B's private meeting, and later B's public concert.
    await requestBooking(t.db, { actorId: w.users.memberB.id, associationId: w.b.id, venueId: w.venue.id, date, start: "18:00", end: "20:00", title: "Hemmelig styremøte", purpose: "Lønn", expectedAttendees: 5 }, now);
    await requestBooking(t.db, { actorId: w.users.memberB.id, associationId: w.b.id, venueId: w.venue.id, date, start: "20:00", end: "22:00", title: "Vårkonsert", isPublic: true, expectedAttendees: 50 }, now);
    const other = await makeVenue(t.db, w.site.id, { name: "Lillesalen", capacity: 40 });

    const nb = await signedIn(t.db, w.users.memberA.id);
    const page = await nb.visit<FormPage>(book.loader, path(), params());
    const reply = await nb.submit<Reply>(book.action, path(), { ...form(date, { start: "18:30", end: "19:30", title: "Øving" }), idempotencyKey: page.data.idempotencyKey }, { params: params() });
    expect(reply.status).toBe(409);
    expect(reply.data.formError).toBe("Tidspunktet er ikke ledig");
    const c = reply.data.conflict!;
    expect(c.explanation).toMatch(/^En annen booking har Storsalen \w+ \d+\. \w+ \d{4}, 18:00–20:00\.$/);
    expect(JSON.stringify(reply.data)).not.toContain("Hemmelig");
    expect(JSON.stringify(reply.data)).not.toContain("Lønn");
    expect(JSON.stringify(reply.data)).not.toContain(w.b.name);
    // Alternatives link back to the form with the new slot and what was typed.
    expect(c.alternatives.sameVenue.length).toBeGreaterThan(0);
    const earlier = c.alternatives.sameVenue[0]!;
    expect(earlier.label).toMatch(/, 17:00–18:00$/);
    const href = new URL(earlier.href, "http://x");
    expect(href.pathname).toBe(path());
    expect(Object.fromEntries(href.searchParams)).toEqual({ date, start: "17:00", end: "18:00", associationId: String(w.a.id), title: "Øving", expectedAttendees: "12", visibility: "private" });
    expect(c.alternatives.otherVenues.map((v) => v.label)).toContain("Lillesalen");
    expect(c.alternatives.otherVenues.find((v) => v.label === "Lillesalen")!.href).toContain(`/venues/${other.slug}/book?date=${date}&start=18%3A30&end=19%3A30`);
    // The same key still works for the next try (nothing was stored under it).
    expect(reply.data.idempotencyKey).toBe(page.data.idempotencyKey);
    const alt = Object.fromEntries(href.searchParams);
    const retry = await nb.submit(book.action, path(), { ...form(date, alt), idempotencyKey: reply.data.idempotencyKey }, { params: params() });
    expect(retry.status).toBe(302);

    // A public booking in the way is named by its title; in English.
    const en = await signedIn(t.db, w.users.memberA.id, { language: "en-GB" });
    const enPage = await en.visit<FormPage>(book.loader, path(), params());
    const enReply = await en.submit<Reply>(book.action, path(), { ...form(date, { start: "20:30", end: "21:30" }), idempotencyKey: enPage.data.idempotencyKey }, { params: params() });
    expect(enReply.status).toBe(409);
    expect(enReply.data.formError).toBe("That time is not free");
    expect(enReply.data.conflict!.explanation).toMatch(/^“Vårkonsert” has booked Storsalen \w+,? \d+ \w+ \d{4}, 20:00–22:00\.$/);
    expect(enReply.data.conflict!.alternatives.venueName).toBe("Storsalen");
    expect(enReply.data.conflict!.alternatives.when).toMatch(/, 20:30–21:30$/);
  });

  it("names one's own association's private booking by its title", async () => {
    const date = nextWeekday(3, 21);
    await requestBooking(t.db, { actorId: w.users.leaderA.id, associationId: w.a.id, venueId: w.venue.id, date, start: "10:00", end: "12:00", title: "Vårt styremøte", expectedAttendees: 5 }, new Date());
    const browser = await signedIn(t.db, w.users.memberA.id);
    const page = await browser.visit<FormPage>(book.loader, path(), params());
    const reply = await browser.submit<Reply>(book.action, path(), { ...form(date, { start: "11:00", end: "13:00" }), idempotencyKey: page.data.idempotencyKey }, { params: params() });
    expect(reply.status).toBe(409);
    expect(reply.data.conflict!.explanation).toMatch(/^«Vårt styremøte» har booket Storsalen/);
  });
});
