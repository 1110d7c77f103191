// /venues/:slug/series — book the same time every week (or every N weeks) for
// a period, in two steps that work without JavaScript: "Show the dates" lists
// every date with what is in the way; the person then books all of them, or —
// only by saying so — all but the ones taken, closed or over the weekly quota (the skip list travels in
// hidden fields). Should something change in between, the new list is shown
// with a message instead of a silent partial series (invariant 4).
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { loadFormPage, newIdempotencyKey } from "~/booking/book-page.server";
import { detailsOf, echoValues, parseSeriesForm, prefillFromQuery, SERIES_FIELDS, type SeriesForm } from "~/booking/booking-form";
import { type SeriesPreviewView, seriesPreviewView } from "~/booking/series-page.server";
import { createSeries, type SeriesRequest } from "~/booking/series.server";
import { weekdayChoices } from "~/booking/when";
import { AssociationChoice, DetailsFields, ErrorSummary, HiddenValues, InputField, NoAssociation, SelectField, VenueFormHeading, VenueRulesDetails } from "~/components/booking-fields";
import { FormMessage, IntentField, PostForm } from "~/components/forms";
import { getDb } from "~/db.server";
import { IdempotencyKeyReused, QuotaExceeded, SeriesConflict } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { type FormReply, formFailure } from "~/forms/form.server";
import { pickLanguage, translate } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useLanguage, useT } from "~/i18n/react";

const MAX_SKIPPED = 300;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const page = await loadFormPage(getDb(), { slug: params.slug ?? "", userId: user.id, lang });
    const values = { intervalWeeks: "1", ...prefillFromQuery(new URL(request.url).searchParams, SERIES_FIELDS) };
    return data({ lang: lang.code, ...page, values, idempotencyKey: newIdempotencyKey() }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, (d) => ["meta.seriesTitle", { venue: d.venue.name }]);

export interface SeriesReply extends FormReply {
  idempotencyKey: string;
  preview: SeriesPreviewView | null;
  /** The preview differs from the one the person confirmed. */
  changed: boolean;
}

function seriesRequest(actorId: number, venueId: number, input: SeriesForm, skipDates: string[]): SeriesRequest {
  return {
    actorId,
    venueId,
    ...detailsOf(input),
    weekday: input.weekday,
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    intervalWeeks: input.intervalWeeks,
    from: input.from,
    until: input.until,
    skipDates,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const db = getDb();
  const intent = form.get("intent") === "create" ? "create" : "preview";
  const values = echoValues(form, SERIES_FIELDS);
  const sentKey = String(form.get("idempotencyKey") ?? "").slice(0, 100);
  let page: Awaited<ReturnType<typeof loadFormPage>>;
  try {
    page = await loadFormPage(db, { slug: params.slug ?? "", userId: user.id, lang });
  } catch (e) {
    throw errorResponse(e, lang);
  }
  const now = new Date();
  const reply = (fields: Partial<SeriesReply>): SeriesReply => ({
    intent,
    fieldErrors: {},
    formError: null,
    values,
    idempotencyKey: sentKey || newIdempotencyKey(),
    preview: null,
    changed: false,
    ...fields,
  });
  const preview = (input: SeriesForm) =>
    seriesPreviewView(db, { lang, viewerId: user.id, timeZone: page.venue.timeZone, request: seriesRequest(user.id, page.venue.id, input, []), now });

  let input: SeriesForm | null = null;
  try {
    input = parseSeriesForm(form);
    if (intent === "preview") return reply({ preview: await preview(input) });
    const skipDates = form.get("mode") === "skip" ? form.getAll("skip").filter((d): d is string => typeof d === "string" && DATE_RE.test(d)).slice(0, MAX_SKIPPED) : [];
    const request = seriesRequest(user.id, page.venue.id, input, skipDates);
    // A double click returns the first request's series (the engine checks the key again on a conflict).
    const created = await createSeries(db, request, now);
    // createSeries never makes an empty series: with no date left it throws SeriesConflict.
    const first = created.bookings[0]!;
    return redirect(`/bookings/${first.id}?created=series`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    if ((e instanceof SeriesConflict || e instanceof QuotaExceeded) && input) {
      // Something is in the way that the person did not agree to leave out (a
      // booking, or one made by the association that fills a week): show the list as it is now.
      return data(reply({ preview: await preview(input), changed: true, formError: translate(lang, "series.changed") }), { status: 409 });
    }
    const failure = formFailure(e, lang, { intent, values });
    const idempotencyKey = e instanceof IdempotencyKeyReused || !sentKey ? newIdempotencyKey() : sentKey;
    return data(reply({ ...failure.data, idempotencyKey }), failure.init ?? undefined);
  }
}

const STATUS_COLOR = { free: "success", taken: "danger", closed: "warning", overQuota: "danger" } as const;
const STATUS_TAG = { free: "series.free", taken: "series.taken", closed: "series.closedTag", overQuota: "series.overQuotaTag" } as const;

function Preview({ preview, values, idempotencyKey, changed }: { preview: SeriesPreviewView; values: Record<string, string>; idempotencyKey: string; changed: boolean }) {
  const t = useT();
  const total = preview.items.length;
  const conflicts = preview.conflicting.length;
  return (
    <section aria-labelledby="preview-heading" className="series-preview">
      <Heading level={2} data-size="sm" id="preview-heading">
        {t("series.previewHeading")}
      </Heading>
      {changed && (
        <div className="ds-alert" data-color="warning" role="alert">
          {t("series.changed")}
        </div>
      )}
      <Paragraph>{t("series.previewIntro", { rule: preview.rule, count: total })}</Paragraph>
      <ol className="preview-list">
        {preview.items.map((item) => (
          <li key={item.date} className={`preview-list__item preview-list__item--${item.status}`}>
            <span className="preview-list__when">{item.label}</span>{" "}
            <Tag data-size="sm" data-color={STATUS_COLOR[item.status]}>
              {t(STATUS_TAG[item.status])}
            </Tag>
            {item.note && <span className="preview-list__note"> {item.note}</span>}
          </li>
        ))}
      </ol>
      {conflicts > 0 && <Paragraph>{t("series.conflictCount", { count: conflicts, total })}</Paragraph>}
      {preview.freeCount === 0 ? (
        <FormMessage kind="warning">{t("series.noneFree")}</FormMessage>
      ) : preview.overCeiling ? (
        <FormMessage kind="warning">{preview.overCeiling}</FormMessage>
      ) : (
        <PostForm className="series-confirm">
          <IntentField intent="create" />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <HiddenValues values={values} />
          {conflicts === 0 ? (
            <button type="submit" name="mode" value="all" className="ds-button" data-variant="primary">
              {t("series.bookAll", { count: total })}
            </button>
          ) : (
            <>
              {preview.conflicting.map((d) => (
                <input key={d} type="hidden" name="skip" value={d} />
              ))}
              <button type="submit" name="mode" value="skip" className="ds-button" data-variant="primary">
                {t("series.bookFree", { count: preview.freeCount })}
              </button>
            </>
          )}
        </PostForm>
      )}
    </section>
  );
}

export default function SeriesPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as SeriesReply | undefined;
  const t = useT();
  const lang = useLanguage();
  const { venue, associations } = page;
  const values: Record<string, string> = reply?.values ?? page.values;
  const errors = reply?.fieldErrors ?? {};
  const key = reply?.idempotencyKey ?? page.idempotencyKey;
  const preview = reply?.preview ?? null;
  const intervals = [1, 2, 3, 4].map((n) => ({ value: String(n), label: n === 1 ? t("series.everyWeek") : t("series.everyNWeeks", { n }) }));

  return (
    <div className="booking-page">
      <VenueFormHeading venue={venue} heading={t("series.heading", { venue: venue.name })} />
      <Paragraph>{t("series.intro")}</Paragraph>
      {venue.needsApproval && <FormMessage kind="info">{t("book.needsApproval")}</FormMessage>}

      {associations.length === 0 ? (
        <NoAssociation />
      ) : (
        <>
          <ErrorSummary heading={t("series.errorSummary")} errors={errors} order={SERIES_FIELDS} />
          {reply?.formError && !reply.changed && <FormMessage>{reply.formError}</FormMessage>}
          {preview && <Preview preview={preview} values={values} idempotencyKey={key} changed={reply?.changed ?? false} />}
          <section aria-labelledby="series-form-heading">
            <Heading level={2} data-size="sm" id="series-form-heading">
              {t(preview ? "series.editHeading" : "series.formHeading")}
            </Heading>
            <PostForm noValidate className="stack booking-form">
              <IntentField intent="preview" />
              <input type="hidden" name="idempotencyKey" value={key} />
              <AssociationChoice associations={associations} value={values.associationId} error={errors.associationId} />
              <fieldset className="ds-fieldset form-field" aria-describedby="series-when-hint">
                <legend className="ds-label">{t("series.when")}</legend>
                <p id="series-when-hint" className="ds-paragraph form-field__hint" data-size="sm">
                  {t("week.timeZone", { zone: venue.timeZone })}
                </p>
                <div className="form-row">
                  <SelectField
                    name="weekday"
                    label={t("series.weekday")}
                    choices={weekdayChoices(lang)}
                    placeholder={t("series.choose")}
                    defaultValue={values.weekday}
                    error={errors.weekday}
                  />
                  <InputField name="startTime" type="time" label={t("series.startTime")} required defaultValue={values.startTime} error={errors.startTime} />
                  <InputField
                    name="durationMinutes"
                    label={t("series.duration")}
                    hint={t("series.durationHint")}
                    inputMode="numeric"
                    maxLength={4}
                    required
                    className="form-field--short"
                    defaultValue={values.durationMinutes}
                    error={errors.durationMinutes}
                  />
                </div>
                <SelectField name="intervalWeeks" label={t("series.interval")} choices={intervals} defaultValue={values.intervalWeeks ?? "1"} error={errors.intervalWeeks} />
                <div className="form-row">
                  <InputField name="from" type="date" label={t("series.from")} required defaultValue={values.from} error={errors.from} />
                  <InputField name="until" type="date" label={t("series.until")} required defaultValue={values.until} error={errors.until} />
                </div>
              </fieldset>
              <DetailsFields values={values} errors={errors} capacity={venue.capacity} />
              <div>
                <button type="submit" className="ds-button" data-variant={preview ? "secondary" : "primary"}>
                  {t("series.previewSubmit")}
                </button>
              </div>
            </PostForm>
          </section>
        </>
      )}
      <VenueRulesDetails rules={venue.rules} />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
