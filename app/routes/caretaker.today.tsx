// /caretaker/today?date=YYYY-MM-DD — a day's bookings (confirmed and pending)
// at the sites the person takes care of or administers, in time order, with
// who to call and what they asked for. Made for a phone, and plain links
// (previous / next day) so it works without JavaScript.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { loadDaySchedule } from "~/caretaker/caretaker.server";
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
    const date = new URL(request.url).searchParams.get("date");
    const day = await loadDaySchedule(getDb(), { viewerId: user.id, date: date || null, lang, now: new Date() });
    return data({ lang: lang.code, ...day }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["caretaker.today.metaTitle"]);

const STATUS_COLOR = { confirmed: "success", pending: "warning", rejected: "danger", cancelled: "neutral" } as const;

export default function CaretakerToday() {
  const day = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="caretaker">
      <CaretakerNav current="today" />
      <Heading level={1} data-size="lg">
        {t("caretaker.today.heading")}
        <span className="caretaker-day"> {day.dateText}</span>
      </Heading>
      <nav aria-label={t("caretaker.today.dayNav")} className="caretaker-daynav">
        <Link to={`/caretaker/today?date=${day.previous}`} className="ds-link" rel="prev">
          <span aria-hidden="true">← </span>
          {t("caretaker.today.previous")}
        </Link>
        {!day.isToday && (
          <Link to="/caretaker/today" className="ds-link">
            {t("caretaker.today.today")}
          </Link>
        )}
        <Link to={`/caretaker/today?date=${day.next}`} className="ds-link" rel="next">
          {t("caretaker.today.next")}
          <span aria-hidden="true"> →</span>
        </Link>
      </nav>
      {day.lines.length === 0 ? (
        <Paragraph className="muted">{t("caretaker.today.empty")}</Paragraph>
      ) : (
        <>
          <Paragraph data-size="sm" className="muted">
            {t("caretaker.today.count", { count: day.lines.length })}
          </Paragraph>
          <ol className="caretaker-queue">
            {day.lines.map((l) => (
              <li key={l.id} className="caretaker-card">
                <Heading level={2} data-size="xs">
                  <time>
                    {l.start}–{l.end}
                  </time>{" "}
                  {l.venueName}
                </Heading>
                <Paragraph data-size="sm">
                  {l.title}{" "}
                  <Tag data-size="sm" data-color={STATUS_COLOR[l.status]}>
                    {l.statusText}
                  </Tag>
                  {l.crossesDay && <span className="muted"> ({t("caretaker.today.crossesDay")})</span>}
                </Paragraph>
                <dl className="caretaker-details">
                  <div>
                    <dt>{t("caretaker.today.association")}</dt>
                    <dd>{l.associationName}</dd>
                  </div>
                  <div>
                    <dt>{t("caretaker.today.contact")}</dt>
                    <dd>
                      {l.contactName && <>{l.contactName}</>}
                      {l.contactPhone && (
                        <>
                          {", "}
                          <a className="ds-link" href={`tel:${l.contactPhone.replace(/[^\d+]/g, "")}`}>
                            {l.contactPhone}
                          </a>
                        </>
                      )}
                      {l.contactName && <br />}
                      <a className="ds-link caretaker-email" href={`mailto:${l.contactEmail}`}>
                        {l.contactEmail}
                      </a>
                    </dd>
                  </div>
                  <div>
                    <dt>{t("caretaker.today.attendees")}</dt>
                    <dd>{l.expectedAttendees}</dd>
                  </div>
                  {l.noteToCaretaker && (
                    <div>
                      <dt>{t("caretaker.today.note")}</dt>
                      <dd className="caretaker-text">{l.noteToCaretaker}</dd>
                    </div>
                  )}
                </dl>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
