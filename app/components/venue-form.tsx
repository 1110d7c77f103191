// The fields of the admin's venue forms (new and edit): details, equipment,
// accessibility and booking rules, with units in the labels, plus one
// opens/closes pair per weekday for a new venue. Plain controls: they work
// without JavaScript; every control has its label, hint and error tied.
import { Heading } from "@digdir/designsystemet-react";
import { AdminNav } from "./admin-nav";
import { BackAndHeading } from "./page-top";
import { hoursField, WEEKDAYS } from "~/admin/hours";
import { AMENITIES, VENUE_FIELDS, VENUE_KINDS, VENUE_LIMITS } from "~/admin/venue-input";
import { useLanguage, useT } from "~/i18n/react";
import { weekdayName } from "~/booking/when";
import { InputField, RadioGroup, SelectField, TextAreaField } from "./booking-fields";

type Values = Record<string, string>;
type Errors = Record<string, string>;

type NumberName = "capacity" | "minDurationMinutes" | "maxDurationMinutes" | "horizonDays" | "minNoticeMinutes" | "bufferMinutes" | "weeklyQuotaMinutes";

function NumberField({ name, values, errors, hint }: { name: NumberName; values: Values; errors: Errors; hint?: string }) {
  const t = useT();
  return (
    <InputField
      name={name}
      label={t(`adminVenues.form.${name}`)}
      hint={hint}
      inputMode="numeric"
      maxLength={9}
      className="form-field--short"
      defaultValue={values[name]}
      error={errors[name]}
    />
  );
}

/** Amenity checkboxes in a fieldset whose id is "amenities" (the error summary links to it). */
function AmenityChoices({ values, error }: { values: Values; error?: string }) {
  const t = useT();
  const checked = (values.amenities ?? "").split(";");
  return (
    <fieldset className="ds-fieldset form-field" id="amenities" aria-describedby={error ? "amenities-error" : undefined}>
      <legend className="ds-label">{t("adminVenues.form.amenities")}</legend>
      <div className="checkbox-columns">
        {AMENITIES.map((a) => (
          <div className="ds-field" key={a}>
            <input type="checkbox" className="ds-input" id={`amenity-${a}`} name="amenities" value={a} defaultChecked={checked.includes(a)} />
            <label htmlFor={`amenity-${a}`} className="ds-label" data-weight="regular">
              {t(`amenity.${a}`)}
            </label>
          </div>
        ))}
      </div>
      {error && (
        <p id="amenities-error" className="ds-validation-message" data-field="validation" data-color="danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The top of the new-venue and edit-venue pages: the admin nav, the way back to the list, the heading. */
export function VenuePageTop({ heading }: { heading: string }) {
  const t = useT();
  return (
    <>
      <AdminNav current="venues" />
      <BackAndHeading to="/admin/venues" back={t("adminVenues.edit.back")} heading={heading} />
    </>
  );
}

/** Details and rules, in two sections with level-2 headings. */
export function VenueFields({ values, errors }: { values: Values; errors: Errors }) {
  const t = useT();
  return (
    <>
      <section aria-labelledby="venue-details-heading" className="stack">
        <Heading level={2} data-size="sm" id="venue-details-heading">
          {t("adminVenues.form.details")}
        </Heading>
        <InputField name="name" label={t("adminVenues.form.name")} required maxLength={VENUE_LIMITS.name} defaultValue={values.name} error={errors.name} />
        <InputField name="slug" label={t("adminVenues.form.slug")} hint={t("adminVenues.form.slugHint")} maxLength={VENUE_LIMITS.slug} defaultValue={values.slug} error={errors.slug} />
        <SelectField
          name="kind"
          label={t("adminVenues.form.kind")}
          defaultValue={values.kind}
          error={errors.kind}
          choices={VENUE_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        />
        <NumberField name="capacity" values={values} errors={errors} />
        <AmenityChoices values={values} error={errors.amenities} />
        <div className="ds-field form-field">
          <input type="checkbox" className="ds-input" id="stepFree" name="stepFree" value="on" defaultChecked={values.stepFree === "on"} />
          <label htmlFor="stepFree" className="ds-label" data-weight="regular">
            {t("adminVenues.form.stepFree")}
          </label>
        </div>
        <TextAreaField
          name="accessibilityNotes"
          label={t("adminVenues.form.accessibilityNotes")}
          hint={t("adminVenues.form.accessibilityNotesHint")}
          maxLength={VENUE_LIMITS.accessibilityNotes}
          defaultValue={values.accessibilityNotes}
          error={errors.accessibilityNotes}
        />
        <TextAreaField name="description" label={t("adminVenues.form.description")} hint={t("adminVenues.form.photos")} maxLength={VENUE_LIMITS.description} defaultValue={values.description} error={errors.description} />
      </section>
      <section aria-labelledby="venue-rules-heading" className="stack">
        <Heading level={2} data-size="sm" id="venue-rules-heading">
          {t("adminVenues.form.rules")}
        </Heading>
        <RadioGroup
          name="approvalMode"
          legend={t("adminVenues.form.approvalMode")}
          value={values.approvalMode}
          error={errors.approvalMode}
          choices={[
            { value: "auto", label: t("adminVenues.form.approval.auto") },
            { value: "manual", label: t("adminVenues.form.approval.manual") },
          ]}
        />
        <NumberField name="minDurationMinutes" values={values} errors={errors} />
        <NumberField name="maxDurationMinutes" values={values} errors={errors} />
        <NumberField name="horizonDays" values={values} errors={errors} />
        <NumberField name="minNoticeMinutes" values={values} errors={errors} />
        <NumberField name="bufferMinutes" values={values} errors={errors} />
        <NumberField name="weeklyQuotaMinutes" values={values} errors={errors} hint={t("adminVenues.form.weeklyQuotaMinutesHint")} />
      </section>
    </>
  );
}

/** One opens/closes pair per weekday, in a table-free list that stacks on a phone. */
export function FirstWeekHours({ values, errors }: { values: Values; errors: Errors }) {
  const t = useT();
  const lang = useLanguage();
  return (
    <section aria-labelledby="venue-hours-heading" className="stack">
      <Heading level={2} data-size="sm" id="venue-hours-heading">
        {t("adminVenues.hours.heading")}
      </Heading>
      <p className="ds-paragraph form-field__hint" data-size="sm">
        {t("adminVenues.hours.intro")}
      </p>
      {WEEKDAYS.map((w) => {
        const day = weekdayName(lang, w);
        const opens = hoursField(w, 0, "opens");
        const closes = hoursField(w, 0, "closes");
        return (
          <div className="form-row" key={w}>
            {/* Text, not type="time": a time input cannot hold 24:00, the way to say "until midnight". */}
            <InputField name={opens} maxLength={5} label={t("adminVenues.hours.opensField", { day })} defaultValue={values[opens]} error={errors[opens]} />
            <InputField name={closes} maxLength={5} label={t("adminVenues.hours.closesField", { day })} defaultValue={values[closes]} error={errors[closes]} />
          </div>
        );
      })}
    </section>
  );
}

/** The order of the fields on the forms, for the error summary. */
export const NEW_VENUE_ORDER: readonly string[] = [
  "siteId",
  "parentId",
  ...VENUE_FIELDS,
  ...WEEKDAYS.flatMap((w) => [hoursField(w, 0, "opens"), hoursField(w, 0, "closes")]),
];
