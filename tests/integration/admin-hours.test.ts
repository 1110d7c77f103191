// Opening hours and closures, changed by owner admins on real PostgreSQL: a
// change that strands bookings saves nothing until the admin has seen them;
// "cancel" cancels each through the booking engine in the same transaction
// (audit row and one mail to the booker each, carrying the admin's message);
// "keep" leaves them; a closure of a whole lists its parts' bookings; public
// holidays come from date-holidays, once; only the owner's admins may.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadHoursPage } from "../../app/admin/hours-page.server";
import { changeSchedule, removeClosure, type ScheduleChange } from "../../app/admin/schedule.server";
import { requestBooking } from "../../app/booking/booking.server";
import { seriesPreviewView } from "../../app/booking/series-page.server";
import { Forbidden, InClosure, InvalidInput, NotFound } from "../../app/errors/domain-errors";
import { toHttpError } from "../../app/errors/http";
import { getLanguage } from "../../app/i18n";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2026-12-03T08:00:00Z");
const nb = () => getLanguage("nb");

async function setup() {
  const { owner, site } = await makeOwner(t.db);
  const hall = await makeVenue(t.db, site.id, { name: "Idrettshallen" });
  const halfA = await makeVenue(t.db, site.id, { name: "Hall A", parent_id: hall.id });
  const { association, leader } = await makeAssociation(t.db);
  const admin = await makeUser(t.db, "Ingrid Admin");
  await t.db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: admin.id }).execute();
  const caretaker = await makeUser(t.db, "Ola Vaktmester");
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  const book = async (date: string, start: string, end: string, title: string, venueId = hall.id) =>
    (
      await requestBooking(
        t.db,
        { actorId: leader.id, associationId: association.id, venueId, date, start, end, title, expectedAttendees: 10 },
        NOW,
      )
    ).booking;
  const change = (c: ScheduleChange, consent: Parameters<typeof changeSchedule>[1]["consent"] = null, venueId = hall.id, actorId = admin.id) =>
    changeSchedule(t.db, { actorId, venueId, change: c, consent }, NOW);
  return { owner, site, hall, halfA, association, leader, admin, caretaker, book, change };
}

const closuresOf = (venueId: number) =>
  t.db.selectFrom("closures").select(["starts_on", "ends_on", "reason"]).where("venue_id", "=", venueId).orderBy("starts_on").execute();
const statusOf = async (id: string) => (await t.db.selectFrom("bookings").select(["status", "cancel_reason"]).where("id", "=", id).executeTakeFirstOrThrow());
/** The booking-cancelled notices about the bookings. */
const outboxFor = async (ids: string[]) =>
  (await t.db.selectFrom("outbox").select(["kind", "recipient", "payload"]).where("kind", "=", "booking-cancelled").execute()).filter((r) =>
    ids.includes((r.payload as { booking: { id: string } }).booking.id),
  );
const auditOf = (id: string) => t.db.selectFrom("audit_log").select(["action", "actor_id"]).where("entity_id", "=", id).orderBy("id").execute();

const mondayRows = (opens: string, closes: string) => [{ weekday: 1, row: 0, opens, closes }];

describe("weekly hours", () => {
  it("refuses bad rows naming each field, and writes nothing", async () => {
    const s = await setup();
    const before = await t.db.selectFrom("opening_hours").selectAll().where("venue_id", "=", s.hall.id).execute();
    const e = await s
      .change({
        kind: "hours",
        rows: [
          { weekday: 1, row: 0, opens: "10:00", closes: "09:00" },
          { weekday: 2, row: 0, opens: "25:00", closes: "12:00" },
          { weekday: 3, row: 0, opens: "08:00", closes: "12:00" },
          { weekday: 3, row: 1, opens: "11:00", closes: "14:00" },
          { weekday: 4, row: 0, opens: "08:00", closes: "" },
        ],
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidInput);
    expect((e as InvalidInput).fields).toEqual({
      "h1-0-closes": "endNotAfterStart",
      "h2-0-opens": "invalidTime",
      "h3-1-opens": "overlapsInterval",
      "h4-0-closes": "required",
    });
    expect(await t.db.selectFrom("opening_hours").selectAll().where("venue_id", "=", s.hall.id).execute()).toEqual(before);
  });

  it("saves at once when nothing is stranded, with an audit row", async () => {
    const s = await setup();
    const out = await s.change({ kind: "hours", rows: [...mondayRows("08:00", "12:00"), { weekday: 1, row: 1, opens: "12:00", closes: "24:00" }] });
    expect(out).toEqual({ status: "saved", kept: 0, cancelled: 0, closuresAdded: 0 });
    const rows = await t.db.selectFrom("opening_hours").select(["weekday", "opens", "closes"]).where("venue_id", "=", s.hall.id).orderBy("opens").execute();
    expect(rows).toEqual([
      { weekday: 1, opens: "08:00:00", closes: "12:00:00" },
      { weekday: 1, opens: "12:00:00", closes: "24:00:00" },
    ]);
    expect((await auditOf(String(s.hall.id))).map((a) => a.action)).toEqual(["hours-replaced"]);
  });

  it("lists bookings outside the new hours first; keeping them saves the hours and leaves them", async () => {
    const s = await setup();
    const evening = await s.book("2026-12-14", "18:00", "20:00", "Kveldstrening"); // a Monday
    const morning = await s.book("2026-12-14", "09:00", "10:00", "Morgen");
    const first = await s.change({ kind: "hours", rows: mondayRows("08:00", "16:00") });
    expect(first.status).toBe("confirm");
    if (first.status !== "confirm") return;
    expect(first.affected.map((b) => b.id)).toEqual([evening.id]);
    expect(first.affected[0]).toMatchObject({ title: "Kveldstrening", associationName: s.association.name, timeZone: "Europe/Oslo" });
    expect(await t.db.selectFrom("opening_hours").select("id").where("venue_id", "=", s.hall.id).execute()).toHaveLength(7);

    const saved = await s.change({ kind: "hours", rows: mondayRows("08:00", "16:00") }, { action: "keep", message: "", seen: [evening.id] });
    expect(saved).toEqual({ status: "saved", kept: 1, cancelled: 0, closuresAdded: 0 });
    expect(await t.db.selectFrom("opening_hours").select("id").where("venue_id", "=", s.hall.id).execute()).toHaveLength(1);
    expect((await statusOf(evening.id)).status).toBe("confirmed");
    expect((await statusOf(morning.id)).status).toBe("confirmed");
    expect(await outboxFor([evening.id])).toHaveLength(0);
  });
});

describe("closures", () => {
  it("lists the bookings in the period; cancelling needs a message, then cancels each through the engine with one notice each", async () => {
    const s = await setup();
    const b1 = await s.book("2026-12-14", "18:00", "20:00", "Trening 1");
    const b2 = await s.book("2026-12-15", "10:00", "12:00", "Trening 2");
    const after = await s.book("2026-12-16", "10:00", "12:00", "Etterpå");
    const closure = { kind: "closure", closure: { startsOn: "2026-12-14", endsOn: "2026-12-15", reason: "Vannskade" } } as const;

    const first = await s.change(closure);
    expect(first.status === "confirm" && first.affected.map((b) => b.id)).toEqual([b1.id, b2.id]);
    expect(await closuresOf(s.hall.id)).toEqual([]);

    const noMessage = await s.change(closure, { action: "cancel", message: "  ", seen: [b1.id, b2.id] });
    expect(noMessage).toMatchObject({ status: "confirm", problems: { message: "required" }, unseen: false });
    expect(await closuresOf(s.hall.id)).toEqual([]);
    expect((await statusOf(b1.id)).status).toBe("confirmed");

    const done = await s.change(closure, { action: "cancel", message: "Hallen er stengt etter en vannlekkasje.", seen: [b1.id, b2.id] });
    expect(done).toEqual({ status: "saved", kept: 0, cancelled: 2, closuresAdded: 1 });
    expect(await closuresOf(s.hall.id)).toEqual([{ starts_on: "2026-12-14", ends_on: "2026-12-15", reason: "Vannskade" }]);
    for (const b of [b1, b2]) {
      expect(await statusOf(b.id)).toEqual({ status: "cancelled", cancel_reason: "Hallen er stengt etter en vannlekkasje." });
      expect((await auditOf(b.id)).at(-1)).toEqual({ action: "cancelled", actor_id: s.admin.id });
    }
    const mails = await outboxFor([b1.id, b2.id, after.id]);
    expect(mails).toHaveLength(2);
    for (const m of mails) {
      expect(m.recipient).toBe(s.leader.email);
      expect((m.payload as { booking: { cancel_reason: string } }).booking.cancel_reason).toBe("Hallen er stengt etter en vannlekkasje.");
      expect((m.payload as { actor: { side: string } }).actor.side).toBe("venue");
    }
    expect((await statusOf(after.id)).status).toBe("confirmed");
  });

  it("is all or nothing: when one cancellation fails, the closure and the other cancellations are not saved either", async () => {
    const s = await setup();
    const ok = await s.book("2026-12-28", "10:00", "11:00", "Går bra");
    const bad = await s.book("2026-12-28", "12:00", "13:00", "Feiler");
    // A stand-in for any failure midway (a lost connection, a constraint): the mail about the second booking is refused.
    await sql`CREATE FUNCTION refuse_mail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`.execute(t.db);
    await sql`CREATE TRIGGER refuse_mail BEFORE INSERT ON outbox FOR EACH ROW WHEN (NEW.payload->'booking'->>'title' = 'Feiler') EXECUTE FUNCTION refuse_mail()`.execute(t.db);
    try {
      const closure = { kind: "closure", closure: { startsOn: "2026-12-28", endsOn: "2026-12-28", reason: "Stengt" } } as const;
      await expect(s.change(closure, { action: "cancel", message: "Beklager", seen: [ok.id, bad.id] })).rejects.toThrow(/refused/);
    } finally {
      await sql`DROP TRIGGER refuse_mail ON outbox`.execute(t.db);
      await sql`DROP FUNCTION refuse_mail()`.execute(t.db);
    }
    expect(await closuresOf(s.hall.id)).toEqual([]);
    expect((await statusOf(ok.id)).status).toBe("confirmed");
    expect(await outboxFor([ok.id])).toHaveLength(0);
    expect((await auditOf(ok.id)).map((a) => a.action)).not.toContain("cancelled");
  });

  it("keeps the bookings when told to, and shows the list again when a booking was added since", async () => {
    const s = await setup();
    const b1 = await s.book("2026-12-21", "18:00", "20:00", "Beholdes");
    const closure = { kind: "closure", closure: { startsOn: "2026-12-21", endsOn: "2026-12-21", reason: "Julebord" } } as const;
    const unseen = await s.change(closure, { action: "cancel", message: "Beklager", seen: [] });
    expect(unseen).toMatchObject({ status: "confirm", unseen: true });
    expect((await statusOf(b1.id)).status).toBe("confirmed");
    expect(await closuresOf(s.hall.id)).toEqual([]);

    const kept = await s.change(closure, { action: "keep", message: "", seen: [b1.id] });
    expect(kept).toEqual({ status: "saved", kept: 1, cancelled: 0, closuresAdded: 1 });
    expect((await statusOf(b1.id)).status).toBe("confirmed");
    expect(await outboxFor([b1.id])).toHaveLength(0);
    expect(await closuresOf(s.hall.id)).toHaveLength(1);
  });

  it("a closure of the whole lists the bookings of its parts", async () => {
    const s = await setup();
    const inPart = await s.book("2026-12-22", "10:00", "11:00", "I halvdelen", s.halfA.id);
    const out = await s.change({ kind: "closure", closure: { startsOn: "2026-12-22", endsOn: "2026-12-22", reason: "Vedlikehold" } });
    expect(out.status).toBe("confirm");
    if (out.status !== "confirm") return;
    expect(out.affected).toHaveLength(1);
    expect(out.affected[0]).toMatchObject({ id: inPart.id, venueId: s.halfA.id, venueName: "Hall A" });
    // The part's page shows the whole's closure once it is saved, without a remove button of its own.
    await s.change({ kind: "closure", closure: { startsOn: "2026-12-22", endsOn: "2026-12-22", reason: "Vedlikehold" } }, { action: "keep", message: "", seen: [inPart.id] });
    const page = await loadHoursPage(t.db, { viewerId: s.admin.id, venueId: s.halfA.id, lang: nb(), now: NOW });
    expect(page.closures).toEqual([expect.objectContaining({ reason: "Vedlikehold", inheritedFrom: "Idrettshallen" })]);
  });

  it("a closure of a part lists the bookings of the whole, makes the whole unbookable that day, and leaves the sibling open", async () => {
    const s = await setup();
    const halfB = await makeVenue(t.db, s.site.id, { name: "Hall B", parent_id: s.hall.id });
    const whole = await s.book("2026-12-23", "10:00", "11:00", "Hele hallen");
    // Kept by the engine now: the closure below must reach it (the whole is restamped).
    await s.book("2026-12-23", "12:00", "13:00", "Hele igjen");
    const closure = { kind: "closure", closure: { startsOn: "2026-12-23", endsOn: "2026-12-23", reason: "Maling" } } as const;
    const out = await s.change(closure, null, s.halfA.id);
    expect(out.status).toBe("confirm");
    if (out.status !== "confirm") return;
    expect(out.affected.map((b) => b.id)).toEqual([whole.id, expect.any(String)]);
    const kept = out.affected.map((b) => b.id);
    expect((await s.change(closure, { action: "keep", message: "", seen: kept }, s.halfA.id)).status).toBe("saved");
    // Refused naming the part that is closed: the whole itself shows no closure to its bookers.
    const refused = await s.book("2026-12-23", "15:00", "16:00", "Hele en gang til").catch((e) => e);
    expect(refused).toBeInstanceOf(InClosure);
    expect(toHttpError(refused, nb()).message).toBe("Hall A er stengt 23. desember 2026: Maling.");
    const own = await s.book("2026-12-23", "15:00", "16:00", "I A", s.halfA.id).catch((e) => e);
    expect(own).toBeInstanceOf(InClosure);
    expect(toHttpError(own, nb()).message).toBe("Lokalet er stengt 23. desember 2026: Maling.");
    expect((await s.book("2026-12-23", "15:00", "16:00", "I B", halfB.id)).status).toBe("confirmed");
    // The day after is open again for the whole.
    expect((await s.book("2026-12-24", "10:00", "11:00", "Hele dagen etter")).status).toBe("confirmed");
    // A weekly series on the whole says which part is closed that day.
    const preview = await seriesPreviewView(t.db, {
      lang: nb(),
      viewerId: s.leader.id,
      timeZone: "Europe/Oslo",
      request: { actorId: s.leader.id, venueId: s.hall.id, associationId: s.association.id, weekday: 3, startTime: "15:00", durationMinutes: 60, intervalWeeks: 1, from: "2026-12-16", until: "2026-12-30", title: "Trening", expectedAttendees: 10 },
      now: NOW,
    });
    expect(preview.items.map((i) => [i.date, i.status, i.note])).toEqual([
      ["2026-12-16", "free", null],
      ["2026-12-23", "closed", "Hall A er stengt: Maling."],
      ["2026-12-30", "free", null],
    ]);
    // The whole's page names the part's closure as the reason it cannot be booked, without a remove button of its own.
    const page = await loadHoursPage(t.db, { viewerId: s.admin.id, venueId: s.hall.id, lang: nb(), now: NOW });
    expect(page.closures).toEqual([expect.objectContaining({ reason: "Maling", inheritedFrom: "Hall A", fromPart: true })]);
    const sibling = await loadHoursPage(t.db, { viewerId: s.admin.id, venueId: halfB.id, lang: nb(), now: NOW });
    expect(sibling.closures).toEqual([]);
  });

  it("refuses a bad range or a missing reason, and removes only the venue's own closure", async () => {
    const s = await setup();
    const e = await s.change({ kind: "closure", closure: { startsOn: "2026-12-20", endsOn: "2026-12-19", reason: "" } }).catch((x: unknown) => x);
    expect((e as InvalidInput).fields).toEqual({ endsOn: "untilBeforeFrom", reason: "required" });
    const past = await s.change({ kind: "closure", closure: { startsOn: "2026-11-01", endsOn: "2026-11-02", reason: "For sent" } }).catch((x: unknown) => x);
    expect((past as InvalidInput).fields).toEqual({ endsOn: "inPast" });
    const long = await s.change({ kind: "closure", closure: { startsOn: "2026-12-20", endsOn: "2026-12-20", reason: "x".repeat(201) } }).catch((x: unknown) => x);
    expect((long as InvalidInput).fields).toEqual({ reason: "tooLong" });

    await s.change({ kind: "closure", closure: { startsOn: "2027-01-04", endsOn: "2027-01-05", reason: "Rydding" } });
    const [row] = await t.db.selectFrom("closures").select("id").where("venue_id", "=", s.hall.id).execute();
    await expect(removeClosure(t.db, { actorId: s.admin.id, venueId: s.halfA.id, closureId: row!.id })).rejects.toBeInstanceOf(NotFound);
    await removeClosure(t.db, { actorId: s.admin.id, venueId: s.hall.id, closureId: row!.id });
    expect(await closuresOf(s.hall.id)).toEqual([]);
    expect((await auditOf(String(s.hall.id))).map((a) => a.action)).toEqual(["closure-added", "closure-removed"]);
  });
});

describe("public holidays", () => {
  it("adds this year's remaining and next year's public holidays from date-holidays, once", async () => {
    const s = await setup();
    await t.db.insertInto("closures").values({ venue_id: s.hall.id, starts_on: "2027-12-24", ends_on: "2027-12-31", reason: "Juleferie" }).execute();
    const first = await s.change({ kind: "holidays" });
    expect(first.status).toBe("saved");
    const rows = await closuresOf(s.hall.id);
    const covers = (date: string) => rows.some((c) => c.starts_on <= date && date <= c.ends_on);
    for (const date of ["2026-12-25", "2026-12-26", "2027-01-01", "2027-03-26", "2027-05-17", "2027-12-25"]) expect(covers(date), date).toBe(true);
    // Not a public holiday (an observance), nor before today, nor this year's 17 May already past.
    for (const date of ["2026-12-24", "2026-05-17", "2027-12-23"]) expect(covers(date), date).toBe(false);
    expect(rows.find((c) => c.starts_on === "2026-12-25")).toEqual({ starts_on: "2026-12-25", ends_on: "2026-12-26", reason: "Første juledag, Andre juledag" });
    // 17 May 2027 is also Whit Monday: one closure naming both.
    expect(rows.find((c) => c.starts_on === "2027-05-16")?.reason).toBe("Første pinsedag, Grunnlovsdagen, Andre pinsedag");
    // The Christmas already closed is not closed again.
    expect(rows.filter((c) => c.starts_on >= "2027-12-24")).toEqual([{ starts_on: "2027-12-24", ends_on: "2027-12-31", reason: "Juleferie" }]);

    const again = await s.change({ kind: "holidays" });
    expect(again).toEqual({ status: "saved", kept: 0, cancelled: 0, closuresAdded: 0 });
    expect(await closuresOf(s.hall.id)).toHaveLength(rows.length);
  });

  it("lists a booking on a holiday first, and refuses a country without holidays", async () => {
    const s = await setup();
    const onHoliday = await s.book("2027-05-17", "10:00", "12:00", "17. mai-tog");
    const out = await s.change({ kind: "holidays" });
    expect(out.status === "confirm" && out.affected.map((b) => b.id)).toEqual([onHoliday.id]);
    expect(await closuresOf(s.hall.id)).toEqual([]);

    await t.db.updateTable("owners").set({ country: "ZZ" }).where("id", "=", s.owner.id).execute();
    const e = await s.change({ kind: "holidays" }).catch((x: unknown) => x);
    expect((e as InvalidInput).fields).toEqual({ country: "unknownCountry" });
    await expect(t.db.updateTable("owners").set({ country: "no" }).where("id", "=", s.owner.id).execute()).rejects.toThrow(/owners_country_check/);
  });
});

describe("who may", () => {
  it("only the venue owner's admins: a member, a caretaker and another owner's admin get Forbidden, nothing written", async () => {
    const s = await setup();
    const { owner: otherOwner } = await makeOwner(t.db);
    const otherAdmin = await makeUser(t.db, "Annen Admin");
    await t.db.insertInto("owner_admins").values({ owner_id: otherOwner.id, user_id: otherAdmin.id }).execute();
    await t.db.insertInto("closures").values({ venue_id: s.hall.id, starts_on: "2027-02-01", ends_on: "2027-02-01", reason: "Stengt" }).execute();
    const [row] = await t.db.selectFrom("closures").select("id").where("venue_id", "=", s.hall.id).execute();
    for (const actorId of [s.leader.id, s.caretaker.id, otherAdmin.id]) {
      await expect(s.change({ kind: "holidays" }, null, s.hall.id, actorId)).rejects.toBeInstanceOf(Forbidden);
      await expect(s.change({ kind: "hours", rows: [] }, null, s.hall.id, actorId)).rejects.toBeInstanceOf(Forbidden);
      await expect(removeClosure(t.db, { actorId, venueId: s.hall.id, closureId: row!.id })).rejects.toBeInstanceOf(Forbidden);
      await expect(loadHoursPage(t.db, { viewerId: actorId, venueId: s.hall.id, lang: nb(), now: NOW })).rejects.toBeInstanceOf(Forbidden);
    }
    expect(await closuresOf(s.hall.id)).toHaveLength(1);
    expect(await t.db.selectFrom("opening_hours").select("id").where("venue_id", "=", s.hall.id).execute()).toHaveLength(7);
    await expect(s.change({ kind: "holidays" }, null, 987654321)).rejects.toBeInstanceOf(NotFound);
  });
});
