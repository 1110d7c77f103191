// Calendar subscription links are capability URLs: whoever holds the token
// reads the feed. 256 random bits, shown once, stored only as a SHA-256 hash;
// one active token per person and feed; revocable; and the right behind it is
// checked again on every use, so leaving an association or a site ends it.
import { randomToken, sha256 } from "~/accounts/secrets.server";
import { sql } from "kysely";
import type { Database } from "db/client";
import { isMember, managesSite } from "~/accounts/authorization.server";
import { Forbidden, InvalidInput, NotFound } from "~/errors/domain-errors";

export type FeedScope =
  | { kind: "venue-staff"; venueId: number }
  | { kind: "association"; associationId: number }
  | { kind: "person"; userId: number };

const SCOPE = /^(venue-staff|association|person):([1-9][0-9]{0,14})$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often, not on every fetch. */
const TOUCH_INTERVAL_MS = 60_000;

export function parseScope(scope: string): FeedScope {
  const m = SCOPE.exec(scope);
  if (!m) throw new InvalidInput({ scope: "invalidScope" });
  const id = Number(m[2]);
  if (m[1] === "venue-staff") return { kind: "venue-staff", venueId: id };
  if (m[1] === "association") return { kind: "association", associationId: id };
  return { kind: "person", userId: id };
}

export function formatScope(scope: FeedScope): string {
  switch (scope.kind) {
    case "venue-staff":
      return `venue-staff:${scope.venueId}`;
    case "association":
      return `association:${scope.associationId}`;
    case "person":
      return `person:${scope.userId}`;
  }
}

/** Only this is stored: the token itself is shown once and then lives with its holder. */
export const hashToken = sha256;

/** May this person read this feed? Asked when a token is made and each time it is used. */
export async function maySubscribe(db: Database, userId: number, scope: FeedScope): Promise<boolean> {
  switch (scope.kind) {
    case "person":
      return scope.userId === userId;
    case "association":
      return isMember(db, userId, scope.associationId);
    case "venue-staff": {
      const venue = await db
        .selectFrom("venues")
        .select("site_id")
        .where("id", "=", scope.venueId)
        .where("archived_at", "is", null)
        .executeTakeFirst();
      return venue !== undefined && managesSite(db, userId, venue.site_id);
    }
  }
}

export interface FeedChoice {
  /** The scope as a form sends it, e.g. "association:7". */
  scope: string;
  kind: FeedScope["kind"];
  /** The association's or venue's name; null for the person's own feed. */
  name: string | null;
  /** For staff feeds: the venue's site. */
  siteName: string | null;
}

/**
 * The feeds this person may subscribe to: their own (all bookings of their
 * associations), each association they belong to, and the staff feed of each
 * venue at a site they take care of or whose owner they administer.
 */
export async function subscriptionChoices(db: Database, userId: number): Promise<FeedChoice[]> {
  const associations = await db
    .selectFrom("memberships as m")
    .innerJoin("associations as a", "a.id", "m.association_id")
    .select(["a.id", "a.name"])
    .where("m.user_id", "=", userId)
    .orderBy("a.name")
    .orderBy("a.id")
    .execute();
  const venues = await db
    .selectFrom("venues as v")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .select(["v.id", "v.name", "s.name as site_name"])
    .where("v.archived_at", "is", null)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("site_caretakers as c").select("c.user_id").whereRef("c.site_id", "=", "s.id").where("c.user_id", "=", userId)),
        eb.exists(eb.selectFrom("owner_admins as o").select("o.user_id").whereRef("o.owner_id", "=", "s.owner_id").where("o.user_id", "=", userId)),
      ]),
    )
    .orderBy("s.name")
    .orderBy("v.name")
    .orderBy("v.id")
    .execute();
  return [
    { scope: formatScope({ kind: "person", userId }), kind: "person", name: null, siteName: null },
    ...associations.map((a): FeedChoice => ({ scope: formatScope({ kind: "association", associationId: a.id }), kind: "association", name: a.name, siteName: null })),
    ...venues.map((v): FeedChoice => ({ scope: formatScope({ kind: "venue-staff", venueId: v.id }), kind: "venue-staff", name: v.name, siteName: v.site_name })),
  ];
}

export interface CreatedToken {
  id: number;
  /** The secret: shown to the person once, never stored. */
  token: string;
}

/** A new link for the feed; an earlier active link of the same person to the same feed stops working. */
export async function createToken(db: Database, args: { userId: number; scope: string }): Promise<CreatedToken> {
  const scope = parseScope(args.scope);
  if (!(await maySubscribe(db, args.userId, scope))) throw new Forbidden();
  const scopeText = formatScope(scope);
  for (let attempt = 0; ; attempt++) {
    const token = randomToken();
    try {
      const row = await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("calendar_tokens")
          .set({ revoked_at: sql<Date>`now()` })
          .where("user_id", "=", args.userId)
          .where("scope", "=", scopeText)
          .where("revoked_at", "is", null)
          .execute();
        return trx
          .insertInto("calendar_tokens")
          .values({ user_id: args.userId, scope: scopeText, token_hash: hashToken(token) })
          .returning("id")
          .executeTakeFirstOrThrow();
      });
      return { id: row.id, token };
    } catch (e) {
      // Two requests at once: the partial unique index lets one through; the
      // other tries again and replaces it.
      if ((e as { code?: string }).code !== "23505" || attempt >= 2) throw e;
    }
  }
}

export interface TokenInfo {
  id: number;
  scope: FeedScope;
  /** What the feed shows: the venue's or the association's name; null for the person's own feed. */
  name: string | null;
  /** For staff feeds: the venue's site. */
  siteName: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The person's active links, newest first. */
export async function listTokens(db: Database, userId: number): Promise<TokenInfo[]> {
  const { rows } = await sql<{ id: number; scope: string; created_at: Date; last_used_at: Date | null; name: string | null; site_name: string | null }>`
    SELECT t.id, t.scope, t.created_at, t.last_used_at,
           CASE split_part(t.scope, ':', 1)
             WHEN 'venue-staff' THEN (SELECT v.name FROM venues v WHERE v.id = split_part(t.scope, ':', 2)::bigint)
             WHEN 'association' THEN (SELECT a.name FROM associations a WHERE a.id = split_part(t.scope, ':', 2)::bigint)
           END AS name,
           CASE split_part(t.scope, ':', 1)
             WHEN 'venue-staff' THEN (SELECT s.name FROM venues v JOIN sites s ON s.id = v.site_id WHERE v.id = split_part(t.scope, ':', 2)::bigint)
           END AS site_name
    FROM calendar_tokens t
    WHERE t.user_id = ${userId} AND t.revoked_at IS NULL
    ORDER BY t.created_at DESC, t.id DESC`.execute(db);
  return rows.map((r) => ({ id: r.id, scope: parseScope(r.scope), name: r.name, siteName: r.site_name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/**
 * Revokes one of the person's own links. One they revoked already (from a
 * second tab, or by sending the form again after Back, or a link replaced by
 * a newer one) is no error: what they asked for is true, so they hear that
 * rather than get a "page not found". Anyone else's link, or none: NotFound.
 */
export async function revokeToken(db: Database, args: { userId: number; tokenId: number }): Promise<"revoked" | "alreadyRevoked"> {
  const result = await db
    .updateTable("calendar_tokens")
    .set({ revoked_at: sql<Date>`now()` })
    .where("id", "=", args.tokenId)
    .where("user_id", "=", args.userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) return "revoked";
  const own = await db.selectFrom("calendar_tokens").select("id").where("id", "=", args.tokenId).where("user_id", "=", args.userId).executeTakeFirst();
  if (!own) throw new NotFound("calendarToken");
  return "alreadyRevoked";
}

export interface ResolvedToken {
  tokenId: number;
  userId: number;
  scope: FeedScope;
  /** The subscriber's language, for the feed's words. */
  locale: string;
}

/**
 * The feed a token opens, or null — for a malformed, unknown or revoked token,
 * and for one whose holder has lost the right — so that all of them look alike.
 */
export async function resolveToken(db: Database, token: string, now: Date): Promise<ResolvedToken | null> {
  if (!TOKEN.test(token)) return null;
  const row = await db
    .selectFrom("calendar_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["t.id", "t.user_id", "t.scope", "t.last_used_at", "u.locale"])
    .where("t.token_hash", "=", hashToken(token))
    .where("t.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const scope = parseScope(row.scope);
  if (!(await maySubscribe(db, row.user_id, scope))) return null;
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() >= TOUCH_INTERVAL_MS) {
    // Conditional, so that concurrent fetches write once.
    await db
      .updateTable("calendar_tokens")
      .set({ last_used_at: now })
      .where("id", "=", row.id)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", new Date(now.getTime() - TOUCH_INTERVAL_MS))]))
      .execute();
  }
  return { tokenId: row.id, userId: row.user_id, scope, locale: row.locale };
}
