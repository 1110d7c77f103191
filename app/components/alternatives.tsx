// What else is free when the wanted time is taken: other times in the same
// venue and other venues at that time, as plain links (no JavaScript needed).
// The words come ready from describeAlternatives (app/availability/alternatives-view.ts).
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { Link } from "@remix-run/react";
import type { AlternativesView } from "~/availability/alternatives-view";
import { useT } from "~/i18n/react";

export function AlternativesList({ view, headingLevel = 2 }: { view: AlternativesView; headingLevel?: 2 | 3 | 4 }) {
  const t = useT();
  const sub = (headingLevel + 1) as 3 | 4 | 5;
  const empty = view.sameVenue.length === 0 && view.otherVenues.length === 0;
  return (
    <section aria-labelledby="alternatives-heading" className="alternatives">
      <Heading level={headingLevel} data-size="sm" id="alternatives-heading">
        {t("alternatives.heading")}
      </Heading>
      {empty && <Paragraph>{t("alternatives.none")}</Paragraph>}
      {view.sameVenue.length > 0 && (
        <div className="alternatives__group">
          <Heading level={sub} data-size="2xs">
            {t("alternatives.sameVenue", { venue: view.venueName })}
          </Heading>
          <ul className="alternatives__list">
            {view.sameVenue.map((s) => (
              <li key={s.key}>
                <Link to={s.href} className="ds-link">
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
      {view.otherVenues.length > 0 && (
        <div className="alternatives__group">
          <Heading level={sub} data-size="2xs">
            {t("alternatives.otherVenues", { when: view.when })}
          </Heading>
          <ul className="alternatives__list">
            {view.otherVenues.map((v) => (
              <li key={v.key}>
                <Link to={v.href} className="ds-link">
                  {v.label}
                </Link>
                {v.detail && <span className="muted"> – {v.detail}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
