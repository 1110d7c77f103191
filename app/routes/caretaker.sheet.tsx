// /caretaker/sheet?date=YYYY-MM-DD — the day sheet for paper: one page per
// building with the day's bookings in time order, who to call, what they asked
// for, and an empty column for the head count. The print rules in app.css
// hide everything but the sheet; the browser's own print command is the way
// to paper, the "Print" button only a shortcut once JavaScript has loaded.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { requireUser } from "~/accounts/session.server";
import { loadDaySheet } from "~/caretaker/day-sheet.server";
import { CaretakerNav } from "~/components/caretaker-nav";
import { ScrollRegion } from "~/components/scroll-region";
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
    const sheet = await loadDaySheet(getDb(), { viewerId: user.id, date, lang, now: new Date() });
    return data({ lang: lang.code, ...sheet }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["caretaker.sheet.metaTitle"]);

/** The button needs JavaScript, so it appears only once that has run; the hint says what to do without it. */
function PrintButton() {
  const t = useT();
  const [canPrint, setCanPrint] = useState(false);
  useEffect(() => setCanPrint(typeof window.print === "function"), []);
  return (
    <div className="sheet-print">
      {canPrint && (
        <button type="button" className="ds-button" data-variant="primary" onClick={() => window.print()}>
          {t("caretaker.sheet.print")}
        </button>
      )}
      <Paragraph data-size="sm" className="muted">
        {t("caretaker.sheet.printHint")}
      </Paragraph>
    </div>
  );
}

export default function CaretakerSheet() {
  const sheet = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="caretaker day-sheet">
      <div className="screen-only">
        <CaretakerNav current="sheet" />
        <Heading level={1} data-size="lg">
          {t("caretaker.sheet.heading")}
          <span className="caretaker-day"> {sheet.dateText}</span>
        </Heading>
        <Paragraph>{t("caretaker.sheet.intro")}</Paragraph>
        <nav aria-label={t("caretaker.sheet.dayNav")} className="caretaker-daynav">
          <Link to={`/caretaker/sheet?date=${sheet.previous}`} className="ds-link" rel="prev">
            <span aria-hidden="true">← </span>
            {t("caretaker.today.previous")}
          </Link>
          {!sheet.isToday && (
            <Link to="/caretaker/sheet" className="ds-link">
              {t("caretaker.today.today")}
            </Link>
          )}
          <Link to={`/caretaker/sheet?date=${sheet.next}`} className="ds-link" rel="next">
            {t("caretaker.today.next")}
            <span aria-hidden="true"> →</span>
          </Link>
          <Link to={`/caretaker/week?week=${sheet.date}`} className="ds-link">
            {t("caretaker.nav.week")}
          </Link>
        </nav>
        <Form method="get" action="/caretaker/sheet" className="caretaker-jump">
          <label htmlFor="caretaker-sheet-date" className="ds-label">
            {t("caretaker.sheet.jumpLabel")}
          </label>
          <div className="caretaker-jump__row">
            <input id="caretaker-sheet-date" type="date" name="date" className="ds-input" defaultValue={sheet.date} />
            <button type="submit" className="ds-button" data-variant="secondary">
              {t("caretaker.sheet.jumpButton")}
            </button>
          </div>
        </Form>
        {sheet.sites.length > 0 && <PrintButton />}
      </div>
      {sheet.sites.length === 0 ? (
        <Paragraph className="muted">{t("caretaker.sheet.empty")}</Paragraph>
      ) : (
        sheet.sites.map((site) => (
          <div key={site.id} className="sheet-site">
            <header className="sheet-site__head">
              <Heading level={2} data-size="md" id={`sheet-site-${site.id}`}>
                {site.name}
              </Heading>
              {site.address && <p className="sheet-site__address">{site.address}</p>}
              <p className="sheet-site__date">{sheet.dateText}</p>
            </header>
            {/* A region that scrolls on a narrow screen rather than widen the page; on paper it fits the width. */}
            <ScrollRegion className="sheet-scroll" labelledBy={`sheet-site-${site.id}`}>
              <table className="sheet-table">
                <caption className="ds-sr-only">
                  {site.name}: {t("caretaker.sheet.caption", { date: sheet.dateText })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("caretaker.sheet.time")}</th>
                    <th scope="col">{t("caretaker.sheet.venue")}</th>
                    <th scope="col">{t("caretaker.sheet.association")}</th>
                    <th scope="col">{t("caretaker.sheet.contact")}</th>
                    <th scope="col" className="sheet-num">
                      {t("caretaker.sheet.attendees")}
                    </th>
                    <th scope="col">{t("caretaker.sheet.status")}</th>
                    <th scope="col">{t("caretaker.sheet.note")}</th>
                    <th scope="col" className="sheet-count">
                      {t("caretaker.sheet.headCount")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {site.lines.map((l) => (
                    <tr key={l.id}>
                      <td className="sheet-time">
                        {l.start}–{l.end}
                        {l.crossesDay && <span className="sheet-small"> ({t("caretaker.today.crossesDay")})</span>}
                      </td>
                      <td>{l.venueName}</td>
                      <td>
                        {l.blocked ? <strong>{t("caretaker.blocked")}</strong> : <strong>{l.associationName}</strong>}
                        <br />
                        <span className="sheet-small">{l.title}</span>
                      </td>
                      <td>
                        {l.contactName ?? ""}
                        {l.contactPhone && (
                          <>
                            <br />
                            <a href={`tel:${l.contactPhone.replace(/[^\d+]/g, "")}`}>{l.contactPhone}</a>
                          </>
                        )}
                        {!l.contactPhone && l.contactEmail && (
                          <>
                            <br />
                            <span className="sheet-small caretaker-email">{l.contactEmail}</span>
                          </>
                        )}
                        {l.blocked && "–"}
                      </td>
                      <td className="sheet-num">{l.blocked ? "–" : l.expectedAttendees}</td>
                      <td>{l.blocked ? t("caretaker.blocked") : l.statusText}</td>
                      <td className="caretaker-text">{l.noteToCaretaker}</td>
                      <td className="sheet-count">
                        <span className="ds-sr-only">{t("caretaker.sheet.headCountBlank")}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </div>
        ))
      )}
    </div>
  );
}
