// The one place where errors become HTTP statuses and words a person reads.
// Domain errors say what went wrong in their own terms; anything else is our
// fault: it is logged here and the person gets a generic message, never a stack.
import { formatDate, formatDatesIn, formatDays, formatHours, formatMinutes, formatNumber } from "~/i18n/format";
import { hasMessage, type Language, translate, translateOr } from "~/i18n";
import { DomainError, type ErrorParams, InvalidInput } from "./domain-errors";

export interface HttpError {
  status: number;
  message: string;
}

/** How each parameter reads, by its name: durations in words, dates in the person's format. */
function formatParam(lang: Language, name: string, value: string | number): string {
  if (typeof value === "number") {
    if (name === "min" || name === "max" || name === "minutes") return formatMinutes(lang, value);
    if (name === "days") return formatDays(lang, value);
    if (name === "quotaHours" || name === "usedHours") return formatHours(lang, value);
    return formatNumber(lang, value);
  }
  if (name === "what") return translateOr(lang, `what.${value}`, value);
  if (name === "from" && /^[a-z]+$/.test(value)) return translateOr(lang, `status.${value}`, value);
  if (name === "from" || name === "to" || name === "date") return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(lang, value) : value;
  return formatDatesIn(lang, value);
}

function describeFields(lang: Language, fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([field, problem]) =>
      translate(lang, "error.invalidInput.item", {
        field: translateOr(lang, `field.${field}`, field),
        problem: translateOr(lang, `problem.${problem}`, problem),
      }),
    )
    .join("; ");
}

export function domainErrorMessage(lang: Language, error: DomainError): string {
  const key = `error.${error.code}`;
  if (!hasMessage(key)) return translate(lang, "error.generic");
  if (error instanceof InvalidInput) return translate(lang, key, { fields: describeFields(lang, error.fields) });
  const params: ErrorParams = {};
  for (const [name, value] of Object.entries(error.params)) params[name] = formatParam(lang, name, value);
  return translate(lang, key, params);
}

export function toHttpError(error: unknown, lang: Language): HttpError {
  if (error instanceof DomainError) return { status: error.status, message: domainErrorMessage(lang, error) };
  if (error instanceof Response && error.status >= 400 && error.status < 500) {
    return { status: error.status, message: translate(lang, error.status === 404 ? "error.pageNotFound" : "error.title") };
  }
  console.error(error);
  return { status: 500, message: translate(lang, "error.generic") };
}

/**
 * A Response to throw from a loader or action; the error boundary shows
 * `message`, and what `more` holds for it (a refused form to send again).
 */
export function errorResponse(error: unknown, lang: Language, more: Record<string, unknown> = {}): Response {
  const { status, message } = toHttpError(error, lang);
  return new Response(JSON.stringify({ ...more, message }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}
