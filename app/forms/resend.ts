// A form refused for a stale token comes back with what was in it
// (app/accounts/csrf.server.ts, staleOrRefused). Plain, for both sides: the
// server decides whether there is anything to send back, the error page and
// the page title (app/i18n/meta.ts) find it in the error they show.
import { hasMessage, type MessageKey } from "~/i18n";

/** The hidden field with the form's CSRF token (app/accounts/csrf.server.ts). */
export const CSRF_FIELD = "csrf";

/** What the error page needs to send a refused form again. */
export interface FormToResend {
  /** Where the form went: a path on this site. */
  action: string;
  /** Every field but the old token, in order (repeated names kept). */
  fields: [string, string][];
  /** This browser's token as it is now. */
  token: string;
  /**
   * Who is signed in now, so they see whose name it goes in under; null when
   * nobody is (signed out in another tab): sent at once it would only meet
   * the sign-in page, so the page asks them to sign in first.
   */
  signedInAs: string | null;
}

/**
 * The fields a person types or picks, shown on the page by their label. A
 * form with none of them filled in (a caretaker's approve button, sign-out)
 * has nothing to lose: it is refused as before, not offered again blind.
 */
export const WRITTEN_FIELDS: ReadonlySet<string> = new Set([
  "title", "purpose", "noteToCaretaker", "expectedAttendees", "date", "start", "end", "startsOn", "endsOn",
  "weekday", "startTime", "durationMinutes", "from", "until",
  "reason", "message", "description", "accessibilityNotes", "name", "phone", "email", "contactEmail", "orgNumber",
]);

export function writtenIn(fields: readonly [string, string][]): [string, string][] {
  return fields.filter(([name, value]) => WRITTEN_FIELDS.has(name) && value.trim() !== "");
}

type Labels = Readonly<Partial<Record<string, MessageKey>>>;

const BOOKING_DETAILS: Labels = { title: "book.title", purpose: "book.purpose", expectedAttendees: "book.attendees", noteToCaretaker: "book.note" };
const BOOKING_WHEN: Labels = { date: "book.date", start: "book.start", end: "book.end" };

/**
 * The label each form shows beside a written field, by the path the form is
 * sent to (and its intent where one page has forms that name a field alike):
 * the list of what was written names each field as the form did ("Fra og
 * med"), not as an error sentence does ("Fra og med-datoen", field.*).
 */
const FORM_LABELS: readonly { path: RegExp; labels: Labels | ((intent: string | undefined) => Labels) }[] = [
  { path: /^\/venues\/[^/]+\/book$/, labels: { ...BOOKING_WHEN, ...BOOKING_DETAILS } },
  {
    path: /^\/venues\/[^/]+\/series$/,
    labels: { weekday: "series.weekday", startTime: "series.startTime", durationMinutes: "series.duration", from: "series.from", until: "series.until", ...BOOKING_DETAILS },
  },
  { path: /^\/bookings\/[^/]+\/move$/, labels: BOOKING_WHEN },
  { path: /^\/bookings\/[^/]+\/cancel$/, labels: { reason: "cancel.reason" } },
  { path: /^\/caretaker\/requests$/, labels: { reason: "caretaker.requests.reason" } },
  { path: /^\/caretaker\/block$/, labels: { date: "caretaker.block.date", start: "caretaker.block.start", end: "caretaker.block.end", reason: "caretaker.block.reason" } },
  // The form's own label names the association ("Hvorfor avvises {association}?"), which the form does not carry.
  { path: /^\/admin\/associations$/, labels: { reason: "adminAssociations.reason" } },
  { path: /^\/admin\/venues\/[^/]+\/hours$/, labels: { startsOn: "admin.hours.startsOn", endsOn: "admin.hours.endsOn", reason: "admin.hours.reason", message: "admin.hours.message" } },
  {
    path: /^\/admin\/venues\/[^/]+$/,
    labels: { name: "adminVenues.form.name", description: "adminVenues.form.description", accessibilityNotes: "adminVenues.form.accessibilityNotes" },
  },
  // A caretaker's form names its building ("Ny vaktmester for {site} (e-post)"), which the form carries only as an id.
  { path: /^\/admin\/people$/, labels: (intent) => ({ email: intent === "giveAdmin" ? "people.adminEmail" : "association.invite.email" }) },
  { path: /^\/associations\/new$/, labels: { name: "association.name", orgNumber: "association.orgNumber", contactEmail: "association.contactEmail" } },
  { path: /^\/associations\/[^/]+$/, labels: { email: "association.invite.email" } },
  { path: /^\/account$/, labels: { name: "account.name.label", phone: "account.phone.label" } },
  { path: /^\/signin$/, labels: { email: "signin.email" } },
];

/** The label of a written field of the form sent to `action`: the form's own; for a form not listed, the field's name in error sentences. */
export function writtenLabel(action: string, fields: readonly [string, string][], name: string): MessageKey | null {
  const path = action.split("?")[0] ?? "";
  const form = FORM_LABELS.find((f) => f.path.test(path));
  const labels = typeof form?.labels === "function" ? form.labels(fields.find(([n]) => n === "intent")?.[1]) : form?.labels;
  const own = labels?.[name];
  if (own) return own;
  const generic = `field.${name}`;
  return hasMessage(generic) ? generic : null;
}

/**
 * Words that make a field a secret wherever they stand in its name. Whole
 * words only: "postcode", "barcode" or "passengers" hold nothing secret,
 * while "password", "signInCode" and "csrf_token" do. A code after another
 * word ("postCode") counts too: refusing to write it back costs only the
 * resend. Not "key": the idempotency key must come back with the form, so
 * that sending it again still books once.
 */
const SECRET_WORDS: ReadonlySet<string> = new Set(["pass", "password", "passwd", "passphrase", "passcode", "pwd", "pin", "otp", "code", "token", "secret"]);

/** A field name's words: split at anything but a letter and where camelCase starts a word ("signInCode", "APIToken"). */
export function nameWords(name: string): string[] {
  return name
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .split(/[^\p{L}]+/u)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * A name written as one lowercase word ("newpassword", "csrftoken",
 * "signincode") has no words to split: these endings and stems make it a
 * secret all the same (found in review). Codes that are plainly not secrets
 * are named, so "postcode" still comes back.
 */
const SECRET_STEMS = /passw|passphrase|passcode|(token|secret)s?$|code$/;
const PLAIN_CODES: ReadonlySet<string> = new Set(["postcode", "zipcode", "barcode", "areacode", "countrycode", "languagecode"]);

/** Whether a field holds what would hand a secret to whoever sees the page it is written into. */
export function isSecretField(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => SECRET_WORDS.has(w) || (SECRET_STEMS.test(w) && !PLAIN_CODES.has(w)));
}

/** A path on this site: "/x", not "//other.example/x" or "/\other.example" (which browsers read as another host). */
export function isLocalPath(path: string): boolean {
  return /^\/(?![/\\])/.test(path);
}

export function resendOf(data: unknown): FormToResend | null {
  if (typeof data !== "object" || data === null || !("resend" in data)) return null;
  const r = data.resend as Partial<FormToResend> | null;
  const valid =
    r &&
    typeof r.action === "string" &&
    isLocalPath(r.action) &&
    typeof r.token === "string" &&
    Array.isArray(r.fields) &&
    (r.signedInAs === null || typeof r.signedInAs === "string");
  return valid ? (r as FormToResend) : null;
}

/**
 * The fields of a refused form that may be sent back, all but the token, in
 * order; null when nothing was written in it, or it holds a file or a field
 * named like a secret. `action` must be a path plainly ours.
 */
export function resendableFields(form: FormData, action: string): [string, string][] | null {
  const fields: [string, string][] = [];
  for (const [name, value] of form) {
    if (name === CSRF_FIELD) continue;
    if (typeof value !== "string" || isSecretField(name)) return null;
    fields.push([name, value]);
  }
  return writtenIn(fields).length > 0 && isLocalPath(action.split("?")[0] ?? "") ? fields : null;
}
