// The outbox worker: delivers committed messages, at least once.
//
// A claim is one short statement (its own transaction): it picks due rows with
// FOR UPDATE SKIP LOCKED, so concurrent workers never pick the same row, and
// marks each with a lease (locked_until). Sending happens after that commit,
// outside any transaction; a worker that dies mid-send leaves a lease that
// runs out, and the row is claimed again. The Message-ID derives from the
// row, so a repeat after such a crash is recognisable as the same message.
// See docs/decisions/007-outbox-and-mail.md.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "kysely";
import type { Database } from "db/client";
import type { OutboxRow } from "db/schema";
import { type Env, env } from "~/config/env.server";
import { createMailTransport, type MailTransport, sendMail } from "./mailer.server";
import { PermanentMailError, renderOutboxMessage } from "./render.server";
import { devMailboxEnabled, type MailSettings, mailSettings } from "./settings.server";

export interface WorkerOptions {
  db: Database;
  /** Where mail goes. */
  transport: MailTransport;
  settings: MailSettings;
  /** Names this worker in locked_by; default host, pid and a random suffix. */
  workerId?: string;
  /** Rows per claim. */
  batchSize?: number;
  /** How long a claim holds; must exceed the time one batch takes to send. */
  leaseMs?: number;
  /** Attempts before a message is given up (failed_at set). */
  maxAttempts?: number;
  /** Delay after the first failure; doubles with every further one, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Pause between polls when nothing was due. */
  pollMs?: number;
  log?: (line: string) => void;
}

type Settled = Required<Omit<WorkerOptions, "log">> & { log: (line: string) => void };

export interface DeliveryReport {
  sent: number[];
  retrying: number[];
  failed: number[];
  skipped: number[];
}

export const DEFAULTS = {
  batchSize: 20,
  leaseMs: 5 * 60_000,
  maxAttempts: 10,
  backoffMs: 30_000,
  maxBackoffMs: 6 * 3600_000,
  pollMs: 2_000,
} as const;

function settle(o: WorkerOptions): Settled {
  return {
    ...DEFAULTS,
    workerId: `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
    log: (line) => console.log(line),
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
  } as Settled;
}

/** Exponential backoff with ±20 % jitter, so failed messages of one outage do not all return at once. */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}

/** Claims up to `limit` due rows for this worker. Each claim counts as an attempt, so a message that crashes its worker cannot loop forever. */
export async function claimDue(db: Database, workerId: string, limit: number, leaseMs: number, now: Date): Promise<OutboxRow[]> {
  const { rows } = await sql<OutboxRow>`
    UPDATE outbox o
    SET locked_until = ${now}::timestamptz + make_interval(secs => ${leaseMs / 1000}),
        locked_by = ${workerId},
        attempts = o.attempts + 1
    FROM (
      SELECT id FROM outbox
      WHERE sent_at IS NULL AND failed_at IS NULL AND skipped_at IS NULL
        -- available_at defaults to the database's now(), in microseconds; a
        -- JS Date has milliseconds, so a row made within the same millisecond
        -- as "now" would wait a whole poll. Compare at millisecond precision.
        AND date_trunc('milliseconds', available_at) <= ${now}
        AND (locked_until IS NULL OR locked_until <= ${now})
      ORDER BY available_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE o.id = due.id
    RETURNING o.*`.execute(db);
  return rows.sort((a, b) => a.id - b.id);
}

function describe(e: unknown): string {
  const err = e as { message?: string; responseCode?: number; code?: string };
  const text = [err.code, err.responseCode, err.message ?? String(e)].filter((x) => x !== undefined && x !== "").join(" ");
  return text.slice(0, 2000);
}

/** One pass: claim what is due and deliver it. Returns what became of each row. */
export async function deliverDue(options: WorkerOptions, now: Date = new Date()): Promise<DeliveryReport> {
  const o = settle(options);
  const report: DeliveryReport = { sent: [], retrying: [], failed: [], skipped: [] };
  const rows = await claimDue(o.db, o.workerId, o.batchSize, o.leaseMs, now);
  const started = performance.now();
  for (const [index, row] of rows.entries()) {
    // A slow server must not let the lease run out under rows not yet tried:
    // another worker would claim and send them too. Hand them back instead.
    if (performance.now() - started > o.leaseMs / 2) {
      await release(o, rows.slice(index).map((r) => r.id));
      break;
    }
    try {
      const outcome = await renderOutboxMessage(o.db, row, o.settings, now);
      if ("skip" in outcome) {
        await o.db
          .updateTable("outbox")
          .set({ skipped_at: now, skip_reason: outcome.skip, locked_until: null, payload: finalPayload(row.kind) })
          .where("id", "=", row.id)
          .where("locked_by", "=", o.workerId)
          .execute();
        report.skipped.push(row.id);
        continue;
      }
      await sendMail(o.transport, row.id, outcome.send, o.settings);
      // Sent is sent, even if our lease ran out meanwhile: record it unconditionally.
      await o.db
        .updateTable("outbox")
        .set({ sent_at: new Date(), locked_until: null, last_error: null, payload: finalPayload(row.kind) })
        .where("id", "=", row.id)
        .execute();
      report.sent.push(row.id);
    } catch (e) {
      const permanent = e instanceof PermanentMailError;
      const giveUp = permanent || row.attempts >= o.maxAttempts;
      const error = describe(e);
      // Only while the claim is still ours: another worker may have taken the row after our lease ran out.
      await o.db
        .updateTable("outbox")
        .set(
          giveUp
            ? { failed_at: now, last_error: error, locked_until: null, payload: finalPayload(row.kind) }
            : {
                available_at: new Date(now.getTime() + backoffDelay(row.attempts, o.backoffMs, o.maxBackoffMs)),
                last_error: error,
                locked_until: null,
              },
        )
        .where("id", "=", row.id)
        .where("locked_by", "=", o.workerId)
        .where("sent_at", "is", null)
        .execute();
      (giveUp ? report.failed : report.retrying).push(row.id);
      o.log(`outbox ${row.id} (${row.kind}) attempt ${row.attempts} ${giveUp ? "failed for good" : "will be retried"}: ${error}`);
    }
  }
  return report;
}

/**
 * The payload a row keeps once it is done with (sent, skipped or given up): a
 * sign-in message's link and code are live credentials, so they go.
 */
function finalPayload(kind: string) {
  return kind === "sign-in" ? sql`payload - 'url' - 'code'` : sql`payload`;
}

/** Gives claimed rows back untried: the claim did not count as an attempt. */
async function release(o: Settled, ids: number[]): Promise<void> {
  await o.db
    .updateTable("outbox")
    .set((eb) => ({ locked_until: null, attempts: eb("attempts", "-", 1) }))
    .where("id", "in", ids)
    .where("locked_by", "=", o.workerId)
    .where("sent_at", "is", null)
    .execute();
}

export interface RunningWorker {
  /**
   * Lets the batch in hand finish, waiting at most `graceMs`: a message cut off
   * mid-send keeps its lease, comes back when it runs out and is sent again
   * (at least once).
   */
  stop(graceMs?: number): Promise<void>;
}

/** Polls until stopped. Never throws: a database or SMTP outage is logged and waited out. */
export function startOutboxWorker(options: WorkerOptions): RunningWorker {
  const o = settle(options);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let errors = 0;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        const r = await deliverDue(o);
        busy = r.sent.length + r.retrying.length + r.failed.length + r.skipped.length >= o.batchSize;
        errors = 0;
      } catch (e) {
        errors++;
        if (errors === 1 || errors % 30 === 0) o.log(`outbox worker: ${describe(e)}`);
      }
      if (!stopped && !busy) await pause(errors ? Math.min(60_000, o.pollMs * 2 ** Math.min(errors, 5)) : o.pollMs);
    }
  })();
  return {
    async stop(graceMs = 10_000) {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([loop, new Promise<void>((resolve) => (grace = setTimeout(resolve, graceMs)))]);
      clearTimeout(grace);
    },
  };
}

/**
 * The worker as configured: SMTP_URL's server, MAIL_FROM, REMINDER_HOURS. Without
 * SMTP_URL nothing is sent and no worker runs: mail stays in the outbox, and in
 * development the mailbox page (/dev/mailbox) shows it.
 */
export function startConfiguredWorker(db: Database, config: Env = env(), log: (line: string) => void = console.log): RunningWorker | null {
  if (!config.SMTP_URL) {
    log(
      devMailboxEnabled(config)
        ? "No SMTP_URL: mail stays in the outbox; read it at /dev/mailbox."
        : "No SMTP_URL: mail stays in the outbox and is not sent.",
    );
    return null;
  }
  const transport = createMailTransport(config.SMTP_URL);
  const settings = mailSettings(config);
  const smtp = new URL(config.SMTP_URL);
  log(`Sending mail through ${smtp.hostname}:${smtp.port || "default port"} as ${settings.fromAddress}.`);
  const worker = startOutboxWorker({ db, transport, settings, log });
  return {
    async stop(graceMs?: number) {
      await worker.stop(graceMs);
      transport.close();
    },
  };
}
