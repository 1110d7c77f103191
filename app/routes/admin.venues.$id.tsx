// /admin/venues/:id — an owner admin edits a venue's details and rules, and
// archives or restores it. Site and whole are shown, not editable (moving is
// not supported). Archiving a venue with bookings ahead answers 409 listing
// them, with "archive and keep them" where that is allowed; that answer
// names the bookings shown, so one made since is never kept unseen
// (app/admin/venue-archive.server.ts). Every POST → redirect with a done message.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireAdminOfVenue } from "~/admin/access.server";
import { requireUser } from "~/accounts/session.server";
import { archiveVenue, unarchiveVenue } from "~/admin/venue-archive.server";
import { loadVenueEdit, parseVenueFields, venueFieldErrors, venueFormValues } from "~/admin/venue-admin-page.server";
import { VENUE_FIELDS } from "~/admin/venue-input";
import { updateVenue } from "~/admin/venues.server";
import { formatWhen } from "~/booking/when";
import { ErrorSummary } from "~/components/booking-fields";
import { FormMessage, PostForm } from "~/components/forms";
import { VenueFields, VenuePageTop } from "~/components/venue-form";
import { getDb } from "~/db.server";
import { InvalidInput, NotFound, VenueHasBookings } from "~/errors/domain-errors";
import { domainErrorMessage, errorResponse } from "~/errors/http";
import { type FormReply, formFailure } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

const DONE = ["created", "saved", "archived", "unarchived", "unchanged"] as const;
type Done = (typeof DONE)[number];

function venueId(params: { id?: string }): number {
  if (!/^\d{1,15}$/.test(params.id ?? "")) throw new NotFound("venue");
  return Number(params.id);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const page = await loadVenueEdit(getDb(), user.id, venueId(params));
    const done = new URL(request.url).searchParams.get("done");
    return data(
      { lang: lang.code, ...page, done: DONE.includes(done as Done) ? (done as Done) : null },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, (d) => ["adminVenues.edit.metaTitle", { venue: d.venue.name }]);

export interface ArchiveReply extends FormReply {
  inTheWay: { bookings: { id: string; text: string }[]; canKeep: boolean } | null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const intent = String(form.get("intent") ?? "save");
  const values = venueFormValues(form);
  const db = getDb();
  const now = new Date();
  const done = (what: Done) => redirect(`/admin/venues/${params.id}?done=${what}`, { headers: { "Cache-Control": "no-store" } });
  try {
    const id = venueId(params);
    // Whether the venue exists and is this admin's before what is wrong with the form:
    // an unknown venue is a 404 and someone else's a 403, whatever was posted.
    await requireAdminOfVenue(db, user.id, id);
    if (intent === "archive" || intent === "keep") {
      // The bookings the admin was shown (ids only compared with the venue's own, never acted on).
      const keep = intent === "keep" ? String(form.get("seen") ?? "").split(",", 2001).filter((s) => s !== "") : undefined;
      const changed = await archiveVenue(db, { actorId: user.id, venueId: id, ...(keep ? { keep } : {}) }, now);
      return done(changed ? "archived" : "unchanged");
    }
    if (intent === "unarchive") return done((await unarchiveVenue(db, { actorId: user.id, venueId: id }, now)) ? "unarchived" : "unchanged");
    const problems: Record<string, string> = {};
    const input = parseVenueFields(form, problems);
    if (!input) throw new InvalidInput(problems);
    await updateVenue(db, { actorId: user.id, venueId: id, input });
    return done("saved");
  } catch (e) {
    const base: ArchiveReply = { intent, fieldErrors: {}, formError: null, values, inTheWay: null };
    if (e instanceof VenueHasBookings) {
      const page = await loadVenueEdit(db, user.id, venueId(params));
      const bookings = e.bookings.map((b) => ({
        id: b.id,
        text: `${b.title}, ${b.venueName}, ${formatWhen(lang, b.startsAt, b.endsAt, page.venue.timeZone)}`,
      }));
      return data({ ...base, formError: domainErrorMessage(lang, e), inTheWay: { bookings, canKeep: e.canKeep } }, { status: 409 });
    }
    if (e instanceof InvalidInput) return data({ ...base, fieldErrors: venueFieldErrors(lang, e.fields) }, { status: 400 });
    const failure = formFailure(e, lang, { intent, values });
    return data({ ...failure.data, inTheWay: null }, failure.init ?? undefined);
  }
}

function ArchiveSection({ venue, reply }: { venue: ReturnType<typeof useLoaderData<typeof loader>>["venue"]; reply: ArchiveReply | undefined }) {
  const t = useT();
  const archiveReply = reply && reply.intent !== "save" ? reply : undefined;
  return (
    <section aria-labelledby="archive-heading" className="stack">
      <Heading level={2} data-size="sm" id="archive-heading">
        {t("adminVenues.archive.heading")}
      </Heading>
      {archiveReply?.formError && <FormMessage kind="warning">{archiveReply.formError}</FormMessage>}
      {archiveReply?.fieldErrors.parentId && <FormMessage>{archiveReply.fieldErrors.parentId}</FormMessage>}
      {venue.archived ? (
        <>
          <Paragraph>{t("adminVenues.archive.isArchived")}</Paragraph>
          {venue.parentArchived ? (
            <Paragraph>{t("adminVenues.archive.parentArchived")}</Paragraph>
          ) : (
            <PostForm>
              <input type="hidden" name="intent" value="unarchive" />
              <button type="submit" className="ds-button" data-variant="secondary">
                {t("adminVenues.archive.unarchive")}
              </button>
            </PostForm>
          )}
        </>
      ) : (
        <>
          <Paragraph>{t("adminVenues.archive.intro")}</Paragraph>
          {archiveReply?.inTheWay && (
            <>
              <Paragraph>{t("adminVenues.archive.inTheWay")}</Paragraph>
              <ul>
                {archiveReply.inTheWay.bookings.map((b) => (
                  <li key={b.id}>
                    <Link to={`/bookings/${b.id}`} className="ds-link">
                      {b.text}
                    </Link>
                  </li>
                ))}
              </ul>
              <Paragraph>{t(archiveReply.inTheWay.canKeep ? "adminVenues.archive.keepHint" : "adminVenues.archive.partHint")}</Paragraph>
            </>
          )}
          <PostForm>
            <input type="hidden" name="intent" value={archiveReply?.inTheWay?.canKeep ? "keep" : "archive"} />
            {archiveReply?.inTheWay?.canKeep && <input type="hidden" name="seen" value={archiveReply.inTheWay.bookings.map((b) => b.id).join(",")} />}
            <button type="submit" className="ds-button" data-variant="secondary" data-color="danger">
              {t(archiveReply?.inTheWay?.canKeep ? "adminVenues.archive.keep" : "adminVenues.archive.submit")}
            </button>
          </PostForm>
        </>
      )}
    </section>
  );
}

export default function EditVenue() {
  const { venue, values: stored, done } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as ArchiveReply | undefined;
  const t = useT();
  const saveReply = reply?.intent === "save" ? reply : undefined;
  const values: Record<string, string> = saveReply?.values ?? stored;
  const errors = saveReply?.fieldErrors ?? {};
  return (
    <div className="admin">
      <VenuePageTop heading={t("adminVenues.edit.heading", { venue: venue.name })} />
      {done && <FormMessage kind="success">{t(`adminVenues.edit.done.${done}`)}</FormMessage>}
      <ul className="venue-admin-facts">
        <li>{t("adminVenues.edit.site", { site: venue.siteName })}</li>
        {venue.parentName && <li>{t("adminVenues.edit.partOf", { parent: venue.parentName })}</li>}
        {venue.parts.length > 0 && <li>{t("adminVenues.edit.parts", { parts: venue.parts.map((p) => p.name).join(", ") })}</li>}
        <li>{t("adminVenues.edit.timeZone", { zone: venue.timeZone })}</li>
      </ul>
      <Paragraph data-size="sm">{t("adminVenues.edit.noMove")}</Paragraph>
      <ul className="venue-admin-links">
        <li>
          <Link to={`/admin/venues/${venue.id}/hours`} className="ds-link">
            {t("adminVenues.edit.hoursLink")}
          </Link>
        </li>
        {!venue.archived && (
          <li>
            <Link to={`/venues/${venue.slug}`} className="ds-link">
              {t("adminVenues.edit.publicLink")}
            </Link>
          </li>
        )}
      </ul>
      <ErrorSummary heading={t("adminVenues.form.errorSummary")} errors={errors} order={VENUE_FIELDS} />
      {saveReply?.formError && <FormMessage>{saveReply.formError}</FormMessage>}
      <PostForm noValidate className="stack venue-form">
        <input type="hidden" name="intent" value="save" />
        <VenueFields values={values} errors={errors} />
        <Paragraph data-size="sm">{t("adminVenues.edit.rulesNote")}</Paragraph>
        <div>
          <button type="submit" className="ds-button" data-variant="primary">
            {t("adminVenues.edit.save")}
          </button>
        </div>
      </PostForm>
      <ArchiveSection venue={venue} reply={reply} />
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
