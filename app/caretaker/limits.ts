// Limits the caretaker forms and the domain share: plain values, so the
// pages (which run in the browser too) can put them on their inputs.

/** Longest reason for blocked time. */
export const MAX_REASON_LENGTH = 200;

/** Largest head count that can be recorded. */
export const MAX_ATTENDANCE = 10_000;
