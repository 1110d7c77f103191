// The forms of /admin/venues/:id/hours as data: which change a POST asks for,
// the admin's answer to the list of affected bookings, and field errors with
// labels a person understands ("Mandag, tidsrom 2, stengetiden …").
import { z } from "zod";
import { InvalidInput } from "~/errors/domain-errors";
import { fieldMessage, fields, parseForm } from "~/forms/form.server";
import { type Language, translate } from "~/i18n";
import { weekdayName } from "~/booking/when";
import { hoursField, MAX_INTERVALS_PER_DAY, parseHoursField, WEEKDAYS } from "./hours";
import type { Consent, ScheduleChange } from "./schedule.server";

export const SCHEDULE_INTENTS = ["hours", "closure", "holidays", "remove"] as const;
export type ScheduleIntent = (typeof SCHEDULE_INTENTS)[number];

export function intentOf(form: FormData): ScheduleIntent {
  const intent = String(form.get("intent") ?? "");
  if (!(SCHEDULE_INTENTS as readonly string[]).includes(intent)) throw new InvalidInput({ intent: "invalidChoice" });
  return intent as ScheduleIntent;
}

// Lengths far above what the domain accepts, only so a huge field is not copied around; the domain says what is wrong.
const closureSchema = z.object({ startsOn: fields.text(100), endsOn: fields.text(100), reason: fields.text(5000) });
const removeSchema = z.object({ closureId: fields.id() });

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, 100) : "";
};

/** The change a POST asks for, and the values that describe it (to fill the form again, or carry to the confirmation). */
export function changeFromForm(intent: Exclude<ScheduleIntent, "remove">, form: FormData): { change: ScheduleChange; values: Record<string, string> } {
  if (intent === "holidays") return { change: { kind: "holidays" }, values: {} };
  if (intent === "closure") {
    const closure = parseForm(closureSchema, form);
    return { change: { kind: "closure", closure }, values: { ...closure } };
  }
  const values: Record<string, string> = {};
  const rows = WEEKDAYS.flatMap((weekday) =>
    Array.from({ length: MAX_INTERVALS_PER_DAY }, (_, row) => {
      const opens = str(form, hoursField(weekday, row, "opens"));
      const closes = str(form, hoursField(weekday, row, "closes"));
      if (opens) values[hoursField(weekday, row, "opens")] = opens;
      if (closes) values[hoursField(weekday, row, "closes")] = closes;
      return { weekday, row, opens, closes };
    }),
  );
  return { change: { kind: "hours", rows }, values };
}

export function closureIdFromForm(form: FormData): number {
  return parseForm(removeSchema, form).closureId;
}

/** The second step's answer (checked by the domain, which shows the list again beside any problem), or null on the first step. */
export function consentFromForm(form: FormData): Consent | null {
  if (form.get("confirm") !== "1") return null;
  const message = form.get("message");
  const seen = form.get("seen");
  return {
    action: str(form, "decision"),
    message: typeof message === "string" ? message : "",
    seen: typeof seen === "string" && seen !== "" ? seen.split(",", 2001) : [],
  };
}

/** Field name → sentence; the hour fields named by day and row. */
export function scheduleFieldErrors(lang: Language, problems: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(problems).map(([field, problem]) => {
      const hour = parseHoursField(field);
      if (!hour) return [field, fieldMessage(lang, field, problem)];
      const day = weekdayName(lang, hour.weekday);
      const label = translate(lang, hour.end === "opens" ? "admin.hours.fieldOpens" : "admin.hours.fieldCloses", {
        day: day.charAt(0).toLocaleUpperCase() + day.slice(1),
        n: hour.row + 1,
      });
      return [field, fieldMessage(lang, label, problem)];
    }),
  );
}
