// Sessions in the database. The cookie carries a random id (256 bits); the
// table holds only its SHA-256. A session lasts SESSION_DAYS after it was last
// used, and its row is touched at most every TOUCH_MINUTES so that reading
// pages does not write on every request.
import type { Kysely, Transaction } from "kysely";
import type { DB } from "db/schema";
import { randomToken, sha256 } from "./secrets.server";
import type { SessionUser } from "./users.server";

export const SESSION_DAYS = 30;
export const TOUCH_MINUTES = 5;

const DAY = 86_400_000;
const expiryFrom = (now: Date) => new Date(now.getTime() + SESSION_DAYS * DAY);

/** Starts a session for the user; returns the id for the cookie (never stored as is). */
export async function createSession(trx: Transaction<DB>, userId: number, now: Date): Promise<string> {
  const id = randomToken();
  await trx
    .insertInto("sessions")
    .values({ id_hash: sha256(id), user_id: userId, created_at: now, last_seen_at: now, expires_at: expiryFrom(now) })
    .execute();
  // The user's own long-dead sessions go while we are here; every sign-in request purges all expired ones (sign-in.server.ts).
  await trx.deleteFrom("sessions").where("user_id", "=", userId).where("expires_at", "<=", now).execute();
  return id;
}

export interface FoundSession {
  user: SessionUser;
  expiresAt: Date;
  /** The expiry moved forward on this read: the cookie should be sent again. */
  refreshed: boolean;
}

/** The live session with this id and its user, sliding its expiry forward; null when unknown or expired. */
export async function findSession(db: Kysely<DB>, id: string, now: Date): Promise<FoundSession | null> {
  const idHash = sha256(id);
  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["u.id", "u.email", "u.name", "u.locale", "s.last_seen_at", "s.expires_at"])
    // Asked here, in the one query every signed-in page makes anyway.
    .select((eb) => [
      eb
        .or([
          eb.exists(eb.selectFrom("site_caretakers as c").select("c.user_id").whereRef("c.user_id", "=", "u.id")),
          eb.exists(
            eb.selectFrom("owner_admins as oa").innerJoin("sites as st", "st.owner_id", "oa.owner_id").select("oa.user_id").whereRef("oa.user_id", "=", "u.id"),
          ),
        ])
        .as("manages_sites"),
      eb.exists(eb.selectFrom("owner_admins as ad").select("ad.user_id").whereRef("ad.user_id", "=", "u.id")).as("is_admin"),
    ])
    .where("s.id_hash", "=", idHash)
    .where("s.expires_at", ">", now)
    .executeTakeFirst();
  if (!row) return null;
  const user: SessionUser = { id: row.id, email: row.email, name: row.name, locale: row.locale, managesSites: Boolean(row.manages_sites), isAdmin: Boolean(row.is_admin) };
  if (now.getTime() - row.last_seen_at.getTime() < TOUCH_MINUTES * 60_000) {
    return { user, expiresAt: row.expires_at, refreshed: false };
  }
  const expiresAt = expiryFrom(now);
  // Conditional, so a session ended meanwhile (sign-out elsewhere) stays ended.
  const touched = await db
    .updateTable("sessions")
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where("id_hash", "=", idHash)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (touched.numUpdatedRows === 0n) return null;
  return { user, expiresAt, refreshed: true };
}

export async function endSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", sha256(id)).execute();
}

/** Signs the user out on every device; returns how many sessions ended. */
export async function endAllSessions(db: Kysely<DB>, userId: number): Promise<number> {
  const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** For a scheduled job: rows of sessions that can no longer be used. */
export async function purgeExpiredSessions(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
