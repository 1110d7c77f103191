// Mail configuration, derived once from the env schema.
import addressparser from "nodemailer/lib/addressparser";
import { type Env, env, isDeployment, publicUrl } from "~/config/env.server";
import { plainAddress } from "./templates/text";

export interface MailSettings {
  /** The From header as configured ("Flokk <noreply@flokk.example>"). */
  from: string;
  /** Its bare address: the envelope sender and the invitations' ORGANIZER. */
  fromAddress: string;
  fromName: string;
  /** Links in mail point here (no trailing slash). */
  publicUrl: string;
  /** Right-hand side of Message-IDs: `<outbox-123@flokk.example>`. */
  messageIdDomain: string;
  reminderHours: number;
}

export function mailSettings(config: Env = env()): MailSettings {
  const parsed = addressparser(config.MAIL_FROM, { flatten: true })[0];
  const fromAddress = parsed && plainAddress(parsed.address);
  if (!parsed || !fromAddress) throw new Error(`MAIL_FROM is not an e-mail address: ${JSON.stringify(config.MAIL_FROM)}`);
  const fromName = parsed.name.replace(/[\r\n"\\]/g, " ").trim() || "Flokk";
  return {
    from: `"${fromName}" <${fromAddress}>`,
    fromAddress,
    fromName,
    publicUrl: publicUrl(config),
    messageIdDomain: fromAddress.split("@")[1]!.toLowerCase(),
    reminderHours: config.REMINDER_HOURS,
  };
}

/** The Message-ID of an outbox row: the same on every attempt, so a resend is recognisable as one. */
export function messageIdFor(outboxId: number, settings: Pick<MailSettings, "messageIdDomain">): string {
  return `<outbox-${outboxId}@${settings.messageIdDomain}>`;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The development mailbox exists only where nothing is sent, never in a real
 * deployment, and only while Flokk is addressed as localhost: it shows live
 * sign-in links, so a server that people reach by a public name must not
 * have it even when it runs on the embedded demo database. `npm start` on a
 * laptop shows it, so a newcomer can sign in as the demo users.
 */
export function devMailboxEnabled(config: Env = env()): boolean {
  return !config.SMTP_URL && !isDeployment(config) && LOOPBACK.has(new URL(publicUrl(config)).hostname);
}
