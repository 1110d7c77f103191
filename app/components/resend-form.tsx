// A refused form sent again (app/accounts/csrf.server.ts, staleOrRefused):
// who is signed in now, what the person wrote, shown so they can check it,
// and every field of the form in hidden inputs with the browser's token as
// it is now. A plain <form>, not Remix's: it works the same with JavaScript
// or without, and the page it lands on is the one the form would have led to.
import { Button, Heading, Paragraph } from "@digdir/designsystemet-react";
import { weekdayChoices } from "~/booking/when";
import { type FormToResend, writtenIn, writtenLabel } from "~/forms/resend";
import type { Language } from "~/i18n";
import { formatDatesIn } from "~/i18n/format";
import { useLanguage, useT } from "~/i18n/react";

const DATE_FIELDS = new Set(["date", "startsOn", "endsOn", "from", "until"]);

/**
 * A value as the form showed it: "11. desember 2026", "Onsdag", not as it is
 * sent. A length stays the number typed, under the form's "Varighet i minutter".
 */
export function shownValue(lang: Language, name: string, value: string): string {
  if (DATE_FIELDS.has(name)) return formatDatesIn(lang, value);
  if (name === "weekday") return weekdayChoices(lang).find((c) => c.value === value)?.label ?? value;
  return value;
}

export function ResendForm({ resend }: { resend: FormToResend }) {
  const t = useT();
  const lang = useLanguage();
  const shown = writtenIn(resend.fields).flatMap(([name, value]) => {
    const label = writtenLabel(resend.action, resend.fields, name);
    return label ? [{ label: t(label), value: shownValue(lang, name, value) }] : [];
  });
  return (
    <form method="post" action={resend.action} className="stack">
      {resend.signedInAs !== null ? (
        // Signed in as someone else in the other tab, it goes in under that name: they see it first.
        <Paragraph>{t("error.resendSignedInAs", { name: resend.signedInAs })}</Paragraph>
      ) : (
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
      <section aria-labelledby="resend-written">
        <Heading level={2} id="resend-written" data-size="xs">
          {t("error.resendWritten")}
        </Heading>
        <dl className="facts-list">
          {shown.map(({ label, value }, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a name may repeat; the list never changes on this page
            <div key={i} className="facts-list__row">
              <dt>{label}</dt>
              <dd className="resend-written__value">{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <div>
        <Button type="submit">{t("error.resend")}</Button>
      </div>
    </form>
  );
}
