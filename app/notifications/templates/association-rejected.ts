// An owner admin rejected an association's registration: what and why, to its contact address.
import { type Language, type MessageKey, translate } from "~/i18n";
import type { AssociationRejectedPayload } from "../messages";
import type { MailContent } from "./layout";

export function associationRejectedMail(lang: Language, recipientName: string | null, p: AssociationRejectedPayload): MailContent {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
  const params = { association: p.associationName, orgNumber: p.orgNumber };
  return {
    subject: t("mail.associationRejected.subject", params),
    heading: t("mail.associationRejected.heading", params),
    recipientName,
    paragraphs: [t("mail.associationRejected.intro", params)],
    facts: [[t("mail.associationRejected.reason"), p.reason]],
    notes: [t("mail.associationRejected.next")],
  };
}
