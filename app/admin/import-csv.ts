// Venues from a CSV file (docs/import/README.md, decision 017): reads the
// text with csv-parse, checks every cell with the venue form's schema and
// everything the file alone can tell (columns, duplicate slugs, parts), and
// names each problem by the line the file shows (the header is line 1) and
// column. Pure: what needs the database (sites, slugs in use, existing
// parents) is app/admin/import.server.ts.
import { parse } from "csv-parse/sync";
import { parseOpeningHours } from "~/admin/import-hours";
import { hasControlCharacters } from "~/booking/text";
import { SLUG_RE, slugify, VENUE_DEFAULTS, VENUE_LIMITS, type VenueField, type VenueInput, venueInputSchema } from "~/admin/venue-input";
import { languages } from "~/i18n";
import type { OpeningRule } from "~/time/opening";

export const IMPORT_LIMITS = { maxBytes: 1_000_000, maxRows: 500 } as const;
/** A site the file names may be created from it: as long as a venue's name, and a street address. */
const SITE_LIMITS = { site: VENUE_LIMITS.name, address: 200 } as const;

/** The columns, in the order the sample file has them. */
export const COLUMNS = [
  "site",
  "address",
  "part_of",
  "name",
  "slug",
  "kind",
  "capacity",
  "amenities",
  "step_free",
  "accessibility_notes",
  "description",
  "approval_mode",
  "min_duration_minutes",
  "max_duration_minutes",
  "horizon_days",
  "min_notice_minutes",
  "buffer_minutes",
  "weekly_quota_minutes",
  "opening_hours",
] as const;
export type Column = (typeof COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly Column[] = ["site", "name", "kind", "capacity"];

const FIELD_OF: Partial<Record<Column, VenueField>> = {
  name: "name",
  slug: "slug",
  kind: "kind",
  capacity: "capacity",
  amenities: "amenities",
  step_free: "stepFree",
  accessibility_notes: "accessibilityNotes",
  description: "description",
  approval_mode: "approvalMode",
  min_duration_minutes: "minDurationMinutes",
  max_duration_minutes: "maxDurationMinutes",
  horizon_days: "horizonDays",
  min_notice_minutes: "minNoticeMinutes",
  buffer_minutes: "bufferMinutes",
  weekly_quota_minutes: "weeklyQuotaMinutes",
};
const COLUMN_OF = Object.fromEntries(Object.entries(FIELD_OF).map(([c, f]) => [f, c])) as Record<VenueField, Column>;

/** Rule fields that take the venue form's default when their cell is empty. */
const DEFAULTED: readonly VenueField[] = ["approvalMode", "minDurationMinutes", "maxDurationMinutes", "horizonDays", "minNoticeMinutes", "bufferMinutes"];

/** Norwegian headers, for a municipality that writes its own file. */
export const COLUMN_ALIASES: Record<string, Column> = {
  sted: "site",
  adresse: "address",
  del_av: "part_of",
  navn: "name",
  adressenavn: "slug",
  type: "kind",
  kapasitet: "capacity",
  utstyr: "amenities",
  trinnfri: "step_free",
  trinnfri_adkomst: "step_free",
  tilgjengelighet: "accessibility_notes",
  beskrivelse: "description",
  godkjenning: "approval_mode",
  korteste_varighet: "min_duration_minutes",
  lengste_varighet: "max_duration_minutes",
  dager_fram: "horizon_days",
  varsel_minutter: "min_notice_minutes",
  rydding_minutter: "buffer_minutes",
  ukekvote_minutter: "weekly_quota_minutes",
  åpningstider: "opening_hours",
  apningstider: "opening_hours",
};

/** A problem: `line` null for the file as a whole; `column` null for a whole line. `code` is an i18n problem. */
export interface ImportProblem {
  line: number | null;
  column: string | null;
  code: string;
  params?: Record<string, string | number>;
  /** The column's header as the file writes it ("kapasitet"), when it differs from `column`. */
  header?: string;
}

export interface ImportRow {
  line: number;
  site: string;
  address: string;
  /** The whole venue's slug, or "". */
  partOf: string;
  /** The slug the venue gets (typed, or made from the name), null when the row could not tell. */
  slug: string | null;
  /** Null when a cell is wrong (the problems say which). */
  input: VenueInput | null;
  hours: OpeningRule[] | null;
}

export interface ParsedFile {
  rows: ImportRow[];
  problems: ImportProblem[];
  /** Column → its header as written, for reporting in the file's own words. */
  headers: Record<string, string>;
}

/** Names each problem's column as the file does. */
export function withHeaders(problems: ImportProblem[], headers: Record<string, string>): ImportProblem[] {
  return problems.map((p) => {
    const header = p.column === null ? undefined : headers[p.column];
    return header && header !== p.column ? { ...p, header } : p;
  });
}

/** Bytes → text; null when they are not UTF-8 text (a spreadsheet saved as .xlsx, or as Latin-1). */
export function decodeCsv(bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.includes("\0") ? null : text;
  } catch {
    return null;
  }
}

function normalizeHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/** Norwegian Excel writes ";", most other tools ","; the header line tells which. */
function delimiterOf(headerLine: string): string {
  const count = (c: string) => headerLine.split(c).length - 1;
  return count("\t") > Math.max(count(";"), count(",")) ? "\t" : count(";") >= count(",") && count(";") > 0 ? ";" : ",";
}

/** "Idrettshall" and "Sports hall" mean sports-hall too. */
const KIND_LABELS = new Map<string, string>(
  languages.flatMap((l) =>
    Object.entries(l.messages)
      .filter(([key]) => key.startsWith("kind."))
      .map(([key, label]) => [label.toLowerCase(), key.slice(5)] as [string, string]),
  ),
);

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "quoteNotClosed",
  INVALID_OPENING_QUOTE: "badQuote",
  CSV_INVALID_CLOSING_QUOTE: "badQuote",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "badQuote",
};

interface Record_ {
  line: number;
  cells: string[];
}

function readRecords(text: string): Record_[] | ImportProblem {
  const body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const headerLine = body.slice(0, body.indexOf("\n") === -1 ? undefined : body.indexOf("\n"));
  const options = { delimiter: delimiterOf(headerLine), record_delimiter: "\n", info: true, raw: true, relax_column_count: true, skip_empty_lines: true, trim: true };
  const read = (to?: number) => parse(body, to === undefined ? options : { ...options, to }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
  try {
    // info.lines is where the record ends; a quoted cell may span lines, and people look for where it starts.
    return read().map(({ record, info, raw }) => {
      const inner = raw.replace(/^\n+/, "").replace(/\n$/, "");
      return { line: info.lines - (inner.split("\n").length - 1), cells: record };
    });
  } catch (e) {
    const err = e as { code?: string; records?: number };
    // csv-parse says where it gave up (for an unclosed quote: the end of the file); the broken record starts after the last good one.
    const good = err.records ? read(err.records) : [];
    return { line: (good.at(-1)?.info.lines ?? 0) + 1, column: null, code: CSV_PROBLEMS[err.code ?? ""] ?? "unreadable" };
  }
}

/** Reads and checks the file. Problems come sorted by line; rows only matter when there are none. */
export function parseVenueCsv(text: string): ParsedFile {
  const problems: ImportProblem[] = [];
  const headers: Record<string, string> = {};
  const done = (rows: ImportRow[] = []): ParsedFile => ({ rows, problems: sortProblems(problems), headers });
  if (text.trim().replace(/^\uFEFF/, "") === "") return { rows: [], problems: [{ line: null, column: null, code: "empty" }], headers: {} };
  const records = readRecords(text);
  if (!Array.isArray(records)) return { rows: [], problems: [records], headers: {} };
  const [header, ...lines] = records.filter((r) => r.cells.some((c) => c !== ""));
  if (!header) return { rows: [], problems: [{ line: null, column: null, code: "empty" }], headers: {} };

  const columns: (Column | null)[] = [];
  for (const cell of header.cells) {
    const name = normalizeHeader(cell);
    // Own keys only: a column called "constructor" is `in` every object.
    const column = (COLUMNS as readonly string[]).includes(name) ? (name as Column) : Object.hasOwn(COLUMN_ALIASES, name) ? COLUMN_ALIASES[name]! : null;
    if (column === null && name !== "") problems.push({ line: header.line, column: cell, code: "unknownColumn", params: { column: cell } });
    else if (column !== null && columns.includes(column)) problems.push({ line: header.line, column: cell, code: "duplicateColumn", params: { column: cell } });
    if (column !== null && !columns.includes(column)) headers[column] = cell.trim();
    columns.push(column !== null && columns.includes(column) ? null : column);
  }
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required)) problems.push({ line: header.line, column: required, code: "missingColumn", params: { column: required } });
  }
  if (problems.length > 0) return done();
  if (lines.length === 0) return { rows: [], problems: [{ line: null, column: null, code: "noRows" }], headers };
  if (lines.length > IMPORT_LIMITS.maxRows) {
    return { rows: [], problems: [{ line: null, column: null, code: "tooManyRows", params: { count: lines.length, max: IMPORT_LIMITS.maxRows } }], headers };
  }

  const rows = lines.map((record) => readRow(record, header.cells.length, columns, problems));
  checkAcrossRows(rows, problems);
  return done(rows);
}

function readRow(record: Record_, width: number, columns: (Column | null)[], problems: ImportProblem[]): ImportRow {
  const { line, cells } = record;
  if (cells.length > width && cells.slice(width).some((c) => c !== "")) {
    problems.push({ line, column: null, code: "extraCells", params: { count: cells.length, columns: width } });
  }
  const cell = (c: Column) => {
    const i = columns.indexOf(c);
    return i === -1 ? "" : (cells[i] ?? "");
  };
  const values: Record<string, string> = {};
  for (const [column, field] of Object.entries(FIELD_OF) as [Column, VenueField][]) {
    const v = cell(column);
    values[field] = v === "" && DEFAULTED.includes(field) ? VENUE_DEFAULTS[field] : v;
  }
  values.kind = KIND_LABELS.get(values.kind!.toLowerCase()) ?? values.kind!.toLowerCase();
  values.approvalMode = values.approvalMode!.toLowerCase();
  values.amenities = values.amenities!.toLowerCase();

  const row: ImportRow = { line, site: cell("site"), address: cell("address"), partOf: cell("part_of").toLowerCase(), slug: null, input: null, hours: null };
  if (row.site === "") problems.push({ line, column: "site", code: "required" });
  else if (row.site.length > SITE_LIMITS.site) problems.push({ line, column: "site", code: "tooLong" });
  if (row.address.length > SITE_LIMITS.address) problems.push({ line, column: "address", code: "tooLong" });
  for (const column of ["site", "address"] as const) {
    if (hasControlCharacters(row[column], false)) problems.push({ line, column, code: "controlCharacters" });
  }
  const parsed = venueInputSchema.safeParse(values);
  if (parsed.success) {
    row.input = parsed.data;
    row.slug = parsed.data.slug;
  } else {
    // The slug the row would have, so that a clash with another row or a venue
    // is reported with the row's other problems, not only once they are mended.
    const typed = (values.slug ?? "").trim().toLowerCase();
    const slug = typed !== "" ? typed : slugify(values.name ?? "");
    row.slug = SLUG_RE.test(slug) && slug.length <= VENUE_LIMITS.slug ? slug : null;
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const column = COLUMN_OF[issue.path[0] as VenueField] ?? "name";
      if (seen.has(column)) continue;
      seen.add(column);
      problems.push({ line, column, code: /^\w+$/.test(issue.message) ? issue.message : "invalidText" });
    }
  }
  const hours = parseOpeningHours(cell("opening_hours"));
  if (hours.ok) row.hours = hours.rules;
  else problems.push({ line, column: "opening_hours", code: hours.problem, ...(hours.params ? { params: hours.params } : {}) });
  return row;
}

/** Two rows with one slug, and parts whose whole venue is in the file: the file alone tells. */
function checkAcrossRows(rows: ImportRow[], problems: ImportProblem[]): void {
  const bySlug = new Map<string, ImportRow>();
  for (const row of rows) {
    if (row.slug === null) continue;
    const first = bySlug.get(row.slug);
    if (first) problems.push({ line: row.line, column: "slug", code: "duplicateSlug", params: { slug: row.slug, line: first.line } });
    else bySlug.set(row.slug, row);
  }
  for (const row of rows) {
    if (row.partOf === "") continue;
    const whole = bySlug.get(row.partOf);
    // Not in the file: it may exist at the site already (import.server.ts looks).
    if (!whole) continue;
    if (whole === row) problems.push({ line: row.line, column: "part_of", code: "partOfItself" });
    else if (whole.line > row.line) problems.push({ line: row.line, column: "part_of", code: "partOfLater", params: { line: whole.line } });
    else if (whole.partOf !== "") problems.push({ line: row.line, column: "part_of", code: "partOfPart" });
    else if (whole.site.toLowerCase() !== row.site.toLowerCase()) problems.push({ line: row.line, column: "part_of", code: "partOfOtherSite" });
  }
}

export function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  const order = (c: string | null) => (c === null ? -1 : COLUMNS.indexOf(c as Column));
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || order(a.column) - order(b.column));
}
