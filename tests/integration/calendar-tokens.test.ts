// Subscription tokens: who may make which, stored hashed, one per person and
// feed, listed with created/last used, revocable; and the SEQUENCE trigger.
import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { createToken, listTokens, resolveToken, revokeToken } from "../../app/calendar/tokens.server";
import { Forbidden, InvalidInput, NotFound } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

async function world() {
  const { owner, site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id);
  const { association, leader } = await makeAssociation(t.db);
  const caretaker = await makeUser(t.db, "Vaktmester");
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  const admin = await makeUser(t.db, "Admin");
  await t.db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: admin.id }).execute();
  const stranger = await makeUser(t.db, "Fremmed");
  return { owner, site, venue, association, leader, caretaker, admin, stranger };
}

describe("createToken", () => {
  it("lets members, caretakers, admins and the person themselves subscribe, and nobody else", async () => {
    const w = await world();
    await expect(createToken(t.db, { userId: w.leader.id, scope: `association:${w.association.id}` })).resolves.toBeTruthy();
    await expect(createToken(t.db, { userId: w.caretaker.id, scope: `venue-staff:${w.venue.id}` })).resolves.toBeTruthy();
    await expect(createToken(t.db, { userId: w.admin.id, scope: `venue-staff:${w.venue.id}` })).resolves.toBeTruthy();
    await expect(createToken(t.db, { userId: w.stranger.id, scope: `person:${w.stranger.id}` })).resolves.toBeTruthy();

    await expect(createToken(t.db, { userId: w.stranger.id, scope: `association:${w.association.id}` })).rejects.toBeInstanceOf(Forbidden);
    await expect(createToken(t.db, { userId: w.leader.id, scope: `venue-staff:${w.venue.id}` })).rejects.toBeInstanceOf(Forbidden);
    await expect(createToken(t.db, { userId: w.stranger.id, scope: `person:${w.leader.id}` })).rejects.toBeInstanceOf(Forbidden);
    await expect(createToken(t.db, { userId: w.caretaker.id, scope: "venue-staff:999999" })).rejects.toBeInstanceOf(Forbidden);
    await expect(createToken(t.db, { userId: w.leader.id, scope: "venue:1" })).rejects.toBeInstanceOf(InvalidInput);
    await expect(createToken(t.db, { userId: w.leader.id, scope: "association:1 OR 1=1" })).rejects.toBeInstanceOf(InvalidInput);
  });

  it("makes 256-bit tokens and stores only their SHA-256", async () => {
    const w = await world();
    const { token, id } = await createToken(t.db, { userId: w.leader.id, scope: `association:${w.association.id}` });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const row = await t.db.selectFrom("calendar_tokens").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.token_hash.equals(createHash("sha256").update(token).digest())).toBe(true);
    const { rows } = await sql<{ found: number }>`
      SELECT count(*)::int AS found FROM calendar_tokens t WHERE position(${token}::bytea IN t.token_hash) > 0
         OR row_to_json(t)::text LIKE ${`%${token}%`}`.execute(t.db);
    expect(rows[0]!.found).toBe(0);
  });

  it("keeps one active token per person and feed: a new one replaces the old", async () => {
    const w = await world();
    const scope = `association:${w.association.id}`;
    const first = await createToken(t.db, { userId: w.leader.id, scope });
    const second = await createToken(t.db, { userId: w.leader.id, scope });
    const now = new Date();
    expect(await resolveToken(t.db, first.token, now)).toBeNull();
    expect((await resolveToken(t.db, second.token, now))?.tokenId).toBe(second.id);
    const both = await Promise.all([createToken(t.db, { userId: w.leader.id, scope }), createToken(t.db, { userId: w.leader.id, scope })]);
    const active = await t.db.selectFrom("calendar_tokens").select("id").where("user_id", "=", w.leader.id).where("revoked_at", "is", null).execute();
    expect(active).toHaveLength(1);
    expect(both.map((b) => b.id)).toContain(active[0]!.id);
  });
});

describe("listTokens, resolveToken, revokeToken", () => {
  it("lists active tokens with what they open, when made and last used; last use is written at most once a minute", async () => {
    const w = await world();
    const a = await createToken(t.db, { userId: w.caretaker.id, scope: `venue-staff:${w.venue.id}` });
    const list = await listTokens(t.db, w.caretaker.id);
    expect(list).toEqual([{ id: a.id, scope: { kind: "venue-staff", venueId: w.venue.id }, name: w.venue.name, siteName: expect.any(String), createdAt: expect.any(Date), lastUsedAt: null }]);

    const t0 = new Date("2026-12-01T10:00:00Z");
    const resolved = await resolveToken(t.db, a.token, t0);
    expect(resolved).toEqual({ tokenId: a.id, userId: w.caretaker.id, scope: { kind: "venue-staff", venueId: w.venue.id }, locale: "nb" });
    expect((await listTokens(t.db, w.caretaker.id))[0]!.lastUsedAt).toEqual(t0);
    await resolveToken(t.db, a.token, new Date(t0.getTime() + 30_000));
    expect((await listTokens(t.db, w.caretaker.id))[0]!.lastUsedAt).toEqual(t0);
    const t2 = new Date(t0.getTime() + 61_000);
    await resolveToken(t.db, a.token, t2);
    expect((await listTokens(t.db, w.caretaker.id))[0]!.lastUsedAt).toEqual(t2);
  });

  it("revokes only one's own tokens", async () => {
    const w = await world();
    const a = await createToken(t.db, { userId: w.leader.id, scope: `association:${w.association.id}` });
    await expect(revokeToken(t.db, { userId: w.stranger.id, tokenId: a.id })).rejects.toBeInstanceOf(NotFound);
    expect(await resolveToken(t.db, a.token, new Date())).not.toBeNull();
    expect(await revokeToken(t.db, { userId: w.leader.id, tokenId: a.id })).toBe("revoked");
    expect(await resolveToken(t.db, a.token, new Date())).toBeNull();
    expect(await listTokens(t.db, w.leader.id)).toEqual([]);
    // Revoking it again (a second tab) is no error; a stranger still learns nothing.
    expect(await revokeToken(t.db, { userId: w.leader.id, tokenId: a.id })).toBe("alreadyRevoked");
    await expect(revokeToken(t.db, { userId: w.stranger.id, tokenId: a.id })).rejects.toBeInstanceOf(NotFound);
    await expect(revokeToken(t.db, { userId: w.leader.id, tokenId: 999_999_999 })).rejects.toBeInstanceOf(NotFound);
  });

  it("ends a caretaker's token when they stop being caretaker", async () => {
    const w = await world();
    const a = await createToken(t.db, { userId: w.caretaker.id, scope: `venue-staff:${w.venue.id}` });
    await t.db.deleteFrom("site_caretakers").where("user_id", "=", w.caretaker.id).execute();
    expect(await resolveToken(t.db, a.token, new Date())).toBeNull();
  });
});

describe("the bookings trigger", () => {
  it("raises SEQUENCE and updated_at when code changes time or status without doing so", async () => {
    const w = await world();
    const { booking } = await requestBooking(
      t.db,
      { actorId: w.leader.id, venueId: w.venue.id, associationId: w.association.id, date: "2026-12-10", start: "10:00", end: "11:00", title: "Møte", expectedAttendees: 3 },
      new Date("2026-12-01T08:00:00Z"),
    );
    const moved = await t.db
      .updateTable("bookings")
      .set({ starts_at: new Date(booking.starts_at.getTime() + 3_600_000), ends_at: new Date(booking.ends_at.getTime() + 3_600_000) })
      .where("id", "=", booking.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(moved.sequence).toBe(booking.sequence + 1);
    expect(moved.updated_at.getTime()).toBeGreaterThan(booking.updated_at.getTime());
    const noted = await t.db.updateTable("bookings").set({ attendance: 3 }).where("id", "=", booking.id).returningAll().executeTakeFirstOrThrow();
    expect(noted.sequence).toBe(moved.sequence);
    expect(noted.updated_at.getTime()).toBeGreaterThan(moved.updated_at.getTime());
    const bumped = await t.db
      .updateTable("bookings")
      .set((eb) => ({ status: "cancelled", sequence: eb("sequence", "+", 1) }))
      .where("id", "=", booking.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(bumped.sequence).toBe(noted.sequence + 1);
  });
});
