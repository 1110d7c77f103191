// Feed contents, read back with ical.js: weekly series across daylight saving
// in Oslo and Copenhagen, cancellations, privacy of the public feed, escaping
// and folding of awkward text, VTIMEZONEs, and each audience's details.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejectAssociation, verifyAssociation } from "../../app/admin/associations-admin.server";
import { approveBooking, cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import { bookingCalendar, type CalendarAnswer, CANCELLED_GRACE_DAYS, publicVenueFeed, tokenFeed } from "../../app/calendar/feeds.server";
import { NotFound } from "../../app/errors/domain-errors";
import { createToken } from "../../app/calendar/tokens.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { decodeText, type ParsedCalendar, parseCalendar, propertyLines, unfold } from "../helpers/ical";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const DAY = 86_400_000;
/** The engine's clock for making bookings: before the season starts. */
const BOOKED_AT = new Date("2026-08-20T08:00:00Z");
const none = { ifNoneMatch: null, ifModifiedSince: null };

function body(a: CalendarAnswer): string {
  if (a.status !== 200) throw new Error(`expected 200, got ${a.status}`);
  return a.body;
}

async function seasonVenue(zone: string) {
  const { owner, site } = await makeOwner(t.db, zone);
  const venue = await makeVenue(t.db, site.id, { time_zone: zone, name: "Gymsal" });
  const { association, leader } = await makeAssociation(t.db);
  return { owner, site, venue, association, leader };
}

describe("a weekly series across daylight saving", () => {
  for (const zone of ["Europe/Oslo", "Europe/Copenhagen"]) {
    it(`keeps Thursday 18:00 in ${zone}: 17:00Z in winter, 16:00Z in summer, without the excluded dates`, async () => {
      const { venue, association, leader } = await seasonVenue(zone);
      await t.db.insertInto("closures").values({ venue_id: venue.id, starts_on: "2026-12-24", ends_on: "2026-12-24", reason: "Julaften" }).execute();
      const series = await createSeries(
        t.db,
        {
          actorId: leader.id,
          venueId: venue.id,
          associationId: association.id,
          weekday: 4,
          startTime: "18:00",
          durationMinutes: 90,
          intervalWeeks: 1,
          from: "2026-09-01",
          until: "2027-04-30",
          title: "Korpsøving",
          isPublic: true,
          expectedAttendees: 30,
          skipDates: ["2026-12-24"],
        },
        BOOKED_AT,
      );
      // One occurrence cancelled afterwards: it stays as STATUS:CANCELLED for a while.
      const cancelled = series.bookings.find((b) => b.starts_at.toISOString().startsWith("2027-02-11"))!;
      await cancelBooking(t.db, { actorId: leader.id, bookingId: cancelled.id, now: BOOKED_AT });

      const { token } = await createToken(t.db, { userId: leader.id, scope: `association:${association.id}` });
      for (const feed of [
        await publicVenueFeed(t.db, { slug: venue.slug, now: BOOKED_AT, ...none }),
        await tokenFeed(t.db, { token, now: BOOKED_AT, ...none }),
      ]) {
        const cal = parseCalendar(body(feed));
        expect(cal.vtimezones).toEqual([zone]);
        const active = cal.events.filter((e) => e.status !== "CANCELLED");
        const dates = active.map((e) => e.start.toISOString().slice(0, 10));
        expect(dates).not.toContain("2026-12-24");
        expect(dates).not.toContain("2027-02-11");
        expect(dates).toContain("2026-12-17");
        expect(dates).toContain("2027-02-18");
        // Thursdays from 3 September to 29 April: 35, less the closed and the cancelled one.
        expect(active).toHaveLength(33);
        for (const e of active) {
          expect(e.tzid).toBe(zone);
          const iso = e.start.toISOString();
          const summer = iso < "2026-10-25" || iso >= "2027-03-28";
          expect(iso.slice(11, 16), iso).toBe(summer ? "16:00" : "17:00");
          expect(e.end.getTime() - e.start.getTime()).toBe(90 * 60_000);
        }
        expect(active[0]!.start.toISOString()).toBe("2026-09-03T16:00:00.000Z");
        expect(active.find((e) => e.start.toISOString().startsWith("2026-10-29"))!.start.toISOString()).toBe("2026-10-29T17:00:00.000Z");
        expect(active.find((e) => e.start.toISOString().startsWith("2027-03-25"))!.start.toISOString()).toBe("2027-03-25T17:00:00.000Z");
        expect(active.find((e) => e.start.toISOString().startsWith("2027-04-01"))!.start.toISOString()).toBe("2027-04-01T16:00:00.000Z");
        const gone = cal.events.filter((e) => e.status === "CANCELLED");
        expect(gone.map((e) => e.uid)).toEqual([`${cancelled.id}@flokk`]);
        // UIDs: one per booking, stable, unique.
        expect(new Set(cal.events.map((e) => e.uid)).size).toBe(cal.events.length);
      }
    });
  }
});

describe("cancelled bookings", () => {
  it("stay as STATUS:CANCELLED with a higher SEQUENCE, then leave the feed after the grace period", async () => {
    const { venue, association, leader } = await seasonVenue("Europe/Oslo");
    const now = new Date();
    const date = new Date(now.getTime() + 10 * DAY).toISOString().slice(0, 10);
    const { booking } = await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date, start: "10:00", end: "11:00", title: "Dugnad", expectedAttendees: 5 },
      now,
    );
    const first = await publicVenueFeed(t.db, { slug: venue.slug, now, ...none });
    const before = parseCalendar(body(first)).events[0]!;
    expect(before.status).toBe("CONFIRMED");
    await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: BOOKED_AT });
    const second = await publicVenueFeed(t.db, { slug: venue.slug, now, ...none });
    const after = parseCalendar(body(second)).events[0]!;
    expect(after.uid).toBe(before.uid);
    expect(after.status).toBe("CANCELLED");
    expect(after.sequence).toBeGreaterThan(before.sequence);
    expect(second.lastModified.getTime()).toBeGreaterThanOrEqual(first.lastModified.getTime());
    const later = new Date(now.getTime() + (CANCELLED_GRACE_DAYS + 1) * DAY);
    const third = await publicVenueFeed(t.db, { slug: venue.slug, now: later, ...none });
    expect(parseCalendar(body(third)).events).toHaveLength(0);
    // Nothing newer is left in the feed, yet its Last-Modified moves forward: the drop is a change.
    expect(third.etag).not.toBe(second.etag);
    expect(third.lastModified.getTime()).toBeGreaterThan(second.lastModified.getTime());
  });

  it("shows a pending request as TENTATIVE and a rejected one as CANCELLED", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { approval_mode: "manual" });
    const { association, leader } = await makeAssociation(t.db);
    const caretaker = await makeUser(t.db, "Ola Vaktmester");
    await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
    const req = { actorId: leader.id, venueId: venue.id, associationId: association.id, start: "10:00", end: "11:00", title: "Møte", expectedAttendees: 5 };
    const a = await requestBooking(t.db, { ...req, date: "2026-09-10" }, BOOKED_AT);
    const b = await requestBooking(t.db, { ...req, date: "2026-09-11" }, BOOKED_AT);
    const first = parseCalendar(body(await publicVenueFeed(t.db, { slug: venue.slug, now: BOOKED_AT, ...none })));
    expect(first.events.map((e) => e.status)).toEqual(["TENTATIVE", "TENTATIVE"]);
    await approveBooking(t.db, { actorId: caretaker.id, bookingId: a.booking.id, now: BOOKED_AT });
    const { rejectBooking } = await import("../../app/booking/booking.server");
    await rejectBooking(t.db, { actorId: caretaker.id, bookingId: b.booking.id, reason: "Dobbeltbooket", now: BOOKED_AT });
    const second = parseCalendar(body(await publicVenueFeed(t.db, { slug: venue.slug, now: BOOKED_AT, ...none })));
    expect(second.events.map((e) => e.status)).toEqual(["CONFIRMED", "CANCELLED"]);
    expect(second.events.map((e) => e.sequence)).toEqual(first.events.map((e) => e.sequence + 1));
  });
});

describe("privacy of the public feed", () => {
  it("holds public titles and 'Opptatt', and no names, e-mails, phones, purposes, notes or private titles", async () => {
    const { venue, association } = await seasonVenue("Europe/Oslo");
    await t.db.updateTable("associations").set({ name: "Hemmelighetsfulle Venner", contact_email: "styret@venner.example" }).where("id", "=", association.id).execute();
    const booker = await t.db
      .insertInto("users")
      .values({ email: "kari.nordmann@example.org", name: "Kari Nordmann", phone: "+47 912 34 567" })
      .returningAll()
      .executeTakeFirstOrThrow();
    await t.db.insertInto("memberships").values({ association_id: association.id, user_id: booker.id, role: "member" }).execute();
    const req = { actorId: booker.id, venueId: venue.id, associationId: association.id, start: "18:00", end: "20:00", expectedAttendees: 12 };
    await requestBooking(
      t.db,
      { ...req, date: "2026-09-10", title: "Styremøte om økonomien", purpose: "Budsjett for Kari", noteToCaretaker: "Ring 99887766 ved problemer", isPublic: false },
      BOOKED_AT,
    );
    await requestBooking(t.db, { ...req, date: "2026-09-11", title: "Åpen korpskonsert", purpose: "Innsamling til uniformer", noteToCaretaker: "Nøkkel hos Kari", isPublic: true }, BOOKED_AT);

    const text = body(await publicVenueFeed(t.db, { slug: venue.slug, now: BOOKED_AT, ...none }));
    const cal = parseCalendar(text);
    expect(cal.events.map((e) => e.summary)).toEqual(["Opptatt", "Åpen korpskonsert"]);
    const flat = unfold(text);
    for (const secret of [
      "Kari",
      "Nordmann",
      "kari.nordmann",
      "912 34 567",
      "99887766",
      "Styremøte",
      "økonomien",
      "Budsjett",
      "Innsamling",
      "Nøkkel",
      "Hemmelighetsfulle",
      "styret@venner",
      "@example",
    ]) {
      expect(flat, secret).not.toContain(secret);
    }
    expect(propertyLines(text, "ORGANIZER")).toHaveLength(0);
    expect(propertyLines(text, "ATTENDEE")).toHaveLength(0);
    expect(propertyLines(text, "DESCRIPTION")).toHaveLength(0);
    expect(propertyLines(text, "METHOD")).toHaveLength(0);
  });

  it("shows an unverified association's public title as 'Opptatt' until the municipality verifies it, also in its .ics", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id);
    const { association, leader } = await makeAssociation(t.db, { verified: false });
    const { booking } = await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-09-10", start: "18:00", end: "19:00", title: "Gratis telefon – se evil.example", expectedAttendees: 5, isPublic: true },
      BOOKED_AT,
    );
    const before = body(await publicVenueFeed(t.db, { slug: venue.slug, now: BOOKED_AT, ...none }));
    expect(parseCalendar(before).events.map((e) => e.summary)).toEqual(["Opptatt"]);
    expect(unfold(before)).not.toContain("evil.example");
    await expect(bookingCalendar(t.db, { bookingId: booking.id, token: null, now: BOOKED_AT, ...none })).rejects.toBeInstanceOf(NotFound);
    await t.db.updateTable("associations").set({ verified: true }).where("id", "=", association.id).execute();
    const after = body(await publicVenueFeed(t.db, { slug: venue.slug, now: BOOKED_AT, ...none }));
    expect(parseCalendar(after).events.map((e) => e.summary)).toEqual(["Gratis telefon – se evil.example"]);
    expect((await bookingCalendar(t.db, { bookingId: booking.id, token: null, now: BOOKED_AT, ...none })).status).toBe(200);
  });

  it("changes when the municipality verifies or rejects the association: a new ETag, a higher SEQUENCE, the title shown or gone", async () => {
    const { owner, site } = await makeOwner(t.db);
    const admin = await makeUser(t.db, "Admin");
    await t.db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: admin.id }).execute();
    const venue = await makeVenue(t.db, site.id);
    const { association, leader } = await makeAssociation(t.db, { verified: false });
    const now = new Date();
    const date = new Date(now.getTime() + 10 * DAY).toISOString().slice(0, 10);
    await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date, start: "18:00", end: "19:00", title: "Sommerfest", expectedAttendees: 5, isPublic: true },
      now,
    );
    const fetchFeed = (ifNoneMatch: string | null) => publicVenueFeed(t.db, { slug: venue.slug, now, ifNoneMatch, ifModifiedSince: null });
    const first = await fetchFeed(null);
    const before = parseCalendar(body(first)).events[0]!;
    expect(before.summary).toBe("Opptatt");

    await verifyAssociation(t.db, { actorId: admin.id, associationId: association.id }, now);
    const verified = await fetchFeed(first.etag);
    expect(verified.status).toBe(200);
    const shown = parseCalendar(body(verified)).events[0]!;
    expect(shown.summary).toBe("Sommerfest");
    expect(shown.sequence).toBeGreaterThan(before.sequence);

    // Rejected after all: its request is turned down, and its title goes with it.
    await rejectAssociation(t.db, { actorId: admin.id, associationId: association.id, reason: "Ikke en forening" }, now);
    const rejected = await fetchFeed(verified.etag);
    expect(rejected.status).toBe(200);
    const hidden = parseCalendar(body(rejected)).events[0]!;
    expect(hidden.summary).toBe("Opptatt");
    expect(hidden.sequence).toBeGreaterThan(shown.sequence);
  });

  it("uses the owner's language for 'Booked'", async () => {
    const { owner, venue, association, leader } = await seasonVenue("Europe/Oslo");
    await t.db.updateTable("owners").set({ locale: "en" }).where("id", "=", owner.id).execute();
    await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-09-10", start: "10:00", end: "11:00", title: "Privat", expectedAttendees: 3 },
      BOOKED_AT,
    );
    const cal = parseCalendar(body(await publicVenueFeed(t.db, { slug: venue.slug, now: BOOKED_AT, ...none })));
    expect(cal.events.map((e) => e.summary)).toEqual(["Booked"]);
  });
});

describe("awkward text", () => {
  it("escapes ; , \\ and new lines, folds at 75 octets without splitting æøå or emoji, and reads back the same", async () => {
    const { owner, site } = await makeOwner(t.db);
    await t.db.updateTable("sites").set({ name: "Løvstad skole; nord, bygg B", address: "Skolevegen 1\\2, 1234 Løvstad" }).where("id", "=", site.id).execute();
    const venue = await makeVenue(t.db, site.id, { name: "Gymsal «Ærø» 🏀 med et veldig langt navn som går over grensen på syttifem oktetter" });
    const { association, leader } = await makeAssociation(t.db);
    await t.db.updateTable("associations").set({ name: "Æ, Ø; Å-laget" }).where("id", "=", association.id).execute();
    const title = "Øving; korps, æøå 🎺🎺🎺 – en tittel som er lang nok til å måtte brettes: ÆØÅ ÆØÅ ÆØÅ ÆØÅ 😀";
    const purpose = "Første linje; med semikolon,\nandre linje med \\ skråstrek\nog en tredje: 🎉 ÆØÅ æøå ÆØÅ æøå ÆØÅ æøå ÆØÅ æøå";
    await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-09-10", start: "10:00", end: "11:00", title, purpose, expectedAttendees: 3, isPublic: true },
      BOOKED_AT,
    );
    const { token } = await createToken(t.db, { userId: leader.id, scope: `association:${association.id}` });
    const text = body(await tokenFeed(t.db, { token, now: BOOKED_AT, ...none }));
    const cal = parseCalendar(text); // checks CRLF, 75 octets, whole characters, VTIMEZONEs
    const ev = cal.events[0]!;
    expect(ev.summary).toBe(title);
    expect(ev.description).toContain(`Formål: ${purpose}`);
    expect(ev.description).toContain("Lag: Æ, Ø; Å-laget");
    expect(ev.location).toBe(`${venue.name}, Løvstad skole; nord, bygg B, Skolevegen 1\\2, 1234 Løvstad`);
    // NAME (RFC 7986) and X- properties are TEXT; ical.js does not know them and
    // hands them back undecoded, so decode here.
    expect(decodeText(cal.root.getFirstPropertyValue("name"))).toBe("Æ, Ø; Å-laget – bookinger");
    expect(decodeText(cal.root.getFirstPropertyValue("x-wr-calname"))).toBe("Æ, Ø; Å-laget – bookinger");
    expect(unfold(text)).toContain("SUMMARY:Øving\\; korps\\, æøå");
    // Some lines really were folded, and inside multi-byte text.
    expect(text.split("\r\n").some((l) => l.startsWith(" "))).toBe(true);
    expect(owner.time_zone).toBe("Europe/Oslo");
  });

  it("escapes a calendar name with a new line instead of starting a property", async () => {
    const { site } = await makeOwner(t.db);
    const venue = await makeVenue(t.db, site.id, { name: "Sal\nMETHOD:PUBLISH" });
    const text = body(await publicVenueFeed(t.db, { slug: venue.slug, now: BOOKED_AT, ...none }));
    const cal: ParsedCalendar = parseCalendar(text);
    expect(propertyLines(text, "METHOD")).toHaveLength(0);
    expect(decodeText(cal.root.getFirstPropertyValue("x-wr-calname"))).toContain("Sal METHOD:PUBLISH");
    expect(propertyLines(text, "REFRESH-INTERVAL")).toEqual(["REFRESH-INTERVAL;VALUE=DURATION:PT1H"]);
    expect(propertyLines(text, "X-PUBLISHED-TTL")).toEqual(["X-PUBLISHED-TTL:PT1H"]);
  });
});

describe("audiences", () => {
  it("gives caretakers full details, and a person the bookings of all their associations in two zones", async () => {
    const oslo = await seasonVenue("Europe/Oslo");
    const cph = await seasonVenue("Europe/Copenhagen");
    const person = await t.db
      .insertInto("users")
      .values({ email: "per.hansen@example.org", name: "Per Hansen", phone: "+47 400 00 000" })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const a of [oslo.association, cph.association]) {
      await t.db.insertInto("memberships").values({ association_id: a.id, user_id: person.id, role: "member" }).execute();
    }
    const caretaker = await makeUser(t.db, "Ola Vaktmester");
    await t.db.insertInto("site_caretakers").values({ site_id: oslo.site.id, user_id: caretaker.id }).execute();
    const base = { actorId: person.id, date: "2026-09-10", start: "10:00", end: "11:00", expectedAttendees: 7 };
    await requestBooking(
      t.db,
      { ...base, venueId: oslo.venue.id, associationId: oslo.association.id, title: "Oslo-møte", purpose: "Planlegging", noteToCaretaker: "Trenger projektor" },
      BOOKED_AT,
    );
    await requestBooking(t.db, { ...base, venueId: cph.venue.id, associationId: cph.association.id, title: "København-møte" }, BOOKED_AT);

    const staff = await createToken(t.db, { userId: caretaker.id, scope: `venue-staff:${oslo.venue.id}` });
    const staffText = body(await tokenFeed(t.db, { token: staff.token, now: BOOKED_AT, ...none }));
    const staffCal = parseCalendar(staffText);
    expect(staffCal.events.map((e) => e.summary)).toEqual(["Oslo-møte"]);
    const d = staffCal.events[0]!.description!;
    expect(d).toContain("Booket av: Per Hansen");
    expect(d).toContain("per.hansen@example.org");
    expect(d).toContain("+47 400 00 000");
    expect(d).toContain("Formål: Planlegging");
    expect(d).toContain("Beskjed til vaktmester: Trenger projektor");

    const mine = await createToken(t.db, { userId: person.id, scope: `person:${person.id}` });
    const mineCal = parseCalendar(body(await tokenFeed(t.db, { token: mine.token, now: BOOKED_AT, ...none })));
    expect(mineCal.events.map((e) => e.summary).sort()).toEqual(["København-møte", "Oslo-møte"]);
    expect(mineCal.vtimezones.sort()).toEqual(["Europe/Copenhagen", "Europe/Oslo"]);
    expect(mineCal.events.map((e) => e.tzid).sort()).toEqual(["Europe/Copenhagen", "Europe/Oslo"]);
    // Members see who booked, but not the booker's contact details.
    expect(mineCal.events.map((e) => e.description).join("\n")).not.toContain("+47 400 00 000");
  });

  it("shows a booking of the whole hall in the feed of each half, and not a sibling's", async () => {
    const { site } = await makeOwner(t.db);
    const hall = await makeVenue(t.db, site.id, { name: "Hall" });
    const halfA = await makeVenue(t.db, site.id, { name: "Hall A", parent_id: hall.id });
    const halfB = await makeVenue(t.db, site.id, { name: "Hall B", parent_id: hall.id });
    const { association, leader } = await makeAssociation(t.db);
    const req = { actorId: leader.id, associationId: association.id, start: "10:00", end: "11:00", expectedAttendees: 5, isPublic: true };
    await requestBooking(t.db, { ...req, venueId: hall.id, date: "2026-09-10", title: "Hele hallen" }, BOOKED_AT);
    await requestBooking(t.db, { ...req, venueId: halfA.id, date: "2026-09-11", title: "Bare A" }, BOOKED_AT);
    const titles = async (slug: string) =>
      parseCalendar(body(await publicVenueFeed(t.db, { slug, now: BOOKED_AT, ...none }))).events.map((e) => e.summary);
    expect(await titles(hall.slug)).toEqual(["Hele hallen", "Bare A"]);
    expect(await titles(halfA.slug)).toEqual(["Hele hallen", "Bare A"]);
    expect(await titles(halfB.slug)).toEqual(["Hele hallen"]);
  });
});
