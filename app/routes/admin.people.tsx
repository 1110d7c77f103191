// /admin/people — an owner admin's people: each site with its caretakers (add
// by e-mail, remove) and the owner's admins (give the role by e-mail, take
// it). Plain forms (POST → redirect) that work without JavaScript on a phone.
// The rules (who may, never the last admin) live in app/admin/people.server.ts.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { requireAdminOwner } from "~/admin/access.server";
import { assignCaretaker, giveAdminRole, loadPeoplePage, removeCaretaker, takeAdminRole } from "~/admin/people.server";
import { AdminNav } from "~/components/admin-nav";
import { FormMessage, IntentField, PostForm, strayMessage, TextField } from "~/components/forms";
import { getDb } from "~/db.server";
import { InvalidInput } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { type FormReply, fields, formFailure, parseForm } from "~/forms/form.server";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

const DONE = ["assigned", "removed", "given", "taken", "unchanged"] as const;
type Done = (typeof DONE)[number];

function ownerParam(url: URL): number | null {
  const raw = url.searchParams.get("owner");
  return raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const url = new URL(request.url);
    const page = await loadPeoplePage(getDb(), user.id, ownerParam(url));
    const done = url.searchParams.get("done");
    return data(
      { lang: lang.code, ...page, done: DONE.includes(done as Done) ? (done as Done) : null },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["people.metaTitle"]);

const schemas = {
  // ownerId: the owner whose page the form is on (a hidden field): the site must be its.
  assign: z.object({ siteId: fields.id(), ownerId: fields.id().optional(), email: fields.email() }),
  removeCaretaker: z.object({ siteId: fields.id(), ownerId: fields.id().optional(), userId: fields.id() }),
  giveAdmin: z.object({ ownerId: fields.id(), email: fields.email() }),
  takeAdmin: z.object({ ownerId: fields.id(), userId: fields.id() }),
};
type Intent = keyof typeof schemas;

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireValidForm(request);
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  const raw = String(form.get("intent") ?? "");
  // Own keys only: "toString" is `in` every object.
  const intent: Intent | null = Object.hasOwn(schemas, raw) ? (raw as Intent) : null;
  const values = Object.fromEntries(["siteId", "ownerId", "email"].map((f) => [f, String(form.get(f) ?? "").slice(0, 300)]));
  const db = getDb();
  // Back to the page of the owner the change was checked against (the domain refuses a site of another owner).
  const back = (owner: number | null, done: Done) =>
    redirect(`/admin/people?${new URLSearchParams({ ...(owner ? { owner: String(owner) } : {}), done })}`, { headers: { "Cache-Control": "no-store" } });
  try {
    // Someone who is not an admin at all is refused before the form is read.
    await requireAdminOwner(db, user.id);
    // An unknown form changes nothing: it used to be read as "assign".
    if (intent === null) throw new InvalidInput({ intent: "unknownForm" });
    // The form's own owner first; the page's address for a form without one.
    const pageOwner = (ownerId: number | undefined) => ownerId ?? ownerParam(new URL(request.url));
    switch (intent) {
      case "assign": {
        const input = parseForm(schemas.assign, form);
        const ownerId = pageOwner(input.ownerId);
        return back(ownerId, (await assignCaretaker(db, { actorId: user.id, ...input, ownerId })) ? "assigned" : "unchanged");
      }
      case "removeCaretaker": {
        const input = parseForm(schemas.removeCaretaker, form);
        const ownerId = pageOwner(input.ownerId);
        await removeCaretaker(db, { actorId: user.id, ...input, ownerId });
        return back(ownerId, "removed");
      }
      case "giveAdmin": {
        const input = parseForm(schemas.giveAdmin, form);
        return back(input.ownerId, (await giveAdminRole(db, { actorId: user.id, ...input })) ? "given" : "unchanged");
      }
      case "takeAdmin": {
        const input = parseForm(schemas.takeAdmin, form);
        await takeAdminRole(db, { actorId: user.id, ...input });
        // Taking one's own role ends one's access to this page.
        return input.userId === user.id ? redirect("/", { headers: { "Cache-Control": "no-store" } }) : back(input.ownerId, "taken");
      }
    }
  } catch (e) {
    const failure = formFailure(e, lang, { intent, values });
    return data(failure.data as FormReply, failure.init ?? undefined);
  }
}

/** The reply's messages when it answers this form (several forms share a field name). */
function replyFor(reply: FormReply | undefined, intent: Intent, key: "siteId" | "ownerId", id: number) {
  if (!reply || reply.intent !== intent || reply.values[key] !== String(id)) return null;
  return reply;
}

function Problems({ reply, field }: { reply: FormReply | null; field: string }) {
  if (!reply) return null;
  const other = Object.entries(reply.fieldErrors).filter(([f]) => f !== field);
  if (!reply.formError && other.length === 0) return null;
  return <FormMessage>{[reply.formError, ...other.map(([, m]) => m)].filter(Boolean).join(" ")}</FormMessage>;
}

export default function AdminPeople() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as FormReply | undefined;
  const t = useT();
  const ownerReply = (intent: Intent) => replyFor(reply, intent, "ownerId", page.owner.id);
  const giveReply = ownerReply("giveAdmin");
  // A reply no form below shows (an unknown form, a site or owner not on this page): at the top.
  const stray = strayMessage(
    reply,
    (r) =>
      page.sites.some((s) => replyFor(r, "assign", "siteId", s.id) || replyFor(r, "removeCaretaker", "siteId", s.id)) ||
      Boolean(replyFor(r, "giveAdmin", "ownerId", page.owner.id) || replyFor(r, "takeAdmin", "ownerId", page.owner.id)),
  );
  return (
    <div className="admin">
      <AdminNav current="people" />
      <Heading level={1} data-size="lg">
        {t("people.heading", { owner: page.owner.name })}
      </Heading>
      <Paragraph>{t("people.intro")}</Paragraph>
      {page.done && !reply && <FormMessage kind="success">{t(`people.done.${page.done}`)}</FormMessage>}
      {stray && <FormMessage>{stray}</FormMessage>}

      <section aria-labelledby="caretakers-heading">
        <Heading level={2} data-size="md" id="caretakers-heading">
          {t("people.caretakers")}
        </Heading>
        <Paragraph data-size="sm">{t("people.caretakersIntro")}</Paragraph>
        {page.sites.length === 0 && <Paragraph className="muted">{t("people.noSites")}</Paragraph>}
        {page.sites.map((s) => {
          const assignReply = replyFor(reply, "assign", "siteId", s.id);
          const removeReply = replyFor(reply, "removeCaretaker", "siteId", s.id);
          return (
            <section key={s.id} aria-labelledby={`site-${s.id}`} className="people-group">
              <Heading level={3} data-size="sm" id={`site-${s.id}`}>
                {s.name}
              </Heading>
              {s.address && <Paragraph data-size="sm">{s.address}</Paragraph>}
              <Problems reply={removeReply} field="" />
              {s.caretakers.length === 0 ? (
                <Paragraph className="muted" data-size="sm">
                  {t("people.noCaretakers")}
                </Paragraph>
              ) : (
                <ul className="people-list">
                  {s.caretakers.map((c) => (
                    <li key={c.userId}>
                      <span>
                        {c.name || c.email} <span className="muted">{c.email}</span>
                      </span>
                      <PostForm>
                        <IntentField intent="removeCaretaker" />
                        <input type="hidden" name="siteId" value={s.id} />
                        <input type="hidden" name="userId" value={c.userId} />
                        <input type="hidden" name="ownerId" value={page.owner.id} />
                        <button type="submit" className="ds-button" data-variant="secondary" data-color="danger" data-size="sm">
                          {t("people.remove")}
                          <span className="ds-sr-only">: {t("people.removeCaretaker", { name: c.name || c.email, site: s.name })}</span>
                        </button>
                      </PostForm>
                    </li>
                  ))}
                </ul>
              )}
              <Problems reply={assignReply} field="email" />
              <PostForm noValidate className="people-add">
                <IntentField intent="assign" />
                <input type="hidden" name="siteId" value={s.id} />
                {/* Back to this owner's page afterwards (an admin of several owners). */}
                <input type="hidden" name="ownerId" value={page.owner.id} />
                <TextField
                  name="email"
                  id={`caretaker-email-${s.id}`}
                  type="email"
                  label={t("people.caretakerEmail", { site: s.name })}
                  hint={t("people.emailHint")}
                  autoComplete="off"
                  defaultValue={assignReply?.values.email}
                  error={assignReply?.fieldErrors.email}
                />
                <div>
                  <button type="submit" className="ds-button" data-variant="primary" data-size="sm">
                    {t("people.assign")}
                  </button>
                </div>
              </PostForm>
            </section>
          );
        })}
      </section>

      <section aria-labelledby="admins-heading">
        <Heading level={2} data-size="md" id="admins-heading">
          {t("people.admins")}
        </Heading>
        <Paragraph data-size="sm">{t("people.adminsIntro")}</Paragraph>
        <Problems reply={ownerReply("takeAdmin")} field="" />
        <ul className="people-list">
          {page.admins.map((a) => (
            <li key={a.userId}>
              <span>
                {a.name || a.email} <span className="muted">{a.email}</span>
                {a.isMe && <span className="muted"> ({t("people.you")})</span>}
              </span>
              {page.admins.length > 1 && (
                <PostForm>
                  <IntentField intent="takeAdmin" />
                  <input type="hidden" name="ownerId" value={page.owner.id} />
                  <input type="hidden" name="userId" value={a.userId} />
                  <button type="submit" className="ds-button" data-variant="secondary" data-color="danger" data-size="sm">
                    {t(a.isMe ? "people.leaveAdmin" : "people.takeAdmin")}
                    <span className="ds-sr-only">: {a.name || a.email}</span>
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
        {page.admins.length <= 1 && (
          <Paragraph className="muted" data-size="sm">
            {t("people.lastAdminNote")}
          </Paragraph>
        )}
        <Problems reply={giveReply} field="email" />
        <PostForm noValidate className="people-add">
          <IntentField intent="giveAdmin" />
          <input type="hidden" name="ownerId" value={page.owner.id} />
          <TextField
            name="email"
            id="admin-email"
            type="email"
            label={t("people.adminEmail")}
            hint={t("people.emailHint")}
            autoComplete="off"
            defaultValue={giveReply?.values.email}
            error={giveReply?.fieldErrors.email}
          />
          <div>
            <button type="submit" className="ds-button" data-variant="primary" data-size="sm">
              {t("people.give")}
            </button>
          </div>
        </PostForm>
      </section>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
