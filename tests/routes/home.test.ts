// The home page: find a venue. Filters come from the query string (a GET form);
// bad input answers 400 with a message beside each field, in the person's language.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import { default as Home, loader } from "../../app/routes/_index";
import { addDays, localDateOf, mondayOf } from "../../app/time/zoned";
import { seedDemoData } from "../../db/seed";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation } from "../helpers/fixtures";
import { renderPage } from "./render";
import { loaderArgs } from "./support";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  await seedDemoData(t.db, new Date("2026-11-26T13:00:00Z"));
});
afterAll(() => dropTestDb(t));

const EN = { Cookie: "lang=en" };

async function search(query: string, headers: Record<string, string> = {}) {
  const res = await loader(loaderArgs(`/${query}`, {}, headers));
  return { status: res.init?.status ?? 200, ...res.data };
}

async function slugs(query: string) {
  const page = await search(query);
  expect(page.status, query).toBe(200);
  return page.result!.venues.map((v) => v.slug);
}

/** A Tuesday well after the demo bookings, in Oslo. */
const farTuesday = () => addDays(mondayOf(addDays(localDateOf(new Date(), "Europe/Oslo"), 120)), 1);

describe("home page loader: finding a venue", () => {
  it("lists every venue without filters, by site, each whole venue before its parts, in the person's words", async () => {
    const page = await search("");
    expect(page.status).toBe(200);
    expect(page.errors).toEqual({});
    const venues = page.result!.venues;
    expect(venues.map((v) => v.slug)).toEqual([
      "lillesalen", "peisestua", "musikkrommet", "skolekjokkenet", "storsalen", "storsalen-a", "storsalen-b", "treningsrommet",
    ]);
    expect(venues.find((v) => v.slug === "storsalen-b")).toMatchObject({
      name: "Storsalen B (mot inngangen)",
      href: "/venues/storsalen-b",
      parentName: "Storsalen",
      siteName: "Løvstad skole",
      kind: "Idrettshall",
      capacity: 150,
      stepFree: true,
      amenities: ["Garderober"],
    });
    expect(page.result!.freeAt).toBeNull();
    const en = await search("", EN);
    expect(en.result!.venues.find((v) => v.slug === "musikkrommet")).toMatchObject({ kind: "Music room", amenities: ["Piano", "Sound system", "Drum kit"], stepFree: false });
  });

  it("offers the kinds and amenities the venues have, with translated labels", async () => {
    const nb = await search("");
    expect(nb.options.kinds.map((k) => k.label)).toEqual(["Idrettshall", "Kjøkken", "Musikkrom", "Møterom", "Treningsrom"]);
    const en = await search("", EN);
    expect(en.options.kinds).toContainEqual({ value: "meeting-room", label: "Meeting room" });
    expect(en.options.amenities).toContainEqual({ value: "changing-rooms", label: "Changing rooms" });
    expect(en.options.amenities).toHaveLength(11);
  });

  it("filters by each field from the query string, alone and together", async () => {
    expect(await slugs("?kind=meeting-room&kind=gym")).toEqual(["lillesalen", "peisestua", "treningsrommet"]);
    expect(await slugs("?capacity=150")).toEqual(["storsalen", "storsalen-a", "storsalen-b"]);
    expect(await slugs("?amenity=wifi&amenity=whiteboard")).toEqual(["lillesalen", "peisestua"]);
    expect(await slugs("?amenity=wifi&amenity=projector")).toEqual(["peisestua"]);
    expect(await slugs("?stepFree=true")).not.toContain("musikkrommet");
    expect(await slugs("?stepFree=true")).toHaveLength(7);
    expect(await slugs("?kind=meeting-room&kind=music-room&capacity=20&amenity=sound-system")).toEqual(["musikkrommet"]);
    expect(await slugs("?kind=meeting-room&kind=music-room&capacity=20&amenity=sound-system&stepFree=on")).toEqual([]);
    const echoed = await search("?kind=gym&capacity=%2012%20&stepFree=true");
    expect(echoed.values).toMatchObject({ kind: ["gym"], capacity: "12", stepFree: true, date: "" });
  });

  it("shows only venues free at the time, linking to that week", async () => {
    const date = farTuesday();
    const query = `?kind=meeting-room&date=${date}&start=10:00&end=11:00`;
    expect(await slugs(query)).toEqual(["lillesalen", "peisestua"]);
    const { association, leader } = await makeAssociation(t.db);
    const lillesalen = await t.db.selectFrom("venues").select("id").where("slug", "=", "lillesalen").executeTakeFirstOrThrow();
    await requestBooking(
      t.db,
      { actorId: leader.id, associationId: association.id, venueId: lillesalen.id, title: "Styremøte", expectedAttendees: 6, date, start: "10:30", end: "11:30" },
      new Date(),
    );
    const page = await search(query);
    expect(page.result!.venues.map((v) => v.slug)).toEqual(["peisestua"]);
    expect(page.result!.venues[0]!.href).toBe(`/venues/peisestua?week=${date}`);
    expect(page.result!.freeAt).toMatch(/^tirsdag \d{1,2}\. \p{L}+ \d{4}, 10:00–11:00$/u);
    expect((await search(query, EN)).result!.freeAt).toMatch(/^Tuesday, \d{1,2} \p{L}+ \d{4}, 10:00–11:00$/u);
    // Before the booking and after it (no buffer), the small room is free again.
    expect(await slugs(`?kind=meeting-room&date=${date}&start=09:30&end=10:30`)).toEqual(["lillesalen", "peisestua"]);
    expect(await slugs(`?kind=meeting-room&date=${date}&start=11:30&end=12:30`)).toEqual(["lillesalen", "peisestua"]);
  });

  it("leaves out a hall and its halves while it is closed for Christmas", async () => {
    expect(await slugs("?kind=sports-hall&date=2026-12-22&start=17:00&end=18:00")).toEqual([]);
    expect(await slugs("?kind=sports-hall&date=2027-01-03&start=17:00&end=18:00")).not.toEqual([]);
  });

  it("answers bad input with 400 and a message beside each field, in bokmål", async () => {
    const page = await search("?capacity=mange&kind=%3Cscript%3E&date=2027-02-30&start=25:00&end=10:00");
    expect(page.status).toBe(400);
    expect(page.result).toBeNull();
    expect(page.errors).toEqual({
      capacity: "Plass til minst må være et helt tall større enn null.",
      kind: "Type lokale er ikke et av valgene.",
      date: "Dato er ikke en gyldig dato (skriv ÅÅÅÅ-MM-DD).",
      start: "Starttid er ikke et gyldig klokkeslett (skriv TT:MM).",
    });
    // The form is still there, filled in as it was sent.
    expect(page.options.kinds.length).toBeGreaterThan(0);
    expect(page.values).toMatchObject({ capacity: "mange", date: "2027-02-30", start: "25:00", end: "10:00" });
  });

  it("answers bad input with 400 and messages in English", async () => {
    const page = await search("?capacity=0&amenity=Wi%20Fi&date=2027-03-02&start=18:00&end=17:00", EN);
    expect(page.status).toBe(400);
    expect(page.errors).toEqual({
      capacity: "Room for at least must be a whole number greater than zero.",
      amenity: "Equipment is not one of the choices.",
      end: "End time must be after the start time.",
    });
  });

  it("asks for the missing parts of a time", async () => {
    const onlyDate = await search(`?date=${farTuesday()}`);
    expect(onlyDate.status).toBe(400);
    expect(onlyDate.errors).toEqual({ start: "Starttid må fylles ut.", end: "Sluttid må fylles ut." });
    const onlyStart = await search("?start=10:00", EN);
    expect(onlyStart.errors).toEqual({ date: "Date must be filled in.", end: "End time must be filled in." });
  });

  it("refuses a time that has passed or does not exist, and numbers out of range, never with a 500", async () => {
    const past = await search("?date=2020-01-07&start=10:00&end=11:00");
    expect(past.status).toBe(400);
    expect(past.errors).toEqual({ date: "Dato har allerede vært." });
    const gap = await search("?date=2027-03-28&start=02:15&end=04:00", EN);
    expect(gap.status).toBe(400);
    expect(gap.errors).toEqual({ start: "Start time does not exist on that day, because the clocks go forward." });
    const huge = await search("?capacity=99999999999999999999");
    expect(huge.status).toBe(400);
    expect(huge.errors).toEqual({ capacity: "Plass til minst er for stort." });
    const far = await search("?date=9999-12-31&start=10:00&end=11:00");
    expect(far.status).toBe(400);
    expect(far.errors.date).toMatch(/^Dato er for langt unna i tid/);
    const many = await search(`?${Array.from({ length: 60 }, (_, i) => `kind=k${i}`).join("&")}`);
    expect(many.status).toBe(400);
    expect(many.errors).toEqual({ kind: "Type lokale er ikke et av valgene." });
  });

  it("leaves out archived venues", async () => {
    await t.db.updateTable("venues").set({ archived_at: new Date() }).where("slug", "=", "treningsrommet").execute();
    expect(await slugs("")).not.toContain("treningsrommet");
    expect((await search("")).options.kinds.map((k) => k.value)).not.toContain("gym");
  });
});

describe("home page as HTML", () => {
  const render = (path: string, headers: Record<string, string> = {}) => renderPage(path, { loader, Component: Home }, headers);

  it("is a GET form with labelled fields and checkbox groups in fieldsets, and a result count heading", async () => {
    const { status, html } = await render("/?kind=meeting-room");
    expect(status).toBe(200);
    expect(html).toMatch(/<form[^>]*method="get"[^>]*action="\/"/);
    expect(html).toMatch(/<fieldset[^>]*id="search-kind"[^>]*>\s*<legend[^>]*>Type lokale<\/legend>/);
    expect(html).toMatch(/<fieldset[^>]*id="search-amenity"[^>]*>\s*<legend[^>]*>Utstyr<\/legend>/);
    expect(html).toMatch(/<input type="checkbox"[^>]*id="search-kind-meeting-room"[^>]*name="kind"[^>]*checked=""[^>]*value="meeting-room"/);
    expect(html).toMatch(/<input type="checkbox"[^>]*id="search-kind-kitchen"[^>]*name="kind" value="kitchen"\/>/);
    expect(html).toContain('<label for="search-kind-meeting-room" class="ds-label">Møterom</label>');
    for (const field of ["capacity", "date", "start", "end", "stepFree"]) expect(html, field).toContain(`for="search-${field}"`);
    expect(html).toMatch(/<h2[^>]*id="results-heading"[^>]*>2 lokaler passer<\/h2>/);
    expect(html).toContain('href="/venues/peisestua"');
  });

  it("shows each problem beside its field, tied to it for screen readers, and sums them up", async () => {
    const { status, html } = await render("/?capacity=mange&date=2027-02-30&start=10:00&end=11:00", EN);
    expect(status).toBe(400);
    expect(html).toMatch(/<input[^>]*id="search-capacity"[^>]*aria-invalid="true"[^>]*aria-describedby="search-capacity-hint search-capacity-error"/);
    expect(html).toContain('<p id="search-capacity-error" class="ds-validation-message" data-field="validation">Room for at least must be a whole number greater than zero.</p>');
    expect(html).toContain('<p id="search-date-error" class="ds-validation-message" data-field="validation">Date is not a valid date (write YYYY-MM-DD).</p>');
    expect(html).toContain('<a href="#search-capacity">Room for at least must be a whole number greater than zero.</a>');
    expect(html).toContain("Correct the search to see venues");
    expect(html).toContain('value="mange"');
  });
});
