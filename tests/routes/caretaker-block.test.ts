// The caretaker's block page and the attendance forms on the day plan, through
// real sign-in (session cookie, CSRF token) against real PostgreSQL: plain
// POST → redirect on success; bad input → 400 with a translated message
// beside the field; a booking in the way → 409 naming it and its association;
// other sites' caretakers and association members → 403, nothing changed.
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import type { BlockPage } from "../../app/caretaker/blocks.server";
import { provideDatabase } from "../../app/db.server";
import * as blockRoute from "../../app/routes/caretaker.block";
import * as today from "../../app/routes/caretaker.today";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { daysFromToday, makeWorld, nextWeekday, signedIn, type World } from "../helpers/people";
import { renderPage } from "./render";

let t: TestDb;
let w: World;
let other: { caretaker: number };
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
  const o = await makeOwner(t.db, "Europe/Oslo");
  await makeVenue(t.db, o.site.id, { name: "Annen hall" });
  const caretaker = (await makeUser(t.db, "Annen Vaktmester")).id;
  await t.db.insertInto("site_caretakers").values({ site_id: o.site.id, user_id: caretaker }).execute();
  other = { caretaker };
});
afterAll(() => dropTestDb(t));

type Reply = { intent: string | null; fieldErrors: Record<string, string>; formError: string | null; values: Record<string, string> };
type BlockReply = Reply & { conflict: { holder: { kind: string; title: string; associationName: string | null; when: string } | null } | null };

/** A's booking; `bookedAt` lets it lie in the past (the engine's rules take the clock they are given). */
async function bookA(date: string, start: string, end: string, title: string, bookedAt = new Date()) {
  const { booking } = await requestBooking(
    t.db,
    { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date, start, end, title, expectedAttendees: 20 },
    bookedAt,
  );
  return booking;
}

async function caretakerOn(path: string, loader: typeof blockRoute.loader | typeof today.loader, userId = w.users.caretaker.id, language?: string) {
  const b = await signedIn(t.db, userId, language ? { language } : {});
  await b.visit(loader, path);
  return b;
}

/** A page with nothing of its own: visiting it gives the browser its CSRF token. */
const home = () => ({});

const blocks = async () => t.db.selectFrom("bookings").select(["id", "title", "status", "venue_id"]).where("kind", "=", "block").orderBy("created_at").execute();

describe("the block page", () => {
  it("lists the caretaker's venues and upcoming blocks; members and strangers get 403", async () => {
    const b = await signedIn(t.db, w.users.caretaker.id);
    const page = await b.visit<BlockPage>(blockRoute.loader, "/caretaker/block");
    expect(page.status).toBe(200);
    expect(page.data.venues).toEqual([{ id: w.venue.id, label: `Storsalen (${w.site.name})` }]);
    for (const userId of [w.users.memberA.id, w.users.outsider.id]) {
      const m = await signedIn(t.db, userId);
      expect((await m.visit(blockRoute.loader, "/caretaker/block")).status).toBe(403);
    }
  });

  it("blocks time with a redirect, shows it in the list, and removes it again", async () => {
    const date = nextWeekday(2, 30);
    const b = await caretakerOn("/caretaker/block", blockRoute.loader);
    const done = await b.submit(blockRoute.action, "/caretaker/block", { intent: "block", venueId: w.venue.id, date, start: "07:00", end: "09:00", reason: "Vedlikehold av gulv" });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/caretaker/block?done=blocked");
    const row = (await blocks()).find((r) => r.title === "Vedlikehold av gulv")!;
    expect(row).toMatchObject({ status: "confirmed", venue_id: w.venue.id });
    const page = await b.visit<BlockPage & { done: string }>(blockRoute.loader, "/caretaker/block?done=blocked");
    expect(page.data.done).toBe("blocked");
    expect(page.data.blocks.map((x) => x.reason)).toContain("Vedlikehold av gulv");

    const removed = await b.submit(blockRoute.action, "/caretaker/block", { intent: "remove", blockId: row.id });
    expect(removed.location).toBe("/caretaker/block?done=removed");
    expect((await blocks()).find((r) => r.id === row.id)?.status).toBe("cancelled");
  });

  it("answers bad input with 400 and messages beside the fields, in nb and en, and saves nothing", async () => {
    const before = (await blocks()).length;
    const nb = await caretakerOn("/caretaker/block", blockRoute.loader);
    const bad = await nb.submit<BlockReply>(blockRoute.action, "/caretaker/block", { intent: "block", venueId: w.venue.id, date: "2026-13-45", start: "7", end: "", reason: " " });
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors).toEqual({
      date: "Dato er ikke en gyldig dato (skriv ÅÅÅÅ-MM-DD).",
      start: "Starttid er ikke et gyldig klokkeslett (skriv TT:MM).",
      end: "Sluttid må fylles ut.",
      reason: "Begrunnelse må fylles ut.",
    });
    expect(bad.data.values).toMatchObject({ start: "7" });

    const en = await caretakerOn("/caretaker/block", blockRoute.loader, w.users.caretaker.id, "en");
    const long = await en.submit<BlockReply>(blockRoute.action, "/caretaker/block", { intent: "block", venueId: w.venue.id, date: nextWeekday(3, 30), start: "10:00", end: "11:00", reason: "x".repeat(201) });
    expect(long.status).toBe(400);
    expect(long.data.fieldErrors.reason).toMatch(/too long/);
    const backwards = await en.submit<BlockReply>(blockRoute.action, "/caretaker/block", { intent: "block", venueId: w.venue.id, date: nextWeekday(3, 30), start: "11:00", end: "10:00", reason: "Maling" });
    expect(backwards.status).toBe(422);
    expect(backwards.data.formError).toBe("The end must be after the start.");
    const gap = await en.submit<BlockReply>(blockRoute.action, "/caretaker/block", { intent: "block", venueId: w.venue.id, date: "2027-03-28", start: "02:30", end: "04:00", reason: "Maling" });
    expect(gap.status).toBe(422);
    const badId = await en.submit<BlockReply>(blockRoute.action, "/caretaker/block", { intent: "remove", blockId: "nope" });
    expect(badId.status).toBe(400);
    expect(badId.data.fieldErrors.blockId).toBeTruthy();
    expect((await blocks()).length).toBe(before);
  });

  it("names the booking in the way, with its association, and answers 409", async () => {
    const date = nextWeekday(4, 30);
    await bookA(date, "18:00", "20:00", "Korpsøving");
    const b = await caretakerOn("/caretaker/block", blockRoute.loader);
    const reply = await b.submit<BlockReply>(blockRoute.action, "/caretaker/block", { intent: "block", venueId: w.venue.id, date, start: "19:00", end: "22:00", reason: "Kommunestyremøte" });
    expect(reply.status).toBe(409);
    expect(reply.data.conflict?.holder).toMatchObject({ kind: "booking", title: "Korpsøving", associationName: w.a.name });
    expect(reply.data.values.reason).toBe("Kommunestyremøte");
    expect((await blocks()).map((r) => r.title)).not.toContain("Kommunestyremøte");
  });

  it("refuses other sites' caretakers and members with 403 and changes nothing", async () => {
    const date = nextWeekday(5, 30);
    const mine = await caretakerOn("/caretaker/block", blockRoute.loader);
    await mine.submit(blockRoute.action, "/caretaker/block", { intent: "block", venueId: w.venue.id, date, start: "07:00", end: "08:00", reason: "Min" });
    const row = (await blocks()).find((r) => r.title === "Min")!;
    for (const userId of [other.caretaker, w.users.memberA.id]) {
      const b = await signedIn(t.db, userId);
      await b.visit(home, "/");
      const add = await b.submit(blockRoute.action, "/caretaker/block", { intent: "block", venueId: w.venue.id, date, start: "09:00", end: "10:00", reason: "Ikke din" });
      expect(add.status).toBe(403);
      const remove = await b.submit(blockRoute.action, "/caretaker/block", { intent: "remove", blockId: row.id });
      expect(remove.status).toBe(403);
    }
    expect((await blocks()).map((r) => r.title)).not.toContain("Ikke din");
    expect((await blocks()).find((r) => r.id === row.id)?.status).toBe("confirmed");
  });

  it("renders a labelled form that works without JavaScript", async () => {
    const b = await signedIn(t.db, w.users.caretaker.id);
    const { status, html } = await renderPage("/", {
      loader: async ({ request }) => ((await blockRoute.loader({ request, params: {}, context: {} })) as unknown as { data: unknown }).data,
      Component: blockRoute.default as ComponentType,
    }, { Cookie: `${b.cookieHeader()}; lang=nb` });
    expect(status).toBe(200);
    expect(html).toContain('method="post"');
    for (const label of ["Lokale", "Dato", "Fra klokken", "Til klokken", "Begrunnelse"]) expect(html).toContain(`>${label}<`);
    expect(html).toContain("Sperr tiden");
  });
});

describe("attendance on the day plan", () => {
  it("records a head count and a no-show with a redirect back to the day, and shows them", async () => {
    const yesterday = daysFromToday(-1);
    const past = await bookA(yesterday, "10:00", "12:00", "Gårsdagens øving", new Date(Date.now() - 3 * 86_400_000));
    const b = await caretakerOn(`/caretaker/today?date=${yesterday}`, today.loader);
    const saved = await b.submit(today.action, "/caretaker/today", { intent: "attendance", id: past.id, date: yesterday, attendance: "17" });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/caretaker/today?date=${yesterday}&saved=${past.id}`);
    const row = async () => t.db.selectFrom("bookings").select(["attendance", "no_show"]).where("id", "=", past.id).executeTakeFirstOrThrow();
    expect(await row()).toEqual({ attendance: 17, no_show: false });

    const day = await b.visit<{ saved: string | null; lines: { id: string; attendance: number | null; noShow: boolean; canRecordAttendance: boolean }[] }>(
      today.loader,
      `/caretaker/today?date=${yesterday}&saved=${past.id}`,
    );
    expect(day.data.saved).toBe(past.id);
    expect(day.data.lines.find((l) => l.id === past.id)).toMatchObject({ attendance: 17, noShow: false, canRecordAttendance: true });

    const noShow = await b.submit(today.action, "/caretaker/today", { intent: "noShow", id: past.id, date: yesterday });
    expect(noShow.status).toBe(302);
    expect(await row()).toEqual({ attendance: null, no_show: true });
  });

  it("answers a bad head count with 400 and a translated message, and a booking not yet started with 409", async () => {
    const yesterday = daysFromToday(-1);
    const past = await bookA(yesterday, "13:00", "14:00", "Tidligere", new Date(Date.now() - 3 * 86_400_000));
    const nb = await caretakerOn(`/caretaker/today?date=${yesterday}`, today.loader);
    const bad = await nb.submit<Reply>(today.action, "/caretaker/today", { intent: "attendance", id: past.id, date: yesterday, attendance: "-4" });
    expect(bad.status).toBe(400);
    expect(bad.data.intent).toBe(past.id);
    expect(bad.data.fieldErrors.attendance).toBe("Antall som møtte må være et helt tall fra 0 til 10 000.");
    const en = await caretakerOn(`/caretaker/today?date=${yesterday}`, today.loader, w.users.caretaker.id, "en");
    const big = await en.submit<Reply>(today.action, "/caretaker/today", { intent: "attendance", id: past.id, date: yesterday, attendance: "10001" });
    expect(big.status).toBe(400);
    expect(big.data.fieldErrors.attendance).toBe("The number who came must be a whole number from 0 to 10,000.");
    const empty = await en.submit<Reply>(today.action, "/caretaker/today", { intent: "attendance", id: past.id, date: yesterday, attendance: "" });
    expect(empty.status).toBe(400);

    const future = await bookA(nextWeekday(1, 30), "10:00", "11:00", "Framtidig");
    const early = await en.submit<Reply>(today.action, "/caretaker/today", { intent: "noShow", id: future.id });
    expect(early.status).toBe(409);
    expect(early.data.formError).toBe("Attendance can be recorded once the booking has started.");
    const rows = await t.db.selectFrom("bookings").select(["attendance", "no_show"]).where("id", "in", [past.id, future.id]).execute();
    expect(rows).toEqual([
      { attendance: null, no_show: false },
      { attendance: null, no_show: false },
    ]);
  });

  it("refuses other sites' caretakers and members with 403", async () => {
    const yesterday = daysFromToday(-1);
    const past = await bookA(yesterday, "15:00", "16:00", "Ikke deres", new Date(Date.now() - 3 * 86_400_000));
    for (const userId of [other.caretaker, w.users.memberA.id]) {
      const b = await signedIn(t.db, userId);
      await b.visit(home, "/");
      const reply = await b.submit(today.action, "/caretaker/today", { intent: "noShow", id: past.id });
      expect(reply.status).toBe(403);
    }
    expect(await t.db.selectFrom("bookings").select("no_show").where("id", "=", past.id).executeTakeFirstOrThrow()).toEqual({ no_show: false });
  });

  it("renders the head count form and the no-show button for a started booking", async () => {
    const yesterday = daysFromToday(-1);
    await bookA(yesterday, "17:00", "18:00", "Vist", new Date(Date.now() - 3 * 86_400_000));
    const b = await signedIn(t.db, w.users.caretaker.id);
    const { status, html } = await renderPage(`/?date=${yesterday}`, {
      loader: async ({ request }) => ((await today.loader({ request, params: {}, context: {} })) as unknown as { data: unknown }).data,
      Component: today.default as ComponentType,
    }, { Cookie: `${b.cookieHeader()}; lang=nb` });
    expect(status).toBe(200);
    expect(html).toContain("Antall som møtte");
    expect(html).toContain('type="number"');
    expect(html).toContain("Ingen møtte");
    expect(html).toContain("Ikke registrert ennå.");
  });
});
