// Find a venue: a GET form (works without JavaScript; the URL is the search,
// so it can be bookmarked and shared) and the venues that match it.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";
import { useT } from "~/i18n/react";
import type { Choice } from "~/venues/search-page.server";
import { loadSearchPage } from "~/venues/search-page.server";
import { fieldMessages, readQuery, schemaProblems, searchSchema, toFilters } from "~/venues/search-form.server";
import { titleMeta } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = pickLanguage(request);
  const values = readQuery(new URL(request.url).searchParams);
  const parsed = searchSchema.safeParse(values);
  const codes = schemaProblems(parsed);
  try {
    const page = await loadSearchPage(getDb(), { filters: parsed.success ? toFilters(parsed.data) : null, lang, now: new Date() });
    const errors = fieldMessages(lang, { ...codes, ...page.fieldErrors });
    const status = Object.keys(errors).length > 0 ? 400 : 200;
    return data({ lang: lang.code, values, errors, options: page.options, result: page.result }, { status });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.homeTitle"]);

/** The order fields appear in the form, for the error summary. */
const FIELD_ORDER = ["kind", "capacity", "amenity", "stepFree", "date", "start", "end"];

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="ds-validation-message" data-field="validation">
      {message}
    </p>
  );
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

function CheckboxGroup(props: {
  name: "kind" | "amenity";
  legend: string;
  hint: string;
  choices: Choice[];
  checked: string[];
  error: string | undefined;
}) {
  const { name, legend, hint, choices, checked, error } = props;
  const errorId = `search-${name}-error`;
  return (
    <fieldset className="ds-fieldset search__group" id={`search-${name}`} aria-describedby={describedBy(`search-${name}-hint`, error && errorId)}>
      <legend className="ds-label">{legend}</legend>
      <p id={`search-${name}-hint`} className="ds-paragraph" data-size="sm">
        {hint}
      </p>
      <div className="search__choices">
        {choices.map((c) => {
          const id = `search-${name}-${c.value}`;
          return (
            <div className="ds-field" key={c.value}>
              <input
                type="checkbox"
                className="ds-input"
                id={id}
                name={name}
                value={c.value}
                defaultChecked={checked.includes(c.value)}
                aria-invalid={error ? true : undefined}
              />
              <label htmlFor={id} className="ds-label">
                {c.label}
              </label>
            </div>
          );
        })}
      </div>
      <FieldError id={errorId} message={error} />
    </fieldset>
  );
}

function TextField(props: {
  name: "capacity" | "date" | "start" | "end";
  label: string;
  hint?: string;
  type: "text" | "date" | "time";
  value: string;
  error: string | undefined;
}) {
  const { name, label, hint, type, value, error } = props;
  const id = `search-${name}`;
  return (
    <div className="ds-field search__field">
      <label htmlFor={id} className="ds-label">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="ds-paragraph" data-field="description" data-size="sm">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={type}
        className="ds-input"
        defaultValue={value}
        inputMode={name === "capacity" ? "numeric" : undefined}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export default function Home() {
  const { values, errors, options, result } = useLoaderData<typeof loader>();
  const t = useT();
  const errorList = FIELD_ORDER.filter((f) => errors[f]).map((f) => ({ field: f, message: errors[f]! }));
  const count = result?.venues.length ?? 0;
  return (
    <>
      <Heading level={1} data-size="lg">
        {t("home.title")}
      </Heading>
      <Paragraph data-size="lg" className="lead">
        {t("home.intro")}
      </Paragraph>

      {errorList.length > 0 && (
        <section className="ds-error-summary" aria-labelledby="search-errors-heading">
          <Heading level={2} data-size="xs" id="search-errors-heading">
            {t("search.errorSummary")}
          </Heading>
          <ul>
            {errorList.map((e) => (
              <li key={e.field}>
                <a href={`#search-${e.field}`}>{e.message}</a>
              </li>
            ))}
          </ul>
        </section>
      )}

      <Form method="get" action="/" className="search" role="search" aria-labelledby="search-heading">
        <Heading level={2} data-size="sm" id="search-heading">
          {t("search.heading")}
        </Heading>
        <div className="search__grid">
          <CheckboxGroup
            name="kind"
            legend={t("search.kinds")}
            hint={t("search.kindsHint")}
            choices={options.kinds}
            checked={values.kind}
            error={errors.kind}
          />
          <div className="search__column">
            <TextField name="capacity" label={t("search.capacity")} hint={t("search.capacityHint")} type="text" value={values.capacity} error={errors.capacity} />
            <fieldset className="ds-fieldset search__group">
              <legend className="ds-label">{t("search.access")}</legend>
              <div className="ds-field">
                <input type="checkbox" className="ds-input" id="search-stepFree" name="stepFree" value="true" defaultChecked={values.stepFree} />
                <label htmlFor="search-stepFree" className="ds-label">
                  {t("search.stepFree")}
                </label>
              </div>
            </fieldset>
          </div>
          <CheckboxGroup
            name="amenity"
            legend={t("search.amenities")}
            hint={t("search.amenitiesHint")}
            choices={options.amenities}
            checked={values.amenity}
            error={errors.amenity}
          />
          <fieldset className="ds-fieldset search__group search__when" aria-describedby="search-when-hint">
            <legend className="ds-label">{t("search.when")}</legend>
            <p id="search-when-hint" className="ds-paragraph" data-size="sm">
              {t("search.whenHint")}
            </p>
            <div className="search__times">
              <TextField name="date" label={t("search.date")} type="date" value={values.date} error={errors.date} />
              <TextField name="start" label={t("search.start")} type="time" value={values.start} error={errors.start} />
              <TextField name="end" label={t("search.end")} type="time" value={values.end} error={errors.end} />
            </div>
          </fieldset>
        </div>
        <div className="search__actions">
          <button type="submit" className="ds-button" data-variant="primary">
            {t("search.submit")}
          </button>
          <Link to="/" className="ds-link">
            {t("search.clear")}
          </Link>
        </div>
      </Form>

      <section aria-labelledby="results-heading" className="results">
        <Heading level={2} data-size="md" id="results-heading" aria-live="polite">
          {result === null
            ? t("search.resultsInvalid")
            : count === 0
              ? t("search.results.none")
              : count === 1
                ? t("search.results.one")
                : t("search.results.other", { count })}
        </Heading>
        {result?.freeAt && <Paragraph>{t("search.freeAtIntro", { when: result.freeAt })}</Paragraph>}
        {result && count === 0 && <Paragraph>{t("search.noResults")}</Paragraph>}
        {result && count > 0 && (
          <ul className="venue-list">
            {result.venues.map((v) => (
              <li key={v.slug} className={v.parentName ? "venue-card venue-card--part" : "venue-card"}>
                <Heading level={3} data-size="xs">
                  <Link to={v.href} className="ds-link">
                    {v.name}
                  </Link>
                </Heading>
                <Paragraph data-size="sm">
                  {v.siteName}
                  {v.parentName && ` · ${t("venue.partOf", { parent: v.parentName })}`}
                </Paragraph>
                <ul className="facts">
                  <li>{v.kind}</li>
                  <li>{t("venue.capacity", { capacity: v.capacity })}</li>
                  <li>
                    <Tag data-color={v.stepFree ? "success" : "neutral"} data-size="sm">
                      {t(v.stepFree ? "venue.stepFree" : "venue.notStepFree")}
                    </Tag>
                  </li>
                  {result.freeAt && (
                    <li>
                      <Tag data-color="success" data-size="sm">
                        {t("search.freeThen")}
                      </Tag>
                    </li>
                  )}
                </ul>
                <Paragraph data-size="sm" className="muted">
                  {v.amenities.length > 0 ? t("search.amenitiesList", { list: v.amenities.join(", ") }) : t("venue.noAmenities")}
                </Paragraph>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
