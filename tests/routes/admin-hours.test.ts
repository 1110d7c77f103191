// /admin/venues/:id/hours through real sign-in (session cookie, CSRF token)
// against real PostgreSQL: the two steps without JavaScript (a change that
// strands a booking answers 200 with the list and writes nothing; the
// confirmation saves, cancels and redirects with a done message), bad input
// answers 400 with a message in the person's language and writes nothing,
// and the page is the owner's admins' only.
import type { ActionFunctionArgs } from "@remix-run/node";
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HoursPage } from "../../app/admin/hours-page.server";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import * as route from "../../app/routes/admin.venues.$id_.hours";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { daysFromToday, makeWorld, nextWeekday, signedIn, type World } from "../helpers/people";
import { renderPage } from "./render";

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
});
afterAll(() => dropTestDb(t));

type Reply = {
  intent: string | null;
  fieldErrors: Record<string, string>;
  formError: string | null;
  values: Record<string, string>;
  confirm: { intent: string; affected: { id: string; when: string; title: string; associationName: string }[]; hidden: Record<string, string>; errors: Record<string, string> } | null;
};

const path = () => `/admin/venues/${w.venue.id}/hours`;
const params = () => ({ id: String(w.venue.id) });

async function adminBrowser(language?: string) {
  const b = await signedIn(t.db, w.users.admin.id, language ? { language } : {});
  await b.visit(route.loader, path(), params());
  return b;
}

async function bookA(date: string, title: string) {
  const { booking } = await requestBooking(
    t.db,
    { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date, start: "18:00", end: "20:00", title, expectedAttendees: 5 },
    new Date(),
  );
  return booking;
}

const closures = () => t.db.selectFrom("closures").select(["starts_on", "ends_on", "reason", "id"]).where("venue_id", "=", w.venue.id).orderBy("starts_on").execute();
const status = async (id: string) => (await t.db.selectFrom("bookings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

describe("the hours page", () => {
  it("shows the week's hours as form rows and the closures to the admin", async () => {
    const b = await signedIn(t.db, w.users.admin.id);
    const page = await b.visit<HoursPage>(route.loader, path(), params());
    expect(page.status).toBe(200);
    expect(page.data.days).toHaveLength(7);
    expect(page.data.days[0]).toEqual({ weekday: 1, name: "Mandag", intervals: [{ opens: "08:00", closes: "22:00" }] });
    expect(page.data.rowsPerDay).toBe(3);
    expect(page.data.country).toBe("NO");
  });

  it("is the owner's admins' only; an unknown venue is 404", async () => {
    for (const role of ["memberA", "leaderA", "caretaker", "outsider"] as const) {
      const b = await signedIn(t.db, w.users[role].id);
      expect((await b.visit(route.loader, path(), params())).status, role).toBe(403);
    }
    const b = await signedIn(t.db, w.users.admin.id);
    expect((await b.visit(route.loader, "/admin/venues/99999999/hours", { id: "99999999" })).status).toBe(404);
    expect((await b.visit(route.loader, "/admin/venues/abc/hours", { id: "abc" })).status).toBe(404);
  });
});

describe("two steps without JavaScript", () => {
  it("a closure over a booking lists it first; confirming with cancel cancels it and redirects with a done message", async () => {
    const date = daysFromToday(30);
    const booking = await bookA(date, "Øving i stengt tid");
    const b = await adminBrowser();
    const first = await b.submit<Reply>(route.action, path(), { intent: "closure", startsOn: date, endsOn: date, reason: "Vannskade" }, { params: params() });
    expect(first.status).toBe(200);
    expect(first.data.confirm?.affected.map((a) => a.title)).toEqual(["Øving i stengt tid"]);
    expect(first.data.confirm?.affected[0]?.associationName).toBe(w.a.name);
    expect(first.data.confirm?.hidden).toEqual({ startsOn: date, endsOn: date, reason: "Vannskade" });
    expect(await closures()).toEqual([]);

    // The confirmation without a message when cancelling: 400, the list again, nothing written.
    const seen = first.data.confirm!.affected.map((a) => a.id).join(",");
    const bad = await b.submit<Reply>(route.action, path(), { intent: "closure", startsOn: date, endsOn: date, reason: "Vannskade", confirm: "1", seen, decision: "cancel", message: "" }, { params: params() });
    expect(bad.status).toBe(400);
    expect(bad.data.confirm?.errors.message).toBe("Meldingen må fylles ut.");
    expect(bad.data.confirm?.affected).toHaveLength(1);
    expect(await closures()).toEqual([]);
    expect(await status(booking.id)).toBe("confirmed");

    const done = await b.submit(route.action, path(), { intent: "closure", startsOn: date, endsOn: date, reason: "Vannskade", confirm: "1", seen, decision: "cancel", message: "Beklager, hallen er stengt." }, { params: params() });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`${path()}?done=closure&cancelled=1`);
    expect(await status(booking.id)).toBe("cancelled");
    expect(await closures()).toEqual([expect.objectContaining({ starts_on: date, ends_on: date, reason: "Vannskade" })]);
    const page = await b.visit<{ done: { what: string; cancelled: number } }>(route.loader, done.location!, params());
    expect(page.data.done).toEqual({ what: "closure", cancelled: 1, kept: 0, added: 0 });
  });

  it("new hours that strand a booking: keep saves the hours and leaves the booking", async () => {
    const monday = nextWeekday(1, 10);
    const booking = await bookA(monday, "Mandagskveld");
    const b = await adminBrowser();
    const fields = { intent: "hours", "h1-0-opens": "08:00", "h1-0-closes": "16:00", "h2-0-opens": "08:00", "h2-0-closes": "22:00" };
    const first = await b.submit<Reply>(route.action, path(), fields, { params: params() });
    expect(first.status).toBe(200);
    expect(first.data.confirm?.affected.map((a) => a.id)).toEqual([booking.id]);
    expect(first.data.confirm?.hidden).toEqual({ "h1-0-opens": "08:00", "h1-0-closes": "16:00", "h2-0-opens": "08:00", "h2-0-closes": "22:00" });
    expect(await t.db.selectFrom("opening_hours").select("id").where("venue_id", "=", w.venue.id).execute()).toHaveLength(7);

    const done = await b.submit(route.action, path(), { ...fields, confirm: "1", seen: booking.id, decision: "keep", message: "" }, { params: params() });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`${path()}?done=hours&kept=1`);
    const rows = await t.db.selectFrom("opening_hours").select(["weekday", "opens", "closes"]).where("venue_id", "=", w.venue.id).orderBy("weekday").execute();
    expect(rows).toEqual([
      { weekday: 1, opens: "08:00:00", closes: "16:00:00" },
      { weekday: 2, opens: "08:00:00", closes: "22:00:00" },
    ]);
    expect(await status(booking.id)).toBe("confirmed");
  });

  it("public holidays in one step, then none again; a closure is removed", async () => {
    const b = await adminBrowser();
    // Nothing is booked on holidays here (the bookings above are on other days or cancelled), so it saves at once… unless a test date hit one.
    const first = await b.submit<Reply>(route.action, path(), { intent: "holidays" }, { params: params() });
    if (first.status === 200) {
      const seen = first.data.confirm!.affected.map((a) => a.id).join(",");
      const kept = await b.submit(route.action, path(), { intent: "holidays", confirm: "1", seen, decision: "keep" }, { params: params() });
      expect(kept.status).toBe(302);
    } else {
      expect(first.status).toBe(302);
      expect(first.location).toMatch(/done=holidays&added=[1-9]/);
    }
    const again = await b.submit(route.action, path(), { intent: "holidays" }, { params: params() });
    expect(again.location).toBe(`${path()}?done=holidays&added=0`);

    const [one] = await closures();
    const removed = await b.submit(route.action, path(), { intent: "remove", closureId: one!.id }, { params: params() });
    expect(removed.location).toBe(`${path()}?done=removed`);
    expect((await closures()).some((c) => c.id === one!.id)).toBe(false);
  });
});

describe("bad input", () => {
  it("hours: 400 with each problem beside its field, in the person's language, nothing written", async () => {
    const before = await t.db.selectFrom("opening_hours").selectAll().where("venue_id", "=", w.venue.id).execute();
    for (const [language, expected] of [
      ["nb", "Mandag, tidsrom 1, stengetiden må være etter starttiden."],
      ["en", "Monday, interval 1, the closing time must be after the start time."],
    ] as const) {
      const b = await adminBrowser(language);
      const reply = await b.submit<Reply>(route.action, path(), { intent: "hours", "h1-0-opens": "10:00", "h1-0-closes": "09:00", "h2-0-opens": "8", "h2-0-closes": "12:00" }, { params: params() });
      expect(reply.status).toBe(400);
      expect(reply.data.fieldErrors["h1-0-closes"]).toBe(expected);
      expect(reply.data.fieldErrors["h2-0-opens"]).toBeDefined();
      expect(reply.data.values["h1-0-opens"]).toBe("10:00");
    }
    expect(await t.db.selectFrom("opening_hours").selectAll().where("venue_id", "=", w.venue.id).execute()).toEqual(before);
  });

  it("closures: 400 naming the dates and the reason; an unknown form or closure is refused", async () => {
    const count = (await closures()).length;
    const b = await adminBrowser("en");
    const reply = await b.submit<Reply>(route.action, path(), { intent: "closure", startsOn: "2027-02-30", endsOn: "", reason: "" }, { params: params() });
    expect(reply.status).toBe(400);
    expect(reply.data.fieldErrors).toEqual({
      startsOn: expect.stringMatching(/^The start date is not a valid date/),
      endsOn: "The end date must be filled in.",
      reason: expect.stringMatching(/must be filled in\.$/),
    });
    const unknown = await b.submit<Reply>(route.action, path(), { intent: "explode" }, { params: params() });
    expect(unknown.status).toBe(400);
    const gone = await b.submit(route.action, path(), { intent: "remove", closureId: 99999999 }, { params: params() });
    expect(gone.status).toBe(404);
    expect((await closures()).length).toBe(count);
  });

  it("an unknown form is refused with its message at the top of the page, where it is seen", async () => {
    const b = await adminBrowser();
    const page = await renderPage(
      "/",
      {
        loader: async ({ request }) => ((await route.loader({ request, params: params(), context: {} })) as unknown as { data: unknown }).data,
        Component: route.default as ComponentType,
      },
      { Cookie: b.cookieHeader() },
      { action: ((args: ActionFunctionArgs) => route.action({ ...args, params: params() })) as never, body: new URLSearchParams({ csrf: b.csrf, intent: "explode" }) },
    );
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/role="alert"[^>]*>Skjemaet er ikke et av valgene\.</);
  });

  it("a member posting to the page gets 403 and nothing is written", async () => {
    const count = (await closures()).length;
    const b = await signedIn(t.db, w.users.leaderA.id);
    await b.visit(() => ({}), "/");
    const reply = await b.submit(route.action, path(), { intent: "closure", startsOn: daysFromToday(50), endsOn: daysFromToday(50), reason: "Nei" }, { params: params() });
    expect(reply.status).toBe(403);
    // Refused as a member before the form's problems are looked at.
    const bad = await b.submit(route.action, path(), { intent: "closure", startsOn: "", endsOn: "", reason: "" }, { params: params() });
    expect(bad.status).toBe(403);
    expect((await closures()).length).toBe(count);
  });

  it("a bad form for an unknown venue is 404, as the page says", async () => {
    const b = await adminBrowser("en");
    const reply = await b.submit(route.action, "/admin/venues/99999999/hours", { intent: "closure", startsOn: "", endsOn: "", reason: "" }, { params: { id: "99999999" } });
    expect(reply.status).toBe(404);
  });
});
