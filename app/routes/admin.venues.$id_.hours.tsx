// /admin/venues/:id/hours — an owner admin sets a venue's weekly opening
// hours, closes it for periods, and closes it on public holidays. Two steps
// without JavaScript: a change that strands bookings answers with the list and
// a confirmation form (keep them, or cancel them with a message) carrying the
// change in hidden fields; the confirmation saves and redirects. A change that
// strands nothing saves at once. Rules: app/admin/schedule.server.ts.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { affectedLines, loadHoursPage } from "~/admin/hours-page.server";
import { changeFromForm, closureIdFromForm, consentFromForm, intentOf, scheduleFieldErrors } from "~/admin/schedule-form.server";
import { changeSchedule, removeClosure } from "~/admin/schedule.server";
import { AdminNav } from "~/components/admin-nav";
import { AddClosureForm, ClosureList, ConfirmChange, type ConfirmView, HolidaysForm, WeeklyHoursForm } from "~/components/admin-hours";
import { FormMessage, strayMessage } from "~/components/forms";
import { getDb } from "~/db.server";
import { InvalidInput, NotFound } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { type FormReply, formFailure } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

const DONE = ["hours", "closure", "holidays", "removed"] as const;
type Done = (typeof DONE)[number];

function venueIdOf(params: { id?: string }): number {
  if (!/^\d{1,15}$/.test(params.id ?? "")) throw new NotFound("venue");
  return Number(params.id);
}

const count = (v: string | null) => (v && /^\d{1,5}$/.test(v) ? Number(v) : 0);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const page = await loadHoursPage(getDb(), { viewerId: user.id, venueId: venueIdOf(params), lang, now: new Date() });
    const q = new URL(request.url).searchParams;
    const done = q.get("done");
    return data(
      {
        lang: lang.code,
        ...page,
        done: DONE.includes(done as Done) ? { what: done as Done, cancelled: count(q.get("cancelled")), kept: count(q.get("kept")), added: count(q.get("added")) } : null,
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, (d) => ["admin.hours.metaTitle", { venue: d.venue.name }]);

export interface HoursReply extends FormReply {
  confirm: ConfirmView | null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const db = getDb();
  let intent: string | null = null;
  let values: Record<string, string> = {};
  try {
    const venueId = venueIdOf(params);
    const base = `/admin/venues/${venueId}/hours`;
    const which = intentOf(form);
    intent = which;
    if (which === "remove") {
      await removeClosure(db, { actorId: user.id, venueId, closureId: closureIdFromForm(form) });
      return redirect(`${base}?done=removed`, { headers: { "Cache-Control": "no-store" } });
    }
    const parsed = changeFromForm(which, form);
    values = parsed.values;
    const consent = consentFromForm(form);
    const outcome = await changeSchedule(db, { actorId: user.id, venueId, change: parsed.change, consent }, new Date());
    if (outcome.status === "confirm") {
      const errors = scheduleFieldErrors(lang, outcome.problems);
      const reply: HoursReply = {
        intent: which,
        fieldErrors: {},
        formError: null,
        values,
        confirm: {
          intent: which,
          affected: affectedLines(lang, venueId, outcome.affected),
          hidden: values,
          unseen: outcome.unseen,
          decision: consent?.action ?? "",
          message: consent?.message ?? "",
          errors,
        },
      };
      // A missing choice or message is bad input; the first look at the list is not.
      return data(reply, { status: Object.keys(errors).length > 0 ? 400 : 200, headers: { "Cache-Control": "no-store" } });
    }
    const done = new URLSearchParams({ done: which });
    if (outcome.cancelled) done.set("cancelled", String(outcome.cancelled));
    if (outcome.kept) done.set("kept", String(outcome.kept));
    if (which === "holidays") done.set("added", String(outcome.closuresAdded));
    return redirect(`${base}?${done}`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    if (e instanceof InvalidInput) {
      const reply: HoursReply = { intent, fieldErrors: scheduleFieldErrors(lang, e.fields), formError: null, values, confirm: null };
      return data(reply, { status: 400 });
    }
    const failure = formFailure(e, lang, { intent, values });
    const reply: HoursReply = { ...failure.data, confirm: null };
    return data(reply, failure.init ?? undefined);
  }
}

function DoneMessage({ done }: { done: { what: Done; cancelled: number; kept: number; added: number } }) {
  const t = useT();
  const main =
    done.what === "holidays"
      ? done.added > 0
        ? t("admin.hours.done.holidays", { count: done.added })
        : t("admin.hours.done.noHolidays")
      : t(`admin.hours.done.${done.what}`);
  return (
    <FormMessage kind="success">
      {main}
      {done.cancelled > 0 && <> {t("admin.hours.done.cancelled", { count: done.cancelled })}</>}
      {done.kept > 0 && <> {t("admin.hours.done.kept", { count: done.kept })}</>}
    </FormMessage>
  );
}

export default function AdminVenueHours() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as HoursReply | undefined;
  const t = useT();
  const errorsFor = (intent: string) => (reply?.intent === intent && !reply.confirm ? reply.fieldErrors : {});
  const formErrorFor = (intent: string) => (reply?.intent === intent ? (reply.formError ?? reply.fieldErrors.closureId ?? null) : null);
  const self = `/admin/venues/${page.venue.id}/hours`;
  // A refusal no form on the page shows (an unknown form, or a page-wide
  // refusal of the hours or a closure): at the top, not nowhere.
  const stray = strayMessage(
    reply,
    (r) =>
      Boolean(reply?.confirm) ||
      r.intent === "remove" ||
      r.intent === "holidays" ||
      ((r.intent === "hours" || r.intent === "closure") && r.formError === null),
  );
  return (
    <div className="admin hours-page">
      <AdminNav current="venues" />
      <Heading level={1} data-size="lg">
        {t("admin.hours.heading")}
      </Heading>
      <Paragraph>
        <strong>{t("admin.hours.venue", { venue: page.venue.name })}</strong>{" "}
        <Link to={`/admin/venues/${page.venue.id}`} className="ds-link">
          {t("admin.hours.back")}
        </Link>
      </Paragraph>
      <Paragraph>{t("admin.hours.intro", { zone: page.venue.timeZone })}</Paragraph>
      {page.done && !reply && <DoneMessage done={page.done} />}
      {stray && <FormMessage>{stray}</FormMessage>}
      {reply?.confirm && <ConfirmChange view={reply.confirm} cancelTo={self} />}
      <WeeklyHoursForm days={page.days} rows={page.rowsPerDay} values={reply?.intent === "hours" ? reply.values : null} errors={errorsFor("hours")} />
      <ClosureList closures={page.closures} error={formErrorFor("remove")} />
      <AddClosureForm values={reply?.intent === "closure" ? reply.values : {}} errors={errorsFor("closure")} />
      <HolidaysForm country={page.country} lastYear={page.holidayYears[1]} error={formErrorFor("holidays")} />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
