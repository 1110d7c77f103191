// The venue search as a query string: read it, check it with one schema, and
// turn it into the filters app/venues/search.server.ts understands. The URL is
// the search, so it can be bookmarked and shared.
import { z } from "zod";
import { fieldMessage } from "~/forms/form.server";
import type { Language } from "~/i18n";
import { parseLocalDate } from "~/time/zoned";
import type { SearchFilters } from "./search.server";

const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d(:00)?$/;

/** The query as typed, echoed back into the form. */
export interface SearchValues {
  kind: string[];
  amenity: string[];
  capacity: string;
  stepFree: boolean;
  date: string;
  start: string;
  end: string;
}

export function readQuery(params: URLSearchParams): SearchValues {
  const text = (name: string) => (params.get(name) ?? "").trim().slice(0, 100);
  const flag = params.get("stepFree");
  return {
    kind: params.getAll("kind").slice(0, 100),
    amenity: params.getAll("amenity").slice(0, 100),
    capacity: text("capacity"),
    stepFree: flag === "true" || flag === "on",
    date: text("date"),
    start: text("start"),
    end: text("end"),
  };
}

const choice = z.string().max(60, "invalidChoice").regex(SLUG_RE, "invalidChoice");

// Each message is a problem code: the key under `problem.` in app/i18n.
export const searchSchema = z
  .object({
    kind: z.array(choice).max(50, "invalidChoice"),
    amenity: z.array(choice).max(50, "invalidChoice"),
    capacity: z.string().superRefine((v, ctx) => {
      if (v === "") return;
      if (!/^\d+$/.test(v) || Number(v) <= 0) ctx.addIssue({ code: "custom", message: "positiveInteger" });
      else if (Number(v) > 100_000) ctx.addIssue({ code: "custom", message: "tooLarge" });
    }),
    stepFree: z.boolean(),
    date: z.string(),
    start: z.string(),
    end: z.string(),
  })
  .superRefine((v, ctx) => {
    if (!v.date && !v.start && !v.end) return;
    const problem = (field: "date" | "start" | "end", message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    if (!v.date) problem("date", "required");
    else {
      try {
        parseLocalDate(v.date);
      } catch {
        problem("date", "invalidDate");
      }
    }
    const startOk = TIME_RE.test(v.start);
    const endOk = TIME_RE.test(v.end) || v.end === "24:00";
    if (!v.start) problem("start", "required");
    else if (!startOk) problem("start", "invalidTime");
    if (!v.end) problem("end", "required");
    else if (!endOk) problem("end", "invalidTime");
    else if (startOk && v.end.slice(0, 5) <= v.start.slice(0, 5)) problem("end", "endNotAfterStart");
  });

export function toFilters(v: z.infer<typeof searchSchema>): SearchFilters {
  return {
    kinds: v.kind,
    amenities: v.amenity,
    capacityAtLeast: v.capacity === "" ? null : Number(v.capacity),
    stepFree: v.stepFree,
    free: v.date ? { date: v.date, start: v.start.slice(0, 5), end: v.end.slice(0, 5) } : null,
  };
}

/** Field → the sentence shown beside it, such as "Starttid er ikke et gyldig klokkeslett (skriv TT:MM)." */
export function fieldMessages(lang: Language, codes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(codes).map(([field, code]) => [field, fieldMessage(lang, field, code)]));
}


/** Field → message code for every problem the schema found (the first per field). */
export function schemaProblems(result: z.SafeParseReturnType<unknown, unknown>): Record<string, string> {
  const codes: Record<string, string> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? "form");
      codes[field] ??= issue.message;
    }
  }
  return codes;
}
