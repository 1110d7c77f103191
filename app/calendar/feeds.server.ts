// Calendar feeds: per venue (public, and for its caretakers), per association,
// per person, and one booking. An unchanged feed is answered from a cheap SQL
// fingerprint without being built; a changed one is built from one snapshot.
// See docs/decisions/008-calendar-feeds.md.
import { createHash } from "node:crypto";
import type { Database } from "db/client";
import { isMember, managesSite } from "~/accounts/authorization.server";
import { NotFound } from "~/errors/domain-errors";
import { getLanguage, type Language, translate } from "~/i18n";
import {
  type Audience,
  type FeedSelection,
  type FeedWindow,
  type FullFeedRow,
  type FeedFingerprint,
  feedFingerprint,
  feedRows,
  type PublicFeedRow,
  publicBooking,
  recordFeedChange,
} from "./feed-repository.server";
import { addEvent, eventStatus, type EventInput, newCalendar, serialize } from "./ical.server";
import { bookingLocation } from "./text.server";
import { isUuid } from "~/booking/request";
import { type FeedScope, type ResolvedToken, resolveToken } from "./tokens.server";

/** Bump when the bytes a feed is built into change for the same data. */
const FORMAT_VERSION = "1";
/** How far back a feed reaches: about one season. */
export const HISTORY_DAYS = 180;
/** How long a cancelled or rejected booking stays in feeds as STATUS:CANCELLED. */
export const CANCELLED_GRACE_DAYS = 30;
const PUBLIC_REFRESH_SECONDS = 60 * 60;
const PRIVATE_REFRESH_SECONDS = 15 * 60;
const DAY = 86_400_000;

export interface Conditional {
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
}

export type CalendarAnswer =
  | { status: 200; body: string; etag: string; lastModified: Date; private: boolean }
  | { status: 304; etag: string; lastModified: Date; private: boolean };

/** Counters of this process: feeds built, and answered 304 from the fingerprint alone. */
export const feedMetrics = { built: 0, notModified: 0 };

export function feedWindow(now: Date): FeedWindow {
  return { startsFrom: new Date(now.getTime() - HISTORY_DAYS * DAY), inactiveSince: new Date(now.getTime() - CANCELLED_GRACE_DAYS * DAY) };
}

interface FeedPlan {
  /** The row in calendar_feed_state: scope and language. */
  key: string;
  selection: FeedSelection;
  audience: Audience;
  lang: Language;
  /** The calendar's own properties; part of the fingerprint. */
  header: { name: string; description: string; refreshSeconds: number };
}

/** Does an If-None-Match header name this ETag? (Weak comparison, as RFC 9110 asks for GET.) */
export function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

function notModifiedSince(c: Conditional, lastModified: Date): boolean {
  // If-None-Match wins when both are sent (RFC 9110 §13.2.2).
  if (c.ifNoneMatch !== null || !c.ifModifiedSince) return false;
  const since = Date.parse(c.ifModifiedSince);
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

function strongEtag(parts: readonly string[]): string {
  return `"${createHash("sha256").update(parts.join("\u001f")).digest("base64url").slice(0, 32)}"`;
}

async function answer(db: Database, plan: FeedPlan, c: Conditional, now: Date): Promise<CalendarAnswer> {
  const window = feedWindow(now);
  const etagOf = (fp: FeedFingerprint) => strongEtag([FORMAT_VERSION, plan.key, JSON.stringify(plan.header), String(fp.count), fp.digest]);
  const isPrivate = plan.audience !== "public";

  // One statement: the fingerprint and the stored state. No rows are read.
  const fp = await feedFingerprint(db, plan.selection, window, plan.key);
  const etag = etagOf(fp);
  if (fp.state?.fingerprint === etag && (etagMatches(c.ifNoneMatch, etag) || notModifiedSince(c, fp.state.lastModified))) {
    feedMetrics.notModified++;
    return { status: 304, etag, lastModified: fp.state.lastModified, private: isPrivate };
  }

  // Build from one snapshot, so that the ETag describes exactly these bytes.
  const built = await db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (trx) => {
      const snapshot = await feedFingerprint(trx, plan.selection, window, plan.key);
      const rows = plan.audience === "public" ? await feedRows(trx, plan.selection, "public", window) : await feedRows(trx, plan.selection, plan.audience, window);
      return { fp: snapshot, rows };
    });
  const builtEtag = etagOf(built.fp);
  const lastModified =
    built.fp.state?.fingerprint === builtEtag ? built.fp.state.lastModified : await recordFeedChange(db, plan.key, builtEtag, built.fp.maxUpdatedAt, now);
  if (etagMatches(c.ifNoneMatch, builtEtag)) return { status: 304, etag: builtEtag, lastModified, private: isPrivate };
  const body = buildCalendar(plan, built.rows);
  feedMetrics.built++;
  return { status: 200, body, etag: builtEtag, lastModified, private: isPrivate };
}

function buildCalendar(plan: FeedPlan, rows: readonly (PublicFeedRow | FullFeedRow)[]): string {
  const cal = newCalendar(plan.header);
  for (const row of rows) addEvent(cal, project(row, plan.audience, plan.lang));
  return serialize(cal);
}

/** A block is "Closed", a public booking its title, any other booking "Busy". */
function publicSummary(row: PublicFeedRow, lang: Language): string {
  if (row.closed) return translate(lang, "calendar.closed");
  return row.public_title ?? translate(lang, "calendar.busy");
}

/** What one booking looks like to an audience. The public one never touches a private field. */
export function project(row: PublicFeedRow | FullFeedRow, audience: Audience, lang: Language): EventInput {
  const base = {
    bookingId: row.id,
    sequence: row.sequence,
    start: row.starts_at,
    end: row.ends_at,
    zone: row.time_zone,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: eventStatus(row.status),
    location: bookingLocation(`${row.venue_name}, ${row.site_name}`, row.address),
  };
  if (audience === "public") return { ...base, summary: publicSummary(row, lang) };
  const full = row as FullFeedRow;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
  // Blocked time reaches only the venue's staff feed: its reason, and who blocked it.
  if (full.closed) {
    const lines = full.status === "confirmed" ? [] : [t("calendar.detail.status", { status: t(`status.${full.status}`) })];
    if (full.booker_name) lines.push(t("calendar.detail.blockedBy", { name: full.booker_name }));
    return { ...base, summary: t("calendar.blockedSummary", { reason: full.title }), description: lines.join("\n") };
  }
  const lines = [t("calendar.detail.status", { status: t(`status.${full.status}`) })];
  lines.push(t("calendar.detail.association", { association: audience === "staff" ? `${full.association_name} (${full.association_email})` : (full.association_name ?? "") }));
  if (full.booker_name) lines.push(t("calendar.detail.bookedBy", { name: full.booker_name }));
  if (audience === "staff") {
    const contact = [full.booker_email, full.booker_phone].filter((x): x is string => Boolean(x)).join(", ");
    if (contact) lines.push(t("calendar.detail.contact", { contact }));
  }
  lines.push(t("calendar.detail.attendees", { count: full.expected_attendees }));
  if (full.purpose) lines.push(t("calendar.detail.purpose", { purpose: full.purpose }));
  if (full.note_to_caretaker) lines.push(t("calendar.detail.note", { note: full.note_to_caretaker }));
  const reason = full.status === "cancelled" ? full.cancel_reason : full.status === "rejected" ? full.decision_reason : null;
  if (reason) lines.push(t("calendar.detail.reason", { reason }));
  if (full.is_public) lines.push(t("calendar.detail.public"));
  return { ...base, summary: full.title, description: lines.join("\n") };
}

function selectionOf(scope: FeedScope): FeedSelection {
  switch (scope.kind) {
    case "venue-staff":
      return { kind: "venue", venueId: scope.venueId };
    case "association":
      return { kind: "association", associationId: scope.associationId };
    case "person":
      return { kind: "person", userId: scope.userId };
  }
}

function audienceOf(scope: FeedScope): Audience {
  return scope.kind === "venue-staff" ? "staff" : "member";
}

function tokenFeedKey(token: ResolvedToken, lang: Language): string {
  const s = token.scope;
  const id = s.kind === "venue-staff" ? s.venueId : s.kind === "association" ? s.associationId : s.userId;
  return `${s.kind}:${id}|${lang.code}`;
}

async function tokenPlan(db: Database, token: ResolvedToken): Promise<FeedPlan> {
  const lang = getLanguage(token.locale);
  const description = translate(lang, "calendar.description.private");
  const base = { key: tokenFeedKey(token, lang), selection: selectionOf(token.scope), audience: audienceOf(token.scope), lang };
  const s = token.scope;
  if (s.kind === "venue-staff") {
    const v = await db
      .selectFrom("venues as v")
      .innerJoin("sites as s", "s.id", "v.site_id")
      .select(["v.name", "s.name as site"])
      .where("v.id", "=", s.venueId)
      .executeTakeFirstOrThrow();
    return { ...base, header: { name: translate(lang, "calendar.name.venueStaff", { venue: v.name, site: v.site }), description, refreshSeconds: PRIVATE_REFRESH_SECONDS } };
  }
  if (s.kind === "association") {
    const a = await db.selectFrom("associations").select("name").where("id", "=", s.associationId).executeTakeFirstOrThrow();
    return { ...base, header: { name: translate(lang, "calendar.name.association", { association: a.name }), description, refreshSeconds: PRIVATE_REFRESH_SECONDS } };
  }
  return { ...base, header: { name: translate(lang, "calendar.name.person"), description, refreshSeconds: PRIVATE_REFRESH_SECONDS } };
}

interface PublicVenue {
  id: number;
  name: string;
  site: string;
  locale: string;
}

async function findPublicVenue(db: Database, slug: string): Promise<PublicVenue | undefined> {
  return db
    .selectFrom("venues as v")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .innerJoin("owners as o", "o.id", "s.owner_id")
    .select(["v.id", "v.name", "s.name as site", "o.locale"])
    .where("v.slug", "=", slug)
    .where("v.archived_at", "is", null)
    .executeTakeFirst();
}

/** The public feed of a venue, in its owner's language: public titles only, everything else "Booked". */
export async function publicVenueFeed(db: Database, args: { slug: string; now: Date } & Conditional): Promise<CalendarAnswer> {
  const venue = await findPublicVenue(db, args.slug);
  if (!venue) throw new NotFound("venue");
  const lang = getLanguage(venue.locale);
  const plan: FeedPlan = {
    key: `venue:${venue.id}|${lang.code}`,
    selection: { kind: "venue", venueId: venue.id },
    audience: "public",
    lang,
    header: {
      name: translate(lang, "calendar.name.venue", { venue: venue.name, site: venue.site }),
      description: translate(lang, "calendar.description.venue", { venue: venue.name }),
      refreshSeconds: PUBLIC_REFRESH_SECONDS,
    },
  };
  return answer(db, plan, args, args.now);
}

/** A feed opened by a subscription token. Unknown, revoked and no-longer-entitled tokens are all NotFound. */
export async function tokenFeed(db: Database, args: { token: string; now: Date } & Conditional): Promise<CalendarAnswer> {
  const token = await resolveToken(db, args.token, args.now);
  if (!token) throw new NotFound("calendar");
  return answer(db, await tokenPlan(db, token), args, args.now);
}

/**
 * The detail a signed-in person may see of one booking: a caretaker of its
 * site or an admin of its owner the staff detail (through the venue), a member
 * of its association the members' detail; anyone else null. The same rule as
 * the booking's page (app/booking/booking-view.server.ts).
 */
async function viewerAccess(db: Database, userId: number, bookingId: string): Promise<{ audience: "staff" | "member"; selection: FeedSelection } | null> {
  const b = await db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .select(["b.venue_id", "b.association_id", "v.site_id"])
    .where("b.id", "=", bookingId)
    .executeTakeFirst();
  if (!b) return null;
  if (await managesSite(db, userId, b.site_id)) return { audience: "staff", selection: { kind: "venue", venueId: b.venue_id } };
  if (b.association_id !== null && (await isMember(db, userId, b.association_id))) return { audience: "member", selection: { kind: "association", associationId: b.association_id } };
  return null;
}

/**
 * One booking as an .ics download: with a token whose feed holds the booking,
 * in that feed's detail; without one, to a signed-in person who may see the
 * booking, in their detail (staff or member) and language; otherwise only a
 * public booking, in the public projection. Anything else is NotFound, so
 * private bookings cannot be probed.
 */
export async function bookingCalendar(
  db: Database,
  args: { bookingId: string; token: string | null; viewer?: { id: number; locale: string } | null; now: Date } & Conditional,
): Promise<CalendarAnswer> {
  if (!isUuid(args.bookingId)) throw new NotFound("booking");
  let row: PublicFeedRow | FullFeedRow | undefined;
  let audience: Audience = "public";
  let lang: Language;
  // The token, when there is one, decides alone; else the session, else public.
  const access = args.token === null && args.viewer ? await viewerAccess(db, args.viewer.id, args.bookingId) : null;
  if (args.token !== null) {
    const token = await resolveToken(db, args.token, args.now);
    if (!token) throw new NotFound("booking");
    audience = audienceOf(token.scope);
    lang = getLanguage(token.locale);
    row = (await feedRows(db, selectionOf(token.scope), audience as "staff" | "member", null, args.bookingId))[0];
  } else if (access && args.viewer) {
    audience = access.audience;
    lang = getLanguage(args.viewer.locale);
    row = (await feedRows(db, access.selection, access.audience, null, args.bookingId))[0];
  } else {
    const pub = await publicBooking(db, args.bookingId);
    row = pub;
    lang = getLanguage(pub?.owner_locale);
  }
  if (!row) throw new NotFound("booking");
  const cal = newCalendar({ name: audience === "public" ? publicSummary(row, lang) : (row as FullFeedRow).title });
  addEvent(cal, project(row, audience, lang));
  const body = serialize(cal);
  const etag = strongEtag([createHash("sha256").update(body).digest("base64url")]);
  const lastModified = row.updated_at;
  const isPrivate = audience !== "public";
  if (etagMatches(args.ifNoneMatch, etag) || notModifiedSince(args, lastModified)) return { status: 304, etag, lastModified, private: isPrivate };
  return { status: 200, body, etag, lastModified, private: isPrivate };
}
