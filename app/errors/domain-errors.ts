// Typed errors of the domain. Each carries a code (the key of its message in
// app/i18n) and the parameters the message needs; app/errors/http.ts maps them
// to HTTP statuses and words in one place.

export type ErrorParams = Record<string, string | number>;

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  constructor(readonly params: ErrorParams = {}) {
    // No message argument: an own `message` property would hide the getter below.
    super();
    this.name = new.target.name;
  }
  override get message(): string {
    return `${this.code} ${JSON.stringify(this.params)}`;
  }
}

/** One or more fields of a request are malformed. */
export class InvalidInput extends DomainError {
  readonly code = "invalidInput";
  readonly status = 400;
  constructor(readonly fields: Record<string, string>) {
    super({ fields: Object.keys(fields).join(", ") });
  }
}

/**
 * Runs one field's check and, when it refuses with InvalidInput, adds its
 * problems to `problems` and gives null, so a form's checks all run and the
 * person sees every bad field at once (throw InvalidInput(problems) after).
 */
export function gatherInvalid<T>(problems: Record<string, string>, check: () => T): T | null {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof InvalidInput)) throw e;
    Object.assign(problems, e.fields);
    return null;
  }
}

export class NotFound extends DomainError {
  readonly code = "notFound";
  readonly status = 404;
  constructor(what: string) {
    super({ what });
  }
}

export class Forbidden extends DomainError {
  readonly code = "forbidden";
  readonly status = 403;
}

/** A local time that does not exist: the hour skipped when clocks spring forward. */
export class NonexistentLocalTime extends DomainError {
  readonly code = "nonexistentLocalTime";
  readonly status = 422;
  constructor(date: string, time: string, zone: string) {
    super({ date, time, zone });
  }
}

export class EndNotAfterStart extends DomainError {
  readonly code = "endNotAfterStart";
  readonly status = 422;
}

export class OutsideOpeningHours extends DomainError {
  readonly code = "outsideOpeningHours";
  readonly status = 422;
}

/**
 * A closure of one day is said as that day ("closed on 8 December"), not "from
 * 8 December to 8 December"; one of another venue (the whole, a part) names it.
 */
export class InClosure extends DomainError {
  readonly code: "inClosure" | "inClosureDay" | "inClosureOf" | "inClosureDayOf";
  readonly status = 422;
  constructor(reason: string, from: string, to: string, venue?: string | null) {
    const when: ErrorParams = from === to ? { date: from } : { from, to };
    super(venue ? { reason, venue, ...when } : { reason, ...when });
    this.code = `inClosure${from === to ? "Day" : ""}${venue ? "Of" : ""}` as InClosure["code"];
  }
}

export class DurationOutOfRange extends DomainError {
  readonly code = "durationOutOfRange";
  readonly status = 422;
  constructor(min: number, max: number) {
    super({ min, max });
  }
}

export class BeyondHorizon extends DomainError {
  readonly code = "beyondHorizon";
  readonly status = 422;
  constructor(days: number) {
    super({ days });
  }
}

export class TooShortNotice extends DomainError {
  /** A start already gone by is said so: "at least 2 hours before the start" read oddly for yesterday (found in QA). */
  readonly code: "tooShortNotice" | "startPassed";
  readonly status = 422;
  constructor(minutes: number, passed = false) {
    super({ minutes });
    this.code = passed ? "startPassed" : "tooShortNotice";
  }
}

export class OverCapacity extends DomainError {
  readonly code = "overCapacity";
  readonly status = 422;
  constructor(capacity: number) {
    super({ capacity });
  }
}

export class QuotaExceeded extends DomainError {
  readonly code = "quotaExceeded";
  readonly status = 422;
  constructor(quotaMinutes: number, usedMinutes: number) {
    super({ quotaHours: quotaMinutes / 60, usedHours: Math.round((usedMinutes / 60) * 10) / 10 });
  }
}

/**
 * An association the municipality has not verified yet holds as many coming
 * bookings as it may until it is (app/booking/unverified.server.ts).
 */
export class UnverifiedLimit extends DomainError {
  readonly code = "unverifiedLimit";
  readonly status = 422;
  constructor(max: number, held: number, adding: number) {
    super({ ceiling: max, held, adding });
  }
}

/** A person leads as many associations waiting for verification as one may register. */
export class TooManyUnverified extends DomainError {
  readonly code = "tooManyUnverified";
  readonly status = 422;
  constructor(max: number) {
    super({ ceiling: max });
  }
}

/** The slot is taken. Names the booking in the way when it is still there. */
export class BookingConflict extends DomainError {
  readonly code = "bookingConflict";
  readonly status = 409;
  constructor(readonly conflictingBookingId: string | null) {
    super({ booking: conflictingBookingId ?? "" });
  }
}

export interface SeriesConflictDate {
  date: string;
  /** The booking it collides with, or null for a closure or the quota. */
  bookingId: string | null;
  /** "quota": the date would take the association over the venue's weekly quota. */
  reason: "booking" | "closure" | "quota";
}

/** Some dates of a series collide and the caller did not consent to skip them. */
export class SeriesConflict extends DomainError {
  readonly code = "seriesConflict";
  readonly status = 409;
  constructor(readonly conflicts: SeriesConflictDate[]) {
    super({ count: conflicts.length, dates: conflicts.map((c) => c.date).join(", ") });
  }
}

export class InvalidTransition extends DomainError {
  /**
   * A series has a sentence of its own: "Bookingen har status …" named a series
   * a booking. So has "this date and the later ones" of a series (cancelling
   * from a date on): neither the chosen booking nor the whole series, whose
   * earlier dates may still stand.
   */
  readonly code: "invalidTransition" | "invalidSeriesTransition" | "invalidSeriesRestTransition";
  readonly status = 409;
  constructor(from: string, action: string, of: "booking" | "series" | "seriesRest" = "booking") {
    super({ from, action });
    this.code = of === "series" ? "invalidSeriesTransition" : of === "seriesRest" ? "invalidSeriesRestTransition" : "invalidTransition";
  }
}

/** A move to the time the booking already has: nothing would change, so nothing is done (no mail, no new SEQUENCE). */
export class UnchangedTime extends DomainError {
  readonly code = "unchangedTime";
  readonly status = 422;
}

/** The same idempotency key was sent with a different request. */
export class IdempotencyKeyReused extends DomainError {
  readonly code = "idempotencyKeyReused";
  readonly status = 422;
}

/** Too many requests of one kind from one address or client; try again after `minutes`. */
export class TooManyRequests extends DomainError {
  readonly code = "tooManyRequests";
  readonly status = 429;
  constructor(minutes: number) {
    super({ minutes });
  }
}

/** The change would leave an association without a leader. */
export class LastLeader extends DomainError {
  readonly code = "lastLeader";
  readonly status = 409;
}

/** The change would leave an owner without an admin (the database's owner_admins_keep_an_admin agrees). */
/** An owner admin changed the venue's parts while it was being booked: try again (app/booking/venue-lock.server.ts). */
export class VenueChanged extends DomainError {
  readonly code = "venueChanged";
  readonly status = 409;
}

/** An owner admin turned the association down (not a real organisation, say): it books nothing. */
export class AssociationRejected extends DomainError {
  readonly code = "associationRejected";
  readonly status = 403;
}

export class LastAdmin extends DomainError {
  readonly code = "lastAdmin";
  readonly status = 409;
}

/** Another association already holds the organisation number (verified, or registered and not rejected). */
export class OrgNumberTaken extends DomainError {
  readonly code = "orgNumberTaken";
  readonly status = 409;
  constructor(orgNumber: string, association: string) {
    super({ orgNumber, association });
  }
}

/** A block that has ended is history: it is not removed afterwards. */
export class BlockOver extends DomainError {
  readonly code = "blockOver";
  readonly status = 409;
}

/** Attendance is recorded once a booking has started, not before. */
export class AttendanceTooEarly extends DomainError {
  readonly code = "attendanceTooEarly";
  readonly status = 409;
}

/** A form without this browser's CSRF token, or sent from another site. */
export class InvalidFormToken extends DomainError {
  readonly code = "invalidFormToken";
  readonly status = 403;
}

/**
 * A form from this site whose token no longer matches: the page was opened
 * before the person signed in or out (here or in another tab). What was
 * typed is sent back to be sent again (app/accounts/csrf.server.ts).
 */
export class StaleFormToken extends DomainError {
  readonly code = "staleFormToken";
  readonly status = 403;
}

/**
 * A form with a valid token from a browser whose session has ended since the
 * page was opened (expired, or ended from another device): what was typed is
 * sent back, to be sent again once signed in (app/accounts/session.server.ts).
 */
export class SessionEnded extends DomainError {
  readonly code = "sessionEnded";
  readonly status = 403;
}

/** A form larger than any of Flokk's forms can be (app/accounts/csrf.server.ts). */
export class FormTooLarge extends DomainError {
  readonly code = "formTooLarge";
  readonly status = 413;
}

/** A booking an admin is shown before archiving a venue (app/admin/venue-archive.server.ts). */
export interface BookingInTheWay {
  id: string;
  venueName: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Archiving a venue that still has active future bookings: refused until the
 * admin confirms keeping them (`canKeep`), or — for a part of a venue, where
 * kept bookings would stop blocking the whole — until they are cancelled.
 */
export class VenueHasBookings extends DomainError {
  readonly code = "venueHasBookings";
  readonly status = 409;
  constructor(
    readonly bookings: BookingInTheWay[],
    readonly canKeep: boolean,
  ) {
    super({ count: bookings.length });
  }
}
