// A closure as an admin types it: a range of local dates in the venue's zone
// (both ends inclusive) and a reason people read ("Juleferie", "Vannskade").
// Pure.
import { cleanText } from "~/booking/text";
import { gatherInvalid, InvalidInput } from "~/errors/domain-errors";
import type { Closure } from "~/time/opening";
import { addDays, checkedDate } from "~/time/zoned";

export const MAX_CLOSURE_REASON = 200;
/** A closure longer than this is a venue that is gone: archive it instead. */
export const MAX_CLOSURE_DAYS = 731;

export interface ClosureInput {
  startsOn: string;
  endsOn: string;
  reason: string;
}

/** The closure, or InvalidInput naming each bad field; `today` (local) refuses ranges that are over. */
export function validateClosure(input: ClosureInput, today: string): Closure {
  const problems: Record<string, string> = {};
  const date = (field: "startsOn" | "endsOn") => {
    if (!input[field]?.trim()) {
      problems[field] = "required";
      return false;
    }
    // Within ten years of today, as every date a person types: 9999-01-01 is "too far away", not a
    // failure of the day after it (which named a field "date" the form does not have).
    return gatherInvalid(problems, () => checkedDate(input[field], field, today)) !== null;
  };
  const okStart = date("startsOn");
  const okEnd = date("endsOn");
  if (okStart && okEnd) {
    if (input.endsOn < input.startsOn) problems.endsOn = "untilBeforeFrom";
    else if (input.endsOn < today) problems.endsOn = "inPast";
    else if (addDays(input.startsOn, MAX_CLOSURE_DAYS) <= input.endsOn) problems.endsOn = "rangeTooLong";
  }
  const reason = gatherInvalid(problems, () => cleanText("reason", input.reason, { max: MAX_CLOSURE_REASON, required: true }));
  if (Object.keys(problems).length > 0 || reason === null) throw new InvalidInput(problems);
  return { startsOn: input.startsOn, endsOn: input.endsOn, reason };
}
