// /signin: type an e-mail address, get a link and a code. The answer is the
// same whether or not the address has a user (no account enumeration).
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { accountCookies } from "~/accounts/cookies.server";
import { requireValidForm } from "~/accounts/csrf.server";
import { getUser } from "~/accounts/session.server";
import { requestSignIn } from "~/accounts/sign-in.server";
import { FormMessage, PostForm, TextField } from "~/components/forms";
import { getDb } from "~/db.server";
import { fields, formFailure, parseForm } from "~/forms/form.server";
import { clientAddress } from "~/http/client.server";
import { safeBackPath } from "~/http/local-path";
import { pickLanguage } from "~/i18n";
import { useT } from "~/i18n/react";
import { titleMeta } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const user = await getUser(request);
  return {
    lang: pickLanguage(request).code,
    signedInAs: user?.email ?? null,
    email: url.searchParams.get("email")?.slice(0, 254) ?? "",
    next: safeBackPath(url.searchParams.get("next")),
  };
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.signInTitle"]);

const schema = z.object({ email: fields.email(), next: z.string().optional() });

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const lang = pickLanguage(request);
  try {
    const input = parseForm(schema, form);
    const { browserNonce } = await requestSignIn(getDb(), { email: input.email, locale: lang.code, client: clientAddress(context), next: input.next }, new Date());
    return redirect("/signin/code", {
      headers: { "Set-Cookie": await accountCookies().pending.serialize(browserNonce), "Cache-Control": "no-store" },
    });
  } catch (e) {
    return formFailure(e, lang, { values: { email: String(form.get("email") ?? "").slice(0, 254) } });
  }
}

export default function SignIn() {
  const { signedInAs, email, next } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="narrow">
      <Heading level={1} data-size="lg">
        {t("signin.heading")}
      </Heading>
      {signedInAs && (
        <FormMessage kind="info">
          <Paragraph>
            {t("signin.alreadySignedIn", { email: signedInAs })}{" "}
            <Link to="/account" className="ds-link">
              {t("nav.account")}
            </Link>
          </Paragraph>
        </FormMessage>
      )}
      <Paragraph>{t("signin.intro")}</Paragraph>
      {reply?.formError && <FormMessage>{reply.formError}</FormMessage>}
      <PostForm className="stack" noValidate>
        <input type="hidden" name="next" value={next} />
        <TextField
          name="email"
          type="email"
          label={t("signin.email")}
          autoComplete="email"
          spellCheck={false}
          autoCapitalize="none"
          required
          maxLength={254}
          defaultValue={reply?.values.email ?? email}
          error={reply?.fieldErrors.email}
        />
        <div>
          <button type="submit" className="ds-button" data-variant="primary">
            {t("signin.submit")}
          </button>
        </div>
      </PostForm>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
