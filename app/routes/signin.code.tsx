// /signin/code: the page after asking for a sign-in mail. Follow the link in
// the mail, or type the mail's code here — only in this browser, which holds
// the pending-sign-in cookie the code is bound to.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { accountCookies, readCookie } from "~/accounts/cookies.server";
import { requireValidForm } from "~/accounts/csrf.server";
import { signedInRedirect } from "~/accounts/session.server";
import { findPendingSignIn, SIGN_IN_MINUTES, signInWithCode } from "~/accounts/sign-in.server";
import { FormMessage, PostForm, TextField } from "~/components/forms";
import { getDb } from "~/db.server";
import { formFailure, parseForm } from "~/forms/form.server";
import { formatMinutes } from "~/i18n/format";
import { pickLanguage } from "~/i18n";
import { useT } from "~/i18n/react";
import { titleMeta } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = pickLanguage(request);
  const nonce = await readCookie(accountCookies().pending, request);
  const pending = nonce ? await findPendingSignIn(getDb(), nonce, new Date()) : null;
  return {
    lang: lang.code,
    pending: pending ? { email: pending.email, live: pending.live } : null,
    minutes: formatMinutes(lang, SIGN_IN_MINUTES),
  };
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.codeTitle"]);

const schema = z.object({ code: z.string({ required_error: "required" }).trim().min(1, "required").max(20, "codeWrong") });

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const lang = pickLanguage(request);
  try {
    const { code } = parseForm(schema, form);
    const browserNonce = await readCookie(accountCookies().pending, request);
    const signedIn = await signInWithCode(getDb(), { browserNonce, code }, new Date());
    return signedInRedirect(request, signedIn);
  } catch (e) {
    // The code is not echoed back: a wrong one is no help, a right one is used.
    return formFailure(e, lang);
  }
}

export default function SignInCode() {
  const { pending, minutes } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="narrow">
      <Heading level={1} data-size="lg">
        {t("signin.code.heading")}
      </Heading>
      {pending?.live ? (
        <>
          <Paragraph>{t("signin.code.sent", { email: pending.email, minutes })}</Paragraph>
          <Paragraph>{t("signin.code.how")}</Paragraph>
          {reply?.formError && <FormMessage>{reply.formError}</FormMessage>}
          <PostForm className="stack" noValidate>
            <TextField
              name="code"
              label={t("signin.code.label")}
              hint={t("signin.code.hint")}
              autoComplete="one-time-code"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={20}
              required
              error={reply?.fieldErrors.code}
            />
            <div>
              <button type="submit" className="ds-button" data-variant="primary">
                {t("signin.code.submit")}
              </button>
            </div>
          </PostForm>
          <Paragraph data-size="sm">
            {t("signin.code.noMail")}{" "}
            <Link to="/signin" className="ds-link">
              {t("signin.code.startOver")}
            </Link>
          </Paragraph>
        </>
      ) : (
        <>
          {reply?.fieldErrors.code && <FormMessage>{reply.fieldErrors.code}</FormMessage>}
          <Paragraph>{t("signin.code.missing")}</Paragraph>
          <Paragraph>
            <Link to="/signin" className="ds-link">
              {t("signin.code.startOver")}
            </Link>
          </Paragraph>
        </>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
