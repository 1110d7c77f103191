// /bookings/:id/cancel[?scope=rest] — the confirmation before cancelling one
// booking (or one date of a series), or this date and every later one of its
// series. A GET page that says exactly what will be cancelled, and a POST that
// does it: no JavaScript needed, nothing cancelled by following a link.
import { Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { revalidateAfterPost } from "~/forms/revalidate";
import { requireUser } from "~/accounts/session.server";
import { cancelBooking } from "~/booking/booking.server";
import { loadCancelPage } from "~/booking/booking-page.server";
import { cancelSeriesFrom } from "~/booking/series-cancel.server";
import { TextAreaField } from "~/components/booking-fields";
import { FormMessage, PostForm } from "~/components/forms";
import { BackAndHeading, NothingToDo } from "~/components/page-top";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { fields, formFailure, parseForm } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const scope = new URL(request.url).searchParams.get("scope");
    const page = await loadCancelPage(getDb(), { viewerId: user.id, bookingId: params.id ?? "", scope, lang, now: new Date() });
    return data({ lang: lang.code, ...page }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.cancelTitle"]);

// A booking cancelled meanwhile (another tab, the caretaker) then loses its form, and the page says once that there is nothing to do.
export const shouldRevalidate = revalidateAfterPost;

const schema = z.object({
  scope: z.enum(["one", "rest"], { errorMap: () => ({ message: "invalidChoice" }) }),
  reason: fields.text(2000).optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const db = getDb();
  const now = new Date();
  const values = { reason: String(form.get("reason") ?? "").slice(0, 2000) };
  // People who may not see the booking get the same 404 as on its page.
  let page: Awaited<ReturnType<typeof loadCancelPage>>;
  try {
    page = await loadCancelPage(db, { viewerId: user.id, bookingId: params.id ?? "", scope: String(form.get("scope") ?? ""), lang, now });
  } catch (e) {
    throw errorResponse(e, lang);
  }
  try {
    const input = parseForm(schema, form);
    const b = page.booking;
    // Only what is still to come: the engine refuses to change a booking that has ended.
    let count = 1;
    if (input.scope === "rest" && b.series) {
      count = (await cancelSeriesFrom(db, { actorId: user.id, seriesId: b.series.id, fromBookingId: b.id, reason: input.reason }, now)).length;
    } else {
      await cancelBooking(db, { actorId: user.id, bookingId: b.id, reason: input.reason, now });
    }
    return redirect(`/bookings/${b.id}?cancelled=${count}`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return formFailure(e, lang, { values });
  }
}

export default function CancelPage() {
  const { booking: b, scope, targets } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  // With JavaScript the reply shows while the page is still being read again:
  // a refusal of what has gone is not said (as an alert) beside the old form.
  const settled = useNavigation().state === "idle";
  const t = useT();
  const rest = scope === "rest";
  const active = targets.filter((o) => o.active);
  return (
    <div className="booking-page narrow">
      <BackAndHeading to={`/bookings/${b.id}`} back={b.title} heading={t(rest ? "cancel.headingRest" : "cancel.heading")} />
      {/* The scope's choices come from the page: a value outside them is a changed form, said at the top. */}
      {reply?.fieldErrors.scope && <FormMessage>{t("cancel.scopeUnreadable")}</FormMessage>}
      {active.length === 0 ? (
        // Also after a refused POST (cancelled meanwhile from another tab or by
        // someone else): the engine's refusal says in other words what this
        // says, so it is not shown beside it, as on the move page.
        <NothingToDo booking={b} verb="cancel" rest={rest ? b.series?.standingFromHere : null} focusFor={reply} />
      ) : (
        <>
          {settled && reply?.formError && <FormMessage>{reply.formError}</FormMessage>}
          <Paragraph>
            {rest ? t("cancel.introRest", { title: b.title, venue: b.venue.name, count: active.length }) : t("cancel.intro", { title: b.title, venue: b.venue.name })}
          </Paragraph>
          <ul className="plain-list cancel-targets">
            {active.map((o) => (
              <li key={o.id}>{o.label}</li>
            ))}
          </ul>
          <Paragraph data-size="sm" className="muted">
            {t("cancel.consequence")}
          </Paragraph>
          <PostForm className="stack" noValidate>
            <input type="hidden" name="scope" value={scope} />
            <TextAreaField name="reason" label={t("cancel.reason")} hint={t("cancel.reasonHint")} maxLength={2000} defaultValue={reply?.values.reason} error={reply?.fieldErrors.reason} />
            <div className="button-row">
              <button type="submit" className="ds-button" data-variant="primary" data-color="danger">
                {rest ? t("cancel.submitRest", { count: active.length }) : t("cancel.submit")}
              </button>
              <Link to={`/bookings/${b.id}`} className="ds-link">
                {t("cancel.keep")}
              </Link>
            </div>
          </PostForm>
        </>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
