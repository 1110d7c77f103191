// People for route tests: a signed-in browser for a user (a real session row
// and its signed cookie, as completing sign-in leaves them), and a small world
// with every role the authorization rules know: two associations (A and B)
// with a leader and a member each, a caretaker of the venue's site, an owner
// admin, and someone signed in who belongs nowhere.
import { createSession } from "../../app/accounts/sessions.server";
import { sessionCookie } from "../../app/accounts/session.server";
import type { Database } from "../../db/client";
import { localDateOf, addDays, weekdayOf } from "../../app/time/zoned";
import { TestBrowser, type BrowserOptions } from "./browser";
import { makeAssociation, makeOwner, makeUser, makeVenue, type VenueOptions } from "./fixtures";

let clientNo = 0;

/** A browser signed in as the user (Accept-Language from `language`). */
export async function signedIn(db: Database, userId: number, options: BrowserOptions = {}): Promise<TestBrowser> {
  const browser = new TestBrowser({ clientAddress: `198.51.100.${(++clientNo % 250) + 1}`, ...options });
  const id = await db.transaction().execute((trx) => createSession(trx, userId, new Date()));
  browser.store(new Headers({ "Set-Cookie": await sessionCookie(id) }));
  return browser;
}

export function anonymous(options: BrowserOptions = {}): TestBrowser {
  return new TestBrowser({ clientAddress: `198.51.100.${(++clientNo % 250) + 1}`, ...options });
}

/** A local date (Europe/Oslo) `days` from today. */
export function daysFromToday(days: number): string {
  return addDays(localDateOf(new Date(), "Europe/Oslo"), days);
}

/** The first date on `weekday` (1 = Monday) at least `minDays` from today. */
export function nextWeekday(weekday: number, minDays = 7): string {
  const from = daysFromToday(minDays);
  return addDays(from, (weekday - weekdayOf(from) + 7) % 7);
}

export type Role = "anonymous" | "memberA" | "memberB" | "leaderA" | "caretaker" | "admin" | "outsider";

export async function makeWorld(db: Database, venueOptions: VenueOptions = {}) {
  const { owner, site } = await makeOwner(db, "Europe/Oslo");
  const venue = await makeVenue(db, site.id, { name: "Storsalen", capacity: 80, ...venueOptions });
  const a = await makeAssociation(db);
  const b = await makeAssociation(db);
  const memberA = await makeUser(db, "Mona Medlem");
  const memberB = await makeUser(db, "Bjørn B");
  await db
    .insertInto("memberships")
    .values([
      { association_id: a.association.id, user_id: memberA.id, role: "member" },
      { association_id: b.association.id, user_id: memberB.id, role: "member" },
    ])
    .execute();
  const caretaker = await makeUser(db, "Ola Vaktmester");
  await db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  const admin = await makeUser(db, "Ingrid Admin");
  await db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: admin.id }).execute();
  const outsider = await makeUser(db, "Utenfor");
  const users = { memberA, memberB, leaderA: a.leader, leaderB: b.leader, caretaker, admin, outsider };
  return { owner, site, venue, a: a.association, b: b.association, users };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;

/** A browser for the role (anonymous: nobody signed in). */
export async function browserFor(db: Database, world: World, role: Role, options: BrowserOptions = {}): Promise<TestBrowser> {
  if (role === "anonymous") return anonymous(options);
  return signedIn(db, world.users[role].id, options);
}
