// /admin/associations — owner admins verify or reject associations: those
// waiting first, then verified, then rejected; each with its organisation
// number (and whether it passes the check digit), contact and registration
// date. Rejecting needs a reason, which is mailed to the association. Plain
// forms (POST → redirect). Rules: app/admin/associations-admin.server.ts.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { requireAdminOwner } from "~/admin/access.server";
import { listAssociationsForAdmin, rejectAssociation, verifyAssociation } from "~/admin/associations-admin.server";
import { MAX_REJECTION_REASON } from "~/admin/limits";
import { AdminNav } from "~/components/admin-nav";
import { FormMessage, IntentField, PostForm, strayMessage } from "~/components/forms";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { type FormReply, fields, formFailure, parseForm } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

const DONE = ["verified", "rejected"] as const;
type Done = (typeof DONE)[number];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const list = await listAssociationsForAdmin(getDb(), user.id);
    const done = new URL(request.url).searchParams.get("done");
    return data(
      {
        lang: lang.code,
        associations: list.map((a) => ({ ...a, createdAt: formatDate(lang, a.createdOn) })),
        done: DONE.includes(done as Done) ? (done as Done) : null,
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["adminAssociations.metaTitle"]);

const verifySchema = z.object({ associationId: fields.id() });
const rejectSchema = z.object({ associationId: fields.id(), reason: fields.requiredText(MAX_REJECTION_REASON) });

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const intent = form.get("intent") === "reject" ? "reject" : "verify";
  const values = { associationId: String(form.get("associationId") ?? "").slice(0, 30), reason: String(form.get("reason") ?? "").slice(0, 2000) };
  const db = getDb();
  try {
    // Someone who is not an admin at all is refused before the form is read.
    await requireAdminOwner(db, user.id);
    if (intent === "reject") {
      const input = parseForm(rejectSchema, form);
      await rejectAssociation(db, { actorId: user.id, ...input }, new Date());
    } else {
      await verifyAssociation(db, { actorId: user.id, ...parseForm(verifySchema, form) }, new Date());
    }
    return redirect(`/admin/associations?done=${intent === "reject" ? "rejected" : "verified"}`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    const failure = formFailure(e, lang, { intent, values });
    return data(failure.data as FormReply, failure.init ?? undefined);
  }
}

/** The reason's field; one per association, so its id is not its name. */
function ReasonField({ id, association, value, error }: { id: string; association: string; value?: string; error?: string }) {
  const t = useT();
  return (
    <div className="form-field">
      <label htmlFor={id} className="ds-label">
        {t("adminAssociations.reasonLabel", { association })}
      </label>
      <p id={`${id}-hint`} className="ds-paragraph form-field__hint" data-size="sm">
        {t("adminAssociations.reasonHint")}
      </p>
      <textarea
        id={id}
        name="reason"
        className="ds-input"
        rows={3}
        maxLength={MAX_REJECTION_REASON}
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
      {error && (
        <p id={`${id}-error`} className="ds-validation-message" data-field="validation" data-color="danger">
          {error}
        </p>
      )}
    </div>
  );
}

const STATE_COLOR = { unverified: "warning", verified: "success", rejected: "danger" } as const;

export default function AdminAssociations() {
  const { associations, done } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const t = useT();
  const stray = strayMessage(reply, (r) => associations.some((a) => r.values.associationId === String(a.id)));
  return (
    <div className="admin">
      <AdminNav current="associations" />
      <Heading level={1} data-size="lg">
        {t("adminAssociations.heading")}
      </Heading>
      <Paragraph>{t("adminAssociations.intro")}</Paragraph>
      {done && <FormMessage kind="success">{t(`adminAssociations.done.${done}`)}</FormMessage>}
      {stray && <FormMessage>{stray}</FormMessage>}
      {associations.length === 0 && <Paragraph className="muted">{t("adminAssociations.empty")}</Paragraph>}
      <ul className="caretaker-queue">
        {associations.map((a) => {
          const mine = reply && reply.values.associationId === String(a.id) ? reply : null;
          const rejectMine = mine?.intent === "reject" ? mine : null;
          const other = mine ? [mine.formError, ...Object.entries(mine.fieldErrors).filter(([f]) => f !== "reason").map(([, m]) => m)].filter(Boolean) : [];
          return (
            <li key={a.id} className="caretaker-card">
              <Heading level={2} data-size="xs" id={`association-${a.id}`}>
                {a.name}
              </Heading>
              <Tag data-size="sm" data-color={STATE_COLOR[a.state]}>
                {t(`adminAssociations.state.${a.state}`)}
              </Tag>
              <dl className="association-facts">
                <dt>{t("adminAssociations.orgNumber")}</dt>
                <dd>
                  {a.orgNumber}{" "}
                  <span className={a.orgNumberValid ? "muted" : undefined}>
                    ({t(a.orgNumberValid ? "adminAssociations.orgNumberValid" : "adminAssociations.orgNumberInvalid")})
                  </span>
                </dd>
                <dt>{t("adminAssociations.contact")}</dt>
                <dd>{a.contactEmail}</dd>
                <dt>{t("adminAssociations.created")}</dt>
                <dd>{a.createdAt}</dd>
                {a.rejectionReason && (
                  <>
                    <dt>{t("adminAssociations.reason")}</dt>
                    <dd className="pre-line">{a.rejectionReason}</dd>
                  </>
                )}
              </dl>
              {other.length > 0 && <FormMessage>{other.join(" ")}</FormMessage>}
              {a.state !== "verified" && (
                <PostForm>
                  <IntentField intent="verify" />
                  <input type="hidden" name="associationId" value={a.id} />
                  <button type="submit" className="ds-button" data-variant="primary" data-size="sm">
                    {t("adminAssociations.verify")}
                    <span className="ds-sr-only">: {a.name}</span>
                  </button>
                </PostForm>
              )}
              {a.state !== "rejected" && (
                <details className="ds-details" open={rejectMine ? true : undefined}>
                  <summary>{t("adminAssociations.reject")}</summary>
                  <PostForm noValidate className="stack">
                    <IntentField intent="reject" />
                    <input type="hidden" name="associationId" value={a.id} />
                    <ReasonField id={`reason-${a.id}`} association={a.name} value={rejectMine?.values.reason} error={rejectMine?.fieldErrors.reason} />
                    <div>
                      <button type="submit" className="ds-button" data-variant="secondary" data-color="danger" data-size="sm">
                        {t("adminAssociations.rejectSubmit")}
                        <span className="ds-sr-only">: {a.name}</span>
                      </button>
                    </div>
                  </PostForm>
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
