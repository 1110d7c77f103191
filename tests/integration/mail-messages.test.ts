// What the booking engine's changes send, through a real SMTP server, parsed
// with mailparser: MIME structure, invitations (METHOD, UID, SEQUENCE,
// ORGANIZER, ATTENDEE), the recipient's language, one summary per series, and
// no way for a title or an address to add a header or a calendar property.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteMember } from "../../app/associations/members.server";
import { approveBooking, cancelBooking, rejectBooking, requestBooking } from "../../app/booking/booking.server";
import { moveBooking } from "../../app/booking/move.server";
import { createSeries } from "../../app/booking/series.server";
import { decideSeries } from "../../app/booking/series-decide.server";
import { bookingUid } from "../../app/calendar/invitation.server";
import { notifyMoved } from "../../app/notifications/booking-mail.server";
import { BOOKING_SNAPSHOT_FIELDS, message } from "../../app/notifications/messages";
import { enqueue } from "../../app/notifications/outbox.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { parseCalendar, propertyLines } from "../helpers/ical";
import { calendarPart, drain, outbox, structure, transportFor, worker } from "../helpers/mail";
import { type ReceivedMail, startTestSmtp, type TestSmtp } from "../helpers/smtp";

let t: TestDb;
let smtp: TestSmtp;
let seen = 0;

beforeAll(async () => {
  t = await createTestDb();
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp.stop();
  await dropTestDb(t);
});

const NOW = new Date("2026-12-03T08:00:00Z");

/** Runs the worker until nothing is due and returns what arrived since the last call. */
async function deliver(): Promise<ReceivedMail[]> {
  const transport = transportFor(smtp.url);
  try {
    const report = await drain(worker(t.db, transport));
    if (report.retrying.length) {
      const rows = (await outbox(t.db)).filter((r) => report.retrying.includes(r.id));
      throw new Error(`delivery failed and will be retried: ${rows.map((r) => r.last_error).join("; ")}`);
    }
  } finally {
    transport.close();
  }
  const fresh = smtp.received.slice(seen);
  seen = smtp.received.length;
  return fresh;
}

async function setup(options: { approval?: "auto" | "manual"; locale?: string; caretakers?: string[] } = {}) {
  const { owner, site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, { approval_mode: options.approval ?? "auto", name: "Gymsalen" });
  const { association, leader } = await makeAssociation(t.db);
  if (options.locale) await t.db.updateTable("users").set({ locale: options.locale }).where("id", "=", leader.id).execute();
  const caretakers = [];
  for (const locale of options.caretakers ?? ["nb"]) {
    const c = await makeUser(t.db, `Vaktmester ${locale}`);
    await t.db.updateTable("users").set({ locale }).where("id", "=", c.id).execute();
    await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: c.id }).execute();
    caretakers.push(c);
  }
  const base = {
    actorId: leader.id,
    venueId: venue.id,
    associationId: association.id,
    date: "2026-12-10",
    start: "18:00",
    end: "20:00",
    title: "Styremøte",
    expectedAttendees: 8,
  };
  return { owner, site, venue, association, leader, caretakers, base };
}

const headerBlock = (raw: string) => raw.slice(0, raw.search(/\r?\n\r?\n/));

describe("confirmation and cancellation", () => {
  it("confirms with text, HTML and a METHOD:REQUEST invitation whose UID is the feeds' and whose Message-ID names the outbox row", async () => {
    const { base, leader } = await setup();
    const { booking } = await requestBooking(t.db, base, NOW);
    const mails = await deliver();
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    const row = (await outbox(t.db)).find((r) => r.kind === "booking-confirmed" && (r.payload as { booking: { id: string } }).booking.id === booking.id)!;

    // The booking's own INSERT wrote the snapshot: the same fields the other changes write.
    expect(Object.keys((row.payload as { booking: object }).booking).sort()).toEqual([...BOOKING_SNAPSHOT_FIELDS].sort());
    expect(m.envelope.to).toEqual([leader.email]);
    expect(m.envelope.from).toBe("noreply@flokk.test");
    expect(m.parsed.messageId).toBe(`<outbox-${row.id}@flokk.test>`);
    expect(m.parsed.subject).toBe("Bekreftet: Styremøte 10. des. 2026");
    expect(m.parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(structure(m.raw)).toBe(
      ["multipart/mixed", "  multipart/alternative", "    text/plain", "    text/html", "    text/calendar", "  application/ics"].join("\n"),
    );
    expect(m.parsed.text).toContain("torsdag 10. desember 2026 kl. 18:00–20:00");
    expect(m.parsed.text).toContain(`Hei, ${leader.name}!`);
    expect(m.parsed.html).toContain('<html lang="nb">');
    expect(m.parsed.html).toContain("Bookingen er bekreftet");

    const part = calendarPart(m.parsed)!;
    expect(part.method).toBe("REQUEST");
    const cal = parseCalendar(part.content);
    expect(cal.method).toBe("REQUEST");
    expect(cal.events).toHaveLength(1);
    expect(cal.events[0]!.uid).toBe(bookingUid(booking.id));
    expect(cal.events[0]!.sequence).toBe(booking.sequence);
    expect(cal.events[0]!.start.toISOString()).toBe("2026-12-10T17:00:00.000Z");
    const organizer = propertyLines(part.content, "ORGANIZER");
    expect(organizer).toHaveLength(1);
    expect(organizer[0]).toContain("mailto:noreply@flokk.test");
    const attendees = propertyLines(part.content, "ATTENDEE");
    expect(attendees).toHaveLength(1);
    expect(attendees[0]!.toLowerCase()).toContain(`mailto:${leader.email.toLowerCase()}`);

    // The attached .ics is the same invitation, for clients that only look at attachments.
    const ics = m.parsed.attachments.find((a) => a.contentType === "application/ics")!;
    expect(ics.content.toString("utf8")).toBe(part.content);
  });

  it("cancels with METHOD:CANCEL, the same UID and a higher SEQUENCE, saying who cancelled and why", async () => {
    const { base, caretakers } = await setup();
    const { booking } = await requestBooking(t.db, { ...base, start: "10:00", end: "11:00" }, NOW);
    const [confirmation] = await deliver();
    const first = parseCalendar(calendarPart(confirmation!.parsed)!.content).events[0]!;

    const cancelled = await cancelBooking(t.db, { actorId: caretakers[0]!.id, bookingId: booking.id, reason: "Vannlekkasje i salen", now: NOW });
    const mails = await deliver();
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    const row = (await outbox(t.db)).find((r) => r.kind === "booking-cancelled" && (r.payload as { booking: { id: string } }).booking.id === booking.id)!;
    expect(Object.keys((row.payload as { booking: object }).booking).sort()).toEqual([...BOOKING_SNAPSHOT_FIELDS].sort());
    expect(m.parsed.subject).toBe("Avlyst: Styremøte 10. des. 2026");
    expect(m.parsed.text).toContain(`${caretakers[0]!.name} har avlyst bookingen av Gymsalen på vegne av utleier.`);
    expect(m.parsed.text).toContain("Begrunnelse: Vannlekkasje i salen");

    const part = calendarPart(m.parsed)!;
    expect(part.method).toBe("CANCEL");
    const cal = parseCalendar(part.content);
    expect(cal.method).toBe("CANCEL");
    const ev = cal.events[0]!;
    expect(ev.uid).toBe(first.uid);
    expect(ev.sequence).toBe(cancelled.sequence);
    expect(ev.sequence).toBeGreaterThan(first.sequence);
    expect(ev.status).toBe("CANCELLED");
  });

  it("says when the association itself cancelled", async () => {
    const { base, leader, association } = await setup();
    const { booking } = await requestBooking(t.db, { ...base, start: "12:00", end: "13:00" }, NOW);
    await deliver();
    await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: NOW });
    const [m] = await deliver();
    expect(m!.parsed.text).toContain(`${leader.name} i ${association.name} har avlyst bookingen av Gymsalen.`);
    expect(calendarPart(m!.parsed)!.method).toBe("CANCEL");
  });
});

describe("a booking with a new time", () => {
  it("tells the booker the new and the old time and updates the calendar with a higher SEQUENCE", async () => {
    const { base, leader, caretakers } = await setup();
    const { booking } = await requestBooking(t.db, { ...base, start: "16:00", end: "17:00" }, NOW);
    await deliver();
    // The engine has no move operation yet; this is what one does in its transaction.
    const after = await t.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable("bookings")
        .set((eb) => ({ starts_at: new Date("2026-12-11T15:00:00Z"), ends_at: new Date("2026-12-11T16:00:00Z"), sequence: eb("sequence", "+", 1) }))
        .where("id", "=", booking.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await notifyMoved(trx, booking, moved, caretakers[0]!.id, { reminderHours: 24 }, NOW);
      return moved;
    });
    const mails = await deliver();
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.envelope.to).toEqual([leader.email]);
    expect(m.parsed.subject).toBe("Ny tid: Styremøte 11. des. 2026");
    expect(m.parsed.text).toContain("Når: fredag 11. desember 2026 kl. 16:00–17:00");
    expect(m.parsed.text).toContain("Tidligere tid: torsdag 10. desember 2026 kl. 16:00–17:00");
    const ev = parseCalendar(calendarPart(m.parsed)!.content).events[0]!;
    expect(calendarPart(m.parsed)!.method).toBe("REQUEST");
    expect(ev.uid).toBe(bookingUid(booking.id));
    expect(ev.sequence).toBe(after.sequence);
    expect(ev.start.toISOString()).toBe("2026-12-11T15:00:00.000Z");
    // A reminder for the new time; the one for the old time will be skipped as moved.
    const reminders = (await outbox(t.db)).filter((r) => r.kind === "booking-reminder" && (r.payload as { bookingId: string }).bookingId === booking.id);
    expect(reminders.map((r) => (r.payload as { startsAt: string }).startsAt)).toEqual([
      booking.starts_at.toISOString().replace(".000Z", "+00:00"),
      "2026-12-11T15:00:00.000Z",
    ]);
  });
});

describe("requests that need approval", () => {
  it("tells the booker it is received and every caretaker that it waits, each in their language, without invitations", async () => {
    const { base, leader, caretakers } = await setup({ approval: "manual", caretakers: ["nb", "en"] });
    await requestBooking(t.db, base, NOW);
    const mails = await deliver();
    expect(mails).toHaveLength(3);
    const to = (email: string) => mails.find((m) => m.envelope.to[0] === email)!;
    expect(to(leader.email).parsed.subject).toBe("Mottatt, venter på godkjenning: Styremøte 10. des. 2026");
    expect(to(caretakers[0]!.email).parsed.subject).toBe("Ny forespørsel om Gymsalen: Styremøte 10. des. 2026");
    expect(to(caretakers[1]!.email).parsed.subject).toBe("New request for Gymsalen: Styremøte 10 Dec 2026");
    expect(to(caretakers[1]!.email).parsed.text).toContain("Thursday, 10 December 2026, 18:00–20:00");
    expect(to(caretakers[1]!.email).parsed.html).toContain('<html lang="en">');
    for (const m of mails) expect(calendarPart(m.parsed)).toBeNull();
  });

  it("approval sends the invitation with the raised SEQUENCE; rejection sends the reason and no invitation", async () => {
    const { base, leader, caretakers } = await setup({ approval: "manual" });
    const { booking } = await requestBooking(t.db, base, NOW);
    const { booking: other } = await requestBooking(t.db, { ...base, date: "2026-12-11" }, NOW);
    await deliver();

    const approved = await approveBooking(t.db, { actorId: caretakers[0]!.id, bookingId: booking.id, now: NOW });
    await rejectBooking(t.db, { actorId: caretakers[0]!.id, bookingId: other.id, reason: "Gulvet lakkeres\nden uka", now: NOW });
    const mails = await deliver();
    expect(mails.map((m) => m.envelope.to[0])).toEqual([leader.email, leader.email]);
    const confirmed = mails.find((m) => m.parsed.subject?.startsWith("Bekreftet"))!;
    const rejected = mails.find((m) => m.parsed.subject?.startsWith("Avslått"))!;

    const ev = parseCalendar(calendarPart(confirmed.parsed)!.content).events[0]!;
    expect(ev.uid).toBe(bookingUid(booking.id));
    expect(ev.sequence).toBe(approved.sequence);
    expect(approved.sequence).toBe(1);

    expect(calendarPart(rejected.parsed)).toBeNull();
    expect(rejected.parsed.subject).toBe("Avslått: Styremøte 11. des. 2026");
    expect(rejected.parsed.text).toContain("Begrunnelse: Gulvet lakkeres\n  den uka");
    expect(rejected.parsed.html).toContain("Gulvet lakkeres<br>den uka");
  });
});

describe("a member's move at a venue that needs approval", () => {
  it("takes the confirmed old time out of the booker's calendar, tells the caretakers, and invites again on approval", async () => {
    const { base, leader, caretakers, association } = await setup({ approval: "manual", caretakers: ["nb", "en"] });
    const { booking } = await requestBooking(t.db, base, NOW);
    await approveBooking(t.db, { actorId: caretakers[0]!.id, bookingId: booking.id, now: NOW });
    await deliver();
    const moved = await moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-11", start: "17:00", end: "19:00" }, NOW);
    expect(moved.status).toBe("pending");
    const mails = await deliver();
    const to = (email: string) => mails.find((m) => m.envelope.to[0] === email)!;
    expect(mails.map((m) => m.envelope.to[0]).sort()).toEqual([leader.email, caretakers[0]!.email, caretakers[1]!.email].sort());

    const booker = to(leader.email).parsed;
    expect(booker.subject).toBe("Ny tid: Styremøte 11. des. 2026");
    expect(booker.text).toContain("Den nye tiden venter på godkjenning");
    expect(booker.text).toContain("Tidligere tid: torsdag 10. desember 2026 kl. 18:00–20:00");
    expect(calendarPart(booker)!.method).toBe("CANCEL");
    const withdrawn = parseCalendar(calendarPart(booker)!.content).events[0]!;
    expect(withdrawn.uid).toBe(bookingUid(booking.id));
    expect(withdrawn.sequence).toBe(moved.sequence);
    expect(withdrawn.start.toISOString()).toBe("2026-12-10T17:00:00.000Z"); // the time the calendar holds
    expect(withdrawn.description).toContain("venter på godkjenning"); // withdrawn, not cancelled

    const nb = to(caretakers[0]!.email).parsed;
    expect(nb.subject).toBe("Ny forespørsel om Gymsalen: Styremøte 11. des. 2026");
    expect(nb.text).toContain(`${association.name} har flyttet bookingen av Gymsalen til en ny tid`);
    expect(nb.text).toContain("Tidligere tid: torsdag 10. desember 2026 kl. 18:00–20:00");
    expect(to(caretakers[1]!.email).parsed.text).toContain("Previous time: Thursday, 10 December 2026, 18:00–20:00");
    expect(calendarPart(nb)).toBeNull();

    const approved = await approveBooking(t.db, { actorId: caretakers[1]!.id, bookingId: booking.id, now: NOW });
    const [confirmed] = await deliver();
    expect(calendarPart(confirmed!.parsed)!.method).toBe("REQUEST");
    const back = parseCalendar(calendarPart(confirmed!.parsed)!.content).events[0]!;
    expect(back.sequence).toBe(approved.sequence);
    expect(approved.sequence).toBeGreaterThan(moved.sequence);
    expect(back.start.toISOString()).toBe("2026-12-11T16:00:00.000Z");
  });

  it("a request moved while it still waits sends no calendar part; a caretaker's move of it tells only the booker", async () => {
    const { base, leader, caretakers } = await setup({ approval: "manual", caretakers: ["nb", "nb"] });
    const { booking } = await requestBooking(t.db, base, NOW);
    await deliver();
    await moveBooking(t.db, { actorId: leader.id, bookingId: booking.id, date: "2026-12-12", start: "10:00", end: "11:00" }, NOW);
    const mails = await deliver();
    expect(mails).toHaveLength(3);
    for (const m of mails) expect(calendarPart(m.parsed)).toBeNull();
    expect(mails.find((m) => m.envelope.to[0] === leader.email)!.parsed.text).toContain("Den nye tiden venter på godkjenning");

    // Staff keep the status, and the request is in every caretaker's queue already: only the booker hears of it.
    await moveBooking(t.db, { actorId: caretakers[0]!.id, bookingId: booking.id, date: "2026-12-12", start: "12:00", end: "13:00" }, NOW);
    const again = await deliver();
    expect(again.map((m) => m.envelope.to[0])).toEqual([leader.email]);
  });
});

describe("language", () => {
  it("writes to a user in the language of users.locale", async () => {
    const { base } = await setup({ locale: "en" });
    await requestBooking(t.db, { ...base, start: "08:00", end: "09:00", title: "Board meeting" }, NOW);
    const [m] = await deliver();
    expect(m!.parsed.subject).toBe("Confirmed: Board meeting 10 Dec 2026");
    expect(m!.parsed.text).toContain("Thursday, 10 December 2026, 08:00–09:00");
    expect(m!.parsed.text).toContain("Your booking is confirmed");
    expect(m!.parsed.html).toContain('<html lang="en">');
  });

  it("writes an invitation in the invited person's language when the address has a user, else in the inviting leader's", async () => {
    const { association, leader } = await setup({ locale: "en" });
    const norwegian = await makeUser(t.db, "Nora Nordmann");
    const english = await makeUser(t.db, "Emma English");
    await t.db.updateTable("users").set({ locale: "en" }).where("id", "=", english.id).execute();
    const stranger = `ny.person.${association.id}@example.org`;
    for (const email of [norwegian.email.toUpperCase(), stranger]) {
      await inviteMember(t.db, { actorId: leader.id, associationId: association.id, email }, NOW);
    }
    let mails = await deliver();
    const to = (email: string) => mails.find((m) => m.envelope.to[0]?.toLowerCase() === email.toLowerCase())!.parsed;
    // The leader writes English; the invited user chose Norwegian.
    expect(to(norwegian.email).subject).toBe(`Invitasjon til ${association.name} i Flokk`);
    expect(to(norwegian.email).text).toContain("Hei, Nora Nordmann!");
    expect(to(norwegian.email).html).toContain('<html lang="nb">');
    // Nobody has this address yet: the leader's language is all there is to go by.
    expect(to(stranger).subject).toBe(`Invitation to ${association.name} in Flokk`);

    // And the other way round: a Norwegian leader, an English user.
    await t.db.updateTable("users").set({ locale: "nb" }).where("id", "=", leader.id).execute();
    await inviteMember(t.db, { actorId: leader.id, associationId: association.id, email: english.email }, NOW);
    mails = await deliver();
    expect(to(english.email).subject).toBe(`Invitation to ${association.name} in Flokk`);
    expect(to(english.email).text).toContain("has invited you to become a member");
  });

  it("writes to the booker in the booker's language when a caretaker writing another one decides or cancels", async () => {
    const { base, leader, caretakers } = await setup({ approval: "manual", caretakers: ["en"] });
    expect((await t.db.selectFrom("users").select("locale").where("id", "=", leader.id).executeTakeFirstOrThrow()).locale).toBe("nb");
    const { booking } = await requestBooking(t.db, { ...base, start: "14:00", end: "15:00" }, NOW);
    await deliver();
    await approveBooking(t.db, { actorId: caretakers[0]!.id, bookingId: booking.id, now: NOW });
    await cancelBooking(t.db, { actorId: caretakers[0]!.id, bookingId: booking.id, reason: "Stengt", now: NOW });
    const mails = await deliver();
    expect(mails.map((m) => [m.envelope.to[0], m.parsed.subject])).toEqual([
      [leader.email, "Bekreftet: Styremøte 10. des. 2026"],
      [leader.email, "Avlyst: Styremøte 10. des. 2026"],
    ]);
  });

  it("renders sign-in mail from the agreed payload, in the asked language when no user has the address", async () => {
    const url = "https://flokk.test/signin/verify?token=abc&next=%2F";
    await t.db.transaction().execute((trx) =>
      enqueue(trx, [message("sign-in", "new.person@example.org", { url, code: "428 913", expiresMinutes: 15, locale: "en" })]),
    );
    const [m] = await deliver();
    expect(m!.parsed.subject).toBe("Sign in to Flokk");
    expect(m!.parsed.text).toContain("Hello,");
    expect(m!.parsed.text).toContain("428 913");
    expect(m!.parsed.text).toContain("15 minutes");
    expect(m!.parsed.text).toContain(url);
    expect(m!.parsed.html).toContain('href="https://flokk.test/signin/verify?token=abc&amp;next=%2F"');
    // Delivered: the live link and code are no longer kept in the outbox.
    const row = await t.db.selectFrom("outbox").select(["payload", "sent_at"]).where("recipient", "=", "new.person@example.org").executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
    expect(row.payload).toEqual({ expiresMinutes: 15, locale: "en" });
  });
});

describe("series", () => {
  it("sends one summary for a weekly series instead of a mail per date, and one request per caretaker when it needs approval", async () => {
    const auto = await setup();
    const series = {
      weekday: 2,
      startTime: "17:00",
      durationMinutes: 90,
      intervalWeeks: 1,
      from: "2027-01-05",
      until: "2027-03-09",
      title: "Trening",
      expectedAttendees: 15,
    };
    const made = await createSeries(t.db, { ...series, actorId: auto.leader.id, venueId: auto.venue.id, associationId: auto.association.id }, NOW);
    expect(made.bookings).toHaveLength(10);
    let mails = await deliver();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.envelope.to).toEqual([auto.leader.email]);
    expect(mails[0]!.parsed.subject).toBe("Bekreftet: Trening, 10 datoer");
    expect(mails[0]!.parsed.text).toContain("hver tirsdag kl. 17:00–18:30");
    expect(mails[0]!.parsed.text).toContain("tirsdag 5. januar 2027 – tirsdag 9. mars 2027");

    // A series of one date: its date, in the singular.
    await createSeries(t.db, { ...series, from: "2027-04-06", until: "2027-04-06", actorId: auto.leader.id, venueId: auto.venue.id, associationId: auto.association.id }, NOW);
    const [one] = await deliver();
    expect(one!.parsed.subject).toBe("Bekreftet: Trening, 1 dato");
    expect(one!.parsed.text).toContain("tirsdag 6. april 2027");
    expect(one!.parsed.text).not.toContain("tirsdag 6. april 2027 –");

    const manual = await setup({ approval: "manual", caretakers: ["nb", "en"] });
    await createSeries(t.db, { ...series, actorId: manual.leader.id, venueId: manual.venue.id, associationId: manual.association.id }, NOW);
    mails = await deliver();
    expect(mails.map((m) => m.parsed.subject).sort()).toEqual([
      "Mottatt, venter på godkjenning: Trening, 10 datoer",
      "New request for Gymsalen: Trening, 10 dates",
      "Ny forespørsel om Gymsalen: Trening, 10 datoer",
    ]);
  });

  it("deciding a whole series sends the booker one message for all its dates, not one per date", async () => {
    const manual = await setup({ approval: "manual" });
    const series = { weekday: 3, startTime: "18:00", durationMinutes: 60, intervalWeeks: 1, from: "2027-01-06", until: "2027-02-24", title: "Kor", expectedAttendees: 20 };
    const approved = await createSeries(t.db, { ...series, actorId: manual.leader.id, venueId: manual.venue.id, associationId: manual.association.id }, NOW);
    const rejected = await createSeries(t.db, { ...series, from: "2027-03-03", until: "2027-03-17", actorId: manual.leader.id, venueId: manual.venue.id, associationId: manual.association.id }, NOW);
    await deliver();
    await decideSeries(t.db, { actorId: manual.caretakers[0]!.id, seriesId: approved.seriesId, decision: "approve" }, NOW);
    await decideSeries(t.db, { actorId: manual.caretakers[0]!.id, seriesId: rejected.seriesId, decision: "reject", reason: "Konsert i salen" }, NOW);
    const mails = await deliver();
    expect(mails.map((m) => m.parsed.subject)).toEqual(["Godkjent: Kor, 8 datoer", "Avslått: Kor, 3 datoer"]);
    expect(mails.every((m) => m.envelope.to[0] === manual.leader.email && calendarPart(m.parsed) === null)).toBe(true);
    expect(mails[0]!.parsed.text).toContain("Den faste bookingen er godkjent: 8 datoer er deres.");
    expect(mails[0]!.parsed.text).toContain("hver onsdag kl. 18:00–19:00");
    expect(mails[0]!.parsed.text).toContain("onsdag 6. januar 2027 – onsdag 24. februar 2027");
    expect(mails[1]!.parsed.text).toContain("Begrunnelse: Konsert i salen");
    // A reminder before each approved date is queued for later.
    const reminders = (await outbox(t.db)).filter((r) => r.kind === "booking-reminder" && approved.bookings.some((b) => b.id === (r.payload as { bookingId: string }).bookingId));
    expect(reminders).toHaveLength(8);
  });

  it("a date moved off the series' rule, decided with the series, gets its own confirmation and invitation at its own time", async () => {
    const manual = await setup({ approval: "manual" });
    const series = { weekday: 3, startTime: "18:00", durationMinutes: 60, intervalWeeks: 1, from: "2027-04-07", until: "2027-04-21", title: "Kor", expectedAttendees: 20 };
    const made = await createSeries(t.db, { ...series, actorId: manual.leader.id, venueId: manual.venue.id, associationId: manual.association.id }, NOW);
    // Before the caretaker gets to it, the member moves the second date to Thursday.
    const second = made.bookings[1]!;
    await moveBooking(t.db, { actorId: manual.leader.id, bookingId: second.id, date: "2027-04-15", start: "17:00", end: "19:00" }, NOW);
    await deliver();
    await decideSeries(t.db, { actorId: manual.caretakers[0]!.id, seriesId: made.seriesId, decision: "approve" }, NOW);
    const mails = await deliver();
    expect(mails.map((x) => x.parsed.subject).sort()).toEqual(["Bekreftet: Kor 15. apr. 2027", "Godkjent: Kor, 2 datoer"]);
    const m = mails.find((x) => x.parsed.subject?.startsWith("Bekreftet"));
    expect(m!.parsed.text).toContain("torsdag 15. april 2027 kl. 17:00–19:00");
    expect(calendarPart(m!.parsed)!.method).toBe("REQUEST");
    const ev = parseCalendar(calendarPart(m!.parsed)!.content).events[0]!;
    expect(ev.uid).toBe(bookingUid(second.id));
    expect(ev.start.toISOString()).toBe("2027-04-15T15:00:00.000Z");
  });
});

describe("injection", () => {
  it("a title with CR/LF and markup cannot add a header, HTML or a calendar property", async () => {
    const { base, leader } = await setup();
    const { booking } = await requestBooking(t.db, { ...base, start: "14:00", end: "15:00" }, NOW);
    await deliver();
    // The engine refuses such titles; a row written by other means must still be harmless.
    const evil = "Møte\r\nBcc: evil@example.org\r\nX-Injected: yes\r\nATTENDEE:mailto:evil@example.org\r\n<script>alert(1)</script>";
    await sql`UPDATE bookings SET title = ${evil} WHERE id = ${booking.id}`.execute(t.db);
    await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now: NOW });
    const mails = await deliver();
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.envelope.to).toEqual([leader.email]);
    expect(m.parsed.headers.has("bcc")).toBe(false);
    expect(m.parsed.headers.has("x-injected")).toBe(false);
    expect(headerBlock(m.raw)).not.toMatch(/^(Bcc|X-Injected):/im);
    expect(m.parsed.subject).not.toMatch(/[\r\n]/);
    expect(m.parsed.subject).toContain("Møte Bcc: evil@example.org X-Injected: yes");
    expect(m.parsed.html).not.toContain("<script>");
    expect(m.parsed.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const content = calendarPart(m.parsed)!.content;
    expect(propertyLines(content, "ATTENDEE")).toHaveLength(1);
    expect(propertyLines(content, "ATTENDEE")[0]!.toLowerCase()).not.toContain("evil");
    expect(parseCalendar(content).events[0]!.summary).toContain("ATTENDEE:mailto:evil@example.org");
  });

  it("an address with a line break is never sent to: the message fails for good", async () => {
    await t.db.transaction().execute((trx) =>
      enqueue(trx, [message("sign-in", "victim@example.org\r\nBcc: evil@example.org", { url: "https://flokk.test/s", code: "1", expiresMinutes: 5 })]),
    );
    const transport = transportFor(smtp.url);
    const report = await drain(worker(t.db, transport));
    transport.close();
    expect(report.sent).toEqual([]);
    expect(report.failed).toHaveLength(1);
    expect(smtp.received.length).toBe(seen);
    const row = (await outbox(t.db)).find((r) => r.id === report.failed[0])!;
    expect(row.failed_at).not.toBeNull();
    expect(row.last_error).toContain("Not a single plain e-mail address");
  });

  it("a sign-in whose link and code were dropped on expiry is skipped, not failed", async () => {
    await t.db.transaction().execute((trx) =>
      enqueue(trx, [message("sign-in", "late@example.org", { url: "https://flokk.test/s", code: "1", expiresMinutes: 15 })]),
    );
    await t.db.updateTable("outbox").set({ payload: sql`payload - 'url' - 'code'` }).where("recipient", "=", "late@example.org").execute();
    const transport = transportFor(smtp.url);
    const report = await drain(worker(t.db, transport));
    transport.close();
    expect(report.failed).toEqual([]);
    expect(smtp.received.length).toBe(seen);
    const row = (await outbox(t.db)).find((r) => r.recipient === "late@example.org")!;
    expect(row.skipped_at).not.toBeNull();
    expect(row.skip_reason).toBe("sign-in expired");
  });

  it("a link that is not http(s) is never put in a mail", async () => {
    await t.db.transaction().execute((trx) =>
      enqueue(trx, [message("sign-in", "someone@example.org", { url: "javascript:alert(1)", code: "1", expiresMinutes: 5 })]),
    );
    const transport = transportFor(smtp.url);
    const report = await drain(worker(t.db, transport));
    transport.close();
    expect(report.failed).toHaveLength(1);
    expect(smtp.received.length).toBe(seen);
  });
});
