// /account: the signed-in person's page: their name, their associations,
// their language, and signing out everywhere.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { setUserContact, setUserLocale, userPhone } from "~/accounts/users.server";
import { listMyAssociations } from "~/associations/members.server";
import { FormMessage, IntentField, PostForm, TextField } from "~/components/forms";
import { getDb } from "~/db.server";
import { formFailure, parseForm } from "~/forms/form.server";
import { languages, pickLanguage } from "~/i18n";
import { languageCookie } from "~/i18n/cookie";
import { useT } from "~/i18n/react";
import { titleMeta } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    lang: pickLanguage(request).code,
    user: { name: user.name, email: user.email, locale: user.locale, phone: await userPhone(getDb(), user.id) },
    associations: await listMyAssociations(getDb(), user.id),
    languages: languages.map((l) => ({ code: l.code, name: l.name })),
    languageSaved: new URL(request.url).searchParams.get("saved") === "language",
    // Come from leaving an association (its page redirects here): said, since the list no longer shows it.
    left: new URL(request.url).searchParams.get("left") === "1",
  };
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.accountTitle"]);

const schema = z.discriminatedUnion(
  "intent",
  [
    // Name and phone; setUserContact checks both.
    z.object({ intent: z.literal("name"), name: z.unknown(), phone: z.unknown() }),
    z.object({ intent: z.literal("language"), locale: z.string().max(10, "invalidLanguage") }),
  ],
  { errorMap: () => ({ message: "invalidChoice" }) },
);

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const intent = String(form.get("intent") ?? "");
  try {
    const input = parseForm(schema, form);
    if (input.intent === "name") {
      // A form without the phone field (an older page) leaves the number as it is.
      await setUserContact(getDb(), user.id, { name: input.name, phone: input.phone });
      return { intent: input.intent, done: true };
    }
    const code = await setUserLocale(getDb(), user.id, input.locale);
    // A new page load, so that all of it (and the cookie pickLanguage reads first) is in the new language.
    return redirect("/account?saved=language", { headers: { "Set-Cookie": languageCookie(code) } });
  } catch (e) {
    const values = { name: String(form.get("name") ?? "").slice(0, 200), phone: String(form.get("phone") ?? "").slice(0, 60) };
    return formFailure(e, pickLanguage(request), { intent, values });
  }
}

type Reply = { intent: string | null; done?: boolean; fieldErrors?: Record<string, string>; formError?: string | null; values?: Record<string, string> };

export default function Account() {
  const { user, associations, languages, languageSaved, left } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const t = useT();
  const about = (intent: string) => (reply?.intent === intent ? reply : undefined);
  return (
    <div className="account">
      <Heading level={1} data-size="lg">
        {t("account.heading")}
      </Heading>
      <Paragraph>{t("account.signedInAs", { email: user.email })}</Paragraph>

      <section aria-labelledby="associations-heading">
        <Heading level={2} data-size="sm" id="associations-heading">
          {t("account.associations.heading")}
        </Heading>
        {/* Takes focus with JavaScript: the Leave button that was pressed is on a page that is gone. */}
        {left && (
          <FormMessage kind="success" focusFor={left}>
            {t("account.associations.left")}
          </FormMessage>
        )}
        {associations.length === 0 ? (
          <Paragraph>{t("account.associations.none")}</Paragraph>
        ) : (
          <ul className="plain-list">
            {associations.map((a) => (
              <li key={a.id}>
                <Link to={`/associations/${a.id}`} className="ds-link">
                  {a.name}
                </Link>{" "}
                <Tag data-size="sm" data-color={a.role === "leader" ? "accent" : "neutral"}>
                  {t(a.role === "leader" ? "role.leader" : "role.member")}
                </Tag>{" "}
                {!a.verified && (
                  <Tag data-size="sm" data-color={a.rejected ? "danger" : "warning"}>
                    {t(a.rejected ? "association.rejected" : "association.unverified")}
                  </Tag>
                )}
              </li>
            ))}
          </ul>
        )}
        <Paragraph>
          <Link to="/associations/new" className="ds-link">
            {t("account.associations.new")}
          </Link>
        </Paragraph>
      </section>

      <section aria-labelledby="name-heading">
        <Heading level={2} data-size="sm" id="name-heading">
          {t("account.name.heading")}
        </Heading>
        {about("name")?.done && <FormMessage kind="success">{t("account.name.saved")}</FormMessage>}
        {/* To /account itself: from /account?left=1 the answer would keep saying they just left. */}
        <PostForm action="/account" className="stack" noValidate>
          <IntentField intent="name" />
          <TextField
            name="name"
            label={t("account.name.label")}
            hint={t("account.name.hint")}
            autoComplete="name"
            maxLength={120}
            required
            defaultValue={about("name")?.values?.name ?? user.name}
            error={about("name")?.fieldErrors?.name}
          />
          <TextField
            name="phone"
            type="tel"
            label={t("account.phone.label")}
            hint={t("account.phone.hint")}
            autoComplete="tel"
            maxLength={30}
            defaultValue={about("name")?.values?.phone ?? user.phone}
            error={about("name")?.fieldErrors?.phone}
          />
          <div>
            <button type="submit" className="ds-button" data-variant="secondary">
              {t("account.name.submit")}
            </button>
          </div>
        </PostForm>
      </section>

      <section aria-labelledby="language-heading">
        <Heading level={2} data-size="sm" id="language-heading">
          {t("account.language.heading")}
        </Heading>
        {languageSaved && <FormMessage kind="success">{t("account.language.saved")}</FormMessage>}
        <PostForm className="stack" reloadDocument>
          <IntentField intent="language" />
          <div className="form-field">
            <label htmlFor="locale" className="ds-label">
              {t("account.language.label")}
            </label>
            <select id="locale" name="locale" className="ds-input" defaultValue={user.locale}>
              {languages.map((l) => (
                <option key={l.code} value={l.code} lang={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
            {about("language")?.fieldErrors?.locale && (
              <p className="ds-validation-message" data-color="danger">
                {about("language")?.fieldErrors?.locale}
              </p>
            )}
          </div>
          <div>
            <button type="submit" className="ds-button" data-variant="secondary">
              {t("account.language.submit")}
            </button>
          </div>
        </PostForm>
      </section>

      <section aria-labelledby="calendars-heading">
        <Heading level={2} data-size="sm" id="calendars-heading">
          {t("account.calendars.link")}
        </Heading>
        <Paragraph>{t("account.calendars.linkIntro")}</Paragraph>
        <Paragraph>
          <Link to="/account/calendars" className="ds-link">
            {t("account.calendars.link")}
          </Link>
        </Paragraph>
      </section>

      <section aria-labelledby="sessions-heading">
        <Heading level={2} data-size="sm" id="sessions-heading">
          {t("account.sessions.heading")}
        </Heading>
        <Paragraph>{t("account.sessions.intro")}</Paragraph>
        <PostForm action="/signout" reloadDocument>
          <input type="hidden" name="scope" value="everywhere" />
          <button type="submit" className="ds-button" data-variant="secondary">
            {t("account.sessions.submit")}
          </button>
        </PostForm>
      </section>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
