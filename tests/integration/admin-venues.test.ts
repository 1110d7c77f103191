// Owner admins create, edit, archive and restore venues: who may (admins of
// the venue's owner only), what is refused (taken slugs, bad wholes, moving),
// what is audited, and what the booking engine and search make of it — a new
// half is blocked by a whole-hall booking made before it existed, an
// archived venue cannot be booked or found, a restored half is claimed again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveVenue, unarchiveVenue } from "../../app/admin/venue-archive.server";
import { type VenueInput, VENUE_DEFAULTS, VENUE_LIMITS, venueInputSchema } from "../../app/admin/venue-input";
import { createVenue, updateVenue } from "../../app/admin/venues.server";
import { requestBooking } from "../../app/booking/booking.server";
import { createSeries } from "../../app/booking/series.server";
import { BookingConflict, Forbidden, NotFound, VenueHasBookings } from "../../app/errors/domain-errors";
import { searchVenues } from "../../app/venues/search.server";
import { getVenueBySlug } from "../../app/venues/venues.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser } from "../helpers/fixtures";

let t: TestDb;
const NOW = new Date("2027-03-01T12:00:00Z");
// Wednesdays on winter time in Oslo, well within every venue's horizon.
const DAY = "2027-03-10";
const DAY2 = "2027-03-17";

let admin: number;
let otherAdmin: number;
let caretaker: number;
let site: number;
let otherSite: number;
let secondSite: number;
let booker: { actorId: number; associationId: number };
let slugNo = 0;

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: "08:00", closes: "22:00" }));

function input(name: string, extra: Record<string, string> = {}): VenueInput {
  return venueInputSchema.parse({ ...VENUE_DEFAULTS, name, slug: `${name.toLowerCase().replace(/\W+/g, "-")}-${++slugNo}`, capacity: "40", minNoticeMinutes: "0", ...extra });
}

async function newVenue(name: string, parentId: number | null = null, extra: Record<string, string> = {}) {
  return t.db.transaction().execute((trx) => createVenue(trx, { actorId: admin, siteId: site, parentId, input: input(name, extra), hours: ALL_WEEK }));
}

async function book(venueId: number, date: string, start: string, end: string, title = "Trening") {
  const { booking } = await requestBooking(t.db, { ...booker, venueId, title, expectedAttendees: 5, date, start, end }, NOW);
  return booking;
}

const audits = (id: number) =>
  t.db.selectFrom("audit_log").select(["action", "actor_id", "before", "after"]).where("entity", "=", "venue").where("entity_id", "=", String(id)).orderBy("id").execute();
const archivedAt = async (id: number) => (await t.db.selectFrom("venues").select("archived_at").where("id", "=", id).executeTakeFirstOrThrow()).archived_at;

beforeAll(async () => {
  t = await createTestDb();
  const mine = await makeOwner(t.db, "Europe/Oslo");
  const theirs = await makeOwner(t.db, "Europe/Copenhagen");
  site = mine.site.id;
  otherSite = theirs.site.id;
  secondSite = (await t.db.insertInto("sites").values({ owner_id: mine.owner.id, name: "Samfunnshuset", address: "Torget 1" }).returning("id").executeTakeFirstOrThrow()).id;
  admin = (await makeUser(t.db, "Ingrid Admin")).id;
  otherAdmin = (await makeUser(t.db, "Annen Admin")).id;
  caretaker = (await makeUser(t.db, "Ola Vaktmester")).id;
  await t.db.insertInto("owner_admins").values([{ owner_id: mine.owner.id, user_id: admin }, { owner_id: theirs.owner.id, user_id: otherAdmin }]).execute();
  await t.db.insertInto("site_caretakers").values({ site_id: site, user_id: caretaker }).execute();
  const a = await makeAssociation(t.db);
  booker = { actorId: a.leader.id, associationId: a.association.id };
});
afterAll(() => dropTestDb(t));

describe("creating a venue", () => {
  it("stores the fields, the owner's time zone, the hours and an audit row; the venue can be booked at once", async () => {
    const v = await newVenue("Gymsalen", null, { amenities: "wifi;mirrors", stepFree: "on", weeklyQuotaMinutes: "240", approvalMode: "auto" });
    const row = await t.db.selectFrom("venues").selectAll().where("id", "=", v.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ site_id: site, parent_id: null, amenities: ["wifi", "mirrors"], step_free: true, weekly_quota_minutes: 240, time_zone: "Europe/Oslo" });
    expect(await t.db.selectFrom("opening_hours").select("weekday").where("venue_id", "=", v.id).execute()).toHaveLength(7);
    expect((await audits(v.id)).map((a) => [a.action, a.actor_id])).toEqual([["created", admin]]);
    expect((await book(v.id, DAY, "10:00", "11:00")).status).toBe("confirmed");
  });

  it("refuses caretakers, admins of another owner, and a site of another owner", async () => {
    const attempt = (actorId: number, siteId: number) => t.db.transaction().execute((trx) => createVenue(trx, { actorId, siteId, parentId: null, input: input("Ulovlig") }));
    await expect(attempt(caretaker, site)).rejects.toBeInstanceOf(Forbidden);
    await expect(attempt(otherAdmin, site)).rejects.toBeInstanceOf(Forbidden);
    await expect(attempt(admin, otherSite)).rejects.toBeInstanceOf(Forbidden);
    expect(await t.db.selectFrom("venues").select("id").where("name", "=", "Ulovlig").execute()).toEqual([]);
  });

  it("refuses a slug that is taken", async () => {
    const first = await newVenue("Peisestua");
    const again = { ...input("Peisestua 2"), slug: first.slug };
    await expect(t.db.transaction().execute((trx) => createVenue(trx, { actorId: admin, siteId: site, parentId: null, input: again }))).rejects.toMatchObject({ fields: { slug: "slugTaken" } });
  });

  it("numbers a slug made from the name when another venue has it (two 'Gymsal' in different buildings)", async () => {
    const fromName = (siteId: number) =>
      t.db.transaction().execute((trx) =>
        createVenue(trx, { actorId: admin, siteId, parentId: null, input: venueInputSchema.parse({ ...VENUE_DEFAULTS, name: "Lille gymsal", capacity: "20" }) }),
      );
    expect((await fromName(site)).slug).toBe("lille-gymsal");
    expect((await fromName(secondSite)).slug).toBe("lille-gymsal-2");
    expect((await fromName(secondSite)).slug).toBe("lille-gymsal-3");
    // A name longer than a slug may be: cut, then numbered within the limit.
    const long = "Det store og svært lange navnet på flerbrukshallen ved ungdomsskolen i sentrum av kommunen";
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(
        (
          await t.db.transaction().execute((trx) =>
            createVenue(trx, { actorId: admin, siteId: site, parentId: null, input: venueInputSchema.parse({ ...VENUE_DEFAULTS, name: long, capacity: "20" }) }),
          )
        ).slug,
      );
    }
    expect(new Set(made).size).toBe(3);
    for (const slug of made) expect(slug.length <= VENUE_LIMITS.slug && !slug.includes("--")).toBe(true);
  });

  it("says only that the name is missing when it is, not also that no slug can be made from it", () => {
    const r = venueInputSchema.safeParse({ ...VENUE_DEFAULTS, name: "", capacity: "20" });
    expect(r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["name", "required"]]);
  });

  it("names the slug, not a 500, when another admin takes it between the check and the write", async () => {
    const same = input("Kapellet");
    let inserted!: () => void;
    let release!: () => void;
    const ready = new Promise<void>((r) => (inserted = r));
    const gate = new Promise<void>((r) => (release = r));
    const first = t.db.transaction().execute(async (trx) => {
      await createVenue(trx, { actorId: admin, siteId: site, parentId: null, input: same });
      inserted();
      await gate;
    });
    await ready;
    // Its check cannot see the uncommitted row; its insert waits on the unique index, then is refused.
    const second = t.db.transaction().execute((trx) => createVenue(trx, { actorId: admin, siteId: site, parentId: null, input: { ...same, name: "Kapellet 2" } }));
    const outcome = second.catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    release();
    await first;
    expect(await outcome).toMatchObject({ fields: { slug: "slugTaken" } });
  });

  it("accepts a whole at the same site only: not a part, not archived, not elsewhere", async () => {
    const hall = await newVenue("Hallen");
    const half = await newVenue("Halvdel", hall.id);
    const archived = await newVenue("Gamlehallen");
    await archiveVenue(t.db, { actorId: admin, venueId: archived.id }, NOW);
    const elsewhere = await t.db.transaction().execute((trx) => createVenue(trx, { actorId: admin, siteId: secondSite, parentId: null, input: input("Storstua") }));
    for (const parentId of [half.id, archived.id, elsewhere.id, 999_999]) {
      await expect(t.db.transaction().execute((trx) => createVenue(trx, { actorId: admin, siteId: site, parentId, input: input("Kvart") }))).rejects.toMatchObject({ fields: { parentId: "invalidParent" } });
    }
  });

  it("gives a new half the claims of the whole hall's bookings made before the half existed", async () => {
    const hall = await newVenue("Idrettshallen");
    const whole = await book(hall.id, DAY, "10:00", "12:00", "Hele hallen");
    const half = await newVenue("Hallen A", hall.id);
    await expect(book(half.id, DAY, "11:00", "13:00")).rejects.toBeInstanceOf(BookingConflict);
    await expect(book(half.id, DAY, "11:00", "13:00")).rejects.toMatchObject({ conflictingBookingId: whole.id });
    // Outside the whole hall's booking the half is free.
    expect((await book(half.id, DAY, "12:00", "13:00")).status).toBe("confirmed");
  });
});

describe("editing a venue", () => {
  it("changes details and rules with a before/after audit row; the engine uses the new rules, the zone stays", async () => {
    const v = await newVenue("Møterom 1");
    const changed = input("Møterom Nord", { slug: "moterom-nord", approvalMode: "manual", capacity: "12", amenities: "projector" });
    await updateVenue(t.db, { actorId: admin, venueId: v.id, input: changed });
    const row = await t.db.selectFrom("venues").selectAll().where("id", "=", v.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: "Møterom Nord", slug: "moterom-nord", approval_mode: "manual", capacity: 12, amenities: ["projector"], time_zone: "Europe/Oslo", site_id: site });
    const last = (await audits(v.id)).at(-1)!;
    expect(last.action).toBe("updated");
    expect(last.before).toMatchObject({ name: "Møterom 1", approval_mode: "auto" });
    expect(last.after).toMatchObject({ name: "Møterom Nord", approval_mode: "manual" });
    expect((await book(v.id, DAY, "10:00", "11:00")).status).toBe("pending");
  });

  it("keeps its own slug, refuses another venue's, and refuses moving", async () => {
    const v = await newVenue("Kjøkkenet");
    const other = await newVenue("Kafeen");
    await updateVenue(t.db, { actorId: admin, venueId: v.id, input: { ...input("Kjøkkenet"), slug: v.slug } });
    await expect(updateVenue(t.db, { actorId: admin, venueId: v.id, input: { ...input("Kjøkkenet"), slug: other.slug } })).rejects.toMatchObject({ fields: { slug: "slugTaken" } });
    await expect(updateVenue(t.db, { actorId: admin, venueId: v.id, input: input("Kjøkkenet"), siteId: secondSite })).rejects.toMatchObject({ fields: { siteId: "cannotMove" } });
    await expect(updateVenue(t.db, { actorId: admin, venueId: v.id, input: input("Kjøkkenet"), parentId: other.id })).rejects.toMatchObject({ fields: { parentId: "cannotMove" } });
    expect((await t.db.selectFrom("venues").select(["slug", "parent_id"]).where("id", "=", v.id).executeTakeFirstOrThrow())).toEqual({ slug: v.slug, parent_id: null });
  });

  it("refuses caretakers and other owners' admins, and an unknown venue", async () => {
    const v = await newVenue("Lesesalen");
    for (const actorId of [caretaker, otherAdmin]) {
      await expect(updateVenue(t.db, { actorId, venueId: v.id, input: input("Kapret") })).rejects.toBeInstanceOf(Forbidden);
      await expect(archiveVenue(t.db, { actorId, venueId: v.id }, NOW)).rejects.toBeInstanceOf(Forbidden);
    }
    await expect(updateVenue(t.db, { actorId: admin, venueId: 999_999, input: input("Borte") })).rejects.toBeInstanceOf(NotFound);
    expect((await t.db.selectFrom("venues").select("name").where("id", "=", v.id).executeTakeFirstOrThrow()).name).toBe("Lesesalen");
    expect(await archivedAt(v.id)).toBeNull();
  });
});

describe("archiving a venue", () => {
  it("archives a whole with its parts; they cannot be booked, found or shown; audit rows for each", async () => {
    const hall = await newVenue("Storhallen");
    const half = await newVenue("Storhallen B", hall.id);
    expect(await archiveVenue(t.db, { actorId: admin, venueId: hall.id }, NOW)).toBe(true);
    expect(await archivedAt(hall.id)).toEqual(NOW);
    expect(await archivedAt(half.id)).toEqual(NOW);
    await expect(book(hall.id, DAY, "10:00", "11:00")).rejects.toBeInstanceOf(NotFound);
    await expect(book(half.id, DAY, "10:00", "11:00")).rejects.toMatchObject({ params: { what: "venue" } });
    const series = { ...booker, venueId: hall.id, title: "Trening", expectedAttendees: 5, weekday: 3, startTime: "18:00", durationMinutes: 60, intervalWeeks: 1, from: DAY, until: DAY2 };
    await expect(createSeries(t.db, series, NOW)).rejects.toBeInstanceOf(NotFound);
    expect(await t.db.selectFrom("bookings").select("id").where("venue_id", "in", [hall.id, half.id]).execute()).toEqual([]);
    const found = (await searchVenues(t.db, {}, NOW)).venues.map((v) => v.id);
    expect(found).not.toContain(hall.id);
    expect(found).not.toContain(half.id);
    expect(await getVenueBySlug(t.db, hall.slug)).toBeUndefined();
    for (const id of [hall.id, half.id]) expect((await audits(id)).at(-1)).toMatchObject({ action: "archived", actor_id: admin });
    // Archiving again changes nothing.
    expect(await archiveVenue(t.db, { actorId: admin, venueId: hall.id }, NOW)).toBe(false);
  });

  it("lists active future bookings and archives only when the admin keeps them", async () => {
    const v = await newVenue("Musikkrommet");
    const booking = await book(v.id, DAY, "18:00", "20:00", "Korpsøving");
    const refused = await archiveVenue(t.db, { actorId: admin, venueId: v.id }, NOW).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VenueHasBookings);
    expect((refused as VenueHasBookings).canKeep).toBe(true);
    expect((refused as VenueHasBookings).bookings).toMatchObject([{ id: booking.id, title: "Korpsøving", venueName: "Musikkrommet" }]);
    expect(await archivedAt(v.id)).toBeNull();

    // A booking made after the admin saw the list is not kept unseen: the list comes again.
    const later = await book(v.id, DAY2, "18:00", "20:00", "Konsert");
    const stale = await archiveVenue(t.db, { actorId: admin, venueId: v.id, keep: [booking.id] }, NOW).catch((e: unknown) => e);
    expect((stale as VenueHasBookings).bookings.map((b) => b.id)).toEqual([booking.id, later.id]);
    expect(await archivedAt(v.id)).toBeNull();

    expect(await archiveVenue(t.db, { actorId: admin, venueId: v.id, keep: [booking.id, later.id] }, NOW)).toBe(true);
    expect(await archivedAt(v.id)).toEqual(NOW);
    expect((await t.db.selectFrom("bookings").select("status").where("id", "=", booking.id).executeTakeFirstOrThrow()).status).toBe("confirmed");
    expect((await audits(v.id)).at(-1)!.after).toMatchObject({ kept_bookings: [booking.id, later.id] });
  });

  it("does not count bookings that are over or cancelled", async () => {
    const v = await newVenue("Verkstedet");
    await book(v.id, DAY, "10:00", "11:00");
    // A day after the booking, it is history.
    expect(await archiveVenue(t.db, { actorId: admin, venueId: v.id }, new Date("2027-03-11T12:00:00Z"))).toBe(true);
  });

  it("refuses to archive a part with bookings ahead, even when asked to keep them", async () => {
    const hall = await newVenue("Flerbrukshallen");
    const half = await newVenue("Flerbrukshallen A", hall.id);
    const booking = await book(half.id, DAY, "10:00", "11:00");
    const refused = await archiveVenue(t.db, { actorId: admin, venueId: half.id, keep: [booking.id] }, NOW).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VenueHasBookings);
    expect((refused as VenueHasBookings).canKeep).toBe(false);
    expect(await archivedAt(half.id)).toBeNull();
  });

  it("keeps the whole hall's bookings blocking it when its last part is archived (the whole becomes a leaf again)", async () => {
    const hall = await newVenue("Grendehallen");
    const half = await newVenue("Grendehallen A", hall.id);
    // Booked while the half existed: it claims the half only.
    const whole = await book(hall.id, DAY, "10:00", "12:00", "Hele hallen");
    expect(await archiveVenue(t.db, { actorId: admin, venueId: half.id }, NOW)).toBe(true);
    await expect(book(hall.id, DAY, "11:00", "13:00")).rejects.toMatchObject({ conflictingBookingId: whole.id });
    expect((await book(hall.id, DAY, "12:00", "13:00")).status).toBe("confirmed");
    // Restoring the half gives the booking made meanwhile a claim on it; nothing overlaps.
    expect(await unarchiveVenue(t.db, { actorId: admin, venueId: half.id }, NOW)).toBe(true);
    await expect(book(half.id, DAY, "12:30", "13:30")).rejects.toBeInstanceOf(BookingConflict);
    await expect(book(half.id, DAY, "11:00", "11:30")).rejects.toMatchObject({ conflictingBookingId: whole.id });
  });
});

describe("restoring a venue", () => {
  it("restores a whole with the parts archived with it, not a part archived before", async () => {
    const hall = await newVenue("Kulturhallen");
    const a = await newVenue("Kulturhallen A", hall.id);
    const b = await newVenue("Kulturhallen B", hall.id);
    await archiveVenue(t.db, { actorId: admin, venueId: b.id }, NOW);
    await archiveVenue(t.db, { actorId: admin, venueId: hall.id }, new Date(NOW.getTime() + 60_000));
    // A part cannot come back while its whole is archived.
    await expect(unarchiveVenue(t.db, { actorId: admin, venueId: a.id }, NOW)).rejects.toMatchObject({ fields: { parentId: "parentArchived" } });
    await expect(unarchiveVenue(t.db, { actorId: caretaker, venueId: hall.id }, NOW)).rejects.toBeInstanceOf(Forbidden);

    expect(await unarchiveVenue(t.db, { actorId: admin, venueId: hall.id }, NOW)).toBe(true);
    expect(await archivedAt(hall.id)).toBeNull();
    expect(await archivedAt(a.id)).toBeNull();
    expect(await archivedAt(b.id)).toEqual(NOW);
    expect((await audits(hall.id)).at(-1)).toMatchObject({ action: "unarchived", actor_id: admin });
    expect((await book(hall.id, DAY, "10:00", "11:00")).status).toBe("confirmed");
  });

  it("claims a restored half for the whole hall's bookings made while it was archived", async () => {
    const hall = await newVenue("Bygdehallen");
    const a = await newVenue("Bygdehallen A", hall.id);
    const b = await newVenue("Bygdehallen B", hall.id);
    await archiveVenue(t.db, { actorId: admin, venueId: b.id }, NOW);
    // Booked while B was archived: it claims A only.
    const whole = await book(hall.id, DAY2, "10:00", "12:00", "Hele hallen");
    expect(await unarchiveVenue(t.db, { actorId: admin, venueId: b.id }, NOW)).toBe(true);
    await expect(book(b.id, DAY2, "11:00", "12:00")).rejects.toMatchObject({ conflictingBookingId: whole.id });
    await expect(book(a.id, DAY2, "11:00", "12:00")).rejects.toBeInstanceOf(BookingConflict);
    expect((await book(b.id, DAY2, "12:00", "13:00")).status).toBe("confirmed");
  });
});

