// Presentation helpers shared by the dev-mailbox pages (browser-safe).
import type { MailboxState } from "./mailbox.server";

export const stateColor: Record<MailboxState, "success" | "warning" | "danger" | "neutral" | "info"> = {
  queued: "info",
  scheduled: "neutral",
  sent: "success",
  failed: "danger",
  skipped: "warning",
};

/** An ISO instant as "2026-12-10 17:00 UTC": a developer's view, no zone guessing. */
export const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
