// Which messages a change to a booking causes, enqueued in the transaction of
// the change (invariant 6). A single new booking's messages are written by the
// booking's own INSERT statement instead (insertBookings), to keep the hot
// path one round trip; this file covers the rest.
import { type Selectable, sql, type Transaction } from "kysely";
import type { Booking, DB, SeriesTable } from "db/schema";
import { keepsWeeklyRule } from "~/time/weekly";
import { type ActorSnapshot, BOOKING_SNAPSHOT_FIELDS, type BookingSnapshot, message, type SeriesPayload } from "./messages";
import { enqueue, type OutboxMessage } from "./outbox.server";

const HOUR = 3_600_000;

/** What a series message says about the series: its rule, not who made it or when. */
export function seriesSnapshot(s: Selectable<SeriesTable>): SeriesPayload["series"] {
  return {
    id: s.id,
    venue_id: s.venue_id,
    association_id: s.association_id,
    title: s.title,
    weekday: s.weekday,
    interval_weeks: s.interval_weeks,
    start_time: s.start_time,
    duration_minutes: s.duration_minutes,
    starts_on: s.starts_on,
    until: s.until,
    time_zone: s.time_zone,
  };
}

/** The snapshot a message carries: the fields it shows, as JSON, exactly as the change left them. */
export function snapshot(b: Booking): BookingSnapshot {
  const json = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
  return Object.fromEntries(BOOKING_SNAPSHOT_FIELDS.map((f) => [f, json[f]])) as unknown as BookingSnapshot;
}

/** A reminder when there is still time for one; none when the booking starts sooner than that. */
export function reminderFor(b: Pick<Booking, "id" | "starts_at">, recipient: string, reminderHours: number, now: Date): OutboxMessage[] {
  const at = new Date(b.starts_at.getTime() - reminderHours * HOUR);
  if (at.getTime() <= now.getTime()) return [];
  return [message("booking-reminder", recipient, { bookingId: b.id, startsAt: b.starts_at.toISOString() }, at)];
}

interface People {
  booker: string | null;
  /** Who made the change, as the messages say it: a member's side or the venue's. */
  actor: ActorSnapshot;
}

async function people(trx: Transaction<DB>, b: Booking, actorId: number): Promise<People> {
  const { rows } = await sql<{ booker: string | null; actor_name: string | null; actor_is_member: boolean }>`
    SELECT (SELECT email::text FROM users WHERE id = ${b.created_by}) AS booker,
           (SELECT name FROM users WHERE id = ${actorId}) AS actor_name,
           EXISTS (SELECT 1 FROM memberships WHERE association_id = ${b.association_id} AND user_id = ${actorId}) AS actor_is_member`.execute(trx);
  const r = rows[0]!;
  return { booker: r.booker, actor: { name: r.actor_name ?? "", side: r.actor_is_member ? "association" : "venue" } };
}

export type StatusAction = "approved" | "rejected" | "cancelled";

/** Approve, reject, cancel: tell the booker, with the calendar part and (on approval) a reminder. */
export async function notifyStatusChange(
  trx: Transaction<DB>,
  after: Booking,
  action: StatusAction,
  actorId: number,
  settings: { reminderHours: number },
  now: Date,
): Promise<void> {
  const p = await people(trx, after, actorId);
  if (!p.booker) return; // a booking made by a script or a deleted user: nobody to tell
  const { actor } = p;
  const booking = snapshot(after);
  const messages: OutboxMessage[] =
    action === "approved"
      ? [message("booking-confirmed", p.booker, { booking, actor }), ...reminderFor(after, p.booker, settings.reminderHours, now)]
      : action === "rejected"
        ? [message("booking-rejected", p.booker, { booking, actor })]
        : [message("booking-cancelled", p.booker, { booking, actor })];
  await enqueue(trx, messages);
}

/**
 * A booking got a new time: the booker hears it, with an updated invitation
 * and a reminder when it is confirmed. A new time that waits for approval (a
 * member's move at a venue that needs it) takes a confirmed booking out of the
 * booker's calendar until it is approved (the approval sends the invitation
 * again), and each caretaker of the site gets the request (but the mover, when
 * a caretaker is also a member).
 */
export async function notifyMoved(
  trx: Transaction<DB>,
  before: Pick<Booking, "starts_at" | "ends_at" | "status">,
  after: Booking,
  actorId: number,
  settings: { reminderHours: number },
  now: Date,
): Promise<void> {
  const p = await people(trx, after, actorId);
  const { actor } = p;
  const booking = snapshot(after);
  const previous = { starts_at: before.starts_at.toISOString(), ends_at: before.ends_at.toISOString() };
  const messages: OutboxMessage[] = p.booker
    ? [
        message("booking-moved", p.booker, { booking, actor, previous, previousStatus: before.status }),
        ...(after.status === "confirmed" ? reminderFor(after, p.booker, settings.reminderHours, now) : []),
      ]
    : [];
  // A member's move that needs approval is a request to the venue's side; staff
  // moving a request that still waits have it in their queue already.
  if (after.status === "pending" && actor.side === "association") {
    for (const email of await caretakersOf(trx, after.venue_id, actorId)) messages.push(message("booking-request", email, { booking, actor, previous }));
  }
  await enqueue(trx, messages);
}

/** The addresses of the caretakers of a venue's site, leaving out `except`. */
async function caretakersOf(trx: Transaction<DB>, venueId: number, except: number): Promise<string[]> {
  const { rows } = await sql<{ email: string }>`
    SELECT u.email::text AS email FROM venues v
    JOIN site_caretakers sc ON sc.site_id = v.site_id JOIN users u ON u.id = sc.user_id
    WHERE v.id = ${venueId} AND u.id <> ${except}
    ORDER BY u.id`.execute(trx);
  return rows.map((r) => r.email);
}

/** One summary for a new series to the booker, and, when it awaits approval, one to each caretaker of the site. */
export async function notifySeriesCreated(
  trx: Transaction<DB>,
  args: { actorId: number; siteId: number; payload: SeriesPayload },
): Promise<void> {
  const { rows } = await sql<{ email: string; role: "booker" | "caretaker" }>`
    SELECT email::text AS email, 'booker' AS role FROM users WHERE id = ${args.actorId}
    UNION ALL
    SELECT u.email::text, 'caretaker' FROM site_caretakers c JOIN users u ON u.id = c.user_id
    WHERE c.site_id = ${args.siteId} AND ${args.payload.status === "pending"}::boolean`.execute(trx);
  await enqueue(
    trx,
    rows.map((r) => message(r.role === "booker" ? "series-created" : "series-request", r.email, args.payload)),
  );
}

/**
 * A caretaker decided every waiting date of a series at once: one message to
 * the booker for the dates that keep the series' rule (not one per date), and
 * on approval a reminder before each. A date moved off the rule (a member's
 * move, which needs approval again) gets the message a single booking gets,
 * with its own time and, on approval, the invitation its move withdrew; so
 * do all of them when fewer than two keep the rule ("1 dates" says nothing a
 * booking's own message does not).
 */
export async function notifySeriesDecided(
  trx: Transaction<DB>,
  args: { series: SeriesPayload["series"]; decided: readonly Booking[]; decision: "approved" | "rejected"; reason: string | null; actorId: number },
  settings: { reminderHours: number },
  now: Date,
): Promise<void> {
  const { series, decision } = args;
  const rule = { weekday: series.weekday, startTime: series.start_time, durationMinutes: series.duration_minutes, zone: series.time_zone };
  const onRule = args.decided.filter((b) => keepsWeeklyRule(rule, { start: b.starts_at.getTime(), end: b.ends_at.getTime() }));
  const single = onRule.length < 2 ? args.decided : args.decided.filter((b) => !onRule.includes(b));
  for (const b of single) await notifyStatusChange(trx, b, decision, args.actorId, settings, now);
  if (single.length === args.decided.length) return;
  const first = onRule[0]!;
  const last = onRule[onRule.length - 1]!;
  const p = await people(trx, first, args.actorId);
  if (!p.booker) return;
  const booker = p.booker;
  const reminders = decision === "approved" ? onRule.flatMap((b) => reminderFor(b, booker, settings.reminderHours, now)) : [];
  await enqueue(trx, [
    message("series-decided", booker, {
      series,
      decision,
      reason: args.reason,
      actor: p.actor,
      count: onRule.length,
      firstStartsAt: first.starts_at.toISOString(),
      lastStartsAt: last.starts_at.toISOString(),
      skipped: [],
    }),
    ...reminders,
  ]);
}
