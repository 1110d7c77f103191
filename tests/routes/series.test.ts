// A weekly series through /venues/:slug/series: the preview marks each date
// free, taken (by what, without another association's private details) or
// closed; confirming with the skip list creates the series without those
// dates; a conflict that appears in between shows the new list instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import * as bookingPage from "../../app/routes/bookings.$id";
import * as seriesRoute from "../../app/routes/venues.$slug_.series";
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

type Reply = seriesRoute.SeriesReply;
const path = () => `/venues/${w.venue.slug}/series`;
const params = () => ({ slug: w.venue.slug });

function fields(from: string, weeks: number, extra: Record<string, string | number> = {}) {
  return {
    associationId: w.a.id,
    weekday: 2,
    startTime: "18:00",
    durationMinutes: 120,
    intervalWeeks: 1,
    from,
    until: addDays(from, 7 * (weeks - 1)),
    title: "Korpsøving",
    purpose: "",
    visibility: "public",
    expectedAttendees: 25,
    noteToCaretaker: "",
    ...extra,
  };
}

const bookB = (date: string, title: string, isPublic: boolean) =>
  requestBooking(t.db, { actorId: w.users.memberB.id, associationId: w.b.id, venueId: w.venue.id, date, start: "17:00", end: "19:00", title, isPublic, expectedAttendees: 5 }, new Date());

async function seriesDates(seriesId: string): Promise<string[]> {
  const rows = await t.db.selectFrom("bookings").select("starts_at").where("series_id", "=", seriesId).orderBy("starts_at").execute();
  return rows.map((r) => r.starts_at.toISOString());
}

/** Sends the confirm form exactly as the preview page renders it. */
function confirmFields(reply: Reply, mode: "all" | "skip") {
  const body: Record<string, string> = { intent: "create", idempotencyKey: reply.idempotencyKey, mode, ...reply.values };
  return { body, skip: mode === "skip" ? reply.preview!.conflicting : [] };
}

async function confirm(browser: Awaited<ReturnType<typeof signedIn>>, reply: Reply, mode: "all" | "skip") {
  const { body, skip } = confirmFields(reply, mode);
  // Repeated hidden fields (skip=…) need a real form body.
  const form = new URLSearchParams({ csrf: browser.csrf, ...body });
  for (const d of skip) form.append("skip", d);
  const request = browser.request(path(), {
    method: "POST",
    body: form,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost", "Sec-Fetch-Site": "same-origin" },
  });
  const { call } = await import("../helpers/browser");
  return call<Reply>(() => seriesRoute.action({ request, params: params(), context: browser.context }));
}

describe("weekly series", () => {
  it("previews every date with what is in the way, and creates the series without the conflicting dates when asked to", async () => {
    const from = nextWeekday(2, 7);
    const dates = [0, 1, 2, 3, 4, 5].map((i) => addDays(from, 7 * i));
    await bookB(dates[1]!, "Hemmelig møte", false);
    await bookB(dates[2]!, "Julekonsert", true);
    await t.db.insertInto("closures").values({ venue_id: w.venue.id, starts_on: dates[3]!, ends_on: dates[3]!, reason: "Vask av gulv" }).execute();

    const browser = await signedIn(t.db, w.users.memberA.id);
    const page = await browser.visit<{ idempotencyKey: string; values: Record<string, string> }>(seriesRoute.loader, `${path()}?weekday=2&startTime=18:00&from=${from}`, params());
    expect(page.data.values).toEqual({ intervalWeeks: "1", weekday: "2", startTime: "18:00", from });
    const previewed = await browser.submit<Reply>(seriesRoute.action, path(), { intent: "preview", idempotencyKey: page.data.idempotencyKey, ...fields(from, 6) }, { params: params() });
    expect(previewed.status).toBe(200);
    const p = previewed.data.preview!;
    expect(p.rule).toBe("Hver tirsdag kl. 18:00–20:00");
    expect(p.items.map((i) => i.date)).toEqual(dates);
    expect(p.items.map((i) => i.status)).toEqual(["free", "taken", "taken", "closed", "free", "free"]);
    expect(p.items[0]!.label).toMatch(/^tirsdag \d+\. \w+ \d{4}, 18:00–20:00$/);
    expect(p.items[1]!.note).toBe(`Kolliderer med en annen booking i ${w.venue.name} kl. 17:00–19:00.`);
    expect(p.items[2]!.note).toBe(`Kolliderer med «Julekonsert» i ${w.venue.name} kl. 17:00–19:00.`);
    expect(p.items[3]!.note).toBe("Lokalet er stengt: Vask av gulv.");
    expect(JSON.stringify(previewed.data)).not.toContain("Hemmelig");
    expect(p.conflicting).toEqual([dates[1], dates[2], dates[3]]);
    expect(p.freeCount).toBe(3);
    // Nothing is booked by looking.
    expect(await t.db.selectFrom("series").select("id").where("association_id", "=", w.a.id).execute()).toHaveLength(0);

    const created = await confirm(browser, previewed.data, "skip");
    expect(created.status).toBe(302);
    expect(created.location).toMatch(/^\/bookings\/[0-9a-f-]{36}\?created=series$/);
    const series = await t.db.selectFrom("series").selectAll().where("association_id", "=", w.a.id).executeTakeFirstOrThrow();
    const made = await t.db.selectFrom("bookings").select(["id", "starts_at", "status", "is_public"]).where("series_id", "=", series.id).orderBy("starts_at").execute();
    expect(made).toHaveLength(3);
    expect(made.every((b) => b.status === "confirmed" && b.is_public)).toBe(true);

    const id = created.location!.split("/")[2]!.split("?")[0]!;
    expect(id).toBe(made[0]!.id);
    const result = await browser.visit<{ createdSeries: boolean; booking: { series: { occurrences: unknown[]; skipped: string[]; rule: string } } }>(
      bookingPage.loader,
      created.location!,
      { id },
    );
    expect(result.data.createdSeries).toBe(true);
    expect(result.data.booking.series.occurrences).toHaveLength(3);
    expect(result.data.booking.series.skipped).toHaveLength(3);
    expect(result.data.booking.series.rule).toMatch(/^Hver tirsdag kl\. 18:00–20:00, fra /);
  });

  it("shows the new list with a message when something got in the way after the preview, and creates nothing", async () => {
    const from = nextWeekday(2, 7 * 8);
    const browser = await signedIn(t.db, w.users.leaderA.id, { language: "en" });
    const page = await browser.visit<{ idempotencyKey: string }>(seriesRoute.loader, path(), params());
    const previewed = await browser.submit<Reply>(
      seriesRoute.action,
      path(),
      { intent: "preview", idempotencyKey: page.data.idempotencyKey, ...fields(from, 4, { title: "Seniordans", startTime: "10:00", durationMinutes: 90 }) },
      { params: params() },
    );
    expect(previewed.data.preview!.conflicting).toEqual([]);
    expect(previewed.data.preview!.rule).toBe("Every Tuesday, 10:00–11:30");

    // Meanwhile B takes the second date.
    await requestBooking(t.db, { actorId: w.users.memberB.id, associationId: w.b.id, venueId: w.venue.id, date: addDays(from, 7), start: "11:00", end: "12:00", title: "B", expectedAttendees: 5 }, new Date());
    const refused = await confirm(browser, previewed.data, "all");
    expect(refused.status).toBe(409);
    expect(refused.data.changed).toBe(true);
    expect(refused.data.formError).toBe("Something has changed since you looked at the dates. Check the list again before you confirm.");
    expect(refused.data.preview!.items.map((i) => i.status)).toEqual(["free", "taken", "free", "free"]);
    expect(refused.data.preview!.items[1]!.note).toBe(`Collides with another booking in ${w.venue.name}, 11:00–12:00.`);
    expect(refused.data.idempotencyKey).toBe(page.data.idempotencyKey);
    expect(await t.db.selectFrom("series").select("id").where("title", "=", "Seniordans").execute()).toHaveLength(0);

    // Agreeing to leave it out creates the other three; a double click creates them once.
    const [one, two] = await Promise.all([confirm(browser, refused.data, "skip"), confirm(browser, refused.data, "skip")]);
    expect(one.status).toBe(302);
    expect(two.location).toBe(one.location);
    const all = await t.db.selectFrom("series").select("id").where("title", "=", "Seniordans").execute();
    expect(all).toHaveLength(1);
    expect(await seriesDates(all[0]!.id)).toHaveLength(3);
  });

  it("refuses bad input beside the fields, all at once", async () => {
    const browser = await signedIn(t.db, w.users.memberA.id);
    const page = await browser.visit<{ idempotencyKey: string }>(seriesRoute.loader, path(), params());
    const from = nextWeekday(2, 7);
    const reply = await browser.submit<Reply>(
      seriesRoute.action,
      path(),
      { intent: "preview", idempotencyKey: page.data.idempotencyKey, ...fields(from, 2, { weekday: "", until: addDays(from, -7), durationMinutes: "0" }) },
      { params: params() },
    );
    expect(reply.status).toBe(400);
    expect(reply.data.fieldErrors).toEqual({
      weekday: "Ukedag må fylles ut.",
      durationMinutes: "Varighet må være et helt antall minutter større enn null.",
      until: "Til og med er før startdatoen.",
    });
    expect(reply.data.preview).toBeNull();
  });

  it("explains a series the rules refuse (outside opening hours) above the form", async () => {
    const browser = await signedIn(t.db, w.users.memberA.id);
    const page = await browser.visit<{ idempotencyKey: string }>(seriesRoute.loader, path(), params());
    const reply = await browser.submit<Reply>(
      seriesRoute.action,
      path(),
      { intent: "preview", idempotencyKey: page.data.idempotencyKey, ...fields(nextWeekday(2, 7), 3, { startTime: "21:00" }) },
      { params: params() },
    );
    expect(reply.status).toBe(422);
    expect(reply.data.formError).toBe("Tidspunktet er utenfor åpningstiden til lokalet.");
  });

  it("marks the dates over the association's weekly quota, and books the rest when asked", async () => {
    await t.db.updateTable("venues").set({ weekly_quota_minutes: 180 }).where("id", "=", w.venue.id).execute();
    try {
      // Far from the other cases' weeks: another association on the first Tuesday,
      // and two hours of A's own on the Wednesday of the second week.
      const from = nextWeekday(2, 140);
      await bookB(from, "B sin øving", true);
      await requestBooking(
        t.db,
        { actorId: w.users.memberA.id, associationId: w.a.id, venueId: w.venue.id, date: addDays(from, 8), start: "10:00", end: "12:00", title: "Styremøte", expectedAttendees: 5 },
        new Date(),
      );
      const browser = await signedIn(t.db, w.users.memberA.id);
      const page = await browser.visit<{ idempotencyKey: string }>(seriesRoute.loader, path(), params());
      const reply = await browser.submit<Reply>(seriesRoute.action, path(), { intent: "preview", idempotencyKey: page.data.idempotencyKey, ...fields(from, 3) }, { params: params() });
      expect(reply.status).toBe(200);
      const p = reply.data.preview!;
      expect(p.items.map((i) => i.status)).toEqual(["taken", "overQuota", "free"]);
      expect(p.items[1]!.note).toBe("Laget har allerede booket 2 timer den uken, og grensen er 3 timer per uke.");
      // Left out only by saying so, as the taken date is.
      expect(p.conflicting).toEqual([from, addDays(from, 7)]);
      expect(p.freeCount).toBe(1);
      const all = await browser.submit<Reply>(seriesRoute.action, path(), { intent: "create", mode: "all", idempotencyKey: page.data.idempotencyKey, ...fields(from, 3) }, { params: params() });
      expect(all.status).toBe(409);
      const booked = await browser.submit(
        seriesRoute.action,
        path(),
        { intent: "create", mode: "skip", skip: p.conflicting, idempotencyKey: page.data.idempotencyKey, ...fields(from, 3) },
        { params: params() },
      );
      expect(booked.status).toBe(302);
      const first = booked.location!.match(/^\/bookings\/([0-9a-f-]+)\?created=series$/)![1]!;
      const { series_id } = await t.db.selectFrom("bookings").select("series_id").where("id", "=", first).executeTakeFirstOrThrow();
      const dates = await t.db.selectFrom("bookings").select("starts_at").where("series_id", "=", series_id).execute();
      // The one free date: the taken one and the one over the quota left out.
      expect(dates.map((d) => d.starts_at.toISOString().slice(0, 10))).toEqual([addDays(from, 14)]);
      // A time longer than the quota by itself says so.
      const long = await browser.submit<Reply>(seriesRoute.action, path(), { intent: "preview", idempotencyKey: page.data.idempotencyKey, ...fields(addDays(from, 21), 1, { durationMinutes: 240 }) }, { params: params() });
      expect(long.data.preview!.items.map((i) => [i.status, i.note])).toEqual([["overQuota", "Tiden er lengre enn lagets grense på 3 timer per uke."]]);
    } finally {
      await t.db.updateTable("venues").set({ weekly_quota_minutes: null }).where("id", "=", w.venue.id).execute();
    }
  });

  it("tells an association not yet verified, before the button, when the free dates would pass its ceiling of coming bookings", async () => {
    await t.db.updateTable("associations").set({ verified: false }).where("id", "=", w.a.id).execute();
    try {
      const held = Number((await t.db.selectFrom("bookings").select((eb) => eb.fn.countAll().as("n")).where("association_id", "=", w.a.id).where("status", "in", ["pending", "confirmed"]).where("ends_at", ">", new Date()).executeTakeFirstOrThrow()).n);
      const browser = await signedIn(t.db, w.users.memberA.id);
      const page = await browser.visit<{ idempotencyKey: string }>(seriesRoute.loader, path(), params());
      const preview = (weeks: number) =>
        browser.submit<Reply>(seriesRoute.action, path(), { intent: "preview", idempotencyKey: page.data.idempotencyKey, ...fields(nextWeekday(4, 170), weeks, { weekday: 4 }) }, { params: params() });
      const season = await preview(30);
      expect(season.status).toBe(200);
      expect(season.data.preview!.freeCount).toBe(30);
      expect(season.data.preview!.overCeiling).toBe(
        `Kommunen har ikke godkjent laget ennå, så laget kan ha høyst 20 kommende bookinger. Det har ${held}, så høyst ${20 - held} til kan bookes: velg en kortere periode eller sjeldnere intervall, eller vent til laget er godkjent.`,
      );
      expect((await preview(20 - held)).data.preview!.overCeiling).toBeNull();
      await t.db.updateTable("associations").set({ verified: true }).where("id", "=", w.a.id).execute();
      expect((await preview(30)).data.preview!.overCeiling).toBeNull();
    } finally {
      await t.db.updateTable("associations").set({ verified: true }).where("id", "=", w.a.id).execute();
    }
  });
});
