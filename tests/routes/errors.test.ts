// Every domain error maps to a 4xx and to words in every language; anything
// else is a 500 with a generic message and no internal detail.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as errors from "../../app/errors/domain-errors";
import { errorResponse, toHttpError } from "../../app/errors/http";
import { defaultLanguage, getLanguage, hasMessage, languages } from "../../app/i18n";

const { DomainError, InvalidInput } = errors;

// Constructor arguments for the errors that need some; the rest take none.
const SAMPLE_ARGS: Record<string, unknown[]> = {
  InvalidInput: [{ title: "required", week: "invalidDate" }],
  NotFound: ["venue"],
  NonexistentLocalTime: ["2027-03-28", "02:30", "Europe/Oslo"],
  InClosure: ["Juleferie", "2026-12-21", "2027-01-02"],
  DurationOutOfRange: [30, 240],
  BeyondHorizon: [180],
  TooShortNotice: [120],
  OverCapacity: [30],
  QuotaExceeded: [240, 180],
  UnverifiedLimit: [20, 5, 16],
  TooManyUnverified: [3],
  BookingConflict: ["7d0b1f9e-3a5c-4c1e-9f2a-0a1b2c3d4e5f"],
  SeriesConflict: [[{ date: "2026-12-01", bookingId: null, reason: "closure" }, { date: "2026-12-08", bookingId: "x", reason: "booking" }]],
  InvalidTransition: ["cancelled", "approved"],
  TooManyRequests: [12],
  OrgNumberTaken: ["974760673", "Løvstad Idrettslag"],
  VenueHasBookings: [
    [{ id: "7d0b1f9e-3a5c-4c1e-9f2a-0a1b2c3d4e5f", venueName: "Storsalen", title: "Trening", startsAt: new Date("2027-01-05T17:00:00Z"), endsAt: new Date("2027-01-05T18:00:00Z") }],
    true,
  ],
};

type AnyErrorClass = new (...args: unknown[]) => InstanceType<typeof DomainError>;

/** Every concrete DomainError the module exports, so a new one cannot go untranslated. */
const domainErrors = Object.entries(errors as Record<string, unknown>)
  .filter(([, value]) => typeof value === "function" && value.prototype instanceof DomainError)
  .map(([name, value]) => [name, value as AnyErrorClass] as const);

const FIELD_CODES = [
  "required", "tooLong", "controlCharacters", "invalidText", "positiveInteger", "tooLarge", "invalidId", "invalidKey",
  "invalidDate", "invalidTime", "invalidZone", "invalidWeekday", "invalidInterval", "untilBeforeFrom",
  "tooManyOccurrences", "invalidDuration", "noOccurrences", "rangeTooLong",
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** Field codes the code really uses: the string values inside `new InvalidInput({...})`. */
function fieldCodesInSource(): string[] {
  const codes = new Set<string>();
  for (const file of sourceFiles(path.resolve("app"))) {
    for (const call of readFileSync(file, "utf8").matchAll(/new InvalidInput\(\{([^}]*)\}\)/g)) {
      for (const m of call[1]!.matchAll(/:\s*"(\w+)"/g)) codes.add(m[1]!);
    }
  }
  return [...codes];
}

/**
 * Field names the code refuses: the keys inside `new InvalidInput({...})`
 * (computed ones aside) and the names given to cleanId, cleanUuid and
 * cleanText. A form schema's own keys are not found this way.
 */
function fieldNamesInSource(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(path.resolve("app"))) {
    const source = readFileSync(file, "utf8");
    for (const call of source.matchAll(/new InvalidInput\(\{([^}]*)\}\)/g)) {
      for (const m of call[1]!.matchAll(/(?:^|,)\s*(\w+)\s*:/g)) names.add(m[1]!);
    }
    for (const m of source.matchAll(/\bclean(?:Id|Uuid|Text)\(\s*"(\w+)"/g)) names.add(m[1]!);
  }
  return [...names];
}

afterEach(() => vi.restoreAllMocks());

describe("error messages", () => {
  it("finds the domain errors", () => {
    expect(domainErrors.map(([name]) => name)).toEqual(expect.arrayContaining(Object.keys(SAMPLE_ARGS)));
    expect(domainErrors.length).toBeGreaterThanOrEqual(16);
  });

  it.each(domainErrors)("%s has a 4xx status and a message in every language", (name, ErrorClass) => {
    const error = new ErrorClass(...(SAMPLE_ARGS[name] ?? []));
    for (const lang of languages) {
      expect(hasMessage(`error.${error.code}`), `${lang.code}: error.${error.code}`).toBe(true);
      expect(lang.messages[`error.${error.code}` as keyof typeof lang.messages], lang.code).toBeTruthy();
      const { status, message } = toHttpError(error, lang);
      expect(status).toBe(error.status);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(message).not.toMatch(/[{}]/);
      expect(message).not.toBe(lang.messages["error.generic"]);
    }
  });

  it("fills in parameters as a person reads them", () => {
    const nb = defaultLanguage;
    const en = getLanguage("en");
    expect(toHttpError(new errors.DurationOutOfRange(30, 90), nb).message).toBe("En booking her må vare fra 30 minutter til 1 time og 30 minutter.");
    expect(toHttpError(new errors.DurationOutOfRange(60, 240), en).message).toBe("A booking here must last from 1 hour to 4 hours.");
    expect(toHttpError(new errors.InClosure("Juleferie", "2026-12-21", "2027-01-02"), nb).message).toBe(
      "Lokalet er stengt fra 21. desember 2026 til 2. januar 2027: Juleferie.",
    );
    expect(toHttpError(new errors.InClosure("Maling", "2026-12-08", "2026-12-08"), nb).message).toBe("Lokalet er stengt 8. desember 2026: Maling.");
    expect(toHttpError(new errors.InClosure("Painting", "2026-12-08", "2026-12-08"), en).message).toBe("The venue is closed on 8 December 2026: Painting.");
    expect(toHttpError(new errors.BeyondHorizon(1), en).message).toBe("You can only book up to 1 day ahead.");
    expect(toHttpError(new errors.QuotaExceeded(240, 90), nb).message).toContain("1,5 timer");
    // A count, not minutes (a parameter called max was read as a duration).
    expect(toHttpError(new errors.UnverifiedLimit(20, 1, 26), nb).message).toContain("høyst 20 kommende bookinger");
    expect(toHttpError(new errors.TooManyUnverified(3), nb).message).toContain("allerede 3 lag");
    expect(toHttpError(new errors.InvalidTransition("cancelled", "approved"), en).message).toBe("The booking is cancelled, so that cannot be done now.");
    // A booking that has ended is refused as "past", which is not a stored status but has its words too.
    expect(toHttpError(new errors.InvalidTransition("past", "cancelled"), en).message).toBe("The booking is over, so that cannot be done now.");
    expect(toHttpError(new errors.InvalidTransition("past", "moved"), nb).message).toBe("Bookingen har status «passert», så det kan ikke gjøres nå.");
    // A start gone by is not "too short notice".
    expect(toHttpError(new errors.TooShortNotice(120, true), en).message).toBe("That start time has already passed. Choose a time ahead.");
    expect(toHttpError(new errors.TooShortNotice(120), nb).message).toBe("Bookingen må gjøres minst 2 timer før start.");
    // A series is called a series, not a booking.
    expect(toHttpError(new errors.InvalidTransition("past", "approved", "series"), nb).message).toBe("Serien har status «passert», så det kan ikke gjøres nå.");
    expect(toHttpError(new errors.InvalidTransition("cancelled", "approved", "series"), en).message).toBe("The series is cancelled, so that cannot be done now.");
    // "This and later" of a series is neither the chosen booking nor the whole series.
    expect(toHttpError(new errors.InvalidTransition("cancelled", "cancelled", "seriesRest"), nb).message).toBe(
      "Denne og de senere datoene i serien har status «avlyst», så det kan ikke gjøres nå.",
    );
    expect(toHttpError(new errors.InvalidTransition("past", "cancelled", "seriesRest"), en).message).toBe(
      "This date and the later ones in the series are over, so that cannot be done now.",
    );
    expect(toHttpError(new errors.NotFound("booking"), en).message).toBe("Could not find the booking.");
    expect(toHttpError(new InvalidInput({ title: "required", expectedAttendees: "tooLarge" }), nb).message).toBe(
      "Noe er ikke riktig utfylt: Tittel må fylles ut; Antall deltakere er for stort.",
    );
  });

  it("has words for every field problem, listed and used", () => {
    const used = fieldCodesInSource();
    expect(used.length).toBeGreaterThan(10);
    for (const code of new Set([...FIELD_CODES, ...used])) {
      for (const lang of languages) {
        expect(hasMessage(`problem.${code}`), `problem.${code}`).toBe(true);
        const message = toHttpError(new InvalidInput({ date: code }), lang).message;
        expect(message, `${lang.code}: ${code}`).not.toContain(code);
      }
    }
  });

  it("names every field it refuses in words, never by the form's own name for it", () => {
    const names = fieldNamesInSource();
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      for (const lang of languages) expect(hasMessage(`field.${name}`), `${lang.code}: field.${name}`).toBe(true);
    }
  });

  it("turns anything else into a logged 500 with a generic message", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const secret = new Error("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2");
    for (const lang of languages) {
      const { status, message } = toHttpError(secret, lang);
      expect(status).toBe(500);
      expect(message).not.toContain("ECONNREFUSED");
      expect(message).toBe(lang.messages["error.generic"]);
    }
    expect(log).toHaveBeenCalledWith(secret);
    const res = errorResponse(secret, defaultLanguage);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: defaultLanguage.messages["error.generic"] });
  });
});

describe("language files", () => {
  // "{count}", and the number a plural form is chosen by ("{count|one:…|other:…}").
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)[}|]/g)].map((m) => m[1]).sort();

  it.each(languages.map((l) => [l.code, l] as const))("%s translates every key, with the same placeholders", (_code, lang) => {
    expect(Object.keys(lang.messages).sort()).toEqual(Object.keys(defaultLanguage.messages).sort());
    for (const [key, text] of Object.entries(defaultLanguage.messages)) {
      const translated = lang.messages[key as keyof typeof lang.messages];
      expect(translated.trim(), key).not.toBe("");
      expect(placeholders(translated), key).toEqual(placeholders(text));
    }
  });
});
