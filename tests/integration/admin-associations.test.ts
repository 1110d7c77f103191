// Verifying and rejecting associations (app/admin/associations-admin.server.ts):
// owner admins only; verifying re-checks the organisation number and refuses
// one another association holds; rejecting needs a reason and mails it to the
// association through the outbox; a rejected association is never also
// verified (CHECK) and no longer keeps its number from a new registration.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAssociationsForAdmin, rejectAssociation, verifyAssociation } from "../../app/admin/associations-admin.server";
import { registerAssociation } from "../../app/associations/associations.server";
import { approveBooking, requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import { decideSeries } from "../../app/booking/series-decide.server";
import { AssociationRejected, Forbidden, type InvalidInput, NotFound, OrgNumberTaken } from "../../app/errors/domain-errors";
import { addDays } from "../../app/time/zoned";
import { getLanguage } from "../../app/i18n";
import { associationRejectedMail } from "../../app/notifications/templates/association-rejected";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser, withCheckDigit } from "../helpers/fixtures";
import { makeWorld, nextWeekday, type World } from "../helpers/people";

let t: TestDb;
let w: World;
let otherAdmin: number;
const NOW = new Date("2027-01-15T10:00:00Z");

beforeAll(async () => {
  t = await createTestDb();
  w = await makeWorld(t.db);
  const o = await makeOwner(t.db);
  otherAdmin = (await makeUser(t.db, "Annen Admin")).id;
  await t.db.insertInto("owner_admins").values({ owner_id: o.owner.id, user_id: otherAdmin }).execute();
});
afterAll(() => dropTestDb(t));

let numbers = 0;
/** A fresh valid organisation number, far from the fixtures' range. */
const freshNumber = () => withCheckDigit(String(80_000_000 + ++numbers * 11));

async function register(name: string, orgNumber = freshNumber()) {
  const leader = await makeUser(t.db, `Leder av ${name}`);
  return registerAssociation(t.db, { name, orgNumber, contactEmail: `${name.toLowerCase().replace(/\W+/g, "")}@example.org`, leaderId: leader.id });
}

const row = (id: number) => t.db.selectFrom("associations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const auditOf = (id: number) => t.db.selectFrom("audit_log").select(["actor_id", "action", "before", "after"]).where("entity", "=", "association").where("entity_id", "=", String(id)).orderBy("id").execute();
const mailsTo = (email: string) => t.db.selectFrom("outbox").select(["kind", "payload"]).where("recipient", "=", email).execute();

describe("the list", () => {
  it("shows waiting associations first (oldest first), then verified, then rejected, with number, validity, contact and date", async () => {
    const first = await register("Alfa");
    const second = await register("Beta");
    const rejected = await register("Gamma");
    await t.db.updateTable("associations").set({ created_at: new Date("2026-01-01T00:00:00Z") }).where("id", "=", second.id).execute();
    await rejectAssociation(t.db, { actorId: w.users.admin.id, associationId: rejected.id, reason: "Finnes ikke i Brønnøysund" }, NOW);
    const list = await listAssociationsForAdmin(t.db, w.users.admin.id);
    const states = list.map((a) => a.state);
    expect(states).toEqual([...states].sort((a, b) => ["unverified", "verified", "rejected"].indexOf(a) - ["unverified", "verified", "rejected"].indexOf(b)));
    const waiting = list.filter((a) => a.state === "unverified").map((a) => a.id);
    expect(waiting.indexOf(second.id)).toBeLessThan(waiting.indexOf(first.id));
    expect(list.at(-1)).toMatchObject({ id: rejected.id, state: "rejected", rejectionReason: "Finnes ikke i Brønnøysund" });
    expect(list.find((a) => a.id === first.id)).toMatchObject({ orgNumber: first.org_number, orgNumberValid: true, contactEmail: "alfa@example.org" });
    // The world's associations are verified by the fixtures.
    expect(list.find((a) => a.id === w.a.id)?.state).toBe("verified");
  });

  it("is for owner admins (of any owner) only", async () => {
    await expect(listAssociationsForAdmin(t.db, w.users.caretaker.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(listAssociationsForAdmin(t.db, w.users.leaderA.id)).rejects.toBeInstanceOf(Forbidden);
    expect((await listAssociationsForAdmin(t.db, otherAdmin)).length).toBeGreaterThan(0);
  });
});

describe("verifying", () => {
  it("verifies, records who, and audits; again changes nothing", async () => {
    const a = await register("Delta");
    await verifyAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id }, NOW);
    expect(await row(a.id)).toMatchObject({ verified: true, rejected_at: null, decided_by: w.users.admin.id });
    await verifyAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id }, NOW);
    const audit = await auditOf(a.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: w.users.admin.id, action: "verified", before: { verified: false }, after: { verified: true } });
  });

  it("is refused to caretakers and members; an unknown association is NotFound", async () => {
    const a = await register("Epsilon");
    await expect(verifyAssociation(t.db, { actorId: w.users.caretaker.id, associationId: a.id }, NOW)).rejects.toBeInstanceOf(Forbidden);
    await expect(verifyAssociation(t.db, { actorId: w.users.memberA.id, associationId: a.id }, NOW)).rejects.toBeInstanceOf(Forbidden);
    await expect(verifyAssociation(t.db, { actorId: w.users.admin.id, associationId: 999_999 }, NOW)).rejects.toBeInstanceOf(NotFound);
    expect((await row(a.id)).verified).toBe(false);
    expect(await auditOf(a.id)).toEqual([]);
  });

  it("refuses a number another verified association holds, and says which", async () => {
    const number = freshNumber();
    const wrong = await register("Feil Lag", number);
    await rejectAssociation(t.db, { actorId: w.users.admin.id, associationId: wrong.id, reason: "Nummeret tilhører et annet lag" }, NOW);
    // The rejected registration no longer keeps the number: the real association registers it …
    const real = await register("Ekte Lag", number);
    await verifyAssociation(t.db, { actorId: w.users.admin.id, associationId: real.id }, NOW);
    // … and the rejected one cannot be verified on top of it.
    const e = await verifyAssociation(t.db, { actorId: otherAdmin, associationId: wrong.id }, NOW).catch((x) => x);
    expect(e).toBeInstanceOf(OrgNumberTaken);
    expect((e as OrgNumberTaken).params).toEqual({ orgNumber: number, association: "Ekte Lag" });
    expect(await row(wrong.id)).toMatchObject({ verified: false, rejection_reason: "Nummeret tilhører et annet lag" });
    // A third registration of the number is refused while one holds it.
    await expect(register("Tredje", number)).rejects.toMatchObject({ fields: { orgNumber: "orgNumberTaken" } });
  });

  it("re-checks the mod-11 number (a stored number that fails it is not verified)", async () => {
    const a = await register("Zeta");
    // Only possible around the table's CHECK: the domain must not trust the row.
    const bad = `${a.org_number.slice(0, 8)}${(Number(a.org_number[8]) + 1) % 10}`;
    await sql`ALTER TABLE associations DROP CONSTRAINT associations_org_number_check`.execute(t.db);
    try {
      await t.db.updateTable("associations").set({ org_number: bad }).where("id", "=", a.id).execute();
      const e = await verifyAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id }, NOW).catch((x) => x);
      expect((e as InvalidInput).fields).toEqual({ orgNumber: "invalidOrgNumber" });
      expect((await listAssociationsForAdmin(t.db, w.users.admin.id)).find((x) => x.id === a.id)?.orgNumberValid).toBe(false);
      expect((await row(a.id)).verified).toBe(false);
    } finally {
      // Its memberships go with it (the leader check lets a whole association go).
      await t.db.deleteFrom("associations").where("id", "=", a.id).execute();
      await sql`ALTER TABLE associations ADD CONSTRAINT associations_org_number_check CHECK (flokk_valid_org_number(org_number))`.execute(t.db);
    }
  });
});

describe("rejecting", () => {
  it("needs a reason: none (or blanks) is refused and nothing is written", async () => {
    const a = await register("Eta");
    for (const reason of ["", "   ", undefined]) {
      const e = await rejectAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id, reason }, NOW).catch((x) => x);
      expect((e as InvalidInput).fields).toEqual({ reason: "required" });
    }
    expect(await row(a.id)).toMatchObject({ rejected_at: null, rejection_reason: null });
    expect(await mailsTo(a.contact_email)).toEqual([]);
    expect(await auditOf(a.id)).toEqual([]);
  });

  it("rejects (a verified one too), queues one notice with the reason to the contact address, and audits", async () => {
    const a = await register("Theta");
    await verifyAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id }, NOW);
    await rejectAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id, reason: "Ikke en frivillig forening" }, NOW);
    expect(await row(a.id)).toMatchObject({ verified: false, rejected_at: NOW, rejection_reason: "Ikke en frivillig forening", decided_by: w.users.admin.id });
    // A double click: no second notice.
    await rejectAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id, reason: "Igjen" }, NOW);
    const mails = await mailsTo(a.contact_email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: "association-rejected", payload: { associationName: "Theta", orgNumber: a.org_number, reason: "Ikke en frivillig forening" } });
    expect((await auditOf(a.id)).map((r) => r.action)).toEqual(["verified", "rejected"]);
  });

  it("stops the association from booking: single bookings and series are refused, nothing is written", async () => {
    const leader = await makeUser(t.db, "Leder av Kappa");
    const a = await registerAssociation(t.db, { name: "Kappa", orgNumber: freshNumber(), contactEmail: "kappa@example.org", leaderId: leader.id });
    const day = nextWeekday(2, 14);
    const now = new Date();
    const booking = { actorId: leader.id, venueId: w.venue.id, associationId: a.id, date: day, title: "Møte", isPublic: false, expectedAttendees: 5 };
    // Before: it may ask (and waits for approval, being unverified).
    expect((await requestBooking(t.db, { ...booking, start: "10:00", end: "11:00" }, now)).booking.status).toBe("pending");

    await rejectAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id, reason: "Ikke en forening" }, NOW);
    await expect(requestBooking(t.db, { ...booking, start: "12:00", end: "13:00" }, now)).rejects.toBeInstanceOf(AssociationRejected);
    const series = { ...booking, weekday: 2, startTime: "14:00", durationMinutes: 60, intervalWeeks: 1, from: day, until: addDays(day, 21) };
    await expect(createSeries(t.db, series, now)).rejects.toBeInstanceOf(AssociationRejected);
    const rows = await t.db.selectFrom("bookings").select("id").where("association_id", "=", a.id).execute();
    expect(rows).toHaveLength(1);
  });

  it("turns down the association's waiting requests with it (freeing their time, the booker told in one notice), and no caretaker approves one afterwards", async () => {
    const leader = await makeUser(t.db, "Leder av Lambda");
    const a = await registerAssociation(t.db, { name: "Lambda", orgNumber: freshNumber(), contactEmail: "lambda@example.org", leaderId: leader.id });
    const now = new Date();
    const day = nextWeekday(3, 14);
    const ask = (start: string, end: string) =>
      requestBooking(t.db, { actorId: leader.id, venueId: w.venue.id, associationId: a.id, date: day, start, end, title: "Styremøte", expectedAttendees: 5 }, now);
    const waiting = (await ask("10:00", "11:00")).booking;
    const kept = (await ask("12:00", "13:00")).booking;
    await rejectAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id, reason: "Ikke en forening" }, now);
    const after = await t.db.selectFrom("bookings").select(["id", "status", "decision_reason"]).where("association_id", "=", a.id).orderBy("starts_at").execute();
    expect(after).toEqual([
      { id: waiting.id, status: "rejected", decision_reason: "Ikke en forening" },
      { id: kept.id, status: "rejected", decision_reason: "Ikke en forening" },
    ]);
    expect(await t.db.selectFrom("booking_claims").select("booking_id").where("booking_id", "in", [waiting.id, kept.id]).execute()).toEqual([]);
    // The booker hears once, with both requests listed, not in a mail per request; the contact address once too.
    const perRequest = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE kind = 'booking-rejected' AND payload->'booking'->>'id' IN (${waiting.id}, ${kept.id})`.execute(t.db);
    expect(perRequest.rows[0]!.n).toBe(0);
    // (Besides the "received" mail each request got when it was made.)
    const toLeader = (await mailsTo(leader.email)).filter((m) => m.kind !== "booking-received");
    expect(toLeader.map((m) => m.kind)).toEqual(["association-rejected"]);
    expect((toLeader[0]!.payload as { turnedDown: { title: string; startsAt: string }[] }).turnedDown.map((b) => b.startsAt)).toEqual([
      waiting.starts_at.toISOString(),
      kept.starts_at.toISOString(),
    ]);
    expect(await mailsTo("lambda@example.org")).toEqual([expect.objectContaining({ kind: "association-rejected", payload: expect.objectContaining({ turnedDown: [] }) })]);
    // The time is free for others again.
    const other = await requestBooking(t.db, { actorId: w.users.leaderA.id, venueId: w.venue.id, associationId: w.a.id, date: day, start: "10:00", end: "11:00", title: "Trening", expectedAttendees: 5 }, now);
    expect(other.booking.status).toBe("confirmed");

    // A request left pending under a rejected association (set by hand here) is not approved.
    const b = await registerAssociation(t.db, { name: "My", orgNumber: freshNumber(), contactEmail: "my@example.org", leaderId: leader.id });
    const pending = (await requestBooking(t.db, { actorId: leader.id, venueId: w.venue.id, associationId: b.id, date: day, start: "14:00", end: "15:00", title: "Møte", expectedAttendees: 5 }, now)).booking;
    await t.db.updateTable("associations").set({ rejected_at: now, rejection_reason: "Ikke en forening" }).where("id", "=", b.id).execute();
    await expect(approveBooking(t.db, { actorId: w.users.caretaker.id, bookingId: pending.id, now })).rejects.toBeInstanceOf(AssociationRejected);
    expect((await t.db.selectFrom("bookings").select("status").where("id", "=", pending.id).executeTakeFirstOrThrow()).status).toBe("pending");
    // Nor a series of its.
    await t.db.updateTable("associations").set({ rejected_at: null, rejection_reason: null }).where("id", "=", b.id).execute();
    const series = await createSeries(
      t.db,
      { actorId: leader.id, venueId: w.venue.id, associationId: b.id, weekday: 3, startTime: "16:00", durationMinutes: 60, intervalWeeks: 1, from: day, until: addDays(day, 14), title: "Kurs", expectedAttendees: 5 },
      now,
    );
    await t.db.updateTable("associations").set({ rejected_at: now, rejection_reason: "Ikke en forening" }).where("id", "=", b.id).execute();
    await expect(decideSeries(t.db, { actorId: w.users.caretaker.id, seriesId: series.seriesId, decision: "approve" }, now)).rejects.toBeInstanceOf(AssociationRejected);
  });

  it("a series written while the association is being rejected waits for the rejection and is refused", async () => {
    const leader = await makeUser(t.db, "Leder av Ny");
    const a = await registerAssociation(t.db, { name: "Ny", orgNumber: freshNumber(), contactEmail: "ny@example.org", leaderId: leader.id });
    const now = new Date();
    const day = nextWeekday(4, 14);
    const series = { actorId: leader.id, venueId: w.venue.id, associationId: a.id, weekday: 4, startTime: "08:00", durationMinutes: 60, intervalWeeks: 1, from: day, until: addDays(day, 21), title: "Kurs", expectedAttendees: 5 };
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // The rejection's first steps, held open: the association's row locked and marked.
    const rejecting = t.db.transaction().execute(async (trx) => {
      await trx.selectFrom("associations").select("id").where("id", "=", a.id).forUpdate().execute();
      await trx.updateTable("associations").set({ verified: false, rejected_at: now, rejection_reason: "Ikke en forening" }).where("id", "=", a.id).execute();
      locked();
      await held;
    });
    await isLocked;
    const writing = createSeries(t.db, series, now).then(
      () => "written",
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 300));
    release();
    await rejecting;
    expect(await writing).toBeInstanceOf(AssociationRejected);
    expect(await t.db.selectFrom("bookings").select("id").where("association_id", "=", a.id).execute()).toEqual([]);
  });

  it("is refused to caretakers and members", async () => {
    const a = await register("Iota");
    await expect(rejectAssociation(t.db, { actorId: w.users.caretaker.id, associationId: a.id, reason: "Nei" }, NOW)).rejects.toBeInstanceOf(Forbidden);
    await expect(rejectAssociation(t.db, { actorId: w.users.leaderA.id, associationId: a.id, reason: "Nei" }, NOW)).rejects.toBeInstanceOf(Forbidden);
    expect((await row(a.id)).rejected_at).toBeNull();
    expect(await mailsTo(a.contact_email)).toEqual([]);
  });

  it("a verified-again association leaves rejection behind; the database never holds both", async () => {
    const a = await register("Kappa");
    await rejectAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id, reason: "Feil" }, NOW);
    await verifyAssociation(t.db, { actorId: w.users.admin.id, associationId: a.id }, NOW);
    expect(await row(a.id)).toMatchObject({ verified: true, rejected_at: null, rejection_reason: null });
    await expect(t.db.updateTable("associations").set({ rejected_at: NOW, rejection_reason: "x" }).where("id", "=", a.id).execute()).rejects.toMatchObject({
      code: "23514",
      constraint: "associations_verified_or_rejected",
    });
    await expect(t.db.updateTable("associations").set({ verified: false, rejected_at: NOW }).where("id", "=", a.id).execute()).rejects.toMatchObject({
      constraint: "associations_rejection_has_reason",
    });
  });

  it("the notice reads in bokmål and English", () => {
    const p = { associationName: "Lambda", orgNumber: "974760673", reason: "Mangler vedtekter" };
    const nb = associationRejectedMail(getLanguage("nb"), null, p);
    const en = associationRejectedMail(getLanguage("en"), "Kari", p);
    expect(nb.subject).toBe("Lambda er ikke godkjent i Flokk");
    expect(en.subject).toBe("Lambda is not verified in Flokk");
    expect(en.facts).toEqual([["Reason", "Mangler vedtekter"]]);
    expect(nb.paragraphs[0]).toContain("974760673");
    // A member's requests that went with it, one a line, in the venue's time.
    const turnedDown = [
      { title: "Styremøte", venue: "Storsalen", startsAt: "2026-12-09T17:00:00.000Z", endsAt: "2026-12-09T18:00:00.000Z", timeZone: "Europe/Oslo" },
      { title: "Kurs", venue: "Kjøkkenet", startsAt: "2026-12-16T17:00:00.000Z", endsAt: "2026-12-16T19:00:00.000Z", timeZone: "Europe/Oslo" },
    ];
    expect(associationRejectedMail(getLanguage("nb"), null, { ...p, turnedDown }).facts?.[1]).toEqual([
      "Forespørsler som er avslått med det",
      "Styremøte, Storsalen: onsdag 9. desember 2026 kl. 18:00–19:00\nKurs, Kjøkkenet: onsdag 16. desember 2026 kl. 18:00–20:00",
    ]);
  });
});
