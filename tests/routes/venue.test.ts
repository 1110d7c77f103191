import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import { loader } from "../../app/routes/venues.$slug";
import { addDays, localDateOf } from "../../app/time/zoned";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeVenue } from "../helpers/fixtures";
import { loaderArgs, thrownResponse } from "./support";

let t: TestDb;
let slug: string;

beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  const { site } = await makeOwner(t.db, "Europe/Oslo");
  const venue = await makeVenue(t.db, site.id, { name: "Gymsalen", hours: [{ opens: "08:00", closes: "22:00" }] });
  slug = venue.slug;
  await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2027-03-24", ends_on: "2027-03-24", reason: "Maling av veggene" }).execute();
  const { association, leader } = await makeAssociation(t.db);
  const base = { actorId: leader.id, associationId: association.id, venueId: venue.id, expectedAttendees: 5 };
  const now = new Date("2027-03-01T12:00:00Z");
  // Sunday 28 March 2027 is the spring-forward day in Oslo: UTC+1 before 02:00, UTC+2 after.
  await requestBooking(t.db, { ...base, date: "2027-03-28", start: "10:00", end: "11:30", title: "Vårdugnad", isPublic: true }, now);
  await requestBooking(t.db, { ...base, date: "2027-03-26", start: "18:00", end: "19:00", title: "Styremøte", isPublic: false }, now);
});
afterAll(() => dropTestDb(t));

/** The page's data; the status is 200 unless the week asked for could not be shown. */
const visit = async (query: string, headers: Record<string, string> = {}) => {
  const reply = await loader(loaderArgs(`/venues/${slug}${query}`, { slug }, headers));
  return { status: reply.init?.status ?? 200, data: reply.data };
};
const week = async (query: string, headers: Record<string, string> = {}) => (await visit(query, headers)).data;

describe("venue page loader", () => {
  it("returns the week containing the asked date, in the venue's wall time", async () => {
    const data = await week("?week=2027-03-25");
    expect(data.venue.name).toBe("Gymsalen");
    expect(data.week.monday).toBe("2027-03-22");
    expect(data.week.timeZone).toBe("Europe/Oslo");
    expect(data.week.previous).toBe("2027-03-15");
    expect(data.week.next).toBe("2027-03-29");
    expect(data.week.days.map((d) => d.date)).toEqual(["2027-03-22", "2027-03-23", "2027-03-24", "2027-03-25", "2027-03-26", "2027-03-27", "2027-03-28"]);

    const sunday = data.week.days[6]!;
    // Free slots offer "Book" with a two-hour time from their start (the person adjusts it in the form).
    expect(sunday.slots).toEqual([
      { start: "08:00", end: "10:00", status: "free", title: null, book: { start: "08:00", end: "10:00" } },
      { start: "10:00", end: "11:30", status: "busy", title: "Vårdugnad", book: null },
      { start: "11:30", end: "22:00", status: "free", title: null, book: { start: "11:30", end: "13:30" } },
    ]);
    // A private booking is busy without its title.
    expect(data.week.days[4]!.slots.find((s) => s.status === "busy")).toEqual({ start: "18:00", end: "19:00", status: "busy", title: null, book: null });
    expect(data.week.days[2]!.closure).toEqual({ reason: "Maling av veggene", venue: null });
    // A closure of one day reads as that day, not "24. mars 2027–24. mars 2027".
    expect(data.week.closures).toEqual([{ when: "24. mars 2027", reason: "Maling av veggene", venue: null }]);
  });

  it("shows free time that has gone by as past, not free, and offers no booking of it", async () => {
    const today = localDateOf(new Date(), "Europe/Oslo");
    const lastWeek = await week(`?week=${addDays(today, -7)}`);
    const slots = lastWeek.week.days.flatMap((d) => d.slots);
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.status === "past" && !s.book)).toBe(true);
    // Today: free time before the next quarter hour is past, after it free (the venue is open 08:00–22:00).
    const now = Date.now();
    const cut = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Oslo", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(Math.ceil(now / 900_000) * 900_000);
    const todays = (await week("")).week.days.find((d) => d.date === today)!.slots;
    expect(todays.length).toBeGreaterThan(0);
    for (const s of todays) {
      if (s.status === "past") expect(s.end <= cut || cut < s.start, JSON.stringify(s)).toBe(true);
      if (s.status === "free") expect(s.start >= cut || s.end <= "08:00", JSON.stringify(s)).toBe(true);
    }
    if (cut > "08:00" && cut < "22:00") expect(todays.map((s) => `${s.start}–${s.end} ${s.status}`)).toEqual([`08:00–${cut} past`, `${cut}–22:00 free`]);
    // Next week is free as before.
    const nextWeek = await week(`?week=${addDays(today, 7)}`);
    expect(nextWeek.week.days.flatMap((d) => d.slots).every((s) => s.status === "free")).toBe(true);
  });

  it("names the closed part on the whole's week, and the whole's closure on the part's", async () => {
    const { site } = await makeOwner(t.db, "Europe/Oslo");
    const hall = await makeVenue(t.db, site.id, { name: "Storsalen", hours: [{ opens: "08:00", closes: "22:00" }] });
    const half = await makeVenue(t.db, site.id, { name: "Storsalen A", parent_id: hall.id, hours: [{ opens: "08:00", closes: "22:00" }] });
    await t.db.insertInto("closures").values({ venue_id: half.id, starts_on: "2027-03-23", ends_on: "2027-03-24", reason: "Gulvarbeid" }).execute();
    const { data: whole } = await loader(loaderArgs(`/venues/${hall.slug}?week=2027-03-22`, { slug: hall.slug }, {}));
    expect(whole.week.days[1]!.closure).toEqual({ reason: "Gulvarbeid", venue: "Storsalen A" });
    expect(whole.week.closures).toEqual([{ when: "23. mars 2027–24. mars 2027", reason: "Gulvarbeid", venue: "Storsalen A" }]);
    const { data: part } = await loader(loaderArgs(`/venues/${half.slug}?week=2027-03-22`, { slug: half.slug }, {}));
    expect(part.week.closures).toEqual([{ when: "23. mars 2027–24. mars 2027", reason: "Gulvarbeid", venue: null }]);
  });

  it("speaks the person's language", async () => {
    const nb = await week("?week=2027-03-22");
    expect(nb.week.days[0]!.heading).toBe("Mandag 22. mars");
    expect(nb.rules.join(" ")).toContain("dager");
    const en = await week("?week=2027-03-22", { Cookie: "lang=en" });
    expect(en.week.days[0]!.heading).toBe("Monday 22 March");
    expect(en.week.from).toBe("22 March 2027");
    expect(en.rules.join(" ")).toContain("days ahead");
  });

  it("shows the current week without a week parameter", async () => {
    const data = await week("");
    const today = localDateOf(new Date(), "Europe/Oslo");
    expect(data.week.isCurrent).toBe(true);
    expect(data.week.days.filter((d) => d.isToday).map((d) => d.date)).toEqual([today]);
    // Nothing that has passed can be booked.
    expect(data.week.days.filter((d) => d.date < today).flatMap((d) => d.slots.filter((s) => s.book))).toEqual([]);
  });

  it("answers a bad week with 400, this week, and the problem in the person's language above it", async () => {
    const current = await visit("");
    expect(current.status).toBe(200);
    expect(current.data.weekProblem).toBeNull();
    for (const bad of ["2027-02-30", "next", "2027-3-1", "99999-01-01"]) {
      const res = await visit(`?week=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.data.weekProblem).toMatch(/^Noe er ikke riktig utfylt: Uke er ikke en gyldig dato.* Her er denne uken i stedet\.$/);
      expect(res.data.week.monday).toBe(current.data.week.monday);
      expect(res.data.venue.name).toBe("Gymsalen");
    }
    const en = await visit("?week=tomorrow", { "Accept-Language": "en-GB,en;q=0.9" });
    expect(en.status).toBe(400);
    expect(en.data.weekProblem).toMatch(/Week is not a valid date.* Here is this week instead\.$/);
    const far = await visit("?week=2999-01-01");
    expect(far.status).toBe(400);
    expect(far.data.weekProblem).toMatch(/for langt unna i tid/);
  });

  it("answers an unknown venue with 404", async () => {
    const res = await thrownResponse(() => loader(loaderArgs("/venues/finnes-ikke", { slug: "finnes-ikke" })));
    expect(res.status).toBe(404);
    expect((await res.json()).message).toBe("Fant ikke lokalet.");
  });
});
