// /bookings/:id/history — everything that happened to one booking (requested,
// approved, moved, cancelled, attendance …): when in the venue's zone, who,
// and what changed from what to what. For the venue's caretakers and the
// owner's admins; the rule lives in app/admin/audit-history.server.ts.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { requireUser } from "~/accounts/session.server";
import { loadBookingHistory } from "~/admin/audit-history.server";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const history = await loadBookingHistory(getDb(), { viewerId: user.id, bookingId: params.id ?? "", lang });
    return data({ lang: lang.code, history }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, (d) => ["history.metaTitle", { title: d.history.title }]);

export default function BookingHistoryRoute() {
  const { history: h } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="booking-page">
      <Paragraph data-size="sm">
        <Link to={`/bookings/${h.bookingId}`} className="ds-link">
          <span aria-hidden="true">← </span>
          {h.title}
        </Link>
      </Paragraph>
      <Heading level={1} data-size="lg">
        {t("history.heading")}
      </Heading>
      <Paragraph>
        {h.title}, {h.venueName}, {h.when}
        <br />
        <span className="muted">{t("history.zone", { zone: h.timeZone })}</span>
      </Paragraph>
      {h.entries.length === 0 ? (
        <Paragraph className="muted">{t("history.empty")}</Paragraph>
      ) : (
        <ol className="caretaker-queue">
          {h.entries.map((e) => (
            <li key={e.id} className="caretaker-card">
              <Heading level={2} data-size="xs">
                {e.action}
              </Heading>
              <Paragraph data-size="sm">{t("history.byAt", { who: e.who, at: e.at })}</Paragraph>
              {e.changes.length > 0 && (
                <dl className="facts-list">
                  {e.changes.map((c) => (
                    <Fragment key={c.field}>
                      <dt>{c.field}</dt>
                      <dd className="pre-line">{c.before === null ? c.after : t("history.fromTo", { before: c.before, after: c.after })}</dd>
                    </Fragment>
                  ))}
                </dl>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
