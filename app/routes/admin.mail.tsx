// /admin/mail — for owner admins: mail that has not gone out (given up, being
// retried, or waiting too long), and a button to try a given-up one again.
// Never the content: a sign-in message carries a live code.
import { Button, Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { requireAdminOwner } from "~/admin/access.server";
import { PostForm } from "~/components/forms";
import { ScrollTable } from "~/components/scroll-region";
import { getDb } from "~/db.server";
import { InvalidInput } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { getLanguage, pickLanguage, translate } from "~/i18n";
import { useT } from "~/i18n/react";
import { listUndeliveredMessages, retryFailedMessage } from "~/notifications/admin.server";
import { when } from "~/notifications/mailbox-view";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const messages = await listUndeliveredMessages(getDb(), user.id, { now: new Date() });
    const retried = new URL(request.url).searchParams.get("retried");
    return data(
      {
        lang: lang.code,
        retried: retried === "1" ? true : retried === "0" ? false : null,
        messages: messages.map((m) => ({
          ...m,
          createdAt: m.createdAt.toISOString(),
          nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
          failedAt: m.failedAt?.toISOString() ?? null,
        })),
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${translate(getLanguage(data?.lang), "adminMail.title")} – Flokk` }];

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    // Someone who is not an admin at all is refused before the form is read.
    await requireAdminOwner(getDb(), user.id);
    const id = String(form.get("id") ?? "");
    if (!/^\d{1,15}$/.test(id)) throw new InvalidInput({ messageId: "invalidId" });
    const ok = await retryFailedMessage(getDb(), user.id, Number(id), new Date());
    return redirect(`/admin/mail?retried=${ok ? 1 : 0}`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

const stateColor = { failed: "danger", retrying: "warning", stuck: "neutral" } as const;

export default function AdminMail() {
  const { messages, retried } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <Heading level={1} data-size="lg" id="admin-mail-heading">
        {t("adminMail.title")}
      </Heading>
      <Paragraph>{t("adminMail.intro")}</Paragraph>
      {retried !== null && (
        <Paragraph role="status" data-size="sm">
          {t(retried ? "adminMail.retried" : "adminMail.notRetried")}
        </Paragraph>
      )}
      {messages.length === 0 ? (
        <Paragraph>{t("adminMail.empty")}</Paragraph>
      ) : (
        <ScrollTable
          labelledBy="admin-mail-heading"
          tableClassName="mailbox-table"
          columns={[t("adminMail.created"), t("adminMail.recipient"), t("adminMail.kind"), t("adminMail.state"), t("adminMail.error"), { hidden: t("adminMail.retry") }]}
        >
          {messages.map((m) => (
            <tr key={m.id}>
              <td>{when(m.createdAt)}</td>
              <td>{m.recipient}</td>
              <td>{m.kind}</td>
              <td>
                <Tag data-color={stateColor[m.state]} data-size="sm">
                  {t(`adminMail.state.${m.state}`)}
                </Tag>{" "}
                {t("adminMail.attempts", { attempts: m.attempts })}
                {m.nextAttemptAt && (
                  <>
                    <br />
                    {t("adminMail.next", { at: when(m.nextAttemptAt) })}
                  </>
                )}
              </td>
              <td>{m.lastError}</td>
              <td>
                {m.state === "failed" && (
                  <PostForm>
                    <input type="hidden" name="id" value={m.id} />
                    <Button type="submit" variant="secondary" data-size="sm">
                      {t("adminMail.retry")}
                    </Button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
    </>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
