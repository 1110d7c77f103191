// /caretaker/today?date=YYYY-MM-DD — a day's bookings (confirmed and pending)
// at the sites the person takes care of or administers, in time order, with
// who to call and what they asked for. Made for a phone, and plain links
// (previous / next day) so it works without JavaScript. Once a confirmed
// booking has started, the caretaker records how many came, or a no-show
// (plain POST forms; app/caretaker/attendance.server.ts holds the rules).
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { requireManagedSites } from "~/caretaker/days.server";
import { recordAttendance } from "~/caretaker/attendance.server";
import { type DayLine, loadDaySchedule } from "~/caretaker/caretaker.server";
import { MAX_ATTENDANCE } from "~/caretaker/limits";
import { CaretakerNav } from "~/components/caretaker-nav";
import { FormMessage, PostForm, strayMessage } from "~/components/forms";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { type FormReply, formFailure, parseForm } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const url = new URL(request.url);
    const date = url.searchParams.get("date");
    const day = await loadDaySchedule(getDb(), { viewerId: user.id, date: date || null, lang, now: new Date() });
    // Which card's attendance was just saved, to say so there.
    const saved = url.searchParams.get("saved");
    return data({ lang: lang.code, ...day, saved: day.lines.some((l) => l.id === saved) ? saved : null }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["caretaker.today.metaTitle"]);

const attendanceSchema = z.object({
  intent: z.enum(["attendance", "noShow"], { errorMap: () => ({ message: "invalidChoice" }) }),
  id: z.string({ required_error: "invalidId" }).max(100, "invalidId"),
  attendance: z.string().max(20, "attendanceRange").optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const id = String(form.get("id") ?? "").slice(0, 100);
  const date = String(form.get("date") ?? "");
  const values = { attendance: String(form.get("attendance") ?? "").slice(0, 20) };
  try {
    // Someone who is not a caretaker at all is refused before the form is read.
    await requireManagedSites(getDb(), user.id);
    const input = parseForm(attendanceSchema, form);
    const what = input.intent === "noShow" ? { noShow: true } : { attendance: input.attendance ?? "" };
    await recordAttendance(getDb(), { actorId: user.id, bookingId: input.id, ...what }, new Date());
    const back = new URLSearchParams(/^\d{4}-\d{2}-\d{2}$/.test(date) ? { date, saved: input.id } : { saved: input.id });
    return redirect(`/caretaker/today?${back}`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return formFailure(e, lang, { intent: id, values });
  }
}

const STATUS_COLOR = { confirmed: "success", pending: "warning", rejected: "danger", cancelled: "neutral" } as const;

/** What was recorded, and the two forms: a head count with "Save", and "No-show". */
function Attendance({ line, date, reply, saved }: { line: DayLine; date: string; reply: FormReply | undefined; saved: boolean }) {
  const t = useT();
  const mine = reply?.intent === line.id ? reply : undefined;
  const fieldId = `attendance-${line.id}`;
  const error = mine?.fieldErrors.attendance ?? mine?.fieldErrors.id ?? mine?.fieldErrors.intent;
  const label = `${line.start}–${line.end} ${line.venueName}`;
  const recorded = line.noShow
    ? t("caretaker.today.recordedNoShow")
    : line.attendance !== null
      ? t("caretaker.today.recorded", { count: line.attendance })
      : t("caretaker.today.notRecorded");
  return (
    <section className="attendance" aria-labelledby={`${fieldId}-heading`}>
      <Heading level={3} data-size="2xs" id={`${fieldId}-heading`}>
        {t("caretaker.today.attendance")}
      </Heading>
      {saved && <FormMessage kind="success">{t("caretaker.today.saved")}</FormMessage>}
      <Paragraph data-size="sm">{recorded}</Paragraph>
      {mine?.formError && <FormMessage>{mine.formError}</FormMessage>}
      <PostForm noValidate className="attendance__form">
        <input type="hidden" name="intent" value="attendance" />
        <input type="hidden" name="id" value={line.id} />
        <input type="hidden" name="date" value={date} />
        <label htmlFor={fieldId} className="ds-label">
          {t("caretaker.today.headCount")}
          <span className="ds-sr-only">: {label}</span>
        </label>
        <div className="attendance__row">
          <input
            id={fieldId}
            name="attendance"
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_ATTENDANCE}
            step={1}
            className="ds-input"
            defaultValue={mine ? mine.values.attendance : (line.attendance ?? undefined)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${fieldId}-error` : undefined}
          />
          <button type="submit" className="ds-button" data-variant="primary">
            {t("caretaker.today.save")}
            <span className="ds-sr-only">: {label}</span>
          </button>
        </div>
        {error && (
          <p id={`${fieldId}-error`} className="ds-validation-message" data-field="validation" data-color="danger">
            {error}
          </p>
        )}
      </PostForm>
      <PostForm>
        <input type="hidden" name="intent" value="noShow" />
        <input type="hidden" name="id" value={line.id} />
        <input type="hidden" name="date" value={date} />
        <button type="submit" className="ds-button" data-variant="secondary">
          {t("caretaker.today.noShow")}
          <span className="ds-sr-only">: {label}</span>
        </button>
      </PostForm>
    </section>
  );
}

export default function CaretakerToday() {
  const day = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const t = useT();
  const stray = strayMessage(reply, (r) => day.lines.some((l) => l.id === r.intent));
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
      <Paragraph data-size="sm">
        <Link to={`/caretaker/sheet?date=${day.date}`} className="ds-link">
          {t("caretaker.sheet.link")}
        </Link>
      </Paragraph>
      {stray && <FormMessage>{stray}</FormMessage>}
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
                  {l.blocked ? (
                    <Tag data-size="sm" data-color="neutral">
                      {t("caretaker.blocked")}
                    </Tag>
                  ) : (
                    <Tag data-size="sm" data-color={STATUS_COLOR[l.status]}>
                      {l.statusText}
                    </Tag>
                  )}
                  {l.crossesDay && <span className="muted"> ({t("caretaker.today.crossesDay")})</span>}
                </Paragraph>
                {!l.blocked && (
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
                        {l.contactEmail && (
                          <a className="ds-link caretaker-email" href={`mailto:${l.contactEmail}`}>
                            {l.contactEmail}
                          </a>
                        )}
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
                )}
                {l.canRecordAttendance && <Attendance line={l} date={day.date} reply={reply} saved={day.saved === l.id} />}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
