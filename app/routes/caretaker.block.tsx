// /caretaker/block — caretakers and owner admins close a venue for
// maintenance or an event of their own, and remove such blocks again. A plain
// form (POST → redirect), so it works without JavaScript on a phone. Where a
// booking is in the way, the page says which (with its association: staff see
// that on their day plan anyway). The rules live in app/caretaker/blocks.server.ts.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { requireManagedSites } from "~/caretaker/days.server";
import { blockTime, describeHolder, type HolderView, loadBlockPage, removeBlock } from "~/caretaker/blocks.server";
import { MAX_REASON_LENGTH } from "~/caretaker/limits";
import { ErrorSummary, InputField, SelectField } from "~/components/booking-fields";
import { CaretakerNav } from "~/components/caretaker-nav";
import { FormMessage, PostForm } from "~/components/forms";
import { getDb } from "~/db.server";
import { BookingConflict } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { type FormReply, fields, formFailure, parseForm } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { date, required, time } from "~/booking/booking-form";

const FIELDS = ["venueId", "date", "start", "end", "reason"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const page = await loadBlockPage(getDb(), { viewerId: user.id, lang, now: new Date() });
    const done = new URL(request.url).searchParams.get("done");
    return data(
      { lang: lang.code, ...page, done: done === "blocked" || done === "removed" ? done : null },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["caretaker.block.metaTitle"]);

const blockSchema = z.object({
  venueId: required()
    .refine((v) => /^\d{1,15}$/.test(v), "invalidChoice")
    .transform(Number),
  date: date(),
  start: time(),
  end: time(true),
  reason: fields.requiredText(MAX_REASON_LENGTH),
});

const removeSchema = z.object({ blockId: z.string({ required_error: "invalidId" }).max(100, "invalidId") });

export interface BlockReply extends FormReply {
  conflict: { holder: HolderView | null } | null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const intent = form.get("intent") === "remove" ? "remove" : "block";
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? "").slice(0, 500)]));
  const db = getDb();
  const now = new Date();
  try {
    // Someone who is not a caretaker at all is refused before the form is read.
    await requireManagedSites(db, user.id);
    if (intent === "remove") {
      const { blockId } = parseForm(removeSchema, form);
      await removeBlock(db, { actorId: user.id, blockId }, now);
      return redirect("/caretaker/block?done=removed", { headers: { "Cache-Control": "no-store" } });
    }
    const input = parseForm(blockSchema, form);
    await blockTime(db, { actorId: user.id, ...input }, now);
    return redirect("/caretaker/block?done=blocked", { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    if (e instanceof BookingConflict) {
      const holder = await describeHolder(db, { viewerId: user.id, bookingId: e.conflictingBookingId, lang });
      const reply: BlockReply = { intent, fieldErrors: {}, formError: null, values, conflict: { holder } };
      return data(reply, { status: 409 });
    }
    const failure = formFailure(e, lang, { intent, values });
    const reply: BlockReply = { ...failure.data, conflict: null };
    return data(reply, failure.init ?? undefined);
  }
}

function Conflict({ holder }: { holder: HolderView | null }) {
  const t = useT();
  const text = !holder
    ? t("caretaker.block.conflictUnknown")
    : holder.kind === "block"
      ? t("caretaker.block.conflictBlock", { venue: holder.venueName, when: holder.when, title: holder.title })
      : t("caretaker.block.conflictBooking", { title: holder.title, association: holder.associationName ?? "", venue: holder.venueName, when: holder.when });
  return (
    <div className="ds-alert" data-color="warning" role="alert">
      <Heading level={2} data-size="xs">
        {t("caretaker.block.conflictHeading")}
      </Heading>
      <Paragraph>{text}</Paragraph>
    </div>
  );
}

export default function CaretakerBlock() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as BlockReply | undefined;
  const t = useT();
  const blockReply = reply?.intent === "block" ? reply : undefined;
  const removeReply = reply?.intent === "remove" ? reply : undefined;
  const values: Record<string, string> = blockReply?.values ?? {};
  const errors = blockReply?.fieldErrors ?? {};
  return (
    <div className="caretaker">
      <CaretakerNav current="block" />
      <Heading level={1} data-size="lg">
        {t("caretaker.block.heading")}
      </Heading>
      <Paragraph>{t("caretaker.block.intro")}</Paragraph>
      {page.done && <FormMessage kind="success">{t(page.done === "blocked" ? "caretaker.block.blocked" : "caretaker.block.removed")}</FormMessage>}

      <section aria-labelledby="block-form-heading" className="block-form">
        <Heading level={2} data-size="sm" id="block-form-heading">
          {t("caretaker.block.formHeading")}
        </Heading>
        {page.venues.length === 0 ? (
          <Paragraph className="muted">{t("caretaker.block.noVenues")}</Paragraph>
        ) : (
          <>
            <ErrorSummary heading={t("caretaker.block.errorSummary")} errors={errors} order={FIELDS} />
            {blockReply?.formError && <FormMessage>{blockReply.formError}</FormMessage>}
            {blockReply?.conflict && <Conflict holder={blockReply.conflict.holder} />}
            <PostForm noValidate className="stack" aria-labelledby="block-form-heading">
              <input type="hidden" name="intent" value="block" />
              <SelectField
                name="venueId"
                label={t("caretaker.block.venue")}
                hint={t("caretaker.block.venueHint")}
                error={errors.venueId}
                defaultValue={values.venueId}
                choices={page.venues.map((v) => ({ value: String(v.id), label: v.label }))}
              />
              <div className="form-row">
                <InputField name="date" type="date" label={t("caretaker.block.date")} required defaultValue={values.date} error={errors.date} />
                <InputField name="start" type="time" label={t("caretaker.block.start")} required defaultValue={values.start} error={errors.start} />
                <InputField name="end" type="time" label={t("caretaker.block.end")} required defaultValue={values.end} error={errors.end} />
              </div>
              <p className="ds-paragraph form-field__hint" data-size="sm">
                {t("caretaker.block.timeHint")}
              </p>
              <InputField
                name="reason"
                label={t("caretaker.block.reason")}
                hint={t("caretaker.block.reasonHint")}
                required
                maxLength={MAX_REASON_LENGTH}
                defaultValue={values.reason}
                error={errors.reason}
              />
              <div>
                <button type="submit" className="ds-button" data-variant="primary">
                  {t("caretaker.block.submit")}
                </button>
              </div>
            </PostForm>
          </>
        )}
      </section>

      <section aria-labelledby="blocks-heading">
        <Heading level={2} data-size="sm" id="blocks-heading">
          {t("caretaker.block.listHeading")}
        </Heading>
        {removeReply && (removeReply.formError || removeReply.fieldErrors.blockId) && (
          <FormMessage>{removeReply.formError ?? removeReply.fieldErrors.blockId}</FormMessage>
        )}
        {page.blocks.length === 0 ? (
          <Paragraph className="muted">{t("caretaker.block.empty")}</Paragraph>
        ) : (
          <ol className="caretaker-queue">
            {page.blocks.map((b) => (
              <li key={b.id} className="caretaker-card">
                <Heading level={3} data-size="xs">
                  {b.venueName}, {b.siteName}
                </Heading>
                <Paragraph data-size="sm">{b.when}</Paragraph>
                <Paragraph data-size="sm" className="caretaker-text">
                  {b.reason}
                </Paragraph>
                {b.createdBy && (
                  <Paragraph data-size="sm" className="muted">
                    {t("caretaker.block.by", { name: b.createdBy })}
                  </Paragraph>
                )}
                <PostForm>
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="blockId" value={b.id} />
                  <button type="submit" className="ds-button" data-variant="secondary" data-color="danger">
                    {t("caretaker.block.remove")}
                    <span className="ds-sr-only">
                      : {b.venueName}, {b.when}
                    </span>
                  </button>
                </PostForm>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
