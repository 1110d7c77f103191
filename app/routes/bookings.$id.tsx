// /bookings/:id — one booking: confirmed or awaiting approval (or rejected,
// cancelled), its details in the venue's local time, its series, and links to
// add it to a calendar, move it or cancel it. Visible to members of its association and
// to the caretakers and admins of its venue; anyone else gets a 404.
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { type BookingPage, loadBookingPage } from "~/booking/booking-page.server";
import { FormMessage } from "~/components/forms";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { type MessageKey, pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const booking = await loadBookingPage(getDb(), { viewerId: user.id, bookingId: params.id ?? "", lang, now: new Date() });
    const query = new URL(request.url).searchParams;
    const cancelled = Number(query.get("cancelled") ?? 0);
    return data(
      {
        lang: lang.code,
        booking,
        createdSeries: query.get("created") === "series",
        cancelled: Number.isInteger(cancelled) && cancelled > 0 && cancelled < 1000 ? cancelled : 0,
        moved: query.get("moved") === "1",
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, (d) => ["meta.bookingTitle", { title: d.booking.title }]);

const HEADINGS: Record<BookingPage["status"], MessageKey> = {
  confirmed: "booking.confirmed.heading",
  pending: "booking.pending.heading",
  rejected: "booking.rejected.heading",
  cancelled: "booking.cancelled.heading",
};

const INTROS: Record<BookingPage["status"], MessageKey> = {
  confirmed: "booking.confirmed.intro",
  pending: "booking.pending.intro",
  rejected: "booking.rejected.intro",
  cancelled: "booking.cancelled.intro",
};

/** What a caretaker or admin who is not in the association reads instead: it is not their booking. */
const STAFF_WORDS: Partial<Record<BookingPage["status"], { heading: MessageKey; intro: MessageKey }>> = {
  confirmed: { heading: "booking.staff.confirmed.heading", intro: "booking.staff.confirmed.intro" },
  pending: { heading: "booking.staff.pending.heading", intro: "booking.staff.pending.intro" },
};

const STATUS_COLOR = { confirmed: "success", pending: "warning", rejected: "danger", cancelled: "neutral" } as const;

export default function BookingPageRoute() {
  const { booking: b, createdSeries, cancelled, moved } = useLoaderData<typeof loader>();
  const t = useT();
  // A cancelled or turned-down booking is nothing to put in a calendar.
  const calendarHref = b.status === "cancelled" || b.status === "rejected" ? null : b.calendarHref;
  const staffWords = b.isMember ? undefined : STAFF_WORDS[b.status];
  return (
    <div className="booking-page">
      <Paragraph data-size="sm">
        {b.isMember ? (
          <Link to="/bookings" className="ds-link">
            <span aria-hidden="true">← </span>
            {t("nav.myBookings")}
          </Link>
        ) : (
          <Link to={`/venues/${b.venue.slug}`} className="ds-link">
            <span aria-hidden="true">← </span>
            {b.venue.name}
          </Link>
        )}
      </Paragraph>
      {createdSeries && b.series && (
        <FormMessage kind="success">
          {t("booking.seriesCreated", { count: b.series.occurrences.length })}
          {b.series.skipped.length > 0 && ` ${t("booking.seriesSkipped", { dates: b.series.skipped.join(", ") })}`}
        </FormMessage>
      )}
      {moved && <FormMessage kind="success">{t(b.status === "pending" ? "booking.movedPending" : "booking.moved")}</FormMessage>}
      {cancelled > 0 && <FormMessage kind="success">{cancelled === 1 ? t("booking.cancelledOne") : t("booking.cancelledMany", { count: cancelled })}</FormMessage>}
      <Heading level={1} data-size="lg">
        {t(staffWords?.heading ?? HEADINGS[b.status])}
      </Heading>
      <Paragraph data-size="lg" className="lead">
        {staffWords ? (
          <>
            {t(staffWords.intro, { association: b.association.name })}
            {b.status === "pending" && (
              <>
                {" "}
                <Link to="/caretaker/requests" className="ds-link">
                  {t("booking.staff.pending.queue")}
                </Link>
              </>
            )}
          </>
        ) : (
          t(INTROS[b.status])
        )}
      </Paragraph>

      <section aria-labelledby="details-heading">
        <Heading level={2} data-size="sm" id="details-heading">
          {b.title}
        </Heading>
        <dl className="facts-list booking-facts">
          <dt>{t("booking.status")}</dt>
          <dd>
            <Tag data-size="sm" data-color={STATUS_COLOR[b.status]}>
              {b.statusText}
            </Tag>
          </dd>
          <dt>{t("booking.when")}</dt>
          <dd>
            {b.when}
            <br />
            <span className="muted">{t("week.timeZone", { zone: b.timeZone })}</span>
          </dd>
          <dt>{t("booking.where")}</dt>
          <dd>
            <Link to={`/venues/${b.venue.slug}`} className="ds-link">
              {b.venue.name}
            </Link>
            , {b.venue.siteName}
            {b.venue.siteAddress && (
              <>
                <br />
                {b.venue.siteAddress}
              </>
            )}
          </dd>
          <dt>{t("booking.association")}</dt>
          <dd>{b.association.name}</dd>
          <dt>{t("booking.visibility")}</dt>
          <dd>{t(b.isPublic ? "booking.public" : "booking.private")}</dd>
          <dt>{t("booking.attendees")}</dt>
          <dd>{b.expectedAttendees}</dd>
          {b.purpose && (
            <>
              <dt>{t("booking.purpose")}</dt>
              <dd className="pre-line">{b.purpose}</dd>
            </>
          )}
          {b.noteToCaretaker && (
            <>
              <dt>{t("booking.note")}</dt>
              <dd className="pre-line">{b.noteToCaretaker}</dd>
            </>
          )}
          {b.createdByName && (
            <>
              <dt>{t("booking.bookedBy")}</dt>
              <dd>{b.createdByName}</dd>
            </>
          )}
          {b.reason && (
            <>
              <dt>{t("booking.reason")}</dt>
              <dd className="pre-line">{b.reason}</dd>
            </>
          )}
        </dl>
      </section>

      {(calendarHref || b.canCancel || b.historyHref) && (
        <section aria-labelledby="actions-heading">
          <Heading level={2} data-size="xs" id="actions-heading">
            {t("booking.actions")}
          </Heading>
          <ul className="action-list">
            {calendarHref && (
              <li>
                {/* A file download, not a page: a plain link. */}
                <a href={calendarHref} className="ds-link" download>
                  {t("booking.addToCalendar")}
                </a>
              </li>
            )}
            {b.historyHref && (
              <li>
                <Link to={b.historyHref} className="ds-link">
                  {t("booking.history")}
                </Link>
              </li>
            )}
            {b.canCancel && (
              <li>
                <Link to={`/bookings/${b.id}/move`} className="ds-link">
                  {t("booking.move")}
                </Link>
              </li>
            )}
            {b.canCancel && !b.series && (
              <li>
                <Link to={`/bookings/${b.id}/cancel`} className="ds-link">
                  {t("booking.cancel")}
                </Link>
              </li>
            )}
            {b.canCancel && b.series && (
              <>
                <li>
                  <Link to={`/bookings/${b.id}/cancel`} className="ds-link">
                    {t("booking.cancelOccurrence")}
                  </Link>
                </li>
                {b.series.activeFromHere > 1 && (
                  <li>
                    <Link to={`/bookings/${b.id}/cancel?scope=rest`} className="ds-link">
                      {t("booking.cancelRest", { count: b.series.activeFromHere })}
                    </Link>
                  </li>
                )}
              </>
            )}
          </ul>
        </section>
      )}

      {b.series && (
        <section aria-labelledby="series-heading">
          <Heading level={2} data-size="xs" id="series-heading">
            {t("booking.series")}
          </Heading>
          <Paragraph>{b.series.rule}</Paragraph>
          <ol className="preview-list">
            {b.series.occurrences.map((o) => (
              <li key={o.id} className="preview-list__item" aria-current={o.isThis ? "true" : undefined}>
                {o.isThis ? (
                  <strong>{o.label}</strong>
                ) : (
                  <Link to={`/bookings/${o.id}`} className="ds-link">
                    {o.label}
                  </Link>
                )}{" "}
                <Tag data-size="sm" data-color={STATUS_COLOR[o.status]}>
                  {o.statusText}
                </Tag>
              </li>
            ))}
          </ol>
          {b.series.skipped.length > 0 && <Paragraph data-size="sm">{t("booking.seriesLeftOut", { dates: b.series.skipped.join(", ") })}</Paragraph>}
        </section>
      )}
    </div>
  );
}
