// /signin/verify?token=…: where the mail's link leads. It asks before signing
// in (a POST), because mail scanners and link previews open links by
// themselves and would otherwise use up the one-time link.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { signedInRedirect } from "~/accounts/session.server";
import { findSignInLink, signInWithLink } from "~/accounts/sign-in.server";
import { FormMessage, PostForm } from "~/components/forms";
import { getDb } from "~/db.server";
import { formFailure, parseForm } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { useT } from "~/i18n/react";
import { titleMeta } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token")?.slice(0, 100) ?? "";
  const link = await findSignInLink(getDb(), token, new Date());
  return data(
    { lang: pickLanguage(request).code, email: link?.email ?? null, token: link ? token : "" },
    // A link that no longer works is gone for good.
    { status: link ? 200 : 410, headers: { "Cache-Control": "no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.verifyTitle"]);

const schema = z.object({ token: z.string({ required_error: "linkExpired" }).min(1, "linkExpired").max(100, "linkExpired") });

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const lang = pickLanguage(request);
  try {
    const { token } = parseForm(schema, form);
    return signedInRedirect(request, await signInWithLink(getDb(), token, new Date()));
  } catch (e) {
    return formFailure(e, lang);
  }
}

export default function VerifySignIn() {
  const { email, token } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const t = useT();
  const failed = reply?.fieldErrors.token ?? reply?.formError;
  return (
    <div className="narrow">
      <Heading level={1} data-size="lg">
        {t("signin.verify.heading")}
      </Heading>
      {email && !failed ? (
        <PostForm className="stack">
          <input type="hidden" name="token" value={token} />
          <Paragraph>{t("signin.verify.confirm", { email })}</Paragraph>
          <div>
            <button type="submit" className="ds-button" data-variant="primary">
              {t("signin.verify.submit")}
            </button>
          </div>
        </PostForm>
      ) : (
        <>
          <FormMessage kind="warning">{failed ?? t("signin.verify.invalid")}</FormMessage>
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
