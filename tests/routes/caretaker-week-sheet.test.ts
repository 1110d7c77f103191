// The caretaker's week plan and day sheet through real sign-in on real
// PostgreSQL: each shows only the viewer's own sites (grouped by building),
// only active bookings, in the venue's wall time; the week runs Monday 00:00
// to Sunday 24:00 in Europe/Oslo also across daylight-saving changes; the day
// sheet carries contact details and one part per building with bookings that
// day; people who manage no site get 403, and a bad date a translated 400.
import type { ComponentType } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { blockTime } from "../../app/caretaker/blocks.server";
import type { DaySheet } from "../../app/caretaker/day-sheet.server";
import type { CaretakerWeek } from "../../app/caretaker/week.server";
import { provideDatabase } from "../../app/db.server";
import * as sheetRoute from "../../app/routes/caretaker.sheet";
import * as weekRoute from "../../app/routes/caretaker.week";
import { addDays, mondayOf } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { makeWorld, nextWeekday, signedIn, type World } from "../helpers/people";
import { renderPage } from "./render";

let t: TestDb;
let w: World;
/** A second building of the same owner, also in the caretaker's care, with a venue open day and night. */
let annex: { siteId: number; siteName: string; venueId: number };
/** Another owner's building and its own caretaker. */
let other: { caretaker: number; venueId: number; siteName: string };

beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
  await t.db.updateTable("users").set({ phone: "+47 912 34 567" }).where("id", "=", w.users.memberA.id).execute();
  const site = await t.db.insertInto("sites").values({ owner_id: w.owner.id, name: "Annekset", address: "Bakgården 2" }).returningAll().executeTakeFirstOrThrow();
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: w.users.caretaker.id }).execute();
  const night = await makeVenue(t.db, site.id, { name: "Døgnrommet", hours: [{ opens: "00:00", closes: "24:00" }] });
  annex = { siteId: site.id, siteName: site.name, venueId: night.id };
  const o = await makeOwner(t.db, "Europe/Oslo");
  const venue = await makeVenue(t.db, o.site.id, { name: "Annen hall" });
  const caretaker = (await makeUser(t.db, "Annen Vaktmester")).id;
  await t.db.insertInto("site_caretakers").values({ site_id: o.site.id, user_id: caretaker }).execute();
  // Member A's association books there too: what matters is whose building it is.
  other = { caretaker, venueId: venue.id, siteName: o.site.name };
});
afterAll(() => dropTestDb(t));

const book = async (venueId: number, date: string, title: string, start: string, end: string, note = "") =>
  (
    await requestBooking(
      t.db,
      { actorId: w.users.memberA.id, associationId: w.a.id, venueId, date, start, end, title, purpose: "", expectedAttendees: 12, noteToCaretaker: note },
      new Date(),
    )
  ).booking;

async function weekOf(userId: number, week: string, language?: string) {
  const b = await signedIn(t.db, userId, language ? { language } : {});
  return b.visit<CaretakerWeek>(weekRoute.loader, `/caretaker/week?week=${week}`);
}

async function sheetOf(userId: number, date: string, language?: string) {
  const b = await signedIn(t.db, userId, language ? { language } : {});
  return b.visit<DaySheet>(sheetRoute.loader, `/caretaker/sheet?date=${date}`);
}

/** Title, start, end of each booking on each day of one venue's week. */
function venueWeek(week: CaretakerWeek, venueName: string) {
  const venue = week.sites.flatMap((s) => s.venues).find((v) => v.name === venueName);
  if (!venue) throw new Error(`${venueName} is not in the week`);
  return Object.fromEntries(venue.days.map((d) => [d.date, d.entries.map((e) => `${e.title} ${e.start}–${e.end}`)]));
}

describe("the week plan", () => {
  it("lists each venue at the caretaker's own sites, grouped by building, with active bookings per day", async () => {
    const tuesday = nextWeekday(2, 28);
    const monday = mondayOf(tuesday);
    const evening = await book(w.venue.id, tuesday, "Korøvelse", "18:00", "20:00");
    const gone = await book(w.venue.id, tuesday, "Avlyst møte", "12:00", "13:00");
    await t.db.updateTable("bookings").set({ status: "cancelled" }).where("id", "=", gone.id).execute();
    const asked = await book(w.venue.id, addDays(tuesday, 2), "Venter svar", "10:00", "11:00");
    await t.db.updateTable("bookings").set({ status: "pending" }).where("id", "=", asked.id).execute();
    await book(other.venueId, tuesday, "Hos naboen", "18:00", "19:00");

    const reply = await weekOf(w.users.caretaker.id, tuesday);
    expect(reply.status).toBe(200);
    const week = reply.data;
    expect(week.monday).toBe(monday);
    expect(week.days.map((d) => d.date)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => addDays(monday, i)));
    expect(week.previous).toBe(addDays(monday, -7));
    expect(week.next).toBe(addDays(monday, 7));
    // Buildings by name, each with its own venues.
    expect(week.sites.map((s) => [s.name, s.venues.map((v) => v.name)])).toEqual([
      [annex.siteName, ["Døgnrommet"]],
      [w.site.name, ["Storsalen"]],
    ]);
    const storsalen = venueWeek(week, "Storsalen");
    expect(storsalen[tuesday]).toEqual(["Korøvelse 18:00–20:00"]);
    expect(storsalen[addDays(tuesday, 2)]).toEqual(["Venter svar 10:00–11:00"]);
    const venue = week.sites[1]!.venues[0]!;
    expect(venue.count).toBe(2);
    const entry = venue.days[1]!.entries[0]!;
    expect(entry).toMatchObject({ id: evening.id, associationName: w.a.name, blocked: false, status: "confirmed", statusText: "Bekreftet" });
    expect(venue.days.find((d) => d.date === addDays(tuesday, 2))!.entries[0]).toMatchObject({ status: "pending", statusText: "Venter på godkjenning" });
    const text = JSON.stringify(week);
    expect(text).not.toContain("Avlyst møte");
    expect(text).not.toContain("Hos naboen");
    expect(text).not.toContain(other.siteName);
    // The week shows no contact details.
    expect(text).not.toContain(w.a.contact_email);

    // The other building's caretaker sees their own venue and nothing of these.
    const theirs = (await weekOf(other.caretaker, tuesday)).data;
    expect(theirs.sites.map((s) => s.name)).toEqual([other.siteName]);
    expect(venueWeek(theirs, "Annen hall")[tuesday]).toEqual(["Hos naboen 18:00–19:00"]);
    expect(JSON.stringify(theirs)).not.toContain("Korøvelse");

    // The owner's admin sees both of the owner's buildings, not the other owner's.
    const admin = (await weekOf(w.users.admin.id, tuesday)).data;
    expect(admin.sites.map((s) => s.name)).toEqual([annex.siteName, w.site.name]);
  });

  it("shows a whole hall's blocked time and bookings on its halves, and a half's on the whole, as the venue's week does (it showed each only on its own venue)", async () => {
    const hall = await makeVenue(t.db, w.site.id, { name: "Idrettshallen" });
    const halfA = await makeVenue(t.db, w.site.id, { name: "Idrettshallen A", parent_id: hall.id });
    await makeVenue(t.db, w.site.id, { name: "Idrettshallen B", parent_id: hall.id });
    const saturday = nextWeekday(6, 63);
    const block = await blockTime(t.db, { actorId: w.users.caretaker.id, venueId: hall.id, date: saturday, start: "08:00", end: "10:00", reason: "Gulvvask i hele hallen" }, new Date());
    await book(hall.id, saturday, "Cup", "12:00", "14:00");
    await book(halfA.id, saturday, "Håndball", "16:00", "17:00");

    const week = (await weekOf(w.users.caretaker.id, saturday)).data;
    expect(venueWeek(week, "Idrettshallen")[saturday]).toEqual(["Gulvvask i hele hallen 08:00–10:00", "Cup 12:00–14:00", "Håndball 16:00–17:00"]);
    expect(venueWeek(week, "Idrettshallen A")[saturday]).toEqual(["Gulvvask i hele hallen 08:00–10:00", "Cup 12:00–14:00", "Håndball 16:00–17:00"]);
    expect(venueWeek(week, "Idrettshallen B")[saturday]).toEqual(["Gulvvask i hele hallen 08:00–10:00", "Cup 12:00–14:00"]);
    const venue = (name: string) => week.sites.flatMap((s) => s.venues).find((v) => v.name === name)!;
    const onB = venue("Idrettshallen B").days.find((d) => d.date === saturday)!.entries;
    expect(onB[0]).toMatchObject({ id: block.id, blocked: true, otherVenue: "Idrettshallen" });
    expect(venue("Idrettshallen").days.find((d) => d.date === saturday)!.entries.map((e) => e.otherVenue)).toEqual([null, null, "Idrettshallen A"]);
    // Each venue counts its own bookings only.
    expect([venue("Idrettshallen").count, venue("Idrettshallen A").count, venue("Idrettshallen B").count]).toEqual([1, 1, 0]);

    const b = await signedIn(t.db, w.users.caretaker.id);
    const page = await renderPage(
      "/",
      {
        loader: async ({ request }) => ((await weekRoute.loader({ request: new Request(`http://localhost/caretaker/week?week=${saturday}`, { headers: request.headers }), params: {}, context: {} })) as unknown as { data: unknown }).data,
        Component: weekRoute.default as ComponentType,
      },
      { Cookie: b.cookieHeader() },
    );
    expect(page.html).toContain("(gjelder Idrettshallen)");
    expect(page.html).toContain("(gjelder Idrettshallen A)");
  });

  it("shows a closure on its days", async () => {
    const date = nextWeekday(3, 70);
    await t.db.insertInto("closures").values({ venue_id: w.venue.id, starts_on: date, ends_on: date, reason: "Vannlekkasje" }).execute();
    const week = (await weekOf(w.users.caretaker.id, date)).data;
    const days = week.sites.flatMap((s) => s.venues).find((v) => v.name === "Storsalen")!.days;
    expect(days.filter((d) => d.closure !== null).map((d) => [d.date, d.closure])).toEqual([[date, { reason: "Vannlekkasje", venue: null }]]);
  });

  it("shows a closed whole's closure on its halves and a closed half's on the whole, naming the venue closed (as the venue's week does)", async () => {
    const hall = await makeVenue(t.db, annex.siteId, { name: "Gymsalen" });
    const half = await makeVenue(t.db, annex.siteId, { name: "Gymsalen A", parent_id: hall.id });
    await makeVenue(t.db, annex.siteId, { name: "Gymsalen B", parent_id: hall.id });
    const monday = mondayOf(nextWeekday(1, 77));
    await t.db
      .insertInto("closures")
      .values([
        { venue_id: hall.id, starts_on: monday, ends_on: monday, reason: "Lakkering" },
        { venue_id: half.id, starts_on: addDays(monday, 2), ends_on: addDays(monday, 2), reason: "Nytt nett" },
      ])
      .execute();
    const week = (await weekOf(w.users.caretaker.id, monday)).data;
    const closed = (name: string) =>
      Object.fromEntries(week.sites.flatMap((s) => s.venues).find((v) => v.name === name)!.days.flatMap((d) => (d.closure ? [[d.date, d.closure]] : [])));
    expect(closed("Gymsalen")).toEqual({ [monday]: { reason: "Lakkering", venue: null }, [addDays(monday, 2)]: { reason: "Nytt nett", venue: "Gymsalen A" } });
    expect(closed("Gymsalen A")).toEqual({ [monday]: { reason: "Lakkering", venue: "Gymsalen" }, [addDays(monday, 2)]: { reason: "Nytt nett", venue: null } });
    // The other half is closed with the whole, not with its sister.
    expect(closed("Gymsalen B")).toEqual({ [monday]: { reason: "Lakkering", venue: "Gymsalen" } });
    const b = await signedIn(t.db, w.users.caretaker.id);
    const page = await renderPage(
      "/",
      {
        loader: async ({ request }) => ((await weekRoute.loader({ request: new Request(`http://localhost/caretaker/week?week=${monday}`, { headers: request.headers }), params: {}, context: {} })) as unknown as { data: unknown }).data,
        Component: weekRoute.default as ComponentType,
      },
      { Cookie: b.cookieHeader() },
    );
    expect(page.html).toContain("Stengt fordi Gymsalen er stengt: Lakkering");
  });

  it("runs Monday 00:00 to Sunday 24:00 on the Oslo wall clock, also in the week clocks spring forward", async () => {
    // Summer time begins on Sunday 28 March 2027 at 02:00 (the clock jumps to 03:00).
    await book(annex.venueId, "2027-03-21", "Søndag før", "23:00", "24:00");
    await book(annex.venueId, "2027-03-22", "Mandag natt", "00:00", "01:00");
    await book(annex.venueId, "2027-03-28", "Over skiftet", "01:00", "03:30");
    await book(annex.venueId, "2027-03-28", "Søndag sent", "23:00", "24:00");
    await book(annex.venueId, "2027-03-29", "Mandag etter", "00:00", "00:30");
    const week = (await weekOf(w.users.caretaker.id, "2027-03-25")).data;
    expect(week.monday).toBe("2027-03-22");
    expect(week.weekNumber).toBe(12);
    const days = venueWeek(week, "Døgnrommet");
    expect(days).toEqual({
      "2027-03-22": ["Mandag natt 00:00–01:00"],
      "2027-03-23": [],
      "2027-03-24": [],
      "2027-03-25": [],
      "2027-03-26": [],
      "2027-03-27": [],
      "2027-03-28": ["Over skiftet 01:00–03:30", "Søndag sent 23:00–24:00"],
    });
    // The neighbouring weeks have the bookings that fell outside.
    expect(venueWeek((await weekOf(w.users.caretaker.id, "2027-03-21")).data, "Døgnrommet")["2027-03-21"]).toEqual(["Søndag før 23:00–24:00"]);
    expect(venueWeek((await weekOf(w.users.caretaker.id, "2027-03-29")).data, "Døgnrommet")["2027-03-29"]).toEqual(["Mandag etter 00:00–00:30"]);
  });

  it("runs Monday 00:00 to Sunday 24:00 on the Oslo wall clock, also in the week clocks fall back", async () => {
    // Summer time ends on Sunday 31 October 2027 at 03:00 (the clock goes back to 02:00).
    await book(annex.venueId, "2027-10-24", "Søndag før høst", "23:30", "24:00");
    await book(annex.venueId, "2027-10-25", "Mandag høst", "00:00", "00:45");
    await book(annex.venueId, "2027-10-31", "Siste søndag", "23:00", "24:00");
    await book(annex.venueId, "2027-11-01", "Etter høst", "00:00", "00:30");
    const days = venueWeek((await weekOf(w.users.caretaker.id, "2027-10-31")).data, "Døgnrommet");
    expect(Object.keys(days)).toEqual(["2027-10-25", "2027-10-26", "2027-10-27", "2027-10-28", "2027-10-29", "2027-10-30", "2027-10-31"]);
    expect(Object.values(days).flat()).toEqual(["Mandag høst 00:00–00:45", "Siste søndag 23:00–24:00"]);
  });

  it("gives 403 to someone who manages no site and a translated 400 for a bad week", async () => {
    for (const userId of [w.users.memberA.id, w.users.outsider.id]) {
      const reply = await weekOf(userId, nextWeekday(1, 7));
      expect(reply.status).toBe(403);
    }
    const bad = await weekOf(w.users.caretaker.id, "2026-02-30");
    expect(bad.status).toBe(400);
    expect((bad.data as unknown as { message: string }).message).toMatch(/Uke er ikke en gyldig dato/);
    const english = await weekOf(w.users.caretaker.id, "next-week", "en");
    expect(english.status).toBe(400);
    expect((english.data as unknown as { message: string }).message).toMatch(/Week is not a valid date/i);
    const far = await weekOf(w.users.caretaker.id, "1999-01-01");
    expect(far.status).toBe(400);
    expect((far.data as unknown as { message: string }).message).toMatch(/for langt unna/);
  });
});

describe("the day sheet", () => {
  it("has one part per building with bookings that day, in time order, with contact details, only at own sites", async () => {
    // Days 56–62 ahead: clear of the week plan tests (28–40 and 70–76), whichever weekday today is.
    const date = nextWeekday(4, 56);
    await book(w.venue.id, date, "Kveldsmøte", "19:00", "21:00", "Lås opp bakdøra");
    await book(annex.venueId, date, "Formiddag", "10:00", "11:30");
    await book(w.venue.id, date, "Morgentrim", "08:00", "09:00");
    const gone = await book(w.venue.id, date, "Avlyst", "12:00", "13:00");
    await t.db.updateTable("bookings").set({ status: "rejected" }).where("id", "=", gone.id).execute();
    await book(other.venueId, date, "Nabobygget", "10:00", "11:00");
    await book(w.venue.id, addDays(date, 1), "Dagen etter", "10:00", "11:00");

    const reply = await sheetOf(w.users.caretaker.id, date);
    expect(reply.status).toBe(200);
    const sheet = reply.data;
    expect(sheet.date).toBe(date);
    expect(sheet.previous).toBe(addDays(date, -1));
    expect(sheet.next).toBe(addDays(date, 1));
    expect(sheet.sites.map((s) => [s.name, s.address, s.lines.map((l) => `${l.start}–${l.end} ${l.venueName} ${l.title}`)])).toEqual([
      [annex.siteName, "Bakgården 2", ["10:00–11:30 Døgnrommet Formiddag"]],
      [w.site.name, w.site.address, ["08:00–09:00 Storsalen Morgentrim", "19:00–21:00 Storsalen Kveldsmøte"]],
    ]);
    expect(sheet.sites[1]!.lines[1]).toMatchObject({
      associationName: w.a.name,
      blocked: false,
      contactName: w.users.memberA.name,
      contactPhone: "+47 912 34 567",
      contactEmail: w.a.contact_email,
      expectedAttendees: 12,
      status: "confirmed",
      statusText: "Bekreftet",
      noteToCaretaker: "Lås opp bakdøra",
    });
    const text = JSON.stringify(sheet);
    expect(text).not.toContain("Nabobygget");
    expect(text).not.toContain("Avlyst");
    expect(text).not.toContain("Dagen etter");

    // The other building's caretaker gets only their own building, and none of these contacts.
    const theirs = (await sheetOf(other.caretaker, date)).data;
    expect(theirs.sites.map((s) => [s.name, s.lines.map((l) => l.title)])).toEqual([[other.siteName, ["Nabobygget"]]]);
    expect(JSON.stringify(theirs)).not.toContain("Kveldsmøte");

    // A day without bookings has no buildings to print.
    expect((await sheetOf(w.users.caretaker.id, addDays(date, 3))).data.sites).toEqual([]);
  });

  it("takes the day on the Oslo wall clock when clocks fall back", async () => {
    // Summer time ends on Sunday 31 October 2027 at 03:00: that day has 25 hours.
    const night = await makeVenue(t.db, annex.siteId, { name: "Nattrommet", hours: [{ opens: "00:00", closes: "24:00" }] });
    await book(night.id, "2027-10-30", "Lørdag sent", "23:00", "24:00");
    await book(night.id, "2027-10-31", "Natt til søndag", "00:00", "02:00");
    await book(night.id, "2027-10-31", "Søndag kveld", "22:00", "24:00");
    await book(night.id, "2027-11-01", "Natt til mandag", "00:00", "00:30");
    const sheet = (await sheetOf(w.users.caretaker.id, "2027-10-31")).data;
    expect(sheet.dateText).toBe("Søndag 31. oktober 2027");
    const lines = sheet.sites.find((s) => s.name === annex.siteName)!.lines.filter((l) => l.venueName === "Nattrommet");
    expect(lines.map((l) => `${l.title} ${l.start}–${l.end}`)).toEqual(["Natt til søndag 00:00–02:00", "Søndag kveld 22:00–24:00"]);
    const english = (await sheetOf(w.users.caretaker.id, "2027-10-31", "en")).data;
    expect(english.dateText).toBe("Sunday, 31 October 2027");
    expect(english.sites[0]!.lines[0]!.statusText).toBe("Confirmed");
  });

  it("shows time blocked by a caretaker as blocked, with its reason and no association or contact, in the week and on the sheet", async () => {
    const date = nextWeekday(5, 42);
    const block = await blockTime(t.db, { actorId: w.users.caretaker.id, venueId: w.venue.id, date, start: "07:00", end: "09:00", reason: "Gulvvask" }, new Date());
    await book(w.venue.id, date, "Etter vasken", "10:00", "11:00");

    const week = (await weekOf(w.users.caretaker.id, date)).data;
    expect(venueWeek(week, "Storsalen")[date]).toEqual(["Gulvvask 07:00–09:00", "Etter vasken 10:00–11:00"]);
    const storsalen = week.sites.flatMap((s) => s.venues).find((v) => v.name === "Storsalen")!;
    const entry = storsalen.days.find((d) => d.date === date)!.entries[0]!;
    expect(entry).toMatchObject({ id: block.id, blocked: true, associationName: null });
    // The week's count is of bookings: the block is shown, not counted as one.
    expect(storsalen.count).toBe(1);
    // A venue whose week holds only blocked time still shows it on the page.
    const alone = nextWeekday(3, 56);
    await blockTime(t.db, { actorId: w.users.caretaker.id, venueId: annex.venueId, date: alone, start: "07:00", end: "09:00", reason: "Maling av taket" }, new Date());
    const b = await signedIn(t.db, w.users.caretaker.id);
    const page = await renderPage(
      "/",
      {
        loader: async ({ request }) => ((await weekRoute.loader({ request: new Request(`http://localhost/caretaker/week?week=${alone}`, { headers: request.headers }), params: {}, context: {} })) as unknown as { data: unknown }).data,
        Component: weekRoute.default as ComponentType,
      },
      { Cookie: b.cookieHeader() },
    );
    expect(page.html).toContain("Maling av taket");

    const sheet = (await sheetOf(w.users.caretaker.id, date)).data;
    const lines = sheet.sites.find((s) => s.name === w.site.name)!.lines;
    expect(lines.map((l) => l.title)).toEqual(["Gulvvask", "Etter vasken"]);
    expect(lines[0]).toMatchObject({ id: block.id, blocked: true, associationName: null, contactName: null, contactPhone: null, contactEmail: null, start: "07:00", end: "09:00" });
    expect(lines[1]).toMatchObject({ blocked: false, associationName: w.a.name });
  });

  it("gives 403 to someone who manages no site and a translated 400 for a bad date", async () => {
    const date = nextWeekday(2, 7);
    for (const userId of [w.users.memberA.id, w.users.outsider.id]) expect((await sheetOf(userId, date)).status).toBe(403);
    const bad = await sheetOf(w.users.caretaker.id, "2026-13-01");
    expect(bad.status).toBe(400);
    expect((bad.data as unknown as { message: string }).message).toMatch(/Dato er ikke en gyldig dato/);
    const english = await sheetOf(w.users.caretaker.id, "tomorrow", "en");
    expect(english.status).toBe(400);
    expect((english.data as unknown as { message: string }).message).toMatch(/Date is not a valid date/i);
    const huge = await sheetOf(w.users.caretaker.id, "9999-12-31");
    expect(huge.status).toBe(400);
  });
});
