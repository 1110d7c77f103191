// /associations/new: register an association. The person becomes its leader;
// it is unverified (its bookings need approval) until an owner admin verifies it.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { z } from "zod";
import { normaliseOrgNumber } from "~/associations/org-number";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { registerAssociation } from "~/associations/associations.server";
import { FormMessage, PostForm, TextField } from "~/components/forms";
import { getDb } from "~/db.server";
import { fields, formFailure, parseForm } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { useT } from "~/i18n/react";
import { titleMeta } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return { lang: pickLanguage(request).code };
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.newAssociationTitle"]);

// The domain checks the organisation number; the form checks its digits too,
// so that a wrong number shows in the same round as the other fields' problems.
const schema = z.object({
  name: fields.requiredText(120),
  orgNumber: fields.requiredText(20).refine((v) => normaliseOrgNumber(v) !== null, "invalidOrgNumber"),
  contactEmail: fields.email(),
});

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const values = Object.fromEntries(["name", "orgNumber", "contactEmail"].map((k) => [k, String(form.get(k) ?? "").slice(0, 300)]));
  try {
    const input = parseForm(schema, form);
    const association = await registerAssociation(getDb(), { ...input, leaderId: user.id });
    return redirect(`/associations/${association.id}?registered=1`);
  } catch (e) {
    return formFailure(e, pickLanguage(request), { values });
  }
}

export default function NewAssociation() {
  const reply = useActionData<typeof action>();
  const t = useT();
  const errors = reply?.fieldErrors ?? {};
  return (
    <div className="narrow">
      <Heading level={1} data-size="lg">
        {t("association.new.heading")}
      </Heading>
      <Paragraph>{t("association.new.intro")}</Paragraph>
      {reply?.formError && <FormMessage>{reply.formError}</FormMessage>}
      <PostForm className="stack" noValidate>
        <TextField name="name" label={t("association.name")} autoComplete="organization" maxLength={120} required defaultValue={reply?.values.name} error={errors.name} />
        <TextField
          name="orgNumber"
          label={t("association.orgNumber")}
          hint={t("association.orgNumberHint")}
          inputMode="numeric"
          maxLength={20}
          required
          defaultValue={reply?.values.orgNumber}
          error={errors.orgNumber}
        />
        <TextField
          name="contactEmail"
          type="email"
          label={t("association.contactEmail")}
          hint={t("association.contactEmailHint")}
          autoComplete="email"
          spellCheck={false}
          maxLength={254}
          required
          defaultValue={reply?.values.contactEmail}
          error={errors.contactEmail}
        />
        <div>
          <button type="submit" className="ds-button" data-variant="primary">
            {t("association.new.submit")}
          </button>
        </div>
      </PostForm>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
