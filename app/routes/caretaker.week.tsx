// /caretaker/week?week=YYYY-MM-DD — a week at a glance at the sites the person
// takes care of or administers: per building, per venue, per day the active
// bookings (pending and confirmed) and blocked time, with those of a whole hall
// on its parts and the reverse (either way the venue is not free). Made for a
// phone: lists, not a wide table; plain links and a GET form, so it works
// without JavaScript.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { type WeekEntry, loadCaretakerWeek } from "~/caretaker/week.server";
import { CaretakerNav } from "~/components/caretaker-nav";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const week = new URL(request.url).searchParams.get("week");
    const view = await loadCaretakerWeek(getDb(), { viewerId: user.id, week, lang, now: new Date() });
    return data({ lang: lang.code, ...view }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["caretaker.week.metaTitle"]);

const STATUS_COLOR = { confirmed: "success", pending: "warning" } as const;

function Entry({ e }: { e: WeekEntry }) {
  const t = useT();
  return (
    <li className="cweek-entry">
      <span className="cweek-entry__time">
        {e.start}–{e.end}
      </span>{" "}
      <span className="cweek-entry__title">{e.title}</span>
      {e.associationName !== null && <span className="cweek-entry__who">, {e.associationName}</span>}{" "}
      {e.blocked ? (
        <Tag data-size="sm" data-color="neutral">
          {t("caretaker.blocked")}
        </Tag>
      ) : (
        <Tag data-size="sm" data-color={STATUS_COLOR[e.status]}>
          {e.statusText}
        </Tag>
      )}
      {e.crossesDay && <span className="muted"> ({t("caretaker.today.crossesDay")})</span>}
      {/* The whole hall's time on a half (or a half's on the whole): this venue is not free then either. */}
      {e.otherVenue !== null && <span className="muted">{` (${t("caretaker.week.onOther", { venue: e.otherVenue })})`}</span>}
    </li>
  );
}

export default function CaretakerWeek() {
  const week = useLoaderData<typeof loader>();
  const t = useT();
  const headings = new Map(week.days.map((d) => [d.date, d]));
  return (
    <div className="caretaker">
      <CaretakerNav current="week" />
      <Heading level={1} data-size="lg">
        {t("caretaker.week.heading")}
        <span className="caretaker-day"> {t("week.label", { week: week.weekNumber, from: week.from, to: week.to })}</span>
      </Heading>
      <Paragraph>{t("caretaker.week.intro")}</Paragraph>
      <nav aria-label={t("week.navigation")} className="caretaker-daynav">
        <Link to={`/caretaker/week?week=${week.previous}`} className="ds-link" rel="prev">
          <span aria-hidden="true">← </span>
          {t("week.previous")}
        </Link>
        {!week.isCurrent && (
          <Link to="/caretaker/week" className="ds-link">
            {t("week.current")}
          </Link>
        )}
        <Link to={`/caretaker/week?week=${week.next}`} className="ds-link" rel="next">
          {t("week.next")}
          <span aria-hidden="true"> →</span>
        </Link>
      </nav>
      <Form method="get" action="/caretaker/week" className="caretaker-jump">
        <label htmlFor="caretaker-week-date" className="ds-label">
          {t("week.jumpLabel")}
        </label>
        <div className="caretaker-jump__row">
          <input id="caretaker-week-date" type="date" name="week" className="ds-input" defaultValue={week.monday} />
          <button type="submit" className="ds-button" data-variant="secondary">
            {t("week.jumpButton")}
          </button>
        </div>
      </Form>
      <nav aria-label={t("caretaker.week.sheets")} className="cweek-sheets">
        <span aria-hidden="true">{t("caretaker.week.sheetsLead")}</span>
        <ul>
          {week.days.map((d) => (
            <li key={d.date}>
              <Link to={`/caretaker/sheet?date=${d.date}`} className="ds-link">
                {d.short}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {week.sites.map((site) => (
        <section key={site.id} className="cweek-site">
          <Heading level={2} data-size="md">
            {site.name}
          </Heading>
          {site.address && <Paragraph className="muted">{site.address}</Paragraph>}
          {site.venues.length === 0 && <Paragraph className="muted">{t("caretaker.week.noVenues")}</Paragraph>}
          {site.venues.map((venue) => (
            <section key={venue.id} className="cweek-venue">
              <Heading level={3} data-size="sm">
                {venue.name}
              </Heading>
              <Paragraph data-size="sm" className="muted">
                {venue.count > 0 ? t("caretaker.week.count", { count: venue.count }) : t("caretaker.week.noneThisWeek")}
              </Paragraph>
              {/* Blocked time is not counted as a booking, but it is shown. */}
              {venue.days.some((d) => d.entries.length > 0 || d.closure !== null) && (
                <ol className="cweek-days">
                  {venue.days.map((day) => {
                    const h = headings.get(day.date);
                    const today = h?.isToday ? <span> ({t("week.today")})</span> : null;
                    // A day with nothing on it is one short line, so the busy days stand out.
                    if (day.entries.length === 0 && day.closure === null) {
                      return (
                        <li key={day.date} className={`cweek-day cweek-day--empty${h?.isToday ? " cweek-day--today" : ""}`}>
                          <time dateTime={day.date}>{h?.short ?? day.date}</time>
                          {today}
                          <span className="ds-sr-only">: {t("caretaker.week.none")}</span>
                          <span aria-hidden="true"> –</span>
                        </li>
                      );
                    }
                    return (
                      <li key={day.date} className={`cweek-day${h?.isToday ? " cweek-day--today" : ""}`}>
                        <Heading level={4} data-size="2xs" className="cweek-day__name">
                          <time dateTime={day.date}>{h?.heading ?? day.date}</time>
                          {today}
                        </Heading>
                        {day.closure !== null && (
                          <p className="cweek-day__closed">
                            {day.closure.venue
                              ? t("week.closedReasonOf", { reason: day.closure.reason, venue: day.closure.venue })
                              : t("week.closedReason", { reason: day.closure.reason })}
                          </p>
                        )}
                        {day.entries.length > 0 && (
                          <ul className="cweek-entries">
                            {day.entries.map((e) => (
                              <Entry key={e.id} e={e} />
                            ))}
                          </ul>
                        )}
                      </li>
                    );
                  })}
                </ol>
              )}
            </section>
          ))}
        </section>
      ))}
    </div>
  );
}
