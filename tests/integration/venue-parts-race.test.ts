// A booking whose venue gets a new part between reading the venue and writing
// the booking. The admin's change holds the hall's row; the booking's write
// waits for it, then finds the hall's spaces changed: a single booking reads
// the venue again and claims the new part too, so a booking of that part at
// the same time conflicts; a series is refused with VenueChanged and writes
// nothing. Without the check the booking would claim the old spaces only and
// the part could be booked over it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "../../db/client";
import { venueInputSchema } from "../../app/admin/venue-input";
import { createVenue } from "../../app/admin/venues.server";
import { requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import { BookingConflict, VenueChanged } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";

const NOW = new Date("2026-08-20T08:00:00Z");
const DAY = "2026-09-01"; // a Tuesday

let t: TestDb;
let booker: Database; // the booking's own connection, beside the admin's
let siteId: number;
let adminId: number;
let n = 0;

beforeAll(async () => {
  t = await createTestDb({ max: 2 });
  booker = createDb(t.url, { max: 1 });
  const { owner, site } = await makeOwner(t.db);
  siteId = site.id;
  adminId = (await makeUser(t.db, "Admin")).id;
  await t.db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: adminId }).execute();
});
afterAll(async () => {
  await booker.destroy();
  await dropTestDb(t);
});

function partInput() {
  n++;
  return venueInputSchema.parse({
    name: `Halvdel ${n}`,
    slug: `halvdel-${n}-${Date.now().toString(36)}`,
    kind: "sports-hall",
    capacity: "50",
    approvalMode: "auto",
    minDurationMinutes: "30",
    maxDurationMinutes: "600",
    horizonDays: "400",
    minNoticeMinutes: "0",
    bufferMinutes: "0",
  });
}

/**
 * Adds a part to the hall in a transaction that stays open until `during`
 * has run and the caller's write has had time to start waiting on the lock.
 */
async function addPartWhile(hallId: number, during: () => Promise<unknown>): Promise<{ partId: number; outcome: PromiseSettledResult<unknown> }> {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let created!: (id: number) => void;
  const partCreated = new Promise<number>((r) => {
    created = r;
  });
  const admin = t.db.transaction().execute(async (trx) => {
    const part = await createVenue(trx, { actorId: adminId, siteId, parentId: hallId, input: partInput(), hours: [{ weekday: 2, opens: "08:00", closes: "22:00" }] });
    created(part.id);
    await held;
  });
  const partId = await partCreated;
  let settled = false;
  const write = during().finally(() => {
    settled = true;
  });
  await new Promise((r) => setTimeout(r, 400));
  // The write waits for the admin's change: it cannot have finished yet.
  expect(settled).toBe(false);
  release();
  await admin;
  const [outcome] = await Promise.allSettled([write]);
  return { partId, outcome: outcome! };
}

describe("a part added while the whole is being booked", () => {
  it("the booking is written against the new parts and blocks the new half", async () => {
    const hall = await makeVenue(t.db, siteId, { name: "Hallen" });
    const { association, leader } = await makeAssociation(t.db);
    const request = { actorId: leader.id, venueId: hall.id, associationId: association.id, date: DAY, start: "10:00", end: "11:00", title: "Hele hallen", isPublic: false, expectedAttendees: 10 };
    // The context (parts included) is read before the admin's change commits.
    const { partId, outcome } = await addPartWhile(hall.id, () => requestBooking(booker, request, NOW));
    expect(outcome.status).toBe("fulfilled");
    const booking = (outcome as PromiseFulfilledResult<Awaited<ReturnType<typeof requestBooking>>>).value.booking;
    const claims = await t.db.selectFrom("booking_claims").select("space_id").where("booking_id", "=", booking.id).execute();
    expect(claims.map((c) => Number(c.space_id))).toEqual([partId]);

    const other = await makeAssociation(t.db);
    await expect(
      requestBooking(t.db, { ...request, actorId: other.leader.id, associationId: other.association.id, venueId: partId, title: "Halvdelen" }, NOW),
    ).rejects.toBeInstanceOf(BookingConflict);
  });

  it("a weekly series is refused with VenueChanged and writes nothing", async () => {
    const hall = await makeVenue(t.db, siteId, { name: "Hallen 2" });
    const { association, leader } = await makeAssociation(t.db);
    const series = {
      actorId: leader.id,
      venueId: hall.id,
      associationId: association.id,
      title: "Trening",
      isPublic: false,
      expectedAttendees: 10,
      weekday: 2,
      startTime: "18:00",
      durationMinutes: 60,
      intervalWeeks: 1,
      from: DAY,
      until: "2026-09-22",
    };
    const { outcome } = await addPartWhile(hall.id, () => createSeries(booker, series, NOW));
    expect(outcome.status).toBe("rejected");
    expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(VenueChanged);
    const rows = await t.db.selectFrom("bookings").select("id").where("venue_id", "=", hall.id).execute();
    expect(rows).toHaveLength(0);
  });
});
