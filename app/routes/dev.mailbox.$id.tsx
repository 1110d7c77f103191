// GET /dev/mailbox/:id — one message: headers, plain text, HTML (in a
// sandboxed frame) and the calendar part. Development only, like the list.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getLanguage, translate } from "~/i18n";
import { useT } from "~/i18n/react";
import { mailboxMessageFor } from "~/notifications/mailbox.server";
import { stateColor, when } from "~/notifications/mailbox-view";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { lang, message } = await mailboxMessageFor(request, context, params.id);
  return { lang: lang.code, message };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.message.subject} – Flokk` : `${translate(getLanguage(undefined), "devMailbox.title")} – Flokk` },
];

export default function DevMailboxMessage() {
  const { message: m } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <article className="mailbox-message">
      <Paragraph data-size="sm">
        <Link to="/dev/mailbox" className="ds-link">
          {t("devMailbox.back")}
        </Link>
      </Paragraph>
      <Heading level={1} data-size="md">
        {m.subject}
      </Heading>
      <dl className="facts-list">
        <dt>{t("devMailbox.to")}</dt>
        <dd>{m.recipient}</dd>
        <dt>{t("devMailbox.kind")}</dt>
        <dd>{m.kind}</dd>
        <dt>{t("devMailbox.messageId")}</dt>
        <dd>
          <code>{m.messageId}</code>
        </dd>
        <dt>{t("devMailbox.created")}</dt>
        <dd>{when(m.createdAt)}</dd>
        <dt>{t("devMailbox.availableAt")}</dt>
        <dd>{when(m.availableAt)}</dd>
        <dt>{t("devMailbox.state")}</dt>
        <dd>
          <Tag data-color={stateColor[m.state]} data-size="sm">
            {t(`devMailbox.state.${m.state}`)}
          </Tag>
        </dd>
        {m.note && (
          <>
            <dt>{t("devMailbox.note")}</dt>
            <dd>{m.note}</dd>
          </>
        )}
      </dl>
      {m.mail ? (
        <>
          <Paragraph>
            <a href={`/dev/mailbox/${m.id}/eml`} className="ds-link" download={`outbox-${m.id}.eml`}>
              {t("devMailbox.download")}
            </a>
          </Paragraph>
          <Heading level={2} data-size="sm">
            {t("devMailbox.html")}
          </Heading>
          {/* The mail's own HTML, from a route with a CSP of its own; sandboxed: no scripts, no forms, no navigation. */}
          <iframe title={t("devMailbox.html")} src={`/dev/mailbox/${m.id}/html`} sandbox="" className="mailbox-frame" />
          <Heading level={2} data-size="sm">
            {t("devMailbox.text")}
          </Heading>
          <pre className="mailbox-text">{m.mail.text}</pre>
          {m.mail.calendar && (
            <>
              <Heading level={2} data-size="sm">
                {t("devMailbox.calendar", { method: m.mail.calendar.method })}
              </Heading>
              <pre className="mailbox-text">{m.mail.calendar.content}</pre>
            </>
          )}
        </>
      ) : (
        <Paragraph>{t("devMailbox.notRendered", { note: m.note ?? "" })}</Paragraph>
      )}
    </article>
  );
}
