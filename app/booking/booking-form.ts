// The booking and series forms as data: one zod schema each, whose messages
// are problem codes (app/i18n: problem.*), so every bad field is named at once
// beside the field; the engine then checks the rules. Pure.
import { z } from "zod";
import { InvalidInput } from "~/errors/domain-errors";
import { checkText, type TextRule } from "./text";
import { isLocalDate, parseLocalDate, weekdayOf } from "~/time/zoned";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d(:00)?$/;
const KEY_RE = /^[A-Za-z0-9_-]{8,100}$/;

export type Visibility = "public" | "private";

/** Field names of the details both forms share, in the order they appear. */
export const DETAIL_FIELDS = ["associationId", "title", "purpose", "visibility", "expectedAttendees", "noteToCaretaker"] as const;
export const BOOKING_FIELDS = ["associationId", "date", "start", "end", "title", "purpose", "visibility", "expectedAttendees", "noteToCaretaker"] as const;
export const SERIES_FIELDS = [
  "associationId",
  "weekday",
  "startTime",
  "durationMinutes",
  "intervalWeeks",
  "from",
  "until",
  "title",
  "purpose",
  "visibility",
  "expectedAttendees",
  "noteToCaretaker",
] as const;

/** cleanText as a zod field: the same trimming, NFC, length and control-character rules, its problem as the issue. */
export const cleanTextField = (rule: TextRule) =>
  z.unknown().transform((value, ctx): string => {
    const checked = checkText(value, rule);
    if ("text" in checked) return checked.text;
    ctx.addIssue({ code: "custom", message: checked.problem });
    return z.NEVER;
  });

export const required = () => z.string({ required_error: "required", invalid_type_error: "invalidText" }).trim().min(1, "required");

/** A local date YYYY-MM-DD that exists. Also used by the caretaker's block form. */
export const date = () =>
  required().superRefine((v, ctx) => {
    if (!DATE_RE.test(v)) return void ctx.addIssue({ code: "custom", message: "invalidDate" });
    try {
      parseLocalDate(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "invalidDate" });
    }
  });

/** 'HH:MM' (seconds ':00' allowed, as some browsers send them), returned as 'HH:MM'. */
export const time = (allowMidnightEnd = false) =>
  required()
    .refine((v) => TIME_RE.test(v) || (allowMidnightEnd && v === "24:00"), "invalidTime")
    .transform((v) => v.slice(0, 5));

const wholeNumber = (max: number, problem = "positiveInteger") =>
  required()
    .refine((v) => /^\d{1,9}$/.test(v) && Number(v) > 0, problem)
    .refine((v) => !/^\d{1,9}$/.test(v) || Number(v) <= max, "tooLarge")
    .transform(Number);

const optionalText = (max: number) =>
  z
    .string({ invalid_type_error: "invalidText" })
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v.length <= max, "tooLong");

const details = {
  associationId: required()
    .refine((v) => /^\d{1,15}$/.test(v), "invalidChoice")
    .transform(Number),
  title: required().max(120, "tooLong"),
  purpose: optionalText(2000),
  visibility: z.enum(["public", "private"], { errorMap: (issue) => ({ message: issue.code === "invalid_type" ? "required" : "invalidChoice" }) }),
  expectedAttendees: wholeNumber(100_000),
  noteToCaretaker: optionalText(2000),
  idempotencyKey: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === "" || KEY_RE.test(v), "invalidKey")
    .transform((v) => v || undefined),
};

export const whenSchema = z.object({ date: date(), start: time(), end: time(true) });
export const bookingSchema = z.object({ ...details, ...whenSchema.shape });

export const seriesSchema = z
  .object({
    ...details,
    weekday: required()
      .refine((v) => /^[1-7]$/.test(v), "invalidWeekday")
      .transform(Number),
    startTime: time(),
    durationMinutes: wholeNumber(24 * 60, "invalidDuration"),
    intervalWeeks: required()
      .refine((v) => /^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 52, "invalidInterval")
      .transform(Number),
    from: date(),
    until: date(),
  });

export type BookingForm = z.infer<typeof bookingSchema>;
export type SeriesForm = z.infer<typeof seriesSchema>;

/** The engine's request details from a parsed form. */
export function detailsOf(f: BookingForm | SeriesForm) {
  return {
    associationId: f.associationId,
    title: f.title,
    purpose: f.purpose,
    isPublic: f.visibility === "public",
    expectedAttendees: f.expectedAttendees,
    noteToCaretaker: f.noteToCaretaker,
    idempotencyKey: f.idempotencyKey,
  };
}

/** What the person typed, to fill the fields again (bounded, strings only). */
export function echoValues(form: FormData, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = form.get(name);
    if (typeof v === "string") out[name] = v.slice(0, 2000);
  }
  return out;
}

/** Values a link may fill in (a free slot, an alternative): only well-formed ones, the rest left empty. */
export function prefillFromQuery(params: URLSearchParams, names: readonly string[]): Record<string, string> {
  const checks: Record<string, (v: string) => boolean> = {
    date: isLocalDate,
    from: isLocalDate,
    until: isLocalDate,
    start: (v) => TIME_RE.test(v),
    end: (v) => TIME_RE.test(v) || v === "24:00",
    startTime: (v) => TIME_RE.test(v),
    associationId: (v) => /^\d{1,15}$/.test(v),
    weekday: (v) => /^[1-7]$/.test(v),
    durationMinutes: (v) => /^\d{1,4}$/.test(v),
    intervalWeeks: (v) => /^\d{1,2}$/.test(v),
    expectedAttendees: (v) => /^\d{1,6}$/.test(v),
    visibility: (v) => v === "public" || v === "private",
    title: (v) => v.length <= 120,
  };
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = params.get(name)?.trim();
    const check = checks[name];
    if (v && check?.(v)) out[name] = name === "start" || name === "end" || name === "startTime" ? v.slice(0, 5) : v;
  }
  return out;
}

/** The form's string fields (a repeated name: its first value). */
function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string" && !(key in out)) out[key] = value;
  return out;
}

/**
 * Parses with the schema and also checks how two fields relate (end after
 * start, until after from) even when other fields are wrong, so that every
 * problem is named in one answer. Throws InvalidInput naming each bad field.
 */
function parseWith<S extends z.ZodTypeAny>(schema: S, form: FormData, relate: (raw: Record<string, string>) => Record<string, string>): z.infer<S> {
  const raw = formObject(form);
  const result = schema.safeParse(raw);
  const problems: Record<string, string> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? "form");
      problems[field] ??= /^\w+$/.test(issue.message) ? issue.message : "invalidText";
    }
  }
  for (const [field, problem] of Object.entries(relate(raw))) problems[field] ??= problem;
  if (Object.keys(problems).length > 0) throw new InvalidInput(problems);
  return result.data;
}

const clock = (v: string | undefined) => (v ?? "").trim().slice(0, 5);

/** The end field's problem when both times are well formed and the end is not after the start. */
function endAfterStart(raw: Record<string, string | undefined>): Record<string, string> {
  const start = clock(raw.start);
  const end = clock(raw.end);
  const ok = TIME_RE.test(start) && (TIME_RE.test(end) || end === "24:00");
  return ok && end !== "24:00" && end <= start ? { end: "endNotAfterStart" } : {};
}

export function parseBookingForm(form: FormData): BookingForm {
  return parseWith(bookingSchema, form, endAfterStart);
}

/** The date and times alone, as the move form sends them. */
export function parseWhenForm(form: FormData): z.infer<typeof whenSchema> {
  return parseWith(whenSchema, form, endAfterStart);
}

export function parseSeriesForm(form: FormData): SeriesForm {
  return parseWith(seriesSchema, form, (raw): Record<string, string> => {
    const from = (raw.from ?? "").trim();
    const until = (raw.until ?? "").trim();
    return DATE_RE.test(from) && DATE_RE.test(until) && until < from ? { until: "untilBeforeFrom" } : {};
  });
}

/**
 * "Book it every week instead": the series form with the booking form's day
 * and time. What was typed may be no date at all ("2026-02-30", sent back
 * with its message): then the link carries no weekday and no first date.
 */
export function seriesLink(slug: string, values: Record<string, string>): string {
  const query = new URLSearchParams();
  if (values.date && isLocalDate(values.date)) {
    query.set("weekday", String(weekdayOf(values.date)));
    query.set("from", values.date);
  }
  if (values.start && TIME_RE.test(values.start)) query.set("startTime", values.start);
  return `/venues/${slug}/series${query.size ? `?${query}` : ""}`;
}
