// The sign-in link with its one-time code.
import { type Language, translate } from "~/i18n";
import type { SignInPayload } from "../messages";
import { formatMinutes } from "./format";
import type { MailContent } from "./layout";

export function signInMail(lang: Language, recipientName: string | null, p: SignInPayload): MailContent {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
  return {
    subject: t("mail.signIn.subject"),
    heading: t("mail.signIn.heading"),
    recipientName,
    paragraphs: [t("mail.signIn.intro", { minutes: formatMinutes(lang, p.expiresMinutes) })],
    action: { label: t("mail.signIn.action"), url: p.url },
    highlight: { label: t("mail.signIn.code"), value: p.code },
    notes: [t("mail.signIn.ignore")],
  };
}
