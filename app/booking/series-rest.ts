// What became of "this date and the later ones" of a series when none of them
// can be cancelled any more, for the words of the refusal (the engine's and the
// cancel page's alike). The chosen date's own status said the wrong thing: a
// date that is over is still "confirmed", and a rejected one says nothing of
// the later dates someone has cancelled meanwhile.
import type { BookingStatus } from "db/schema";

export type RestStanding = BookingStatus | "past";

/** Most telling first: when any of them is cancelled, what the person came to do is done. */
const ORDER: readonly BookingStatus[] = ["cancelled", "rejected", "confirmed", "pending"];

/**
 * The dates from the chosen one on, in any order: the most telling status of
 * those that have not ended; none left to come: "past".
 */
export function restStanding(dates: readonly { status: BookingStatus; ended: boolean }[]): RestStanding {
  const ahead = new Set(dates.filter((d) => !d.ended).map((d) => d.status));
  return ORDER.find((s) => ahead.has(s)) ?? "past";
}
