// /admin/venues/new — an owner admin creates a venue (or a part of one) with
// its details, booking rules and, optionally, a first week of opening hours,
// so that it can be booked at once. POST → redirect to its edit page; bad
// input → 400 with every problem beside its field, nothing saved.
import { Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { requireAdminOwner } from "~/admin/access.server";
import { addVenue, loadNewVenueForm, parseNewVenueForm, venueFieldErrors, venueFormValues } from "~/admin/venue-admin-page.server";
import { VENUE_DEFAULTS } from "~/admin/venue-input";
import { ErrorSummary, SelectField } from "~/components/booking-fields";
import { FormMessage, PostForm } from "~/components/forms";
import { FirstWeekHours, NEW_VENUE_ORDER, VenueFields, VenuePageTop } from "~/components/venue-form";
import { getDb } from "~/db.server";
import { InvalidInput } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { type FormReply, formFailure } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const page = await loadNewVenueForm(getDb(), user.id);
    return data({ lang: lang.code, ...page }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["adminVenues.new.metaTitle"]);

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const values = venueFormValues(form);
  try {
    // Someone who is not an admin at all is refused before the form is read.
    await requireAdminOwner(getDb(), user.id);
    const venue = await addVenue(getDb(), user.id, parseNewVenueForm(form));
    return redirect(`/admin/venues/${venue.id}?done=created`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    if (e instanceof InvalidInput) {
      const reply: FormReply = { intent: "create", fieldErrors: venueFieldErrors(lang, e.fields), formError: null, values };
      return data(reply, { status: 400 });
    }
    return formFailure(e, lang, { intent: "create", values });
  }
}

export default function NewVenue() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const t = useT();
  const values: Record<string, string> = reply?.values ?? VENUE_DEFAULTS;
  const errors = reply?.fieldErrors ?? {};
  return (
    <div className="admin">
      <VenuePageTop heading={t("adminVenues.new.heading")} />
      {page.sites.length === 0 ? (
        <Paragraph>{t("adminVenues.new.noSites")}</Paragraph>
      ) : (
        <>
          <Paragraph>{t("adminVenues.new.intro")}</Paragraph>
          <ErrorSummary heading={t("adminVenues.form.errorSummary")} errors={errors} order={NEW_VENUE_ORDER} />
          {reply?.formError && <FormMessage>{reply.formError}</FormMessage>}
          <PostForm noValidate className="stack venue-form">
            <SelectField
              name="siteId"
              label={t("adminVenues.new.site")}
              hint={t("adminVenues.new.siteHint")}
              error={errors.siteId}
              defaultValue={values.siteId ?? (page.sites.length === 1 ? String(page.sites[0]!.id) : "")}
              placeholder={page.sites.length === 1 ? undefined : t("adminVenues.new.choose")}
              choices={page.sites.map((s) => ({ value: String(s.id), label: s.name }))}
            />
            <SelectField
              name="parentId"
              label={t("adminVenues.new.parent")}
              hint={t("adminVenues.new.parentHint")}
              error={errors.parentId}
              defaultValue={values.parentId ?? ""}
              placeholder={t("adminVenues.new.parentNone")}
              choices={page.wholes.map((w) => ({ value: String(w.id), label: w.label }))}
            />
            <VenueFields values={values} errors={errors} />
            <FirstWeekHours values={values} errors={errors} />
            <div>
              <button type="submit" className="ds-button" data-variant="primary">
                {t("adminVenues.new.submit")}
              </button>
            </div>
          </PostForm>
        </>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
