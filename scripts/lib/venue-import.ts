// `npm run import -- --owner <slug> --as <admin e-mail> file.csv [--dry-run] [--lang nb|en]`:
// the import page's check and import from a terminal, with the same report
// (app/admin/import.server.ts). Exit codes: 0 imported (or checked fine),
// 1 problems in the file (nothing saved), 2 wrong use (arguments, unknown
// owner or person, not an admin of the owner).
import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Database } from "../../db/client";
import { decodeCsv, IMPORT_LIMITS, type ImportProblem } from "../../app/admin/import-csv";
import { importVenues } from "../../app/admin/import.server";
import { problemLine } from "../../app/admin/import-report";
import { DomainError } from "../../app/errors/domain-errors";
import { domainErrorMessage } from "../../app/errors/http";
import { findLanguage, getLanguage, type Language, translate } from "../../app/i18n";

const USAGE = "usage: npm run import -- --owner <owner slug> --as <admin e-mail> <file.csv> [--dry-run] [--lang nb|en]";

export async function runImport(db: Database, argv: string[], print: (line: string) => void): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    print(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (!values.owner || !values.as || positionals.length !== 1) {
    print(USAGE);
    return 2;
  }
  const owner = await db.selectFrom("owners").select("id").where("slug", "=", values.owner).executeTakeFirst();
  const user = await db.selectFrom("users").select(["id", "locale"]).where("email", "=", values.as.trim()).executeTakeFirst();
  const lang: Language = findLanguage(values.lang) ?? getLanguage(user?.locale);
  if (!owner) return fail(print, `unknown owner: ${values.owner}`);
  if (!user) return fail(print, `nobody has the e-mail address ${values.as}`);

  const file = positionals[0]!;
  let text = "";
  let refused: ImportProblem | undefined;
  try {
    if ((await stat(file)).size > IMPORT_LIMITS.maxBytes) {
      refused = { line: null, column: null, code: "fileTooLarge", params: { max: `${IMPORT_LIMITS.maxBytes / 1_000_000} MB` } };
    } else {
      const decoded = decodeCsv(await readFile(file));
      if (decoded === null) refused = { line: null, column: null, code: "notText" };
      else text = decoded;
    }
  } catch (e) {
    return fail(print, `cannot read ${file}: ${(e as Error).message}`);
  }

  const dryRun = values["dry-run"] === true;
  try {
    const report = await importVenues(db, { actorId: user.id, ownerId: owner.id, text, dryRun, ...(refused ? { refused } : {}) });
    if (report.problems.length > 0) {
      for (const p of report.problems) print(problemLine(lang, p));
      const count = report.problems.length;
      print(count === 1 ? translate(lang, "import.problemsHeadingOne") : translate(lang, "import.problemsHeading", { count }));
      return 1;
    }
    for (const v of report.venues) print(`${v.line}\t${v.id ?? "-"}\t${v.slug}\t${v.name}\t${v.site}${v.partOf ? `\t< ${v.partOf}` : ""}`);
    print(translate(lang, dryRun ? "import.checked" : "import.done", { count: report.venues.length }));
    if (report.newSites.length > 0) print(translate(lang, "import.newSites", { sites: report.newSites.join(", ") }));
    return 0;
  } catch (e) {
    if (e instanceof DomainError) return fail(print, domainErrorMessage(lang, e));
    throw e;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { owner: { type: "string" }, as: { type: "string" }, "dry-run": { type: "boolean" }, lang: { type: "string" } },
  });
}

function fail(print: (line: string) => void, message: string): number {
  print(message);
  return 2;
}
