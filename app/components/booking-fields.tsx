// Fields of the booking and series forms: each with its label, hint and error
// tied together for screen readers (aria-describedby), plus the error summary
// above a form whose links jump to the fields. Plain HTML controls styled by
// Designsystemet's classes: they work without JavaScript.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/i18n/react";
import { FormMessage } from "./forms";
import { BackAndHeading } from "./page-top";

function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="ds-validation-message" data-field="validation" data-color="danger">
      {message}
    </p>
  );
}

function Hint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="ds-paragraph form-field__hint" data-size="sm">
      {children}
    </p>
  );
}

export interface InputFieldProps {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  type?: "text" | "date" | "time";
  inputMode?: "text" | "numeric";
  required?: boolean;
  maxLength?: number;
  autoComplete?: string;
  className?: string;
}

/** A text, date or time input. Its id is its name (unique on the page). */
export function InputField({ name, label, hint, error, type = "text", className, autoComplete = "off", ...input }: InputFieldProps) {
  return (
    <div className={className ? `form-field ${className}` : "form-field"}>
      <label htmlFor={name} className="ds-label">
        {label}
      </label>
      {hint && <Hint id={`${name}-hint`}>{hint}</Hint>}
      <input
        id={name}
        name={name}
        type={type}
        className="ds-input"
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${name}-hint` : null, error && `${name}-error`)}
        {...input}
      />
      <FieldError id={`${name}-error`} message={error} />
    </div>
  );
}

export function TextAreaField({ name, label, hint, error, defaultValue, maxLength }: Omit<InputFieldProps, "type" | "inputMode">) {
  return (
    <div className="form-field">
      <label htmlFor={name} className="ds-label">
        {label}
      </label>
      {hint && <Hint id={`${name}-hint`}>{hint}</Hint>}
      <textarea
        id={name}
        name={name}
        className="ds-input"
        rows={3}
        defaultValue={defaultValue}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${name}-hint` : null, error && `${name}-error`)}
      />
      <FieldError id={`${name}-error`} message={error} />
    </div>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  choices: { value: string; label: string }[];
  /** A first, empty choice ("choose …") when nothing is chosen yet. */
  placeholder?: string;
}) {
  const { name, label, hint, error, defaultValue, choices, placeholder } = props;
  return (
    <div className="form-field">
      <label htmlFor={name} className="ds-label">
        {label}
      </label>
      {hint && <Hint id={`${name}-hint`}>{hint}</Hint>}
      <select
        id={name}
        name={name}
        className="ds-input"
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${name}-hint` : null, error && `${name}-error`)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <FieldError id={`${name}-error`} message={error} />
    </div>
  );
}

/** Radio buttons in a fieldset; the fieldset's id is the name (the error summary links to it). */
export function RadioGroup(props: {
  name: string;
  legend: string;
  hint?: ReactNode;
  error?: string;
  value?: string;
  choices: { value: string; label: ReactNode }[];
}) {
  const { name, legend, hint, error, value, choices } = props;
  return (
    <fieldset className="ds-fieldset form-field" id={name} aria-describedby={describedBy(hint ? `${name}-hint` : null, error && `${name}-error`)}>
      <legend className="ds-label">{legend}</legend>
      {hint && <Hint id={`${name}-hint`}>{hint}</Hint>}
      <div className="radio-list">
        {choices.map((c) => {
          const id = `${name}-${c.value}`;
          return (
            <div className="ds-field radio-list__item" key={c.value}>
              <input
                type="radio"
                className="ds-input"
                id={id}
                name={name}
                value={c.value}
                defaultChecked={value === c.value}
                aria-invalid={error ? true : undefined}
              />
              <label htmlFor={id} className="ds-label" data-weight="regular">
                {c.label}
              </label>
            </div>
          );
        })}
      </div>
      <FieldError id={`${name}-error`} message={error} />
    </fieldset>
  );
}

export interface AssociationOption {
  id: number;
  name: string;
  verified: boolean;
}

/** Which association books: preselected when the person has only one. */
export function AssociationChoice({ associations, value, error }: { associations: AssociationOption[]; value?: string; error?: string }) {
  const t = useT();
  const known = value !== undefined && associations.some((a) => String(a.id) === value);
  const chosen = known ? value : associations.length === 1 ? String(associations[0]!.id) : undefined;
  return (
    <RadioGroup
      name="associationId"
      legend={t("book.association")}
      error={error}
      value={chosen}
      choices={associations.map((a) => ({
        value: String(a.id),
        label: (
          <>
            {a.name}
            {!a.verified && (
              <>
                {" "}
                <Tag data-size="sm" data-color="warning">
                  {t("book.associationUnverified")}
                </Tag>
              </>
            )}
          </>
        ),
      }))}
    />
  );
}

/** Title, purpose, public or private, attendees and the note: the same in both forms. */
export function DetailsFields({ values, errors, capacity }: { values: Record<string, string>; errors: Record<string, string>; capacity: number }) {
  const t = useT();
  return (
    <>
      <InputField name="title" label={t("book.title")} hint={t("book.titleHint")} maxLength={120} required defaultValue={values.title} error={errors.title} />
      <TextAreaField name="purpose" label={t("book.purpose")} hint={t("book.purposeHint")} maxLength={2000} defaultValue={values.purpose} error={errors.purpose} />
      <RadioGroup
        name="visibility"
        legend={t("book.visibility")}
        hint={t("book.visibilityHint")}
        error={errors.visibility}
        value={values.visibility ?? "private"}
        choices={[
          { value: "private", label: t("book.private") },
          { value: "public", label: t("book.public") },
        ]}
      />
      <InputField
        name="expectedAttendees"
        label={t("book.attendees")}
        hint={t("book.attendeesHint", { capacity })}
        inputMode="numeric"
        maxLength={6}
        required
        className="form-field--short"
        defaultValue={values.expectedAttendees}
        error={errors.expectedAttendees}
      />
      <TextAreaField name="noteToCaretaker" label={t("book.note")} hint={t("book.noteHint")} maxLength={2000} defaultValue={values.noteToCaretaker} error={errors.noteToCaretaker} />
    </>
  );
}

/** "Fix this to …": each problem links to its field; read first, since it is the first thing after the heading. */
export function ErrorSummary({ heading, errors, order }: { heading: string; errors: Record<string, string>; order: readonly string[] }) {
  const list = [...order.filter((f) => errors[f]), ...Object.keys(errors).filter((f) => !order.includes(f))];
  if (list.length === 0) return null;
  return (
    <section className="ds-error-summary" aria-labelledby="error-summary-heading" role="alert">
      <Heading level={2} data-size="xs" id="error-summary-heading">
        {heading}
      </Heading>
      <ul>
        {list.map((field) => (
          <li key={field}>
            <a href={`#${field}`}>{errors[field]}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Hidden copies of values, for a second step that sends what the first one showed. */
export function HiddenValues({ values }: { values: Record<string, string> }) {
  return (
    <>
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** Booking needs an association: say how to get one. */
export function NoAssociation() {
  const t = useT();
  return (
    <FormMessage kind="info">
      <Paragraph>{t("book.noAssociations")}</Paragraph>
      <Paragraph>
        <Link to="/associations/new" className="ds-link">
          {t("account.associations.new")}
        </Link>
      </Paragraph>
    </FormMessage>
  );
}

/** The venue's rules in words, folded away below a booking form. */
export function VenueRulesDetails({ rules }: { rules: string[] }) {
  const t = useT();
  return (
    <details className="ds-details rules-details">
      <summary>{t("venue.rules")}</summary>
      <ul>
        {rules.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </details>
  );
}

/** A booking form's top: the way back to the venue, and the page's one heading. */
export function VenueFormHeading({ venue, heading }: { venue: { slug: string; name: string }; heading: string }) {
  return <BackAndHeading to={`/venues/${venue.slug}`} back={venue.name} heading={heading} />;
}

/** Date, start and end of a booking in the venue's zone: the booking form's and the move form's. */
export function WhenFields(props: { legend: string; timeZone: string; values: Record<string, string>; errors: Record<string, string>; children?: ReactNode }) {
  const t = useT();
  const { values, errors } = props;
  return (
    <fieldset className="ds-fieldset form-field" aria-describedby="when-hint">
      <legend className="ds-label">{props.legend}</legend>
      <p id="when-hint" className="ds-paragraph form-field__hint" data-size="sm">
        {t("week.timeZone", { zone: props.timeZone })}
      </p>
      <div className="form-row">
        <InputField name="date" type="date" label={t("book.date")} required defaultValue={values.date} error={errors.date} />
        <InputField name="start" type="time" label={t("book.start")} required defaultValue={values.start} error={errors.start} />
        <InputField name="end" type="time" label={t("book.end")} required defaultValue={values.end} error={errors.end} />
      </div>
      {props.children}
    </fieldset>
  );
}
