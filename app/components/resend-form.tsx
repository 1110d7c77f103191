// A refused form sent again (app/accounts/csrf.server.ts, staleOrRefused):
// what the person wrote, shown so they can check it, and every field of the
// form in hidden inputs with the browser's token as it is now. A plain
// <form>, not Remix's: it works the same with JavaScript or without, and the
// page it lands on is the one the form would have led to.
import { Button, Heading, Paragraph } from "@digdir/designsystemet-react";
import type { FormToResend } from "~/accounts/csrf.server";
import { hasMessage, type Language } from "~/i18n";
import { formatDatesIn, formatMinutes } from "~/i18n/format";
import { useLanguage, useT } from "~/i18n/react";

/** The fields a person types or picks, shown by their label; the rest (ids, keys) only go along. */
const WRITTEN = new Set([
  "title", "purpose", "noteToCaretaker", "expectedAttendees", "date", "start", "end", "startsOn", "endsOn",
  "weekday", "startTime", "durationMinutes", "from", "until",
  "reason", "message", "description", "accessibilityNotes", "name", "phone", "email", "contactEmail", "orgNumber",
]);
const DATE_FIELDS = new Set(["date", "startsOn", "endsOn", "from", "until"]);

/** A value as the form showed it: "11. desember 2026", "onsdag", "1 time 30 minutter", not as it is sent. */
export function shownValue(lang: Language, name: string, value: string): string {
  if (DATE_FIELDS.has(name)) return formatDatesIn(lang, value);
  if (name === "durationMinutes" && /^\d{1,5}$/.test(value)) return formatMinutes(lang, Number(value));
  if (name === "weekday" && /^[1-7]$/.test(value)) {
    // 1 January 2024 was a Monday: ISO weekday n is the n-th of that month.
    return new Intl.DateTimeFormat(lang.dateLocale, { weekday: "long", timeZone: "UTC" }).format(Date.UTC(2024, 0, Number(value)));
  }
  return value;
}


export function ResendForm({ resend }: { resend: FormToResend }) {
  const t = useT();
  const lang = useLanguage();
  const shown = resend.fields.flatMap(([name, value]) => {
    const label = `field.${name}`;
    return WRITTEN.has(name) && value.trim() !== "" && hasMessage(label) ? [{ name, label: t(label), value: shownValue(lang, name, value) }] : [];
  });
  return (
    <form method="post" action={resend.action} className="stack">
      {resend.signedIn ? null : (
        // Sent now, it would meet the sign-in page, and the form would be lost there.
        <Paragraph>
          {t("error.resendSignedOut")}{" "}
          <a href="/signin" target="_blank" rel="noopener" className="ds-link">
            {t("error.resendSignIn")}
          </a>
        </Paragraph>
      )}
      <input type="hidden" name="csrf" value={resend.token} />
      {resend.fields.map(([name, value], i) => (
        // Order and repeats matter (checkboxes of one name): the index is the field's identity here.
        // biome-ignore lint/suspicious/noArrayIndexKey: the list never changes on this page
        <input key={i} type="hidden" name={name} value={value} />
      ))}
      {shown.length > 0 ? (
        <section aria-labelledby="resend-written">
          <Heading level={2} id="resend-written" data-size="xs">
            {t("error.resendWritten")}
          </Heading>
          <dl className="facts-list">
            {shown.map(({ name, label, value }) => (
              <div key={name} className="facts-list__row">
                <dt>{label}</dt>
                <dd className="resend-written__value">{value}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
      <div>
        <Button type="submit">{t("error.resend")}</Button>
      </div>
    </form>
  );
}
