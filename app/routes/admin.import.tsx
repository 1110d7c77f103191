// /admin/import — owner admins add venues from a CSV file (issue 4, decision
// 017). Upload a file or paste its text (phones, no JavaScript); "check only"
// reports without saving, "import" saves all or nothing. Every problem comes
// back as a table of line, column and message, with status 400 (413 for a
// file over the limit). The rules live in app/admin/import.server.ts.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireValidForm } from "~/accounts/csrf.server";
import { requireUser } from "~/accounts/session.server";
import { requireAdminOwner } from "~/admin/access.server";
import { decodeCsv, IMPORT_LIMITS, type ImportProblem } from "~/admin/import-csv";
import { describeProblem } from "~/admin/import-report";
import { type ImportedVenue, importVenues } from "~/admin/import.server";
import { AdminNav } from "~/components/admin-nav";
import { ScrollTable } from "~/components/scroll-region";
import { PostForm } from "~/components/forms";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { limitBody } from "~/http/body-limit.server";
import { type Language, pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

const MAX_SIZE = `${IMPORT_LIMITS.maxBytes / 1_000_000} MB`;
/** Room for the form's other fields and the multipart framing around the file. */
const BODY_LIMIT = IMPORT_LIMITS.maxBytes + 64 * 1024;

const ownerParam = (request: Request) => {
  const v = new URL(request.url).searchParams.get("owner");
  return v && /^\d{1,15}$/.test(v) ? Number(v) : null;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const owner = await requireAdminOwner(getDb(), user.id, ownerParam(request));
    // The limits come with the data, so the page's own code stays free of the parser (csv-parse is server-side).
    const limits = { maxSize: MAX_SIZE, maxRows: IMPORT_LIMITS.maxRows };
    return data({ lang: lang.code, owner: { id: owner.id, name: owner.name }, limits }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["import.metaTitle"]);

export interface ImportReply {
  outcome: "problems" | "checked" | "imported";
  problems: { line: number | null; column: string | null; message: string }[];
  venues: ImportedVenue[];
  newSites: string[];
  /** Pasted text, to show again with the problems. */
  text: string;
}

const tooLarge: ImportProblem = { line: null, column: null, code: "fileTooLarge", params: { max: MAX_SIZE } };

function problemsReply(lang: Language, problems: ImportProblem[], text = ""): ImportReply {
  return { outcome: "problems", problems: problems.map((p) => ({ line: p.line, column: p.header ?? p.column, message: describeProblem(lang, p) })), venues: [], newSites: [], text };
}

/** The CSV text of the form: the file when one was chosen, else the pasted text. */
async function csvOf(form: FormData): Promise<{ text: string; pasted: string; refused?: ImportProblem }> {
  const file = form.get("file");
  const pasted = String(form.get("text") ?? "");
  if (file instanceof File && file.size > 0) {
    if (file.size > IMPORT_LIMITS.maxBytes) return { text: "", pasted: "", refused: tooLarge };
    const text = decodeCsv(new Uint8Array(await file.arrayBuffer()));
    return text === null ? { text: "", pasted: "", refused: { line: null, column: null, code: "notText" } } : { text, pasted: "" };
  }
  if (new TextEncoder().encode(pasted).byteLength > IMPORT_LIMITS.maxBytes) return { text: "", pasted: "", refused: tooLarge };
  if (pasted.trim() === "") return { text: "", pasted, refused: { line: null, column: null, code: "noInput" } };
  return { text: pasted, pasted };
}

export async function action({ request }: ActionFunctionArgs) {
  const lang = pickLanguage(request);
  const limited = await limitBody(request, BODY_LIMIT);
  if (!limited) return data(problemsReply(lang, [tooLarge]), { status: 413 });
  const form = await requireValidForm(limited, { maxBytes: BODY_LIMIT });
  const user = await requireUser(limited);
  const dryRun = form.get("intent") !== "import";
  const { text, pasted, refused } = await csvOf(form);
  try {
    const report = await importVenues(getDb(), { actorId: user.id, ownerId: ownerParam(request), text, dryRun, ...(refused ? { refused } : {}) });
    if (report.problems.length > 0) {
      return data(problemsReply(lang, report.problems, pasted), { status: report.problems[0]?.code === "fileTooLarge" ? 413 : 400 });
    }
    const reply: ImportReply = { outcome: dryRun ? "checked" : "imported", problems: [], venues: report.venues, newSites: report.newSites, text: dryRun ? pasted : "" };
    return data(reply, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

function Problems({ problems }: { problems: ImportReply["problems"] }) {
  const t = useT();
  return (
    <div className="ds-alert import-report" data-color="danger" role="alert">
      <Heading level={2} data-size="xs" id="import-result-heading">
        {problems.length === 1 ? t("import.problemsHeadingOne") : t("import.problemsHeading", { count: problems.length })}
      </Heading>
      <ScrollTable labelledBy="import-result-heading" tableClassName="import-table" columns={[t("import.table.line"), t("import.table.column"), t("import.table.problem")]}>
        {problems.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is never reordered
          <tr key={i}>
            <td>{p.line ?? t("import.report.wholeFile")}</td>
            <td>{p.column && <code>{p.column}</code>}</td>
            <td>{p.message}</td>
          </tr>
        ))}
      </ScrollTable>
    </div>
  );
}

function Venues({ reply }: { reply: ImportReply }) {
  const t = useT();
  const done = reply.outcome === "imported";
  return (
    <div className="ds-alert import-report" data-color="success" role="status">
      <Heading level={2} data-size="xs" id="import-result-heading">
        {t(done ? "import.doneHeading" : "import.checkedHeading")}
      </Heading>
      <Paragraph>{t(done ? "import.done" : "import.checked", { count: reply.venues.length })}</Paragraph>
      {reply.newSites.length > 0 && <Paragraph>{t("import.newSites", { sites: reply.newSites.join(", ") })}</Paragraph>}
      <ScrollTable labelledBy="import-result-heading" tableClassName="import-table" columns={[t("import.table.line"), t("import.table.name"), t("import.table.site"), t("import.table.partOf")]}>
        {reply.venues.map((v) => (
          <tr key={v.line}>
            <td>{v.line}</td>
            <td>
              {v.id !== null ? (
                <Link to={`/admin/venues/${v.id}`} className="ds-link">
                  {v.name}
                </Link>
              ) : (
                v.name
              )}{" "}
              <code>{v.slug}</code>
            </td>
            <td>{v.site}</td>
            <td>{v.partOf && <code>{v.partOf}</code>}</td>
          </tr>
        ))}
      </ScrollTable>
    </div>
  );
}

export default function AdminImport() {
  const { limits } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as ImportReply | undefined;
  const t = useT();
  return (
    <div className="admin">
      <AdminNav current="import" />
      <Heading level={1} data-size="lg">
        {t("import.heading")}
      </Heading>
      <Paragraph>{t("import.intro")}</Paragraph>
      <Paragraph data-size="sm">
        <a href="/admin/import/sample.csv" download="flokk-lokaler-eksempel.csv" className="ds-link">
          {t("import.sample")}
        </a>{" "}
        {t("import.sampleHint")}
      </Paragraph>
      {reply?.outcome === "problems" && <Problems problems={reply.problems} />}
      {(reply?.outcome === "checked" || reply?.outcome === "imported") && <Venues reply={reply} />}
      <PostForm encType="multipart/form-data" className="stack import-form" aria-label={t("import.heading")}>
        <div className="form-field">
          <label htmlFor="file" className="ds-label">
            {t("import.fileLabel")}
          </label>
          <p id="file-hint" className="ds-paragraph form-field__hint" data-size="sm">
            {t("import.fileHint", limits)}
          </p>
          <input id="file" name="file" type="file" accept=".csv,.txt,text/csv,text/plain" className="ds-input" aria-describedby="file-hint" />
        </div>
        <div className="form-field">
          <label htmlFor="text" className="ds-label">
            {t("import.textLabel")}
          </label>
          <p id="text-hint" className="ds-paragraph form-field__hint" data-size="sm">
            {t("import.textHint")}
          </p>
          <textarea id="text" name="text" className="ds-input import-text" rows={8} spellCheck={false} aria-describedby="text-hint" defaultValue={reply?.text ?? ""} />
        </div>
        <div className="import-buttons">
          <button type="submit" name="intent" value="check" className="ds-button" data-variant="secondary">
            {t("import.check")}
          </button>
          <button type="submit" name="intent" value="import" className="ds-button" data-variant="primary">
            {t("import.submit")}
          </button>
        </div>
      </PostForm>
    </div>
  );
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
