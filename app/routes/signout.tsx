// /signout: ends this browser's session (scope=everywhere: all of the
// person's sessions), then goes to the front page. A POST, like every change;
// the GET page offers the button for people who arrive by address.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { getUser, signOut, signOutEverywhere } from "~/accounts/session.server";
import { PostForm } from "~/components/forms";
import { parseForm } from "~/forms/form.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";
import { useT } from "~/i18n/react";
import { titleMeta } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  return { lang: pickLanguage(request).code, signedIn: (await getUser(request)) !== null };
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.signOutTitle"]);

const schema = z.object({ scope: z.enum(["this", "everywhere"], { errorMap: () => ({ message: "invalidChoice" }) }).default("this") });

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  try {
    const { scope } = parseForm(schema, form);
    const cleared = scope === "everywhere" ? await signOutEverywhere(request) : await signOut(request);
    return redirect("/", { headers: { "Set-Cookie": cleared, "Cache-Control": "no-store" } });
  } catch (e) {
    throw errorResponse(e, pickLanguage(request));
  }
}

export default function SignOut() {
  const { signedIn } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="narrow">
      <Heading level={1} data-size="lg">
        {t("signout.heading")}
      </Heading>
      {signedIn ? (
        <PostForm className="stack" reloadDocument>
          <Paragraph>{t("signout.intro")}</Paragraph>
          <div>
            <button type="submit" className="ds-button" data-variant="primary">
              {t("signout.submit")}
            </button>
          </div>
        </PostForm>
      ) : (
        <Paragraph>{t("signout.notSignedIn")}</Paragraph>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
