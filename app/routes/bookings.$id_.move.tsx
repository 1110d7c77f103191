// /bookings/:id/move — moving one booking (or one date of a series) to another
// time at the same venue: a form with its date and times, and a POST that
// moves it through the engine (moveBooking: the rules, the exclusion
// constraint, the quota, audit and the "moved" mail in one transaction). Who
// may see the booking may move it: its association's members, the venue's
// caretakers and admins; anyone else gets the booking page's 404. No JavaScript needed.
import { Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireValidForm } from "~/accounts/csrf.server";
import { revalidateAfterPost } from "~/forms/revalidate";
import { requireUser } from "~/accounts/session.server";
import { echoValues, parseWhenForm } from "~/booking/booking-form";
import { loadBookingPage } from "~/booking/booking-page.server";
import { viewBooking } from "~/booking/booking-view.server";
import { moveBooking } from "~/booking/move.server";
import { ErrorSummary, WhenFields } from "~/components/booking-fields";
import { FormMessage, PostForm } from "~/components/forms";
import { BackAndHeading, NothingToDo } from "~/components/page-top";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { type FormReply, formFailure } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

const FIELDS = ["date", "start", "end"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const booking = await loadBookingPage(getDb(), { viewerId: user.id, bookingId: params.id ?? "", lang, now: new Date() });
    return data({ lang: lang.code, booking }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["meta.moveTitle"]);

// A booking cancelled meanwhile (another tab, the caretaker) then loses its form, and the page says once that there is nothing to do.
export const shouldRevalidate = revalidateAfterPost;

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const db = getDb();
  const now = new Date();
  const values = echoValues(form, FIELDS);
  // People who may not see the booking get the same 404 as on its page (viewBooking
  // decides; the page's series and wording are not needed here).
  let id: string;
  try {
    id = (await viewBooking(db, user.id, params.id ?? "")).id;
  } catch (e) {
    throw errorResponse(e, lang);
  }
  try {
    const input = parseWhenForm(form);
    await moveBooking(db, { actorId: user.id, bookingId: id, ...input }, now);
    return redirect(`/bookings/${id}?moved=1`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return formFailure(e, lang, { values });
  }
}

export default function MovePage() {
  const { booking: b } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  // With JavaScript the reply shows while the page is still being read again:
  // a refusal of what has gone is not said (as an alert) beside the old form.
  const settled = useNavigation().state === "idle";
  const t = useT();
  const values: Record<string, string> = reply?.values ?? b.wall;
  const errors = reply?.fieldErrors ?? {};
  return (
    <div className="booking-page narrow">
      <BackAndHeading to={`/bookings/${b.id}`} back={b.title} heading={t("move.heading")} />
      {!b.canCancel ? (
        <NothingToDo booking={b} verb="move" focusFor={reply} />
      ) : (
        <>
          <Paragraph>{t("move.intro", { title: b.title, venue: b.venue.name, when: b.when })}</Paragraph>
          <ErrorSummary heading={t("move.errorSummary")} errors={errors} order={FIELDS} />
          {settled && reply?.formError && <FormMessage>{reply.formError}</FormMessage>}
          <PostForm className="stack" noValidate>
            <WhenFields legend={t("move.newTime")} timeZone={b.timeZone} values={values} errors={errors} />
            <Paragraph data-size="sm" className="muted">
              {t(b.isMember ? "move.consequenceMember" : "move.consequenceStaff")}
            </Paragraph>
            <div className="button-row">
              <button type="submit" className="ds-button" data-variant="primary">
                {t("move.submit")}
              </button>
              <Link to={`/bookings/${b.id}`} className="ds-link">
                {t("move.keep")}
              </Link>
            </div>
          </PostForm>
        </>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
