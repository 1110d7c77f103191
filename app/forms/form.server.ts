// Form input and form replies, the same way in every route: parse with one zod
// schema whose messages are our problem codes, call the domain, and on a
// domain error answer with messages beside the fields (or above the form) in
// the person's language and a 4xx status. Nothing is saved when anything is
// wrong: the domain call is one transaction.
import { data } from "@remix-run/node";
import { z } from "zod";
import { domainErrorMessage, errorResponse } from "~/errors/http";
import { DomainError, InvalidInput } from "~/errors/domain-errors";
import { type Language, translate, translateOr } from "~/i18n";

/** What an action returns when the form has to be shown again. */
export interface FormReply {
  /** Which form on the page answered (pages with several forms). */
  intent: string | null;
  /** Field name → sentence in the person's language. */
  fieldErrors: Record<string, string>;
  /** A problem with the form as a whole (too many requests, last leader, …). */
  formError: string | null;
  /** What the person typed, to fill the fields again (never secrets). */
  values: Record<string, string>;
}

/** Reusable zod pieces whose messages are problem codes (app/i18n: problem.*). */
export const fields = {
  text: (max: number) => z.string({ required_error: "required", invalid_type_error: "invalidText" }).trim().max(max, "tooLong"),
  requiredText: (max: number) =>
    z.string({ required_error: "required", invalid_type_error: "invalidText" }).trim().min(1, "required").max(max, "tooLong"),
  email: () =>
    z
      .string({ required_error: "required", invalid_type_error: "invalidText" })
      .trim()
      .min(1, "required")
      .max(254, "tooLong")
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "invalidEmail"),
  id: () => z.coerce.number({ invalid_type_error: "invalidId" }).int("invalidId").positive("invalidId").max(Number.MAX_SAFE_INTEGER, "invalidId"),
};

/** The form's string fields as an object (repeated names: the first), for zod. */
function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string" && !(key in out)) out[key] = value;
  return out;
}

/** Parses the form with the schema; throws InvalidInput naming each bad field's first problem. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, form: FormData): z.infer<S> {
  const result = schema.safeParse(formObject(form));
  if (result.success) return result.data;
  const problems: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    problems[field] ??= /^\w+$/.test(issue.message) ? issue.message : "invalidText";
  }
  throw new InvalidInput(problems);
}

/** "E-postadressen er ikke en gyldig e-postadresse." */
export function fieldMessage(lang: Language, field: string, problem: string): string {
  const sentence = translate(lang, "error.invalidInput.item", {
    field: translateOr(lang, `field.${field}`, field),
    problem: translateOr(lang, `problem.${problem}`, problem),
  });
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/**
 * The reply to a form that failed: InvalidInput → 400 with messages beside the
 * fields; another domain error a person can act on (409, 422, 429) → its
 * status with a message above the form. 403, 404 and anything unexpected are
 * thrown as the error page (logged when unexpected).
 */
export function formFailure(error: unknown, lang: Language, options: { intent?: string | null; values?: Record<string, string> } = {}) {
  const reply: FormReply = { intent: options.intent ?? null, fieldErrors: {}, formError: null, values: options.values ?? {} };
  if (error instanceof InvalidInput) {
    for (const [field, problem] of Object.entries(error.fields)) reply.fieldErrors[field] = fieldMessage(lang, field, problem);
    return data(reply, { status: 400 });
  }
  if (error instanceof DomainError && error.status !== 403 && error.status !== 404 && error.status < 500) {
    reply.formError = domainErrorMessage(lang, error);
    const headers: HeadersInit = error.status === 429 ? { "Retry-After": String(60 * Number(error.params.minutes ?? 1)) } : {};
    return data(reply, { status: error.status, headers });
  }
  throw errorResponse(error, lang);
}
