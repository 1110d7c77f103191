// An import problem as a sentence in the admin's language, the same on the
// import page and in `npm run import`. A problem with one cell reads like a
// form field's ("Kapasitet må være et helt tall."); a problem with the
// file or a whole line is a sentence of its own (import.file.*).
import type { ImportProblem } from "~/admin/import-csv";
import { hasMessage, type Language, translate, translateOr } from "~/i18n";

const FIELD_LABELS: Record<string, string> = {
  name: "field.name",
  slug: "field.slug",
  kind: "field.kind",
  // The venue's capacity, not the search filter's "room for at least" (field.capacity).
  capacity: "venue.capacityLabel",
  amenities: "field.amenities",
  step_free: "field.stepFree",
  accessibility_notes: "field.accessibilityNotes",
  description: "field.description",
  approval_mode: "field.approvalMode",
  min_duration_minutes: "field.minDurationMinutes",
  max_duration_minutes: "field.maxDurationMinutes",
  horizon_days: "field.horizonDays",
  min_notice_minutes: "field.minNoticeMinutes",
  buffer_minutes: "field.bufferMinutes",
  weekly_quota_minutes: "field.weeklyQuotaMinutes",
};

function columnLabel(lang: Language, column: string): string {
  return translateOr(lang, FIELD_LABELS[column] ?? `import.column.${column}`, column);
}

export function describeProblem(lang: Language, p: ImportProblem): string {
  const params = p.params ?? {};
  const fileKey = `import.file.${p.code}`;
  if (hasMessage(fileKey)) return translate(lang, fileKey, params);
  const problemKey = hasMessage(`import.problem.${p.code}`) ? `import.problem.${p.code}` : `problem.${p.code}`;
  const sentence = translate(lang, "error.invalidInput.item", {
    field: columnLabel(lang, p.column ?? ""),
    problem: translateOr(lang, problemKey, p.code, params),
  });
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** "Linje 4, capacity: Kapasitet må være et helt tall." — for the command line. */
export function problemLine(lang: Language, p: ImportProblem): string {
  const where = [p.line === null ? null : translate(lang, "import.report.lineN", { line: p.line }), p.header ?? p.column].filter(Boolean).join(", ");
  return where ? `${where}: ${describeProblem(lang, p)}` : describeProblem(lang, p);
}
