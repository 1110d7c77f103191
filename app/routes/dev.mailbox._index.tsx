// GET /dev/mailbox — what is in the outbox, newest first. Exists only without
// SMTP_URL, outside a real deployment, and for requests from this machine (404 otherwise).
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ScrollTable } from "~/components/scroll-region";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { getLanguage, translate } from "~/i18n";
import { useT } from "~/i18n/react";
import { listMailbox, requireDevMailbox } from "~/notifications/mailbox.server";
import { stateColor, when } from "~/notifications/mailbox-view";
import { mailSettings } from "~/notifications/settings.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const lang = requireDevMailbox(request, context);
  try {
    return { lang: lang.code, messages: await listMailbox(getDb(), mailSettings(), new Date(), lang) };
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${translate(getLanguage(data?.lang), "devMailbox.title")} – Flokk` }];

export default function DevMailbox() {
  const { messages } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <Heading level={1} data-size="lg" id="mailbox-heading">
        {t("devMailbox.title")}
      </Heading>
      <Paragraph>{t("devMailbox.intro")}</Paragraph>
      {messages.length === 0 ? (
        <Paragraph>{t("devMailbox.empty")}</Paragraph>
      ) : (
        <ScrollTable
          labelledBy="mailbox-heading"
          tableClassName="mailbox-table"
          columns={[t("devMailbox.created"), t("devMailbox.to"), t("devMailbox.subject"), t("devMailbox.kind"), t("devMailbox.state")]}
        >
          {messages.map((m) => (
            <tr key={m.id}>
              <td>{when(m.createdAt)}</td>
              <td>{m.recipient}</td>
              <td>
                <Link to={`/dev/mailbox/${m.id}`} className="ds-link">
                  {m.subject}
                </Link>
              </td>
              <td>{m.kind}</td>
              <td>
                <Tag data-color={stateColor[m.state]} data-size="sm">
                  {t(`devMailbox.state.${m.state}`)}
                </Tag>
                {m.state === "scheduled" && <> {when(m.availableAt)}</>}
                {/* Why not, unless the subject already says only that (nothing left to name it by). */}
                {m.state === "skipped" && m.note && !m.subjectIsNote && <span className="muted">{` (${m.note})`}</span>}
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
    </>
  );
}
