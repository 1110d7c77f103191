// /associations/:id: an association's page for its members: details, members,
// and for leaders inviting, removing and handing over the leader role. The
// domain decides who may see and do what; people outside get a 404. Removing,
// leaving and handing over are asked about first: the form without confirm=1
// changes nothing and the page shows the question at its top.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { revalidateAfterPost } from "~/forms/revalidate";
import { requireUser } from "~/accounts/session.server";
import { type ChangeToConfirm, changeToConfirm } from "~/associations/member-confirmation.server";
import { handOverLeadership, inviteMember, removeMember, viewAssociation, withdrawInvitation } from "~/associations/members.server";
import { ConfirmMemberChange, memberButtonId } from "~/components/confirm-member-change";
import { useFocusFromLinkState } from "~/components/focus";
import { FormMessage, IntentField, PostForm, TextField } from "~/components/forms";
import { getDb } from "~/db.server";
import { NotFound } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { fields, formFailure, parseForm } from "~/forms/form.server";
import { formatDate } from "~/i18n/format";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

/** The id from the address; anything that cannot be one is a page that does not exist. */
function associationIdOf(params: { id?: string }): number {
  const id = /^\d{1,15}$/.test(params.id ?? "") ? Number(params.id) : 0;
  if (!id) throw new NotFound("association");
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = pickLanguage(request);
  const user = await requireUser(request);
  try {
    const view = await viewAssociation(getDb(), user.id, associationIdOf(params), new Date());
    return {
      lang: lang.code,
      me: user.id,
      registered: new URL(request.url).searchParams.get("registered") === "1",
      ...view,
      invitations: view.invitations.map((i) => ({ email: i.email, until: formatDate(lang, i.expiresAt.toISOString().slice(0, 10)) })),
    };
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, (d) => ["meta.associationTitle", { association: d.association.name }]);

/**
 * Read again after a refused POST too: Remix skips the loaders when an action
 * answers 4xx, so with JavaScript someone removed meanwhile (another leader, a
 * second tab) kept their row and buttons beside the message saying they are gone.
 */
export const shouldRevalidate = revalidateAfterPost;

/** Only the question's own button sends confirm=1; without it (or with anything else) the page asks first. */
const confirmed = z.literal("1").optional().catch(undefined);

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("invite"), email: fields.email() }),
    z.object({ intent: z.literal("withdraw"), email: fields.email() }),
    z.object({ intent: z.literal("remove"), userId: fields.id(), confirm: confirmed }),
    z.object({ intent: z.literal("handOver"), userId: fields.id(), confirm: confirmed }),
  ],
  { errorMap: () => ({ message: "invalidChoice" }) },
);

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const intent = String(form.get("intent") ?? "");
  const db = getDb();
  try {
    const associationId = associationIdOf(params);
    const input = parseForm(schema, form);
    const change = { actorId: user.id, associationId };
    if ((input.intent === "remove" || input.intent === "handOver") && !input.confirm) {
      const confirm = await changeToConfirm(db, input.intent, { ...change, userId: input.userId }, new Date());
      return { intent: input.intent, confirm };
    }
    switch (input.intent) {
      case "invite":
        await inviteMember(db, { ...change, email: input.email }, new Date());
        return { intent: input.intent, done: true, email: input.email };
      case "withdraw":
        await withdrawInvitation(db, { ...change, email: input.email });
        return { intent: input.intent, done: true, email: input.email };
      case "remove":
        await removeMember(db, { ...change, userId: input.userId });
        // Someone who left no longer sees the page.
        if (input.userId === user.id) return redirect("/account?left=1");
        return { intent: input.intent, done: true, email: null };
      case "handOver":
        await handOverLeadership(db, { ...change, userId: input.userId });
        return { intent: input.intent, done: true, email: null };
    }
  } catch (e) {
    return formFailure(e, lang, { intent, values: { email: String(form.get("email") ?? "").slice(0, 254) } });
  }
}

type Reply = {
  intent: string | null;
  done?: boolean;
  email?: string | null;
  /** The question to ask before the change; nothing has changed yet. */
  confirm?: ChangeToConfirm;
  fieldErrors?: Record<string, string>;
  formError?: string | null;
  values?: Record<string, string>;
};

const DONE_MESSAGES = {
  withdraw: "association.withdrawn",
  remove: "association.removed",
  handOver: "association.handedOver",
} as const;

export default function AssociationPage() {
  const { association, myRole, members, invitations, me, registered } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const t = useT();
  const leader = myRole === "leader";
  const invite = reply?.intent === "invite" ? reply : undefined;
  const doneKey = reply?.done && reply.intent && reply.intent in DONE_MESSAGES ? DONE_MESSAGES[reply.intent as keyof typeof DONE_MESSAGES] : null;
  const nameOf = (m: { name: string; email: string | null }) => m.name || m.email || t("association.members.noName");
  // Refusals no field shows (the person, an unknown form, a withdrawn address) are at the top, where they are seen.
  const problems = [
    ...(reply?.formError && reply.intent !== "invite" ? [reply.formError] : []),
    ...Object.entries(reply?.fieldErrors ?? {})
      .filter(([field]) => !(reply?.intent === "invite" && field === "email"))
      .map(([, problem]) => problem),
  ];
  // The question's Cancel comes back here with focus on the button that asked (with JavaScript).
  useFocusFromLinkState();
  return (
    <div className="association">
      <Heading level={1} data-size="lg">
        {association.name}
      </Heading>
      {registered && <FormMessage kind="success">{t("association.registered")}</FormMessage>}
      {/* The answer takes focus (with JavaScript): the pressed button may be gone with its row or with the question. */}
      {doneKey && (
        <FormMessage kind="success" focusFor={reply}>
          {t(doneKey)}
        </FormMessage>
      )}
      {/* One message that takes focus; several alerts beside it would each be read out over it. */}
      {problems.length > 0 && (
        <FormMessage focusFor={reply}>
          {problems.length === 1
            ? problems[0]
            : [...new Set(problems)].map((problem) => (
                <p key={problem} className="ds-paragraph">
                  {problem}
                </p>
              ))}
        </FormMessage>
      )}
      {reply?.confirm && (
        <ConfirmMemberChange
          change={reply.confirm.change}
          userId={reply.confirm.userId}
          name={nameOf(reply.confirm)}
          association={association.name}
          cancelTo={`/associations/${association.id}`}
          reply={reply}
        />
      )}

      <section aria-labelledby="facts-heading">
        <Heading level={2} data-size="sm" id="facts-heading">
          {t("association.facts")}
        </Heading>
        <dl className="facts-list">
          <dt>{t("association.orgNumber")}</dt>
          <dd>{association.orgNumber}</dd>
          <dt>{t("association.contactEmail")}</dt>
          <dd>{association.contactEmail}</dd>
          <dt>{t("association.status")}</dt>
          <dd>{association.verified ? t("association.verified") : association.rejectionReason !== null ? t("association.rejected") : t("association.unverified")}</dd>
        </dl>
        {association.rejectionReason !== null ? (
          <FormMessage kind="warning">{t("association.rejectedNote", { reason: association.rejectionReason })}</FormMessage>
        ) : (
          !association.verified && <Paragraph data-size="sm">{t("association.unverifiedNote")}</Paragraph>
        )}
      </section>

      <section aria-labelledby="members-heading">
        <Heading level={2} data-size="sm" id="members-heading">
          {t("association.members.heading")}
        </Heading>
        {leader && <Paragraph data-size="sm">{t("association.members.handOverHint")}</Paragraph>}
        <ul className="member-list">
          {members.map((m) => (
            <li key={m.userId} className="member-list__item">
              <span className="member-list__who">
                {m.userId === me ? t("association.members.you", { name: nameOf(m) }) : nameOf(m)}
                {m.email && m.name && <span className="muted"> · {m.email}</span>}{" "}
                <Tag data-size="sm" data-color={m.role === "leader" ? "accent" : "neutral"}>
                  {t(m.role === "leader" ? "role.leader" : "role.member")}
                </Tag>
              </span>
              {leader && m.userId !== me && (
                <span className="member-list__actions">
                  {m.role === "member" && (
                    <PostForm>
                      <IntentField intent="handOver" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" id={memberButtonId("handOver", m.userId)} className="ds-button" data-variant="secondary" data-size="sm">
                        {t("association.members.handOver", { name: nameOf(m) })}
                      </button>
                    </PostForm>
                  )}
                  <PostForm>
                    <IntentField intent="remove" />
                    <input type="hidden" name="userId" value={m.userId} />
                    <button type="submit" id={memberButtonId("remove", m.userId)} className="ds-button" data-variant="tertiary" data-color="danger" data-size="sm">
                      {t("association.members.remove", { name: nameOf(m) })}
                    </button>
                  </PostForm>
                </span>
              )}
            </li>
          ))}
        </ul>
        {/* An owner admin reading the page is no member: nothing to leave. */}
        {myRole !== null && (
          <PostForm>
            <IntentField intent="remove" />
            <input type="hidden" name="userId" value={me} />
            <button type="submit" id={memberButtonId("leave", me)} className="ds-button" data-variant="tertiary" data-size="sm">
              {t("association.members.leave")}
            </button>
          </PostForm>
        )}
      </section>

      {leader && (
        <section aria-labelledby="invite-heading">
          <Heading level={2} data-size="sm" id="invite-heading">
            {t("association.invite.heading")}
          </Heading>
          {invite?.done && invite.email && <FormMessage kind="success">{t("association.invite.sent", { email: invite.email })}</FormMessage>}
          {invite?.formError && <FormMessage>{invite.formError}</FormMessage>}
          <PostForm className="stack" noValidate>
            <IntentField intent="invite" />
            <TextField
              name="email"
              id="invite-email"
              type="email"
              label={t("association.invite.email")}
              hint={t("association.invite.hint")}
              autoComplete="off"
              spellCheck={false}
              maxLength={254}
              required
              defaultValue={invite && !invite.done ? invite.values?.email : undefined}
              error={invite?.fieldErrors?.email}
            />
            <div>
              <button type="submit" className="ds-button" data-variant="primary">
                {t("association.invite.submit")}
              </button>
            </div>
          </PostForm>
          {invitations.length > 0 && (
            <>
              <Heading level={3} data-size="xs">
                {t("association.invitations.heading")}
              </Heading>
              <ul className="member-list">
                {invitations.map((i) => (
                  <li key={i.email} className="member-list__item">
                    <span className="member-list__who">{t("association.invitations.until", { email: i.email, date: i.until })}</span>
                    <PostForm>
                      <IntentField intent="withdraw" />
                      <input type="hidden" name="email" value={i.email} />
                      <button type="submit" className="ds-button" data-variant="tertiary" data-size="sm">
                        {t("association.invitations.withdraw", { email: i.email })}
                      </button>
                    </PostForm>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
