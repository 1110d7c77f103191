import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";
import { useLanguage, useT } from "~/i18n/react";
import { loadVenuePage } from "~/venues/venue-page.server";
import { WeekSchedule } from "~/components/week-schedule";
import { CalendarSubscribe } from "~/components/calendar-subscribe";
import { venueFeedLinks } from "~/calendar/links";
import { titleMeta } from "~/i18n/meta";
import { publicUrl } from "~/config/env.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = pickLanguage(request);
  try {
    const week = new URL(request.url).searchParams.get("week");
    const page = await loadVenuePage(getDb(), { slug: params.slug ?? "", week, lang, now: new Date() });
    return data({ lang: lang.code, ...page, calendar: venueFeedLinks(publicUrl(), page.venue.slug) }, { status: page.weekProblem ? 400 : 200 });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, (d) => ["meta.venueTitle", { venue: d.venue.name }]);

export default function VenuePage() {
  const { venue, rules, openingHours, week, weekProblem, calendar } = useLoaderData<typeof loader>();
  const t = useT();
  // The sentence around the link to the whole venue, in this language's word order.
  const partOf = useLanguage().messages["venue.partOf"].split("{parent}");
  return (
    <article className="venue">
      <Paragraph data-size="sm">
        <Link to="/" className="ds-link">
          {t("nav.home")}
        </Link>
      </Paragraph>
      <Heading level={1} data-size="lg">
        {venue.name}
      </Heading>
      <Paragraph data-size="lg" className="lead">
        {venue.kind} · {venue.siteName}
      </Paragraph>
      {venue.parent && (
        <Paragraph>
          {partOf[0]}
          <Link to={`/venues/${venue.parent.slug}`} className="ds-link">
            {venue.parent.name}
          </Link>
          {partOf[1]}
        </Paragraph>
      )}
      <div className="venue__layout">
        <div className="venue__main">
          {venue.description && (
            <section>
              <Heading level={2} data-size="sm">
                {t("venue.about")}
              </Heading>
              {venue.description.split(/\n{2,}/).map((p) => (
                <Paragraph key={p}>{p}</Paragraph>
              ))}
            </section>
          )}
          <section aria-labelledby="book-heading" className="venue-book">
            <Heading level={2} data-size="sm" id="book-heading">
              {t("venue.book.heading")}
            </Heading>
            <Paragraph>{t("venue.book.intro")}</Paragraph>
            <ul className="action-list">
              <li>
                <Link to={`/venues/${venue.slug}/book`} className="ds-link">
                  {t("venue.book.single")}
                </Link>
              </li>
              <li>
                <Link to={`/venues/${venue.slug}/series`} className="ds-link">
                  {t("venue.book.series")}
                </Link>
              </li>
            </ul>
          </section>
          <WeekSchedule week={week} bookPath={`/venues/${venue.slug}/book`} problem={weekProblem} />
        </div>
        <div className="venue__aside">
          <section>
            <Heading level={2} data-size="xs">
              {t("venue.facts")}
            </Heading>
            <dl className="facts-list">
              <dt>{t("venue.kind")}</dt>
              <dd>{venue.kind}</dd>
              <dt>{t("venue.capacityLabel")}</dt>
              <dd>{t("venue.capacityValue", { capacity: venue.capacity })}</dd>
              <dt>{t("venue.site")}</dt>
              <dd>
                {venue.siteName}
                {venue.siteAddress && (
                  <>
                    <br />
                    {venue.siteAddress}
                  </>
                )}
              </dd>
              <dt>{t("venue.owner")}</dt>
              <dd>{venue.ownerName}</dd>
              <dt>{t("venue.accessibility")}</dt>
              <dd>
                {t(venue.stepFree ? "venue.stepFree" : "venue.notStepFree")}
                {venue.accessibilityNotes && `. ${venue.accessibilityNotes}`}
              </dd>
            </dl>
          </section>
          <section>
            <Heading level={2} data-size="xs">
              {t("venue.amenities")}
            </Heading>
            {venue.amenities.length ? (
              <ul>
                {venue.amenities.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            ) : (
              <Paragraph>{t("venue.noAmenities")}</Paragraph>
            )}
          </section>
          {venue.parts.length > 0 && (
            <section>
              <Heading level={2} data-size="xs">
                {t("venue.parts")}
              </Heading>
              <Paragraph data-size="sm">{t("venue.partsIntro")}</Paragraph>
              <ul>
                {venue.parts.map((p) => (
                  <li key={p.slug}>
                    <Link to={`/venues/${p.slug}`} className="ds-link">
                      {p.name}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section>
            <Heading level={2} data-size="xs">
              {t("venue.rules")}
            </Heading>
            <ul>
              {rules.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </section>
          <section>
            <Heading level={2} data-size="xs">
              {t("venue.openingHours")}
            </Heading>
            <dl className="facts-list">
              {openingHours.map((h) => (
                <div key={h.day} className="facts-list__row">
                  <dt>{h.day}</dt>
                  <dd>{h.hours ?? t("week.closed")}</dd>
                </div>
              ))}
            </dl>
          </section>
          <CalendarSubscribe links={calendar} venueName={venue.name} />
        </div>
      </div>
    </article>
  );
}
