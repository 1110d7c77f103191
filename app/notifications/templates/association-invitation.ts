// An invitation to join an association: accepted by signing in with the invited address.
import { formatDays } from "~/i18n/format";
import { type Language, type MessageKey, translate } from "~/i18n";
import type { AssociationInvitationPayload } from "../messages";
import type { MailContent } from "./layout";

export function associationInvitationMail(lang: Language, recipientName: string | null, p: AssociationInvitationPayload): MailContent {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
  const params = { association: p.associationName, invitedBy: p.invitedBy, days: formatDays(lang, p.expiresDays) };
  return {
    subject: t("mail.associationInvitation.subject", params),
    heading: t("mail.associationInvitation.heading", params),
    recipientName,
    paragraphs: [t("mail.associationInvitation.intro", params)],
    action: { label: t("mail.associationInvitation.action"), url: p.url },
    notes: [t("mail.associationInvitation.expires", params), t("mail.associationInvitation.ignore")],
  };
}
