// Shared pieces of the mail tests: settings as a deployment would have them,
// the MIME parts of a received message, and the outbox as rows.
import type { ParsedMail } from "mailparser";
import type { Database } from "../../db/client";
import { createMailTransport, type MailTransport } from "../../app/notifications/mailer.server";
import type { MailSettings } from "../../app/notifications/settings.server";
import { type DeliveryReport, deliverDue, type WorkerOptions } from "../../app/notifications/worker.server";

export const SETTINGS: MailSettings = {
  from: '"Flokk" <noreply@flokk.test>',
  fromAddress: "noreply@flokk.test",
  fromName: "Flokk",
  publicUrl: "https://flokk.test",
  messageIdDomain: "flokk.test",
  reminderHours: 24,
};

export function worker(db: Database, transport: MailTransport, extra: Partial<WorkerOptions> = {}): WorkerOptions {
  return { db, transport, settings: SETTINGS, log: () => {}, ...extra };
}

export function transportFor(url: string): MailTransport {
  return createMailTransport(url);
}

/** Delivers until nothing more is due at `now`. */
export async function drain(options: WorkerOptions, now = new Date()): Promise<DeliveryReport> {
  const total: DeliveryReport = { sent: [], retrying: [], failed: [], skipped: [] };
  for (let i = 0; i < 100; i++) {
    const r = await deliverDue(options, now);
    for (const k of Object.keys(total) as (keyof DeliveryReport)[]) total[k].push(...r[k]);
    if (r.sent.length + r.retrying.length + r.failed.length + r.skipped.length === 0) return total;
  }
  throw new Error("the outbox did not drain");
}

/** The text/calendar part (alternative) of a parsed message, with its MIME method= parameter and content. */
export function calendarPart(parsed: ParsedMail): { method: string | undefined; content: string } | null {
  const part = parsed.attachments.find((a) => a.contentType === "text/calendar");
  if (!part) return null;
  const ct = part.headers.get("content-type") as { value: string; params: Record<string, string> } | undefined;
  return { method: ct?.params.method, content: part.content.toString("utf8") };
}

/** The message's top-level Content-Type and the types of its direct children, e.g. multipart/mixed [multipart/alternative, application/ics]. */
export function structure(raw: string): string {
  const out: string[] = [];
  const walk = (entity: string, depth: number) => {
    const split = entity.search(/\r?\n\r?\n/);
    const head = entity.slice(0, split).replace(/\r?\n[ \t]+/g, " ");
    const ct = /^content-type:\s*([^;\r\n]+)(.*)$/im.exec(head);
    const type = (ct?.[1] ?? "text/plain").trim().toLowerCase();
    out.push(`${"  ".repeat(depth)}${type}`);
    if (type.startsWith("multipart/")) {
      const boundary = /boundary=("([^"]*)"|[^;\s]+)/i.exec(ct?.[2] ?? "");
      const b = boundary?.[2] ?? boundary?.[1];
      const body = entity.slice(split);
      for (const s of body.split(`--${b}`).slice(1)) {
        if (s.startsWith("--")) break;
        walk(s.replace(/^\r?\n/, ""), depth + 1);
      }
    }
  };
  walk(raw, 0);
  return out.join("\n");
}

export function headerNames(parsed: ParsedMail): string[] {
  return [...parsed.headers.keys()];
}

export async function outbox(db: Database) {
  return db.selectFrom("outbox").selectAll().orderBy("id").execute();
}
