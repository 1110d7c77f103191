// An owner admin rejected an association's registration: what and why, to its
// contact address and to each member whose waiting requests went with it (listed).
import { type Language, type MessageKey, translate } from "~/i18n";
import type { AssociationRejectedPayload } from "../messages";
import { when } from "./format";
import type { MailContent } from "./layout";

export function associationRejectedMail(lang: Language, recipientName: string | null, p: AssociationRejectedPayload): MailContent {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
  const params = { association: p.associationName, orgNumber: p.orgNumber };
  return {
    subject: t("mail.associationRejected.subject", params),
    heading: t("mail.associationRejected.heading", params),
    recipientName,
    paragraphs: [t("mail.associationRejected.intro", params)],
    facts: [
      [t("mail.associationRejected.reason"), p.reason],
      // The recipient's requests that went with it, one a line.
      ...(p.turnedDown?.length
        ? [[t("mail.associationRejected.turnedDown"), p.turnedDown.map((b) => `${b.title}, ${b.venue}: ${when(lang, new Date(b.startsAt), new Date(b.endsAt), b.timeZone)}`).join("\n")] as [string, string]]
        : []),
    ],
    notes: [t("mail.associationRejected.next")],
  };
}
