// The development mailbox: without SMTP_URL nothing is sent, and this shows
// what would have been, rendered exactly as the worker would render it.
import type { AppLoadContext } from "@remix-run/node";
import MailComposer from "nodemailer/lib/mail-composer";
import type { Database } from "db/client";
import type { OutboxRow } from "db/schema";
import { getDb } from "~/db.server";
import { NotFound } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { isLoopbackClient } from "~/http/client.server";
import { type Language, pickLanguage, translate } from "~/i18n";
import { mailOptions } from "./mailer.server";
import { type MailToSend, renderOutboxMessage, SKIP, skippedSubject } from "./render.server";
import { devMailboxEnabled, type MailSettings, mailSettings, messageIdFor } from "./settings.server";

export type MailboxState = "queued" | "scheduled" | "sent" | "failed" | "skipped";

export interface MailboxEntry {
  id: number;
  kind: string;
  recipient: string;
  /**
   * The rendered subject; for a message not sent, the one it would have had
   * when that says what it was about (a reminder's booking), else why there is none.
   */
  subject: string;
  /** The subject is only the note in brackets (nothing left to name the message by): the page shows the note once. */
  subjectIsNote: boolean;
  state: MailboxState;
  createdAt: string;
  availableAt: string;
  note: string | null;
}

export interface MailboxMessage extends MailboxEntry {
  messageId: string;
  mail: MailToSend | null;
}

function stateOf(row: OutboxRow, now: Date): MailboxState {
  if (row.sent_at) return "sent";
  if (row.failed_at) return "failed";
  if (row.skipped_at) return "skipped";
  return row.available_at.getTime() > now.getTime() ? "scheduled" : "queued";
}

/**
 * Why a message is not sent (render.server.ts's SKIP), in the page's language.
 * One this page does not know (a reason from another version) is shown as it is.
 */
const SKIP_NOTES = new Map<string, (lang: Language) => string>([
  [SKIP.bookingDeleted, (lang) => translate(lang, "devMailbox.skip.deleted")],
  [SKIP.bookingMoved, (lang) => translate(lang, "devMailbox.skip.moved")],
  [SKIP.bookingStarted, (lang) => translate(lang, "devMailbox.skip.started")],
  [SKIP.signInExpired, (lang) => translate(lang, "devMailbox.skip.signInExpired")],
  ...(["pending", "rejected", "cancelled"] as const).map(
    (status) => [SKIP.bookingStatus(status), (lang: Language) => translate(lang, "devMailbox.skip.status", { status: translate(lang, `status.${status}`) })] as const,
  ),
  [SKIP.demoData, (lang) => translate(lang, "devMailbox.skip.demoData")],
]);

export function skipNote(lang: Language, reason: string): string {
  return SKIP_NOTES.get(reason)?.(lang) ?? reason;
}

async function entry(db: Database, row: OutboxRow, settings: MailSettings, now: Date, lang: Language): Promise<MailboxMessage> {
  let mail: MailToSend | null = null;
  let subject: string | null = null;
  let note: string | null = row.skip_reason ? skipNote(lang, row.skip_reason) : row.last_error;
  let state = stateOf(row, now);
  try {
    const outcome = await renderOutboxMessage(db, row, settings, now);
    if ("send" in outcome) mail = outcome.send;
    else {
      // Listed by what it is about (a reminder's booking), like the messages that are sent.
      subject = await skippedSubject(db, row, settings);
      if (state === "queued" || state === "scheduled") {
        // What the worker will do with it when its time comes, not "queued" beside "will not be sent".
        // A row already done with keeps what happened to it: a sent sign-in mail has lost its link
        // and code since (finalPayload), and a failed one its real error would be hidden.
        note = skipNote(lang, outcome.skip);
        state = "skipped";
      }
    }
  } catch (e) {
    note = e instanceof Error ? e.message : String(e);
  }
  return {
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    subject: mail?.subject ?? subject ?? `(${note ?? row.kind})`,
    subjectIsNote: !mail && subject === null,
    state,
    createdAt: row.created_at.toISOString(),
    availableAt: row.available_at.toISOString(),
    note,
    messageId: messageIdFor(row.id, settings),
    mail,
  };
}

/** The newest messages first. */
export async function listMailbox(db: Database, settings: MailSettings, now: Date, lang: Language, limit = 50): Promise<MailboxEntry[]> {
  const rows = await db.selectFrom("outbox").selectAll().orderBy("id", "desc").limit(limit).execute();
  const entries: MailboxEntry[] = [];
  for (const row of rows) {
    const { mail: _m, messageId: _id, ...e } = await entry(db, row, settings, now, lang);
    entries.push(e);
  }
  return entries;
}

export async function readMailboxMessage(db: Database, settings: MailSettings, id: number, now: Date, lang: Language): Promise<MailboxMessage | null> {
  const row = await db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? entry(db, row, settings, now, lang) : null;
}

/** The whole message as the worker would send it (RFC 5322), to open in a real mail client. */
export async function mailboxEml(message: MailboxMessage, settings: MailSettings): Promise<Buffer | null> {
  if (!message.mail) return null;
  return new MailComposer(mailOptions(message.id, message.mail, settings)).compile().build();
}

/**
 * For the dev-mailbox routes: a 404 response unless the mailbox is on and the
 * request comes from this machine. It shows live sign-in links: `npm start`
 * listens on every interface, and a colleague on the same network must not
 * read the admin's (found in a security review).
 */
export function requireDevMailbox(request: Request, context: AppLoadContext | undefined): Language {
  const lang = pickLanguage(request);
  if (!devMailboxEnabled() || !isLoopbackClient(context)) throw errorResponse(new NotFound("page"), lang);
  return lang;
}

/** For the dev-mailbox routes: the message asked for, or a 404 response when the mailbox is closed or there is no such message. */
export async function mailboxMessageFor(
  request: Request,
  context: AppLoadContext | undefined,
  id: string | undefined,
): Promise<{ lang: Language; message: MailboxMessage; settings: MailSettings }> {
  const lang = requireDevMailbox(request, context);
  if (!id || !/^\d{1,15}$/.test(id)) throw errorResponse(new NotFound("page"), lang);
  const settings = mailSettings();
  const message = await readMailboxMessage(getDb(), settings, Number(id), new Date(), lang);
  if (!message) throw errorResponse(new NotFound("page"), lang);
  return { lang, message, settings };
}
