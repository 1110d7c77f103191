// /venues/:slug/book?date=&start=&end= — book one time. The week calendar's
// "Book" links and the alternatives lead here with the time filled in. The
// form carries an idempotency key made when the page was shown, so a double
// click or a retry books once. A taken time is explained, with alternatives.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { type ConflictView, explainConflict, freeTimesOn, loadFormPage, newIdempotencyKey } from "~/booking/book-page.server";
import { requestBooking } from "~/booking/booking.server";
import { BOOKING_FIELDS, type BookingForm, detailsOf, echoValues, parseBookingForm, prefillFromQuery, seriesLink } from "~/booking/booking-form";
import { AlternativesList } from "~/components/alternatives";
import { AssociationChoice, DetailsFields, ErrorSummary, NoAssociation, VenueFormHeading, VenueRulesDetails, WhenFields } from "~/components/booking-fields";
import { FormMessage, PostForm } from "~/components/forms";
import { getDb } from "~/db.server";
import { BookingConflict, IdempotencyKeyReused } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { type FormReply, formFailure } from "~/forms/form.server";
import { pickLanguage, translate } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const db = getDb();
    const page = await loadFormPage(db, { slug: params.slug ?? "", userId: user.id, lang });
    const values = prefillFromQuery(new URL(request.url).searchParams, BOOKING_FIELDS);
    const freeTimes = await freeTimesOn(db, page.venue, values.date, new Date());
    // A new key for each showing of the form; never cached, so "back" and reload ask for a fresh one.
    return data({ lang: lang.code, ...page, values, freeTimes, idempotencyKey: newIdempotencyKey() }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, (d) => ["meta.bookTitle", { venue: d.venue.name }]);

export interface BookReply extends FormReply {
  idempotencyKey: string;
  freeTimes: string[] | null;
  conflict: ConflictView | null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const db = getDb();
  const values = echoValues(form, BOOKING_FIELDS);
  const sentKey = String(form.get("idempotencyKey") ?? "").slice(0, 100);
  let page: Awaited<ReturnType<typeof loadFormPage>>;
  try {
    page = await loadFormPage(db, { slug: params.slug ?? "", userId: user.id, lang });
  } catch (e) {
    throw errorResponse(e, lang);
  }
  const now = new Date();
  let input: BookingForm | null = null;
  try {
    input = parseBookingForm(form);
    const { booking } = await requestBooking(
      db,
      { actorId: user.id, venueId: page.venue.id, ...detailsOf(input), date: input.date, start: input.start, end: input.end },
      now,
    );
    return redirect(`/bookings/${booking.id}`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    // Nothing was stored under the key when the booking failed, so the same key
    // serves the next try; a key already used for another request gets a fresh one.
    const idempotencyKey = e instanceof IdempotencyKeyReused || !sentKey ? newIdempotencyKey() : sentKey;
    const freeTimes = await freeTimesOn(db, page.venue, values.date, now).catch(() => null);
    if (e instanceof BookingConflict && input) {
      const conflict = await explainConflict(db, {
        lang,
        viewerId: user.id,
        error: e,
        venue: page.venue,
        wanted: { date: input.date, start: input.start, end: input.end, expectedAttendees: input.expectedAttendees },
        linkExtras: {
          associationId: String(input.associationId),
          title: input.title,
          expectedAttendees: String(input.expectedAttendees),
          visibility: input.visibility,
        },
        now,
      });
      const reply: BookReply = {
        intent: null,
        fieldErrors: {},
        formError: translate(lang, "book.conflict.heading"),
        values,
        idempotencyKey,
        freeTimes,
        conflict,
      };
      return data(reply, { status: 409 });
    }
    const failure = formFailure(e, lang, { values });
    const reply: BookReply = { ...failure.data, idempotencyKey, freeTimes, conflict: null };
    return data(reply, failure.init ?? undefined);
  }
}

export default function BookPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as BookReply | undefined;
  const t = useT();
  const { venue, associations } = page;
  const values: Record<string, string> = reply?.values ?? page.values;
  const errors = reply?.fieldErrors ?? {};
  const freeTimes = reply ? reply.freeTimes : page.freeTimes;
  const key = reply?.idempotencyKey ?? page.idempotencyKey;
  const conflict = reply?.conflict ?? null;
  const seriesHref = seriesLink(venue.slug, values);

  return (
    <div className="booking-page">
      <VenueFormHeading venue={venue} heading={t("book.heading", { venue: venue.name })} />
      <Paragraph className="muted">{venue.siteName}</Paragraph>
      {venue.needsApproval && <FormMessage kind="info">{t("book.needsApproval")}</FormMessage>}

      {associations.length === 0 ? (
        <NoAssociation />
      ) : (
        <>
          <ErrorSummary heading={t("book.errorSummary")} errors={errors} order={BOOKING_FIELDS} />
          {reply?.formError && !conflict && <FormMessage>{reply.formError}</FormMessage>}
          {conflict && (
            <section className="conflict" aria-labelledby="conflict-heading">
              <div className="ds-alert" data-color="warning" role="alert">
                <Heading level={2} data-size="xs" id="conflict-heading">
                  {t("book.conflict.heading")}
                </Heading>
                <Paragraph>{conflict.explanation}</Paragraph>
                {conflict.bufferNote && <Paragraph data-size="sm">{conflict.bufferNote}</Paragraph>}
                <Paragraph data-size="sm">{t("book.conflict.tryAlternative")}</Paragraph>
              </div>
              <AlternativesList view={conflict.alternatives} headingLevel={2} />
            </section>
          )}
          <PostForm noValidate className="stack booking-form" aria-labelledby="booking-form-heading">
            <Heading level={2} data-size="sm" id="booking-form-heading" className="ds-sr-only">
              {t("book.formHeading")}
            </Heading>
            <input type="hidden" name="idempotencyKey" value={key} />
            <AssociationChoice associations={associations} value={values.associationId} error={errors.associationId} />
            <WhenFields legend={t("book.when")} timeZone={venue.timeZone} values={values} errors={errors}>
              {freeTimes && (
                <p className="ds-paragraph free-times" data-size="sm">
                  {freeTimes.length > 0 ? t("book.freeThatDay", { times: freeTimes.join(", ") }) : t("book.notFreeThatDay")}
                </p>
              )}
            </WhenFields>
            <DetailsFields values={values} errors={errors} capacity={venue.capacity} />
            <div>
              <button type="submit" className="ds-button" data-variant="primary">
                {t("book.submit")}
              </button>
            </div>
          </PostForm>
          <Paragraph>
            {t("book.weeklyHint")}{" "}
            <Link to={seriesHref} className="ds-link">
              {t("book.weeklyLink")}
            </Link>
          </Paragraph>
        </>
      )}
      <VenueRulesDetails rules={venue.rules} />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
