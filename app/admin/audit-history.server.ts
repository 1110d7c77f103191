// A booking's history as the venue's staff read it: every audit row for the
// booking, when (in the venue's zone), who, what happened, and what changed
// from what to what, in words. Visible to the admins of the venue's owner and
// the caretakers of its site. A member of the booking's association may see
// the booking but not its history (Forbidden); to anyone else the booking
// does not exist (NotFound, as on the booking page).
import { DateTime } from "luxon";
import type { Database } from "db/client";
import type { BookingStatus } from "db/schema";
import { isUuid } from "~/booking/request";
import { formatWhen } from "~/booking/when";
import { Forbidden, NotFound } from "~/errors/domain-errors";
import { type Language, translate, translateOr } from "~/i18n";

export interface HistoryChange {
  field: string;
  before: string | null;
  after: string;
}

export interface HistoryEntry {
  id: number;
  at: string;
  who: string;
  action: string;
  changes: HistoryChange[];
}

export interface BookingHistory {
  bookingId: string;
  title: string;
  when: string;
  venueName: string;
  timeZone: string;
  entries: HistoryEntry[];
}

/** Whether the person is a caretaker of the booking's site or an admin of its owner; null when there is no such booking. */
export async function staffOfBooking(db: Database, viewerId: number, bookingId: string): Promise<{ staff: boolean; member: boolean } | null> {
  if (!isUuid(bookingId)) return null;
  const row = await db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .select((eb) => [
      eb
        .or([
          eb.exists(eb.selectFrom("site_caretakers as c").select("c.user_id").whereRef("c.site_id", "=", "s.id").where("c.user_id", "=", viewerId)),
          eb.exists(eb.selectFrom("owner_admins as o").select("o.user_id").whereRef("o.owner_id", "=", "s.owner_id").where("o.user_id", "=", viewerId)),
        ])
        .as("staff"),
      eb.exists(eb.selectFrom("memberships as m").select("m.user_id").whereRef("m.association_id", "=", "b.association_id").where("m.user_id", "=", viewerId)).as("member"),
    ])
    .where("b.id", "=", bookingId)
    .executeTakeFirst();
  return row ? { staff: Boolean(row.staff), member: Boolean(row.member) } : null;
}

type Snapshot = Record<string, unknown> | null;

const SIMPLE_FIELDS = ["status", "title", "purpose", "is_public", "expected_attendees", "note_to_caretaker", "decision_reason", "cancel_reason", "attendance", "no_show"] as const;

function asObject(value: unknown): Snapshot {
  const v = typeof value === "string" ? JSON.parse(value) : value;
  return v && typeof v === "object" ? (v as Record<string, unknown>) : null;
}

function show(lang: Language, field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (field === "status") return translateOr(lang, `status.${value as BookingStatus}`, String(value));
  if (typeof value === "boolean") return translate(lang, value ? "history.yes" : "history.no");
  return String(value);
}

/** The readable differences between two snapshots; for the first row (no before), what it started as. */
export function describeChanges(lang: Language, before: Snapshot, after: Snapshot, zone: string): HistoryChange[] {
  if (!after) return [];
  const changes: HistoryChange[] = [];
  const span = (s: Snapshot) =>
    s && typeof s.starts_at === "string" && typeof s.ends_at === "string" ? formatWhen(lang, new Date(s.starts_at), new Date(s.ends_at), zone) : null;
  const spanAfter = span(after);
  const spanBefore = span(before);
  if (spanAfter && spanAfter !== spanBefore) changes.push({ field: translate(lang, "history.field.time"), before: spanBefore, after: spanAfter });
  for (const field of SIMPLE_FIELDS) {
    if (!(field in after)) continue;
    const a = show(lang, field, after[field]);
    const b = before ? show(lang, field, before[field]) : null;
    if (a === b || (a === null && !before)) continue;
    // Only what says something on the first row: not the defaults nobody chose.
    if (!before && !["status", "title"].includes(field)) continue;
    changes.push({ field: translateOr(lang, `history.field.${field}`, field), before: b, after: a ?? "–" });
  }
  return changes;
}

/** The history page of one booking. */
export async function loadBookingHistory(db: Database, args: { viewerId: number; bookingId: string; lang: Language }): Promise<BookingHistory> {
  const { lang } = args;
  const access = await staffOfBooking(db, args.viewerId, args.bookingId);
  if (!access) throw new NotFound("booking");
  if (!access.staff) {
    if (access.member) throw new Forbidden();
    throw new NotFound("booking");
  }
  const booking = await db
    .selectFrom("bookings as b")
    .innerJoin("venues as v", "v.id", "b.venue_id")
    .select(["b.id", "b.title", "b.starts_at", "b.ends_at", "v.name as venue_name", "v.time_zone"])
    .where("b.id", "=", args.bookingId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom("audit_log as l")
    .leftJoin("users as u", "u.id", "l.actor_id")
    .select(["l.id", "l.at", "l.action", "l.before", "l.after", "u.name", "u.email"])
    .where("l.entity", "=", "booking")
    .where("l.entity_id", "=", args.bookingId)
    .orderBy("l.at")
    .orderBy("l.id")
    .execute();
  const zone = booking.time_zone;
  return {
    bookingId: booking.id,
    title: booking.title,
    when: formatWhen(lang, booking.starts_at, booking.ends_at, zone),
    venueName: booking.venue_name,
    timeZone: zone,
    entries: rows.map((r) => ({
      id: r.id,
      at: DateTime.fromJSDate(r.at, { zone }).setLocale(lang.dateLocale).toLocaleString({ ...DateTime.DATETIME_MED_WITH_SECONDS, hourCycle: "h23" }),
      who: r.name || r.email || translate(lang, "history.system"),
      action: translateOr(lang, `history.action.${r.action}`, r.action),
      changes: describeChanges(lang, asObject(r.before), asObject(r.after), zone),
    })),
  };
}
