// Delivery when things go wrong: the SMTP server is down (bookings still
// succeed, mail waits with growing backoff), comes back (every message arrives
// exactly once, also with two workers at once), a worker dies holding a claim,
// a message keeps failing (given up, shown to admins, retried on request).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { Forbidden } from "../../app/errors/domain-errors";
import { listUndeliveredMessages, retryFailedMessage } from "../../app/notifications/admin.server";
import { env } from "../../app/config/env.server";
import { claimDue, deliverDue, startConfiguredWorker, startOutboxWorker } from "../../app/notifications/worker.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeUser, makeVenue } from "../helpers/fixtures";
import { drain, outbox, SETTINGS, transportFor, worker } from "../helpers/mail";
import { startTestSmtp, type TestSmtp } from "../helpers/smtp";

let t: TestDb;
let smtp: TestSmtp;

beforeAll(async () => {
  t = await createTestDb({ max: 20 });
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp.stop();
  await dropTestDb(t);
});

const NOW = new Date("2026-12-03T08:00:00Z");
const SECOND = 1000;

async function world(approval: "auto" | "manual" = "auto") {
  const { owner, site } = await makeOwner(t.db);
  const venues = [
    await makeVenue(t.db, site.id, { approval_mode: approval }),
    await makeVenue(t.db, site.id, { approval_mode: approval }),
  ];
  const { association, leader } = await makeAssociation(t.db);
  const caretaker = await makeUser(t.db, "Vaktmester");
  await t.db.insertInto("site_caretakers").values({ site_id: site.id, user_id: caretaker.id }).execute();
  return { owner, site, venues, association, leader, caretaker };
}

async function book(w: Awaited<ReturnType<typeof world>>, n: number, date = "2026-12-14") {
  const out = [];
  for (let i = 0; i < n; i++) {
    const hour = 8 + Math.floor(i / 2);
    const { booking } = await requestBooking(
      t.db,
      {
        actorId: w.leader.id,
        venueId: w.venues[i % 2]!.id,
        associationId: w.association.id,
        date,
        start: `${String(hour).padStart(2, "0")}:00`,
        end: `${String(hour).padStart(2, "0")}:45`,
        title: `Øving ${i}`,
        expectedAttendees: 5,
      },
      NOW,
    );
    out.push(booking);
  }
  return out;
}

/** Rows waiting for an outcome that are due at `at`. */
async function dueIds(at: Date): Promise<number[]> {
  return (await outbox(t.db)).filter((r) => !r.sent_at && !r.failed_at && !r.skipped_at && r.available_at <= at).map((r) => r.id);
}

describe("an SMTP outage", () => {
  it("does not stop bookings; mail waits with growing backoff, and afterwards two workers deliver every message exactly once", async () => {
    const w = await world();
    await smtp.stop();
    const before = smtp.received.length;
    const bookings = await book(w, 12);
    expect(bookings.every((b) => b.status === "confirmed")).toBe(true);

    const now = new Date();
    const due = await dueIds(now);
    expect(due).toHaveLength(12); // one confirmation each; the reminders wait for their time
    const transport = transportFor(smtp.url);
    const first = await drain(worker(t.db, transport, { backoffMs: 30 * SECOND }), now);
    expect(first.sent).toEqual([]);
    expect(first.retrying.sort((a, b) => a - b)).toEqual(due);
    let rows = (await outbox(t.db)).filter((r) => due.includes(r.id));
    for (const r of rows) {
      expect(r.attempts).toBe(1);
      expect(r.sent_at).toBeNull();
      expect(r.last_error).toMatch(/ECONNREFUSED|ESOCKET|connect/i);
      // 30 s ± 20 %: not before 24 s.
      expect(r.available_at.getTime()).toBeGreaterThanOrEqual(now.getTime() + 24 * SECOND);
      expect(r.locked_until).toBeNull();
    }
    // Backing off: nothing is tried again at once.
    expect((await deliverDue(worker(t.db, transport), now)).retrying).toEqual([]);

    // Still down a minute later: the second failure waits about twice as long.
    const later = new Date(now.getTime() + 60 * SECOND);
    await drain(worker(t.db, transport, { backoffMs: 30 * SECOND }), later);
    rows = (await outbox(t.db)).filter((r) => due.includes(r.id));
    for (const r of rows) {
      expect(r.attempts).toBe(2);
      expect(r.available_at.getTime()).toBeGreaterThanOrEqual(later.getTime() + 48 * SECOND);
    }
    transport.close();
    expect(smtp.received.length).toBe(before);

    // Back up: two workers at once, in small batches so that they interleave.
    await smtp.start();
    const much = new Date(now.getTime() + 3600 * SECOND);
    const [ta, tb] = [transportFor(smtp.url), transportFor(smtp.url)];
    const [a, b] = await Promise.all([
      drain(worker(t.db, ta, { workerId: "worker-a", batchSize: 2 }), much),
      drain(worker(t.db, tb, { workerId: "worker-b", batchSize: 2 }), much),
    ]);
    ta.close();
    tb.close();
    const sent = [...a.sent, ...b.sent].sort((x, y) => x - y);
    expect(sent).toEqual(due);
    expect(a.sent.filter((id) => b.sent.includes(id))).toEqual([]);

    const arrived = smtp.received.slice(before);
    const ids = arrived.map((m) => m.parsed.messageId);
    expect(ids).toHaveLength(due.length);
    expect(new Set(ids).size).toBe(due.length);
    expect(new Set(ids)).toEqual(new Set(due.map((id) => `<outbox-${id}@flokk.test>`)));
    rows = (await outbox(t.db)).filter((r) => due.includes(r.id));
    expect(rows.every((r) => r.sent_at !== null && r.last_error === null)).toBe(true);

    // Nothing is sent twice afterwards.
    const again = await drain(worker(t.db, transportFor(smtp.url)), much);
    expect(again.sent).toEqual([]);
    expect(smtp.received.length).toBe(before + due.length);
  });

  it("a crashed worker's claim comes back when its lease runs out, and the message is sent once", async () => {
    const w = await world();
    await book(w, 1, "2026-12-15");
    const now = new Date();
    const claimed = await claimDue(t.db, "crashed-worker", 50, 60 * SECOND, now);
    expect(claimed).toHaveLength(1);
    const before = smtp.received.length;
    const transport = transportFor(smtp.url);
    // While the lease holds nobody else takes it.
    expect((await deliverDue(worker(t.db, transport), new Date(now.getTime() + 30 * SECOND))).sent).toEqual([]);
    const report = await deliverDue(worker(t.db, transport), new Date(now.getTime() + 61 * SECOND));
    transport.close();
    expect(report.sent).toEqual([claimed[0]!.id]);
    expect(smtp.received.length).toBe(before + 1);
    const row = (await outbox(t.db)).find((r) => r.id === claimed[0]!.id)!;
    expect(row.attempts).toBe(2);
    expect(row.sent_at).not.toBeNull();
  });

  it("hands back the rest of a batch when a slow server eats half the lease, so nobody else claims rows still in hand", async () => {
    await drain(worker(t.db, transportFor(smtp.url)));
    const w = await world();
    await book(w, 3, "2026-12-18");
    const due = await dueIds(new Date());
    expect(due).toHaveLength(3);
    smtp.delayMs = 400;
    const transport = transportFor(smtp.url);
    try {
      const report = await deliverDue(worker(t.db, transport, { leaseMs: 600 }));
      expect(report.sent).toEqual([due[0]]);
    } finally {
      smtp.delayMs = 0;
      transport.close();
    }
    const rest = (await outbox(t.db)).filter((r) => due.slice(1).includes(r.id));
    for (const r of rest) {
      expect(r.sent_at).toBeNull();
      expect(r.locked_until).toBeNull();
      expect(r.attempts).toBe(0); // handed back untried: not an attempt
    }
    const report = await drain(worker(t.db, transportFor(smtp.url)));
    expect(report.sent).toEqual(due.slice(1));
  });

  it("gives a message up after the last attempt, shows it to the owner's admins only, and retries it on request", async () => {
    const w = await world();
    const admin = await makeUser(t.db, "Admin");
    await t.db.insertInto("owner_admins").values({ owner_id: w.owner.id, user_id: admin.id }).execute();
    const other = await world();
    const otherAdmin = await makeUser(t.db, "Admin elsewhere");
    await t.db.insertInto("owner_admins").values({ owner_id: other.owner.id, user_id: otherAdmin.id }).execute();

    await smtp.stop();
    const [booking] = await book(w, 1, "2026-12-16");
    const row = (await outbox(t.db)).find((r) => (r.payload as { booking?: { id: string } }).booking?.id === booking!.id)!;
    const transport = transportFor(smtp.url);
    let now = new Date();
    const opts = worker(t.db, transport, { maxAttempts: 3, backoffMs: SECOND });
    for (let i = 0; i < 3; i++) {
      await drain(opts, now);
      now = new Date(now.getTime() + 10 * SECOND);
    }
    let stored = (await outbox(t.db)).find((r) => r.id === row.id)!;
    expect(stored.attempts).toBe(3);
    expect(stored.failed_at).not.toBeNull();
    expect((await drain(opts, new Date(now.getTime() + 3600 * SECOND))).retrying).not.toContain(row.id);

    const listed = await listUndeliveredMessages(t.db, admin.id, { now });
    const item = listed.find((m) => m.id === row.id)!;
    expect(item).toMatchObject({ state: "failed", kind: "booking-confirmed", recipient: w.leader.email, attempts: 3 });
    expect(item.lastError).toMatch(/ECONNREFUSED|ESOCKET|connect/i);
    expect(item).not.toHaveProperty("payload");
    expect((await listUndeliveredMessages(t.db, otherAdmin.id, { now })).map((m) => m.id)).not.toContain(row.id);
    await expect(listUndeliveredMessages(t.db, w.leader.id, { now })).rejects.toBeInstanceOf(Forbidden);
    expect(await retryFailedMessage(t.db, otherAdmin.id, row.id, now)).toBe(false);

    await smtp.start();
    expect(await retryFailedMessage(t.db, admin.id, row.id, now)).toBe(true);
    const before = smtp.received.length;
    const report = await drain(worker(t.db, transport), new Date(now.getTime() + SECOND));
    transport.close();
    expect(report.sent).toContain(row.id);
    expect(smtp.received.slice(before).map((m) => m.parsed.messageId)).toContain(`<outbox-${row.id}@flokk.test>`);
    stored = (await outbox(t.db)).find((r) => r.id === row.id)!;
    expect(stored.sent_at).not.toBeNull();
    expect(stored.failed_at).toBeNull();
  });

  it("retries a kind of message it does not know (written by a newer version during a rolling deploy) instead of giving it up", async () => {
    const w = await world();
    const [row] = await t.db
      .insertInto("outbox")
      .values({ kind: "booking-from-the-future", recipient: w.leader.email, payload: JSON.stringify({ x: 1 }) })
      .returning("id")
      .execute();
    const transport = transportFor(smtp.url);
    try {
      const report = await drain(worker(t.db, transport, { backoffMs: SECOND }), new Date());
      expect(report.retrying).toContain(row!.id);
      expect(report.failed).not.toContain(row!.id);
    } finally {
      transport.close();
      // Not left for the other cases' workers to trip over.
      await t.db.deleteFrom("outbox").where("id", "=", row!.id).execute();
    }
  });

  it("without SMTP_URL no worker runs and mail stays in the outbox", async () => {
    const lines: string[] = [];
    const config = { ...env(), SMTP_URL: undefined, NODE_ENV: "development" as const };
    expect(startConfiguredWorker(t.db, config, (l) => lines.push(l))).toBeNull();
    expect(lines.join("\n")).toContain("/dev/mailbox");
    lines.length = 0;
    // `npm start` on the embedded demo database: a production build, but the mailbox is there.
    expect(startConfiguredWorker(t.db, { ...config, NODE_ENV: "production", DATABASE_URL: undefined }, (l) => lines.push(l))).toBeNull();
    expect(lines.join("\n")).toContain("/dev/mailbox");
    lines.length = 0;
    const deployment = { ...config, NODE_ENV: "production" as const, DATABASE_URL: "postgres://db.example/flokk" };
    expect(startConfiguredWorker(t.db, deployment, (l) => lines.push(l))).toBeNull();
    expect(lines.join("\n")).not.toContain("/dev/mailbox");
  });

  it("the running worker delivers in the background and stops cleanly", async () => {
    await drain(worker(t.db, transportFor(smtp.url)));
    const w = await world();
    const before = smtp.received.length;
    const transport = transportFor(smtp.url);
    const running = startOutboxWorker({ db: t.db, transport, settings: SETTINGS, pollMs: 50, log: () => {} });
    try {
      await book(w, 3, "2026-12-17");
      await smtp.waitFor(before + 3);
    } finally {
      await running.stop();
      transport.close();
    }
    expect(smtp.received.slice(before).map((m) => m.envelope.to[0])).toEqual([w.leader.email, w.leader.email, w.leader.email]);
  });
});
