import type { ActionFunctionArgs } from "@remix-run/node";
// The booking pages as HTML, as a person without JavaScript (or a screen
// reader) gets them: labelled fields, the Book links, headings and buttons
// with the names the browser tests use.
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import { cancelSeriesFrom } from "../../app/booking/series-cancel.server";
import { provideDatabase } from "../../app/db.server";
import * as bookingPage from "../../app/routes/bookings.$id";
import * as cancelPage from "../../app/routes/bookings.$id_.cancel";
import * as myBookings from "../../app/routes/bookings._index";
import * as book from "../../app/routes/venues.$slug_.book";
import * as series from "../../app/routes/venues.$slug_.series";
import { addDays } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeWorld, nextWeekday, signedIn, type World } from "../helpers/people";
import { renderPage } from "./render";

let t: TestDb;
let w: World;
let cookie: string;
let bookingId: string;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
  const browser = await signedIn(t.db, w.users.memberA.id);
  cookie = browser.cookieHeader();
  const { booking } = await requestBooking(
    t.db,
    { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date: nextWeekday(2), start: "18:00", end: "20:00", title: "Korpsøving", isPublic: true, expectedAttendees: 20 },
    new Date(),
  );
  bookingId = booking.id;
});
afterAll(() => dropTestDb(t));

type Module = { loader: (args: never) => unknown; default: () => unknown };

/** Renders a route module's page with `query` and `params`, signed in as member A unless `as` is another's cookie (the test router has one route, at /). */
function render(mod: Module, query: string, params: Record<string, string>, language = "nb", as = cookie) {
  return renderPage(
    `/${query}`,
    {
      loader: async ({ request }) => {
        const value = await (mod.loader as (a: unknown) => unknown)({ request, params, context: {} });
        // data(…) carries headers; the component only needs the data.
        return (value as { data?: unknown; type?: string }).type === "DataWithResponseInit" ? (value as { data: unknown }).data : value;
      },
      Component: mod.default as ComponentType,
    },
    { Cookie: `${as}; lang=${language}` },
  );
}

describe("booking pages as HTML", () => {
  it("a caretaker reads the booking as the venue's side, not as the booker; a member as the booker", async () => {
    const caretaker = (await signedIn(t.db, w.users.caretaker.id)).cookieHeader();
    const staff = await render(bookingPage as unknown as Module, "", { id: bookingId }, "nb", caretaker);
    expect(staff.status).toBe(200);
    expect(staff.html).toContain(">Bookingen er bekreftet<");
    expect(staff.html).toContain(`${w.a.name} har lokalet på tiden nedenfor.`);
    expect(staff.html).not.toContain("Lokalet er deres");
    const { booking: waiting } = await requestBooking(
      t.db,
      { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date: nextWeekday(5), start: "08:00", end: "09:00", title: "Venter", expectedAttendees: 5 },
      new Date(),
    );
    await t.db.updateTable("bookings").set({ status: "pending" }).where("id", "=", waiting.id).execute();
    const request = await render(bookingPage as unknown as Module, "", { id: waiting.id }, "en", caretaker);
    expect(request.html).toContain(">The request awaits approval<");
    expect(request.html).toMatch(/<a[^>]*href="\/caretaker\/requests"[^>]*>Approve or reject it among the requests.<\/a>/);
    const member = await render(bookingPage as unknown as Module, "", { id: bookingId });
    expect(member.html).toContain("Lokalet er deres på tiden under.");
  });

  it("the booking form labels every field and offers the Book button", async () => {
    const date = nextWeekday(3);
    const { html } = await render(book as unknown as Module, `?date=${date}&start=10:00&end=12:00`, { slug: w.venue.slug });
    for (const label of ["Hvilket lag booker?", "Dato", "Fra klokka", "Til klokka", "Tittel", "Åpent eller privat?", "Antall deltakere", "Beskjed til vaktmester (valgfritt)"]) {
      expect(html).toContain(`>${label}<`);
    }
    expect(html).toMatch(/<button type="submit"[^>]*>Book<\/button>/);
    expect(html).toContain('name="idempotencyKey"');
    expect(html).toMatch(/<input[^>]*type="radio"[^>]*name="associationId"[^>]*checked=""/);
    expect(html).toContain('value="10:00"');
    expect(html).toContain("Ledig denne dagen: 08:00–22:00.");
    expect(html).toContain("lokalets offentlige kalender");
  });

  it("the booking form for a date too far to reckon with (9999-12-31) shows the form, without the free times", async () => {
    for (const date of ["9999-12-17", "9999-12-31"]) {
      const { status, html } = await render(book as unknown as Module, `?date=${date}&start=19:00&end=20:00`, { slug: w.venue.slug });
      expect(status, date).toBe(200);
      expect(html).toContain(`value="${date}"`);
      expect(html).not.toContain("Ledig denne dagen");
    }
  });

  it("the booking form from a link with a date that does not exist shows the form, with the date left empty", async () => {
    for (const date of ["2026-13-01", "2026-02-30", "0001-01-01"]) {
      const { status, html } = await render(book as unknown as Module, `?date=${date}&start=19:00&end=20:00`, { slug: w.venue.slug });
      expect(status, date).toBe(200);
      expect(html).not.toContain(`value="${date}"`);
      expect(html).toContain('value="19:00"');
    }
  });

  it("the series form, in English", async () => {
    const { html } = await render(series as unknown as Module, "?weekday=2", { slug: w.venue.slug }, "en");
    for (const label of ["Weekday", "From", "Duration in minutes", "How often", "First date", "Last date", "Title"]) expect(html).toContain(`>${label}<`);
    expect(html).toMatch(/<option value="2" selected="">Tuesday<\/option>/);
    expect(html).toMatch(/<button type="submit"[^>]*>Show the dates<\/button>/);
  });

  it("the result page, My bookings and the cancel confirmation", async () => {
    const result = await render(bookingPage as unknown as Module, "", { id: bookingId });
    expect(result.html).toMatch(/<h1[^>]*>Bookingen er bekreftet<\/h1>/);
    expect(result.html).toContain(`href="/bookings/${bookingId}.ics"`);
    expect(result.html).toContain(`href="/bookings/${bookingId}/cancel"`);

    const mine = await render(myBookings as unknown as Module, "", {});
    expect(mine.html).toMatch(/<h1[^>]*>Mine bookinger<\/h1>/);
    expect(mine.html).toContain(`>${w.a.name}</h2>`);
    expect(mine.html).toContain(">Korpsøving</a>");
    expect(mine.html).toMatch(/>Avlys<span class="ds-sr-only"> <!-- -->Korpsøving/);

    const cancel = await render(cancelPage as unknown as Module, "", { id: bookingId });
    expect(cancel.html).toMatch(/<h1[^>]*>Avlyse bookingen\?<\/h1>/);
    expect(cancel.html).toMatch(/<button type="submit"[^>]*>Ja, avlys bookingen<\/button>/);
    expect(cancel.html).toContain(">Begrunnelse (valgfritt)<");
  });

  it("a cancel form whose choice was changed is refused with its message on the page, not a bare 400", async () => {
    const b = await signedIn(t.db, w.users.memberA.id);
    await b.visit(cancelPage.loader as never, `/bookings/${bookingId}/cancel`, { id: bookingId });
    const params = { id: bookingId };
    const page = await renderPage(
      "/",
      {
        loader: async ({ request }) => (await cancelPage.loader({ request, params, context: {} })) as unknown,
        Component: cancelPage.default as ComponentType,
      },
      { Cookie: `${b.cookieHeader()}; lang=en` },
      { action: ((args: ActionFunctionArgs) => cancelPage.action({ ...args, params })) as never, body: new URLSearchParams({ csrf: b.csrf, scope: "everything" }) },
    );
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/role="alert"[^>]*>What to cancel could not be read from the form, so nothing was cancelled\./);
  });

  it("cancelling from a second tab what the first already cancelled says so once, not twice in other words", async () => {
    const { booking } = await requestBooking(
      t.db,
      { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date: nextWeekday(4), start: "20:00", end: "21:00", title: "To faner", expectedAttendees: 10 },
      new Date(),
    );
    const secondTab = await signedIn(t.db, w.users.memberA.id);
    await secondTab.visit(cancelPage.loader as never, `/bookings/${booking.id}/cancel`, { id: booking.id });
    // The first tab cancels meanwhile.
    await cancelBooking(t.db, { actorId: w.users.memberA.id, bookingId: booking.id, now: new Date() });
    const params = { id: booking.id };
    const page = await renderPage(
      "/",
      {
        loader: async ({ request }) => (await cancelPage.loader({ request, params, context: {} })) as unknown,
        Component: cancelPage.default as ComponentType,
      },
      { Cookie: `${secondTab.cookieHeader()}; lang=nb` },
      { action: ((args: ActionFunctionArgs) => cancelPage.action({ ...args, params })) as never, body: new URLSearchParams({ csrf: secondTab.csrf, scope: "one" }) },
    );
    expect(page.status).toBe(409);
    const said = "Bookingen er avlyst, så det er ingenting å avlyse.";
    expect(page.html.split(said)).toHaveLength(2);
    expect(page.html.match(/class="ds-alert"/g)).toHaveLength(1);
    expect(page.html).not.toContain("Bookingen har status");
    expect(page.html).not.toMatch(/<button type="submit"/);
  });

  it("cancelling a date and the later ones, refused from a stale tab, names what became of those dates, once", async () => {
    const from = nextWeekday(3, 14);
    const { bookings } = await createSeries(
      t.db,
      {
        actorId: w.users.memberA.id,
        associationId: w.a.id,
        venueId: w.venue.id,
        weekday: 3,
        startTime: "12:00",
        durationMinutes: 60,
        intervalWeeks: 1,
        from,
        until: addDays(from, 14),
        title: "Morgenøkt",
        expectedAttendees: 5,
      },
      new Date(),
    );
    const [first, second] = bookings as [(typeof bookings)[number], (typeof bookings)[number]];
    const tab = await signedIn(t.db, w.users.memberA.id);
    await tab.visit(cancelPage.loader as never, `/bookings/${first.id}/cancel?scope=rest`, { id: first.id });
    // Meanwhile the later dates are cancelled elsewhere, and the tab stays open past the first date's end
    // (moved into the past by hand: the engine books nothing there).
    await cancelSeriesFrom(t.db, { actorId: w.users.memberA.id, seriesId: first.series_id!, fromBookingId: second.id }, new Date());
    await t.db
      .updateTable("bookings")
      .set({ starts_at: new Date(Date.now() - 2 * 3_600_000), ends_at: new Date(Date.now() - 3_600_000) })
      .where("id", "=", first.id)
      .execute();
    const params = { id: first.id };
    const page = await renderPage(
      "/?scope=rest",
      {
        loader: async ({ request }) => (await cancelPage.loader({ request, params, context: {} })) as unknown,
        Component: cancelPage.default as ComponentType,
      },
      { Cookie: `${tab.cookieHeader()}; lang=nb` },
      { action: ((args: ActionFunctionArgs) => cancelPage.action({ ...args, params })) as never, body: new URLSearchParams({ csrf: tab.csrf, scope: "rest" }) },
    );
    expect(page.status).toBe(409);
    const said = "Denne og de senere datoene i serien er avlyst, så det er ingenting å avlyse.";
    expect(page.html.split(said)).toHaveLength(2);
    expect(page.html.match(/class="ds-alert"/g)).toHaveLength(1);
    expect(page.html).not.toContain("Bookingen er over");

    const english = await render(cancelPage as unknown as Module, "?scope=rest", { id: first.id }, "en", tab.cookieHeader());
    expect(english.html).toContain("This date and the later ones in the series are cancelled, so there is nothing to cancel.");
  });

  it("a cancelled booking offers nothing to do, and no empty heading saying so", async () => {
    const { booking } = await requestBooking(
      t.db,
      { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date: nextWeekday(4), start: "18:00", end: "19:00", title: "Avlyst øving", expectedAttendees: 10 },
      new Date(),
    );
    const before = await render(bookingPage as unknown as Module, "", { id: booking.id });
    expect(before.html).toContain(">Hva vil du gjøre?<");
    await cancelBooking(t.db, { actorId: w.users.memberA.id, bookingId: booking.id, now: new Date() });
    const { html } = await render(bookingPage as unknown as Module, "?cancelled=1", { id: booking.id });
    expect(html).toMatch(/<h1[^>]*>[^<]*avlyst[^<]*<\/h1>/i);
    expect(html).not.toContain(`${booking.id}.ics`);
    expect(html).not.toContain(">Hva vil du gjøre?<");
  });
});
