// /caretaker/requests — the approval queue of caretakers and owner admins:
// pending requests for the venues at their sites, oldest first, with what they
// need to decide (the association, whether the municipality verified it, its
// history, contact details). Approve with one POST; reject with a required
// reason. A weekly series is decided as a whole. The engine writes the audit
// rows and the messages to the association; the queue shows only the viewer's
// own sites (app/caretaker/caretaker.server.ts).
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { revalidateAfterPost } from "~/forms/revalidate";
import { requireUser } from "~/accounts/session.server";
import { requireManagedSites } from "~/caretaker/days.server";
import { approveBooking, rejectBooking } from "~/booking/booking.server";
import { decideSeries } from "~/booking/series-decide.server";
import { type QueueItem, loadApprovalQueue } from "~/caretaker/caretaker.server";
import { CaretakerNav } from "~/components/caretaker-nav";
import { FormMessage, PostForm, strayMessage } from "~/components/forms";
import { getDb } from "~/db.server";
import { InvalidInput, NotFound } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { type FormReply, fields, formFailure, parseForm } from "~/forms/form.server";
import { pickLanguage, translate } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const queue = await loadApprovalQueue(getDb(), { viewerId: user.id, lang, now: new Date() });
    const url = new URL(request.url);
    const done = url.searchParams.get("done");
    const count = Number(url.searchParams.get("count") ?? "0");
    return data(
      {
        lang: lang.code,
        ...queue,
        done: done === "approved" || done === "rejected" ? { kind: done, count: Number.isInteger(count) && count > 0 ? count : 1 } : null,
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["caretaker.requests.metaTitle"]);

/**
 * The queue is read again after every decision, a refused one too. Remix skips
 * the loaders when an action answers 4xx, so with JavaScript a request decided
 * meanwhile by someone else kept its card and buttons beside the message
 * saying so (without JavaScript the whole page is read again anyway).
 */
export const shouldRevalidate = revalidateAfterPost;

const schema = z.object({
  intent: z.enum(["approve", "reject"], { errorMap: () => ({ message: "invalidChoice" }) }),
  kind: z.enum(["booking", "series"], { errorMap: () => ({ message: "invalidChoice" }) }),
  id: z.string({ required_error: "invalidId" }).max(100, "invalidId"),
  reason: fields.text(2000).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const target = String(form.get("id") ?? "").slice(0, 100);
  const values = { reason: String(form.get("reason") ?? "").slice(0, 2000) };
  try {
    // Someone who is not a caretaker at all is refused before the form is read.
    await requireManagedSites(getDb(), user.id);
    const input = parseForm(schema, form);
    if (input.intent === "reject" && !input.reason) throw new InvalidInput({ reason: "required" });
    const db = getDb();
    const now = new Date();
    let count = 1;
    if (input.kind === "series") {
      count = (await decideSeries(db, { actorId: user.id, seriesId: input.id, decision: input.intent, reason: input.reason }, now)).length;
    } else if (input.intent === "approve") {
      await approveBooking(db, { actorId: user.id, bookingId: input.id, now });
    } else {
      await rejectBooking(db, { actorId: user.id, bookingId: input.id, reason: input.reason, now });
    }
    const done = input.intent === "approve" ? "approved" : "rejected";
    return redirect(`/caretaker/requests?done=${done}&count=${count}`, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    // A request that is no longer there (gone meanwhile, or an id from an old
    // page) is not a missing page: the queue as it is now, with a word at the top.
    if (e instanceof NotFound && (e.params.what === "booking" || e.params.what === "series")) {
      const reply: FormReply = { intent: target, fieldErrors: {}, formError: translate(lang, "caretaker.requests.gone"), values };
      return data(reply, { status: 404, headers: { "Cache-Control": "no-store" } });
    }
    return formFailure(e, lang, { intent: target, values });
  }
}

/** The tag colour for how the municipality stands to the association; its text is caretaker.requests.<standing>. */
const STANDING_COLOR = { verified: "success", rejectedAssociation: "danger", unverified: "warning" } as const;

/** A date of a request, and the time it had before a member moved it. */
function When({ date }: { date: QueueItem["dates"][number] }) {
  const t = useT();
  return (
    <>
      {date.when}
      {date.movedFrom && <span className="muted"> {t("caretaker.requests.movedFrom", { when: date.movedFrom })}</span>}
    </>
  );
}

function Details({ item }: { item: QueueItem }) {
  const t = useT();
  const b = item.first;
  const a = b.association;
  const standing = a.verified ? "verified" : a.rejected ? "rejectedAssociation" : "unverified";
  return (
    <dl className="caretaker-details">
      <div>
        <dt>{t("caretaker.requests.venue")}</dt>
        <dd>
          {b.venueName}, {b.siteName}
        </dd>
      </div>
      <div>
        <dt>{t(item.kind === "series" ? "caretaker.requests.dates" : "caretaker.requests.when")}</dt>
        <dd>
          {item.kind === "series" ? (
            <ul className="caretaker-dates">
              {item.dates.map((d) => (
                <li key={d.id}>
                  <When date={d} />
                </li>
              ))}
            </ul>
          ) : (
            item.dates[0] && <When date={item.dates[0]} />
          )}
        </dd>
      </div>
      <div>
        <dt>{t("caretaker.requests.association")}</dt>
        <dd>
          {a.name}{" "}
          <Tag data-size="sm" data-color={STANDING_COLOR[standing]}>
            {t(`caretaker.requests.${standing}`)}
          </Tag>
        </dd>
      </div>
      <div>
        <dt>{t("caretaker.requests.history")}</dt>
        <dd>{t("caretaker.requests.historyText", { past: a.pastConfirmed, noShows: a.noShows })}</dd>
      </div>
      <div>
        <dt>{t("caretaker.requests.contact")}</dt>
        <dd>
          {b.booker && (
            <>
              {b.booker.name}
              {b.booker.phone && (
                <>
                  {", "}
                  <a className="ds-link" href={`tel:${b.booker.phone.replace(/[^\d+]/g, "")}`}>
                    {b.booker.phone}
                  </a>
                </>
              )}
              <br />
            </>
          )}
          <a className="ds-link caretaker-email" href={`mailto:${a.contactEmail}`}>
            {a.contactEmail}
          </a>
        </dd>
      </div>
      <div>
        <dt>{t("caretaker.requests.attendees")}</dt>
        <dd>{b.expectedAttendees}</dd>
      </div>
      <div>
        <dt>{t("caretaker.requests.purpose")}</dt>
        <dd className="caretaker-text">{b.purpose || t("caretaker.requests.none")}</dd>
      </div>
      <div>
        <dt>{t("caretaker.requests.note")}</dt>
        <dd className="caretaker-text">{b.noteToCaretaker || t("caretaker.requests.none")}</dd>
      </div>
      <div>
        <dt>{t("caretaker.requests.requested")}</dt>
        <dd>{b.requestedAt}</dd>
      </div>
    </dl>
  );
}

function Decide({ item, reply }: { item: QueueItem; reply: FormReply | undefined }) {
  const t = useT();
  const mine = reply?.intent === item.id ? reply : undefined;
  const count = item.dates.length;
  const series = item.kind === "series";
  const fieldId = `reason-${item.id}`;
  const error = mine?.fieldErrors.reason;
  const label = `${item.first.title}, ${series ? t("caretaker.requests.series", { count }) : item.first.when}`;
  return (
    <div className="caretaker-decide">
      {mine?.formError && <FormMessage>{mine.formError}</FormMessage>}
      <PostForm>
        <input type="hidden" name="intent" value="approve" />
        <input type="hidden" name="kind" value={item.kind} />
        <input type="hidden" name="id" value={item.id} />
        <button type="submit" className="ds-button" data-variant="primary">
          {series ? t("caretaker.requests.approveSeries", { count }) : t("caretaker.requests.approve")}
          <span className="ds-sr-only">: {label}</span>
        </button>
      </PostForm>
      <PostForm className="stack caretaker-reject" noValidate>
        <input type="hidden" name="intent" value="reject" />
        <input type="hidden" name="kind" value={item.kind} />
        <input type="hidden" name="id" value={item.id} />
        <div className="form-field">
          <label htmlFor={fieldId} className="ds-label">
            {t("caretaker.requests.reason")}
          </label>
          <p id={`${fieldId}-hint`} className="ds-paragraph form-field__hint" data-size="sm">
            {t("caretaker.requests.reasonHint")}
          </p>
          <textarea
            id={fieldId}
            name="reason"
            className="ds-input"
            rows={2}
            maxLength={2000}
            required
            defaultValue={mine?.values.reason}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${fieldId}-hint ${fieldId}-error` : `${fieldId}-hint`}
          />
          {error && (
            <p id={`${fieldId}-error`} className="ds-validation-message" data-field="validation" data-color="danger">
              {error}
            </p>
          )}
        </div>
        <div>
          <button type="submit" className="ds-button" data-variant="secondary" data-color="danger">
            {series ? t("caretaker.requests.rejectSeries", { count }) : t("caretaker.requests.reject")}
            <span className="ds-sr-only">: {label}</span>
          </button>
        </div>
      </PostForm>
    </div>
  );
}

export default function CaretakerRequests() {
  const { items, done } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const t = useT();
  // What has no place on a card: the error of a request no longer in the queue
  // (decided meanwhile), or a problem with the form's hidden fields (only the
  // reason is shown beside its field).
  const hiddenWrong = Object.keys(reply?.fieldErrors ?? {}).some((field) => field !== "reason");
  const stray = strayMessage(reply, (r) => items.some((i) => i.id === r.intent)) ?? (hiddenWrong ? t("caretaker.requests.formChanged") : null);
  return (
    <div className="caretaker">
      <CaretakerNav current="requests" />
      <Heading level={1} data-size="lg">
        {t("caretaker.requests.heading")}
      </Heading>
      <Paragraph>{t("caretaker.requests.intro")}</Paragraph>
      {done && <FormMessage kind="success">{t(done.kind === "approved" ? "caretaker.requests.approved" : "caretaker.requests.rejected", { count: done.count })}</FormMessage>}
      {stray && <FormMessage>{stray}</FormMessage>}
      {items.length === 0 ? (
        <Paragraph className="muted">{t("caretaker.requests.empty")}</Paragraph>
      ) : (
        <ol className="caretaker-queue">
          {items.map((item) => (
            <li key={item.id} className="caretaker-card">
              <Heading level={2} data-size="sm" id={`item-${item.id}`}>
                {item.first.title}
              </Heading>
              <Paragraph data-size="sm">
                <Tag data-size="sm" data-color={item.kind === "series" ? "info" : "neutral"}>
                  {item.kind === "series" ? t("caretaker.requests.series", { count: item.dates.length }) : t("caretaker.requests.single")}
                </Tag>
              </Paragraph>
              <Details item={item} />
              <Decide item={item} reply={reply} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
