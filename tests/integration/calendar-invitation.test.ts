// The invitation e-mails carry: METHOD, UID, SEQUENCE, one ORGANIZER, ATTENDEEs,
// VTIMEZONE, and no way for a title to add a property.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { bookingInvitation, bookingUid, invitationContentType } from "../../app/calendar/invitation.server";
import type { Booking } from "../../db/schema";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeVenue } from "../helpers/fixtures";
import { parseCalendar, propertyLines } from "../helpers/ical";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2026-11-20T08:00:00Z");
const organizer = { name: "Flokk", email: "noreply@flokk.example" };
const venueShape = { name: "Gymsal; Løvstad, skole", time_zone: "Europe/Oslo", address: "Skolevegen 1, 1234 Løvstad" };

async function book(title = "Korpsøving") {
  const { site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id);
  const { association, leader } = await makeAssociation(t.db);
  const { booking } = await requestBooking(
    t.db,
    { actorId: leader.id, venueId: venue.id, associationId: association.id, date: "2026-12-03", start: "18:00", end: "20:00", title, expectedAttendees: 20 },
    NOW,
  );
  return { booking, leader };
}

describe("bookingInvitation", () => {
  it("confirms with METHOD:REQUEST and cancels with METHOD:CANCEL, same UID, higher SEQUENCE", async () => {
    const { booking, leader } = await book();
    const attendee = { name: leader.name, email: leader.email };
    const request = bookingInvitation({ booking, venue: venueShape, method: "REQUEST", organizer, attendee, locale: "nb" });
    const r = parseCalendar(request);
    expect(r.method).toBe("REQUEST");
    expect(r.vtimezones).toEqual(["Europe/Oslo"]);
    expect(r.events).toHaveLength(1);
    const ev = r.events[0]!;
    expect(ev.uid).toBe(bookingUid(booking.id));
    expect(ev.uid).toBe(`${booking.id}@flokk`);
    expect(ev.status).toBe("CONFIRMED");
    expect(ev.tzid).toBe("Europe/Oslo");
    // 18:00 in Oslo in December is 17:00Z, resolved through the VTIMEZONE in the file.
    expect(ev.start.toISOString()).toBe("2026-12-03T17:00:00.000Z");
    expect(ev.end.toISOString()).toBe("2026-12-03T19:00:00.000Z");
    expect(ev.location).toBe("Gymsal; Løvstad, skole, Skolevegen 1, 1234 Løvstad");
    expect(propertyLines(request, "ORGANIZER")).toHaveLength(1);
    expect(propertyLines(request, "ORGANIZER")[0]).toContain("mailto:noreply@flokk.example");
    expect(propertyLines(request, "ATTENDEE")).toHaveLength(1);
    expect(propertyLines(request, "ATTENDEE")[0]!.toLowerCase()).toContain(`mailto:${leader.email.toLowerCase()}`);
    expect(ev.dtstamp).toMatch(/^\d{8}T\d{6}Z$/);
    expect(invitationContentType("REQUEST")).toBe("text/calendar; charset=utf-8; method=REQUEST");

    const cancelled = await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, reason: "Syk dirigent", now: NOW });
    const cancel = bookingInvitation({ booking: cancelled, venue: venueShape, method: "CANCEL", organizer, attendee, locale: "en" });
    const c = parseCalendar(cancel);
    expect(c.method).toBe("CANCEL");
    expect(c.events[0]!.uid).toBe(ev.uid);
    expect(c.events[0]!.status).toBe("CANCELLED");
    expect(c.events[0]!.sequence).toBeGreaterThan(ev.sequence);
    expect(propertyLines(cancel, "ORGANIZER")).toHaveLength(1);
    expect(propertyLines(cancel, "ATTENDEE")).toHaveLength(1);
  });

  it("accepts the booking as JSON (from an outbox payload) and gives the same bytes", async () => {
    const { booking, leader } = await book();
    const attendee = { name: leader.name, email: leader.email };
    const direct = bookingInvitation({ booking, venue: venueShape, method: "REQUEST", organizer, attendee, locale: "nb" });
    const fromJson = bookingInvitation({ booking: JSON.parse(JSON.stringify(booking)), venue: venueShape, method: "REQUEST", organizer, attendee, locale: "nb" });
    expect(fromJson).toBe(direct);
  });

  it("refuses an organizer who is a recipient, no recipients, and a REQUEST for a cancelled booking", async () => {
    const { booking, leader } = await book();
    const attendee = { name: leader.name, email: leader.email };
    expect(() =>
      bookingInvitation({ booking, venue: venueShape, method: "REQUEST", organizer: { name: "X", email: leader.email.toUpperCase() }, attendee, locale: "nb" }),
    ).toThrow(/organizer/);
    expect(() => bookingInvitation({ booking, venue: venueShape, method: "REQUEST", organizer, attendee: [], locale: "nb" })).toThrow(/attendee/);
    const cancelled: Booking = { ...booking, status: "cancelled", sequence: booking.sequence + 1 };
    expect(() => bookingInvitation({ booking: cancelled, venue: venueShape, method: "REQUEST", organizer, attendee, locale: "nb" })).toThrow(/CANCEL/);
  });

  it("keeps hostile text inside its property: no new lines, no extra ORGANIZER or ATTENDEE", () => {
    const booking = {
      id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      title: 'Møte\r\nATTENDEE:mailto:evil@example.org\nORGANIZER:mailto:evil@example.org; "x", y\\z 😀',
      status: "confirmed" as const,
      sequence: 3,
      starts_at: "2026-06-04T16:00:00Z",
      ends_at: "2026-06-04T18:00:00Z",
      created_at: "2026-05-01T10:00:00Z",
      updated_at: "2026-05-02T10:00:00Z",
    };
    const text = bookingInvitation({
      booking,
      venue: { ...venueShape, name: "Sal\nMETHOD:PUBLISH" },
      method: "REQUEST",
      organizer: { name: 'Flokk "Kommune"\r\nX-INJECTED:1', email: "noreply@flokk.example" },
      attendee: [
        { name: "Kari; Hansen, \"K\"", email: "kari@example.org" },
        { name: "Per Ås", email: "per@example.org" },
      ],
      locale: "nb",
    });
    const c = parseCalendar(text);
    expect(propertyLines(text, "ORGANIZER")).toHaveLength(1);
    expect(propertyLines(text, "ATTENDEE")).toHaveLength(2);
    expect(propertyLines(text, "METHOD")).toEqual(["METHOD:REQUEST"]);
    expect(propertyLines(text, "X-INJECTED")).toHaveLength(0);
    const ev = c.events[0]!;
    // Summer: 18:00 local is 16:00Z.
    expect(ev.start.toISOString()).toBe("2026-06-04T16:00:00.000Z");
    expect(ev.sequence).toBe(3);
    expect(ev.summary).toBe('Møte ATTENDEE:mailto:evil@example.org ORGANIZER:mailto:evil@example.org; "x", y\\z 😀');
    const attendees = ev.component.getAllProperties("attendee").map((p) => p.getParameter("cn"));
    expect(attendees).toEqual(["Kari; Hansen, 'K'", "Per Ås"]);
  });

  it("rejects an address that would break the line", () => {
    const booking = {
      id: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      title: "Møte",
      status: "confirmed" as const,
      sequence: 0,
      starts_at: "2026-06-04T16:00:00Z",
      ends_at: "2026-06-04T18:00:00Z",
      created_at: "2026-05-01T10:00:00Z",
      updated_at: "2026-05-02T10:00:00Z",
    };
    expect(() =>
      bookingInvitation({ booking, venue: venueShape, method: "REQUEST", organizer, attendee: { name: "X", email: "x@example.org\r\nATTENDEE:y" }, locale: "nb" }),
    ).toThrow();
  });
});
