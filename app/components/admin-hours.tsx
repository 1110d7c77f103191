// The parts of /admin/venues/:id/hours: the weekly hours form (a fixed number
// of rows a day, plain text inputs so that 24:00 can be typed and nothing
// needs JavaScript), the closures with their remove buttons, the forms that
// add closures and holidays, and the confirmation that lists the bookings a
// change would strand.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { Link } from "@remix-run/react";
import { hoursField } from "~/admin/hours";
import type { ClosureLine, DayHours } from "~/admin/hours-page.server";
import type { AffectedLine } from "~/admin/hours-page.server";
import { MAX_CLOSURE_REASON } from "~/admin/closures";
import { useT } from "~/i18n/react";
import { ErrorSummary, HiddenValues, InputField, RadioGroup, TextAreaField } from "./booking-fields";
import { FormMessage, PostForm } from "./forms";

function TimeInput({ name, label, context, value, error }: { name: string; label: string; context: string; value: string; error?: string }) {
  return (
    <div className="form-field hours-time">
      <label htmlFor={name} className="ds-label">
        {label}
        <span className="ds-sr-only">, {context}</span>
      </label>
      <input
        id={name}
        name={name}
        type="text"
        className="ds-input"
        autoComplete="off"
        maxLength={5}
        defaultValue={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? `${name}-error` : null, "hours-hint"].filter(Boolean).join(" ")}
      />
      {error && (
        <p id={`${name}-error`} className="ds-validation-message" data-field="validation" data-color="danger">
          {error}
        </p>
      )}
    </div>
  );
}

export function WeeklyHoursForm(props: { days: DayHours[]; rows: number; values: Record<string, string> | null; errors: Record<string, string> }) {
  const t = useT();
  const { days, rows, values, errors } = props;
  const order = days.flatMap((d) => Array.from({ length: rows }, (_, r) => [hoursField(d.weekday, r, "opens"), hoursField(d.weekday, r, "closes")]).flat());
  const shown = (d: DayHours, r: number, end: "opens" | "closes") => (values ? (values[hoursField(d.weekday, r, end)] ?? "") : (d.intervals[r]?.[end] ?? ""));
  return (
    <section aria-labelledby="hours-heading">
      <Heading level={2} data-size="sm" id="hours-heading">
        {t("admin.hours.weekHeading")}
      </Heading>
      <ErrorSummary heading={t("admin.hours.errorSummary")} errors={errors} order={order} />
      <PostForm noValidate className="stack" aria-labelledby="hours-heading">
        <input type="hidden" name="intent" value="hours" />
        <p id="hours-hint" className="ds-paragraph form-field__hint" data-size="sm">
          {t("admin.hours.weekHint")}
        </p>
        {days.map((d) => (
          <fieldset key={d.weekday} className="ds-fieldset hours-day">
            <legend className="ds-label">{d.name}</legend>
            {Array.from({ length: rows }, (_, r) => {
              const context = `${d.name}, ${t("admin.hours.interval", { n: r + 1 })}`;
              const opens = hoursField(d.weekday, r, "opens");
              const closes = hoursField(d.weekday, r, "closes");
              return (
                <div className="form-row" key={opens}>
                  <TimeInput name={opens} label={t("admin.hours.opens")} context={context} value={shown(d, r, "opens")} error={errors[opens]} />
                  <TimeInput name={closes} label={t("admin.hours.closes")} context={context} value={shown(d, r, "closes")} error={errors[closes]} />
                </div>
              );
            })}
          </fieldset>
        ))}
        <div>
          <button type="submit" className="ds-button" data-variant="primary">
            {t("admin.hours.save")}
          </button>
        </div>
      </PostForm>
    </section>
  );
}

export function ClosureList({ closures, error }: { closures: ClosureLine[]; error: string | null }) {
  const t = useT();
  return (
    <section aria-labelledby="closures-heading">
      <Heading level={2} data-size="sm" id="closures-heading">
        {t("admin.hours.closuresHeading")}
      </Heading>
      {error && <FormMessage>{error}</FormMessage>}
      {closures.length === 0 ? (
        <Paragraph className="muted">{t("admin.hours.closuresEmpty")}</Paragraph>
      ) : (
        <ul className="member-list">
          {closures.map((c) => (
            <li key={c.id} className="member-list__item">
              <div className="member-list__who">
                <strong>{c.when}</strong>: {c.reason}
                {c.inheritedFrom && (
                  <Paragraph data-size="sm" className="muted">
                    {t(c.fromPart ? "admin.hours.ofPart" : "admin.hours.inherited", { venue: c.inheritedFrom })}
                  </Paragraph>
                )}
              </div>
              {!c.inheritedFrom && (
                <PostForm>
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="closureId" value={c.id} />
                  <button type="submit" className="ds-button" data-variant="secondary" data-color="danger" data-size="sm">
                    {t("admin.hours.remove")}
                    <span className="ds-sr-only">
                      : {c.when}, {c.reason}
                    </span>
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function AddClosureForm({ values, errors }: { values: Record<string, string>; errors: Record<string, string> }) {
  const t = useT();
  return (
    <section aria-labelledby="closure-form-heading" className="block-form">
      <Heading level={2} data-size="sm" id="closure-form-heading">
        {t("admin.hours.addClosureHeading")}
      </Heading>
      <ErrorSummary heading={t("admin.hours.errorSummary")} errors={errors} order={["startsOn", "endsOn", "reason"]} />
      <PostForm noValidate className="stack" aria-labelledby="closure-form-heading">
        <input type="hidden" name="intent" value="closure" />
        <Paragraph data-size="sm" className="muted">
          {t("admin.hours.partsHint")}
        </Paragraph>
        <div className="form-row">
          <InputField name="startsOn" type="date" label={t("admin.hours.startsOn")} required defaultValue={values.startsOn} error={errors.startsOn} />
          <InputField name="endsOn" type="date" label={t("admin.hours.endsOn")} required defaultValue={values.endsOn} error={errors.endsOn} />
        </div>
        <InputField
          name="reason"
          label={t("admin.hours.reason")}
          hint={t("admin.hours.reasonHint")}
          required
          maxLength={MAX_CLOSURE_REASON}
          defaultValue={values.reason}
          error={errors.reason}
        />
        <div>
          <button type="submit" className="ds-button" data-variant="primary">
            {t("admin.hours.addClosure")}
          </button>
        </div>
      </PostForm>
    </section>
  );
}

export function HolidaysForm({ country, lastYear, error }: { country: string; lastYear: number; error: string | null }) {
  const t = useT();
  return (
    <section aria-labelledby="holidays-heading">
      <Heading level={2} data-size="sm" id="holidays-heading">
        {t("admin.hours.holidaysHeading")}
      </Heading>
      {error && <FormMessage>{error}</FormMessage>}
      <Paragraph>{t("admin.hours.holidaysIntro", { country, last: lastYear })}</Paragraph>
      <PostForm>
        <input type="hidden" name="intent" value="holidays" />
        <button type="submit" className="ds-button" data-variant="secondary">
          {t("admin.hours.addHolidays")}
        </button>
      </PostForm>
    </section>
  );
}

export interface ConfirmView {
  intent: "hours" | "closure" | "holidays";
  affected: AffectedLine[];
  /** The change, as the first step's fields. */
  hidden: Record<string, string>;
  unseen: boolean;
  decision: string;
  message: string;
  errors: Record<string, string>;
}

export function ConfirmChange({ view, cancelTo }: { view: ConfirmView; cancelTo: string }) {
  const t = useT();
  return (
    <section aria-labelledby="confirm-heading" className="ds-alert hours-confirm" data-color="warning">
      <Heading level={2} data-size="sm" id="confirm-heading">
        {t("admin.hours.confirmHeading")}
      </Heading>
      <ErrorSummary heading={t("admin.hours.errorSummary")} errors={view.errors} order={["decision", "message"]} />
      {view.unseen && <Paragraph>{t("admin.hours.confirmUnseen")}</Paragraph>}
      <Paragraph>{t(`admin.hours.confirmIntro.${view.intent}`)}</Paragraph>
      <ul className="hours-affected">
        {view.affected.map((b) => (
          <li key={b.id}>
            <strong>{b.when}</strong>
            {b.venueName && <> ({t("admin.hours.inPart", { venue: b.venueName })})</>}:{" "}
            {t("admin.hours.affectedLine", { title: b.title, association: b.associationName })}
          </li>
        ))}
      </ul>
      <PostForm noValidate className="stack" aria-labelledby="confirm-heading">
        <HiddenValues values={{ ...view.hidden, intent: view.intent, confirm: "1", seen: view.affected.map((b) => b.id).join(",") }} />
        <RadioGroup
          name="decision"
          legend={t("admin.hours.decision")}
          error={view.errors.decision}
          value={view.decision}
          choices={[
            { value: "keep", label: t("admin.hours.keep") },
            { value: "cancel", label: t("admin.hours.cancel") },
          ]}
        />
        <TextAreaField name="message" label={t("admin.hours.message")} hint={t("admin.hours.messageHint")} maxLength={2000} defaultValue={view.message} error={view.errors.message} />
        <div className="form-row">
          <button type="submit" className="ds-button" data-variant="primary">
            {t("admin.hours.confirm")}
          </button>
          <Link to={cancelTo} className="ds-link">
            {t("admin.hours.abort")}
          </Link>
        </div>
      </PostForm>
    </section>
  );
}
