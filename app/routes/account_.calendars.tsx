// /account/calendars — the signed-in person's calendar subscription links:
// make one for each feed they may have (their own, each of their associations,
// the staff feed of each venue they take care of or administer), see the new
// link once, list the links they have with when made and last used, revoke one.
// Who may have which feed is decided in app/calendar/tokens.server.ts.
import { Button, Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { tokenFeedLinks } from "~/calendar/links";
import { createToken, type FeedChoice, type FeedScope, listTokens, revokeToken, subscriptionChoices } from "~/calendar/tokens.server";
import { CalendarHowTo } from "~/components/calendar-subscribe";
import { FormMessage, IntentField, PostForm } from "~/components/forms";
import { BackAndHeading } from "~/components/page-top";
import { publicUrl } from "~/config/env.server";
import { getDb } from "~/db.server";
import { fields, formFailure, parseForm } from "~/forms/form.server";
import { type Language, pickLanguage, translate } from "~/i18n";
import { useT } from "~/i18n/react";
import { titleMeta } from "~/i18n/meta";

/** Times on this page are shown in the zone of Flokk's owners (people have no zone of their own yet). */
const SHOWN_IN_ZONE = "Europe/Oslo";

function feedLabel(lang: Language, feed: { kind: FeedScope["kind"]; name: string | null; siteName: string | null }): string {
  if (feed.kind === "person") return translate(lang, "calendars.kind.person");
  if (feed.kind === "association") return translate(lang, "calendars.kind.association", { association: feed.name ?? "" });
  return translate(lang, "calendars.kind.venueStaff", { venue: feed.name ?? "", site: feed.siteName ?? "" });
}

const HINTS = { person: "calendars.kind.personHint", association: "calendars.kind.associationHint", "venue-staff": "calendars.kind.venueStaffHint" } as const;

function when(lang: Language, at: Date): string {
  return new Intl.DateTimeFormat(lang.dateLocale, { dateStyle: "medium", timeStyle: "short", timeZone: SHOWN_IN_ZONE }).format(at);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const db = getDb();
  const [choices, tokens] = await Promise.all([subscriptionChoices(db, user.id), listTokens(db, user.id)]);
  return data(
    {
      lang: lang.code,
      choices: choices.map((c: FeedChoice) => ({ scope: c.scope, label: feedLabel(lang, c), hint: translate(lang, HINTS[c.kind]) })),
      tokens: tokens.map((tk) => ({
        id: tk.id,
        label: feedLabel(lang, { kind: tk.scope.kind, name: tk.name, siteName: tk.siteName }),
        createdAt: when(lang, tk.createdAt),
        createdIso: tk.createdAt.toISOString(),
        lastUsedAt: tk.lastUsedAt ? when(lang, tk.lastUsedAt) : null,
        lastUsedIso: tk.lastUsedAt?.toISOString() ?? null,
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.calendarsTitle"]);

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("create"), scope: z.string().max(40, "invalidScope") }),
    z.object({ intent: z.literal("revoke"), tokenId: fields.id() }),
  ],
  { errorMap: () => ({ message: "invalidChoice" }) },
);

/** The secret is in this reply only: never cached, never in the loader's data. */
const NO_STORE = { "Cache-Control": "private, no-store" };

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const db = getDb();
  const intent = String(form.get("intent") ?? "");
  try {
    const input = parseForm(schema, form);
    if (input.intent === "create") {
      // createToken checks the right (Forbidden otherwise) before anything is made.
      const { token } = await createToken(db, { userId: user.id, scope: input.scope });
      const choice = (await subscriptionChoices(db, user.id)).find((c) => c.scope === input.scope);
      const links = tokenFeedLinks(publicUrl(), token);
      return data({ intent: "create", created: { feed: choice ? feedLabel(lang, choice) : "", https: links.https, webcal: links.webcal } }, { headers: NO_STORE });
    }
    const info = (await listTokens(db, user.id)).find((tk) => tk.id === input.tokenId);
    // Only the person's own links: anyone else's is NotFound (404).
    if ((await revokeToken(db, { userId: user.id, tokenId: input.tokenId })) === "alreadyRevoked") {
      return data({ intent: "revoke", alreadyRevoked: true }, { headers: NO_STORE });
    }
    const feed = info ? feedLabel(lang, { kind: info.scope.kind, name: info.name, siteName: info.siteName }) : "";
    return data({ intent: "revoke", revoked: feed }, { headers: NO_STORE });
  } catch (e) {
    return formFailure(e, lang, { intent });
  }
}

type Reply = {
  intent: string | null;
  created?: { feed: string; https: string; webcal: string };
  revoked?: string;
  alreadyRevoked?: boolean;
  fieldErrors?: Record<string, string>;
  formError?: string | null;
};

export default function AccountCalendars() {
  const { choices, tokens } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const t = useT();
  const created = reply?.intent === "create" ? reply.created : undefined;
  const problem = reply?.formError ?? Object.values(reply?.fieldErrors ?? {})[0];
  return (
    <div className="account calendars-page">
      <BackAndHeading to="/account" back={t("calendars.back")} heading={t("calendars.heading")} />
      <Paragraph>{t("calendars.intro")}</Paragraph>

      {/* Each answer takes focus (with JavaScript): a revoked link's row and its button are gone, and a new link is shown up here, far from the button. */}
      {problem && <FormMessage focusFor={reply}>{problem}</FormMessage>}
      {reply?.intent === "revoke" && reply.revoked !== undefined && (
        <FormMessage kind="success" focusFor={reply}>
          {t("calendars.revoked", { feed: reply.revoked })}
        </FormMessage>
      )}
      {reply?.intent === "revoke" && reply.alreadyRevoked && (
        <FormMessage kind="info" focusFor={reply}>
          {t("calendars.alreadyRevoked")}
        </FormMessage>
      )}

      {created && (
        <section aria-labelledby="created-heading" className="calendar-subscribe new-link">
          <Heading level={2} data-size="sm" id="created-heading">
            {t("calendars.created.heading")}
          </Heading>
          <FormMessage kind="success" focusFor={reply}>
            {t("calendars.created.intro", { feed: created.feed })}
          </FormMessage>
          <Paragraph>
            <a href={created.webcal} className="ds-link">
              {t("calendar.webcal")}
            </a>
          </Paragraph>
          <div className="form-field">
            <label htmlFor="new-link-https" className="ds-label">
              {t("calendars.created.field")}
            </label>
            <p id="new-link-hint" className="ds-paragraph form-field__hint" data-size="sm">
              {t("calendars.created.copyHint")}
            </p>
            <input
              id="new-link-https"
              className="ds-input copy-field"
              readOnly
              value={created.https}
              aria-describedby="new-link-hint"
              spellCheck={false}
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
          <div className="form-field">
            <label htmlFor="new-link-webcal" className="ds-label">
              {t("calendars.created.webcalField")}
            </label>
            <input id="new-link-webcal" className="ds-input copy-field" readOnly value={created.webcal} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
          </div>
          <CalendarHowTo open />
        </section>
      )}

      <section aria-labelledby="subscriptions-heading">
        <Heading level={2} data-size="sm" id="subscriptions-heading">
          {t("calendars.list.heading")}
        </Heading>
        {tokens.length === 0 ? (
          <Paragraph>{t("calendars.list.none")}</Paragraph>
        ) : (
          <ul className="plain-list token-list">
            {tokens.map((tk) => (
              <li key={tk.id} className="token-list__item">
                <strong>{tk.label}</strong>
                <dl className="facts-list">
                  <dt>{t("calendars.list.created")}</dt>
                  <dd>
                    <time dateTime={tk.createdIso}>{tk.createdAt}</time>
                  </dd>
                  <dt>{t("calendars.list.lastUsed")}</dt>
                  <dd>{tk.lastUsedAt && tk.lastUsedIso ? <time dateTime={tk.lastUsedIso}>{tk.lastUsedAt}</time> : t("calendars.list.never")}</dd>
                </dl>
                <PostForm>
                  <IntentField intent="revoke" />
                  <input type="hidden" name="tokenId" value={tk.id} />
                  <Button type="submit" variant="secondary" data-color="danger" data-size="sm" aria-label={t("calendars.revokeFor", { feed: tk.label })}>
                    {t("calendars.revoke")}
                  </Button>
                </PostForm>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="choices-heading">
        <Heading level={2} data-size="sm" id="choices-heading">
          {t("calendars.choices.heading")}
        </Heading>
        <Paragraph>{t("calendars.choices.intro")}</Paragraph>
        <ul className="plain-list token-list">
          {choices.map((c) => (
            <li key={c.scope} className="token-list__item">
              <strong>{c.label}</strong>
              <Paragraph data-size="sm">{c.hint}</Paragraph>
              <PostForm>
                <IntentField intent="create" />
                <input type="hidden" name="scope" value={c.scope} />
                <Button type="submit" variant="secondary" data-size="sm" aria-label={t("calendars.createFor", { feed: c.label })}>
                  {t("calendars.create")}
                </Button>
              </PostForm>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
