// The CSV venue import against real PostgreSQL: the documented sample imports
// (so the docs cannot rot), one bad line keeps everything out, slugs are
// unique across the file and the database, only the owner's admins import,
// two imports at once leave one, and imported venues can be booked.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importVenues } from "../../app/admin/import.server";
import { requestBooking } from "../../app/booking/booking.server";
import { BookingConflict, Forbidden } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { makeWorld } from "../helpers/people";
import { runImport } from "../../scripts/lib/venue-import";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const SAMPLE = readFileSync("docs/import/venues-sample.csv", "utf8");
const venueCount = async () => Number((await t.db.selectFrom("venues").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const codes = (problems: { line: number | null; column: string | null; code: string }[]) => problems.map((p) => [p.line, p.column, p.code]);

describe("importing venues", () => {
  it("imports the sample file: sites, a hall with two halves, hours, rules and audit rows", async () => {
    const w = await makeWorld(t.db);
    const dry = await importVenues(t.db, { actorId: w.users.admin.id, text: SAMPLE, dryRun: true });
    expect(dry.problems).toEqual([]);
    expect(dry.venues.map((v) => [v.slug, v.id])).toContainEqual(["nordbyhallen", null]);
    expect(await t.db.selectFrom("venues").select("id").where("slug", "=", "nordbyhallen").executeTakeFirst()).toBeUndefined();

    const report = await importVenues(t.db, { actorId: w.users.admin.id, text: SAMPLE, dryRun: false });
    expect(report.problems).toEqual([]);
    expect(report.newSites).toEqual(["Nordby skole", "Nordby kulturhus"]);
    expect(report.venues.map((v) => v.slug)).toEqual(["nordbyhallen", "nordbyhallen-a", "nordbyhallen-b", "moterom-eika", "kulturhuskjokkenet"]);
    const venues = await t.db
      .selectFrom("venues as v")
      .innerJoin("sites as s", "s.id", "v.site_id")
      .select(["v.id", "v.slug", "v.parent_id", "v.kind", "v.capacity", "v.approval_mode", "v.weekly_quota_minutes", "s.name as site", "s.owner_id", "s.address"])
      .where("v.id", "in", report.venues.map((v) => v.id!))
      .orderBy("v.id")
      .execute();
    const hall = venues.find((v) => v.slug === "nordbyhallen")!;
    expect(hall).toMatchObject({ kind: "sports-hall", capacity: 300, approval_mode: "manual", weekly_quota_minutes: 480, site: "Nordby skole", owner_id: w.owner.id, address: "Skolevegen 12, 1430 Ås" });
    expect(venues.filter((v) => v.parent_id === hall.id).map((v) => v.slug)).toEqual(["nordbyhallen-a", "nordbyhallen-b"]);
    const eika = venues.find((v) => v.slug === "moterom-eika")!;
    const hours = await t.db.selectFrom("opening_hours").select(["weekday", "opens", "closes"]).where("venue_id", "=", eika.id).orderBy("weekday").orderBy("opens").execute();
    expect(hours.filter((h) => h.weekday === 1).map((h) => `${h.opens}-${h.closes}`)).toEqual(["08:00:00-16:00:00", "17:00:00-22:00:00"]);
    expect(hours.some((h) => h.weekday === 7)).toBe(false);
    const audit = await t.db.selectFrom("audit_log").select(["entity", "action"]).where("actor_id", "=", w.users.admin.id).execute();
    expect(audit.filter((a) => a.entity === "venue" && a.action === "created")).toHaveLength(5);
    expect(audit.filter((a) => a.entity === "site" && a.action === "created")).toHaveLength(2);

    // The same file again: every slug is taken now, and nothing more is written.
    const before = await venueCount();
    const again = await importVenues(t.db, { actorId: w.users.admin.id, text: SAMPLE, dryRun: false });
    expect(codes(again.problems)).toEqual([2, 4, 5, 6, 7].map((line) => [line, "slug", "slugInUse"]));
    expect(await venueCount()).toBe(before);
  });

  it("imports nothing from a file with one bad line among good ones, and names that line and column", async () => {
    const w = await makeWorld(t.db);
    const site = w.site.name;
    const text = `site;name;kind;capacity\n${site};Rom Alfa;meeting-room;10\n${site};Rom Beta;meeting-room;ti\n${site};Rom Gamma;meeting-room;10\n`;
    const before = await venueCount();
    const report = await importVenues(t.db, { actorId: w.users.admin.id, text, dryRun: false });
    expect(codes(report.problems)).toEqual([[3, "capacity", "wholeNumber"]]);
    expect(report.venues).toEqual([]);
    expect(await venueCount()).toBe(before);
  });

  it("reports every problem of a line at once: a slug in use beside a bad capacity, typed or made from the name", async () => {
    const w = await makeWorld(t.db);
    const site = w.site.name;
    await makeVenue(t.db, w.site.id, { name: "Gymsal Vest", slug: "gymsal-vest" });
    const text = `site;name;slug;kind;capacity\n${site};Noe nytt;${w.venue.slug};meeting-room;mange\n${site};Gymsal Vest;;meeting-room;ti\n`;
    const report = await importVenues(t.db, { actorId: w.users.admin.id, text, dryRun: true });
    expect(codes(report.problems)).toEqual([
      [2, "slug", "slugInUse"],
      [2, "capacity", "wholeNumber"],
      [3, "slug", "slugInUse"],
      [3, "capacity", "wholeNumber"],
    ]);
  });

  it("finds duplicate slugs in the file, unknown sites and parts of venues elsewhere", async () => {
    const w = await makeWorld(t.db);
    const other = await makeOwner(t.db);
    const site = w.site.name;
    const text = [
      "site;name;slug;kind;capacity;part_of",
      `${site};Sal X;sal-x;hall;40;`,
      `${site};Sal X kopi;sal-x;hall;40;`,
      `Ukjent skole;Rom;rom-ukjent;meeting-room;10;`,
      `${site};Storsalen halvdel;storsalen-halvdel;hall;40;${w.venue.slug}`, // an existing whole venue at the site: fine
      `${site};Fremmed del;fremmed-del;hall;40;ingen-slik`,
    ].join("\n");
    const report = await importVenues(t.db, { actorId: w.users.admin.id, text, dryRun: true });
    expect(codes(report.problems)).toEqual([
      [3, "slug", "duplicateSlug"],
      [4, "site", "unknownSite"],
      [6, "part_of", "partOfNotFound"],
    ]);
    // A site name of another owner is unknown here.
    const elsewhere = await importVenues(t.db, { actorId: w.users.admin.id, text: `site;name;kind;capacity\n${other.site.name};Rom;meeting-room;5`, dryRun: true });
    expect(codes(elsewhere.problems)).toEqual([[2, "site", "unknownSite"]]);
    // Another owner's venues are not there either: the report says nothing about them (here: that this one is a part).
    const theirs = await makeVenue(t.db, other.site.id);
    const theirPart = await makeVenue(t.db, other.site.id, { parent_id: theirs.id });
    for (const slug of [theirs.slug, theirPart.slug]) {
      const foreign = await importVenues(t.db, { actorId: w.users.admin.id, text: `site;name;kind;capacity;part_of\n${site};Del;hall;40;${slug}`, dryRun: true });
      expect(codes(foreign.problems), slug).toEqual([[2, "part_of", "partOfNotFound"]]);
    }

    const fine = await importVenues(t.db, { actorId: w.users.admin.id, text: `site;name;kind;capacity;part_of\n${site};Halvdel;hall;40;${w.venue.slug}`, dryRun: false });
    expect(fine.problems).toEqual([]);
    const half = await t.db.selectFrom("venues").select("parent_id").where("id", "=", fine.venues[0]!.id!).executeTakeFirstOrThrow();
    expect(half.parent_id).toBe(w.venue.id);
  });

  it("is for the owner's admins only", async () => {
    const w = await makeWorld(t.db);
    const other = await makeOwner(t.db);
    const otherAdmin = await makeUser(t.db);
    await t.db.insertInto("owner_admins").values({ owner_id: other.owner.id, user_id: otherAdmin.id }).execute();
    const text = `site;name;kind;capacity\n${w.site.name};Rom;meeting-room;5`;
    for (const actor of [w.users.memberA, w.users.leaderA, w.users.caretaker, w.users.outsider]) {
      await expect(importVenues(t.db, { actorId: actor.id, text, dryRun: false })).rejects.toBeInstanceOf(Forbidden);
    }
    await expect(importVenues(t.db, { actorId: otherAdmin.id, ownerId: w.owner.id, text, dryRun: false })).rejects.toBeInstanceOf(Forbidden);
    // Acting for their own owner, the other admin cannot reach w's site either.
    const own = await importVenues(t.db, { actorId: otherAdmin.id, text, dryRun: false });
    expect(codes(own.problems)).toEqual([[2, "site", "unknownSite"]]);
  });

  it("lets one of two imports of the same file win, and rolls the other back entirely", async () => {
    const w = await makeWorld(t.db);
    const text = SAMPLE.replaceAll("nordbyhallen", "sorbyhallen").replace("moterom-eika", "moterom-bjork").replace(";Kulturhuskjøkkenet;;", ";Kulturhuskjøkkenet;kjokken-sorby;");
    const before = await venueCount();
    const [a, b] = await Promise.all([
      importVenues(t.db, { actorId: w.users.admin.id, text, dryRun: false }),
      importVenues(t.db, { actorId: w.users.admin.id, text, dryRun: false }),
    ]);
    const winners = [a, b].filter((r) => r.problems.length === 0);
    expect(winners).toHaveLength(1);
    const loser = [a, b].find((r) => r.problems.length > 0)!;
    expect(loser.problems[0]).toMatchObject({ column: "slug" });
    expect(loser.venues).toEqual([]);
    expect(await venueCount()).toBe(before + 5);
    const sites = await t.db.selectFrom("sites").select("id").where("owner_id", "=", w.owner.id).where("name", "=", "Nordby skole").execute();
    expect(sites).toHaveLength(1);
  });

  it("makes venues that can be booked within their hours, and a whole hall blocks its halves", async () => {
    const w = await makeWorld(t.db);
    const text = SAMPLE.replaceAll("nordbyhallen", "vestbyhallen").replace("moterom-eika", "moterom-lind").replace(";Kulturhuskjøkkenet;;", ";Kulturhuskjøkkenet;kjokken-vestby;");
    const report = await importVenues(t.db, { actorId: w.users.admin.id, text, dryRun: false });
    expect(report.problems).toEqual([]);
    const id = (slug: string) => report.venues.find((v) => v.slug === slug)!.id!;
    // 2027-03-08 is a Monday; the halves open 16:00–22:30 on weekdays, approve automatically and need an hour's notice.
    const now = new Date("2027-03-01T10:00:00Z");
    const base = { actorId: w.users.leaderA.id, associationId: w.a.id, date: "2027-03-08", title: "Trening", purpose: "Håndball", isPublic: false, expectedAttendees: 20 };
    const half = await requestBooking(t.db, { ...base, venueId: id("vestbyhallen-a"), start: "17:00", end: "19:00" }, now);
    expect(half.booking.status).toBe("confirmed");
    // The whole hall (manual approval) overlaps the half's booking, buffer included.
    await expect(requestBooking(t.db, { ...base, venueId: id("vestbyhallen"), start: "18:00", end: "20:00" }, now)).rejects.toBeInstanceOf(BookingConflict);
    // Outside the opening hours, it is refused.
    await expect(requestBooking(t.db, { ...base, venueId: id("vestbyhallen-b"), start: "10:00", end: "12:00" }, now)).rejects.toMatchObject({ code: "outsideOpeningHours" });
  });

  it("works from the command line: the same report, and an exit code that says how it went", async () => {
    const w = await makeWorld(t.db);
    const dir = mkdtempSync(path.join(tmpdir(), "flokk-import-"));
    const file = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const bad = file("bad.csv", `site;name;kind;capacity\n${w.site.name};Rom A;meeting-room;10\n${w.site.name};Rom B;meeting-room;ti\n`);
    const good = file("good.csv", `site;name;kind;capacity\n${w.site.name};Loftet;meeting-room;10\n`);
    const run = async (...argv: string[]) => {
      const lines: string[] = [];
      const code = await runImport(t.db, argv, (l) => lines.push(l));
      return { code, out: lines.join("\n") };
    };
    const before = await venueCount();
    const failed = await run("--owner", w.owner.slug, "--as", w.users.admin.email, bad, "--lang", "nb");
    expect(failed.code).toBe(1);
    expect(failed.out).toContain("Linje 3, capacity: Kapasitet må være et helt tall.");
    const checked = await run("--owner", w.owner.slug, "--as", w.users.admin.email.toUpperCase(), good, "--dry-run", "--lang", "en");
    expect(checked).toMatchObject({ code: 0 });
    expect(checked.out).toContain("1 venue can be imported");
    expect(await venueCount()).toBe(before);
    expect((await run("--owner", w.owner.slug, "--as", w.users.admin.email, good)).code).toBe(0);
    expect(await venueCount()).toBe(before + 1);
    const caretaker = await run("--owner", w.owner.slug, "--as", w.users.caretaker.email, good, "--lang", "en");
    expect(caretaker.code).toBe(2);
    expect(await venueCount()).toBe(before + 1);
    expect((await run(good)).code).toBe(2);
    expect((await run("--owner", "no-such-owner", "--as", w.users.admin.email, good)).code).toBe(2);
  });
});
