// /bookings — "My bookings": upcoming and past bookings of each association
// the person belongs to (a section each, or one chosen with ?association=),
// with their status, and a way to cancel what is still to come.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { type MyBookingLine, loadMyBookingsPage } from "~/booking/my-bookings-page.server";
import { NoAssociation } from "~/components/booking-fields";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";
import { useT } from "~/i18n/react";
import { titleMeta } from "~/i18n/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const raw = new URL(request.url).searchParams.get("association") ?? "";
    const associationId = /^\d{1,15}$/.test(raw) ? Number(raw) : null;
    const page = await loadMyBookingsPage(getDb(), { userId: user.id, associationId, lang, now: new Date() });
    return data({ lang: lang.code, ...page }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.myBookingsTitle"]);

const STATUS_COLOR = { confirmed: "success", pending: "warning", rejected: "danger", cancelled: "neutral" } as const;

function BookingLine({ b }: { b: MyBookingLine }) {
  const t = useT();
  return (
    <li className="booking-line">
      <div className="booking-line__head">
        <Link to={`/bookings/${b.id}`} className="ds-link booking-line__title">
          {b.title}
        </Link>{" "}
        <Tag data-size="sm" data-color={STATUS_COLOR[b.status]}>
          {b.statusText}
        </Tag>
        {b.inSeries && (
          <>
            {" "}
            <Tag data-size="sm" data-color="neutral">
              {t("myBookings.series")}
            </Tag>
          </>
        )}
      </div>
      <div>{b.when}</div>
      <div className="muted">
        {b.venueName} · {t(b.isPublic ? "booking.public" : "booking.private")}
      </div>
      {b.canCancel && (
        <div>
          <Link to={`/bookings/${b.id}/cancel`} className="ds-link">
            {t("myBookings.cancel")}
            <span className="ds-sr-only">
              {" "}
              {b.title}, {b.when}
            </span>
          </Link>
        </div>
      )}
    </li>
  );
}

export default function MyBookings() {
  const { associations, chosen, sections } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="my-bookings">
      <Heading level={1} data-size="lg">
        {t("myBookings.heading")}
      </Heading>
      {associations.length === 0 ? (
        <NoAssociation />
      ) : (
        <>
          <Paragraph>
            {t("myBookings.intro")}{" "}
            <Link to="/" className="ds-link">
              {t("myBookings.findVenue")}
            </Link>
          </Paragraph>
          {associations.length > 1 && (
            <nav aria-label={t("myBookings.filter")} className="filter-nav">
              <ul>
                <li>
                  <Link to="/bookings" className="ds-link" aria-current={chosen === null ? "page" : undefined}>
                    {t("myBookings.all")}
                  </Link>
                </li>
                {associations.map((a) => (
                  <li key={a.id}>
                    <Link to={`/bookings?association=${a.id}`} className="ds-link" aria-current={chosen === a.id ? "page" : undefined}>
                      {a.name}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {sections.map((s) => (
            <section key={s.association.id} aria-labelledby={`association-${s.association.id}`} className="my-bookings__association">
              <Heading level={2} data-size="md" id={`association-${s.association.id}`}>
                {s.association.name}
              </Heading>
              {!s.association.verified && <Paragraph data-size="sm">{t("association.unverifiedNote")}</Paragraph>}
              <Heading level={3} data-size="xs">
                {t("myBookings.upcoming")}
              </Heading>
              {s.upcoming.length === 0 ? (
                <Paragraph className="muted">{t("myBookings.noUpcoming")}</Paragraph>
              ) : (
                <ul className="booking-lines">
                  {s.upcoming.map((b) => (
                    <BookingLine key={b.id} b={b} />
                  ))}
                </ul>
              )}
              <Heading level={3} data-size="xs">
                {t("myBookings.past")}
              </Heading>
              {s.past.length === 0 ? (
                <Paragraph className="muted">{t("myBookings.noPast")}</Paragraph>
              ) : (
                <ul className="booking-lines">
                  {s.past.map((b) => (
                    <BookingLine key={b.id} b={b} />
                  ))}
                </ul>
              )}
            </section>
          ))}
        </>
      )}
    </div>
  );
}
