// SMTP through nodemailer: one transport per process, built from SMTP_URL.
import nodemailer, { type Transporter } from "nodemailer";
import type { MailToSend } from "./render.server";
import { type MailSettings, messageIdFor } from "./settings.server";
import { plainAddress } from "./templates/text";

export type MailTransport = Transporter;

/** Timeouts well below the worker's lease, so a hung server cannot outlive the claim. */
export function createMailTransport(smtpUrl: string): MailTransport {
  return nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
}

/** The nodemailer message for an outbox row: what the worker sends and the dev mailbox offers as .eml. */
export function mailOptions(outboxId: number, mail: MailToSend, settings: MailSettings): nodemailer.SendMailOptions {
  const to = plainAddress(mail.to);
  // Render already checked this; a second look costs nothing and keeps the envelope to one plain address.
  if (!to) throw new Error(`Refusing to send to ${JSON.stringify(mail.to)}`);
  return {
    from: { name: settings.fromName, address: settings.fromAddress },
    to,
    envelope: { from: settings.fromAddress, to: [to] },
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: messageIdFor(outboxId, settings),
    headers: {
      // RFC 3834: no auto-replies (vacation notices) to machine-sent mail.
      "Auto-Submitted": "auto-generated",
      "X-Auto-Response-Suppress": "All",
    },
    ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, content: mail.calendar.content, filename: "invitation.ics" } } : {}),
  };
}

export async function sendMail(transport: MailTransport, outboxId: number, mail: MailToSend, settings: MailSettings): Promise<void> {
  await transport.sendMail(mailOptions(outboxId, mail, settings));
}
