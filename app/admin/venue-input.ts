// A venue's details and booking rules as an admin types them, in the admin's
// venue form and in the CSV import alike: one zod schema over strings (what a
// form or a CSV cell holds) whose messages are problem codes (app/i18n:
// problem.*), so both report every bad field at once in the person's
// language. Pure; the database checks the same bounds again.
import { z } from "zod";
import { cleanTextField, required } from "~/booking/booking-form";

/** Kinds a venue can be; each has a label `kind.<key>` in app/i18n. */
export const VENUE_KINDS = ["sports-hall", "hall", "meeting-room", "kitchen", "gym", "music-room"] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];

/** Equipment a venue can list; each has a label `amenity.<key>` in app/i18n. */
export const AMENITIES = [
  "projector",
  "piano",
  "kitchen",
  "wifi",
  "sound-system",
  "whiteboard",
  "dishwasher",
  "changing-rooms",
  "mirrors",
  "weights",
  "stage",
  "drums",
] as const;
export type Amenity = (typeof AMENITIES)[number];

export const APPROVAL_MODES = ["auto", "manual"] as const;

/** Field names in the order the form and the CSV columns show them. */
export const VENUE_FIELDS = [
  "name",
  "slug",
  "kind",
  "capacity",
  "amenities",
  "stepFree",
  "accessibilityNotes",
  "description",
  "approvalMode",
  "minDurationMinutes",
  "maxDurationMinutes",
  "horizonDays",
  "minNoticeMinutes",
  "bufferMinutes",
  "weeklyQuotaMinutes",
] as const;
export type VenueField = (typeof VENUE_FIELDS)[number];

/** Bounds a person can understand; wider than any real venue needs, narrow enough to catch typos. */
export const VENUE_LIMITS = {
  name: 120,
  slug: 80,
  accessibilityNotes: 2000,
  description: 5000,
  capacity: 100_000,
  minDurationMinutes: { min: 5, max: 24 * 60 },
  maxDurationMinutes: { min: 5, max: 7 * 24 * 60 },
  horizonDays: { min: 1, max: 2 * 366 },
  minNoticeMinutes: { min: 0, max: 30 * 24 * 60 },
  bufferMinutes: { min: 0, max: 240 },
  weeklyQuotaMinutes: { min: 15, max: 7 * 24 * 60 },
} as const;

export const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** "Storsalen A (mot scenen)" → "storsalen-a-mot-scenen"; æøå spelled out as Norwegians do in addresses. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/å/g, "a")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, VENUE_LIMITS.slug)
    .replace(/-+$/, "");
}

// The venue's texts follow every other form's rules (cleanText): control
// characters refused (a NUL reached PostgreSQL as a 500, and a bell or an
// escape was shown on the public venue page), line breaks kept, NFC.
const text = (max: number) => cleanTextField({ max, multiline: true });

/** A whole number in [min, max]; `problem` when it is not a whole number. */
const wholeNumber = (min: number, max: number) =>
  required()
    .refine((v) => /^\d{1,9}$/.test(v), "wholeNumber")
    .transform(Number)
    .pipe(z.number().min(min, "tooSmall").max(max, "tooLarge"));

const optionalWholeNumber = (min: number, max: number) =>
  z
    .string({ invalid_type_error: "invalidText" })
    .optional()
    .transform((v) => (v ?? "").trim())
    // Not z.union: a union's failure says "Invalid input" instead of the number's own problem code.
    .transform((v, ctx): number | null => {
      if (v === "") return null;
      const r = wholeNumber(min, max).safeParse(v);
      if (r.success) return r.data;
      for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
      return z.NEVER;
    });

/** Checkbox ("on"), CSV ("ja", "yes", "true", "1") → true; empty, "nei", "no", "false", "0" → false. */
const yesNo = () =>
  z
    .string({ invalid_type_error: "invalidText" })
    .optional()
    .transform((v) => (v ?? "").trim().toLowerCase())
    .refine((v) => ["", "on", "ja", "yes", "true", "1", "nei", "no", "false", "0"].includes(v), "invalidYesNo")
    .transform((v) => ["on", "ja", "yes", "true", "1"].includes(v));

/** Form checkboxes arrive as an array; a CSV cell as "wifi;projector" (commas allowed too). */
const amenityList = () =>
  z
    .union([z.array(z.string()), z.string()], { errorMap: () => ({ message: "invalidChoice" }) })
    .optional()
    .transform((v) => (Array.isArray(v) ? v : (v ?? "").split(/[;,]/)).map((a) => a.trim()).filter((a) => a !== ""))
    .pipe(z.array(z.enum(AMENITIES, { errorMap: () => ({ message: "invalidChoice" }) })).max(AMENITIES.length, "invalidChoice"))
    .transform((list) => [...new Set(list)]);

const L = VENUE_LIMITS;

export const venueInputSchema = z
  .object({
    name: cleanTextField({ max: L.name, required: true }),
    slug: z
      .string({ invalid_type_error: "invalidText" })
      .optional()
      .transform((v) => (v ?? "").trim().toLowerCase())
      .refine((v) => v === "" || (v.length <= L.slug && SLUG_RE.test(v)), "invalidSlug"),
    kind: required().pipe(z.enum(VENUE_KINDS, { errorMap: () => ({ message: "invalidChoice" }) })),
    capacity: wholeNumber(1, L.capacity),
    amenities: amenityList(),
    stepFree: yesNo(),
    accessibilityNotes: text(L.accessibilityNotes),
    description: text(L.description),
    approvalMode: required().pipe(z.enum(APPROVAL_MODES, { errorMap: () => ({ message: "invalidChoice" }) })),
    minDurationMinutes: wholeNumber(L.minDurationMinutes.min, L.minDurationMinutes.max),
    maxDurationMinutes: wholeNumber(L.maxDurationMinutes.min, L.maxDurationMinutes.max),
    horizonDays: wholeNumber(L.horizonDays.min, L.horizonDays.max),
    minNoticeMinutes: wholeNumber(L.minNoticeMinutes.min, L.minNoticeMinutes.max),
    bufferMinutes: wholeNumber(L.bufferMinutes.min, L.bufferMinutes.max),
    weeklyQuotaMinutes: optionalWholeNumber(L.weeklyQuotaMinutes.min, L.weeklyQuotaMinutes.max),
  })
  .superRefine((v, ctx) => {
    if (v.maxDurationMinutes < v.minDurationMinutes) {
      ctx.addIssue({ code: "custom", path: ["maxDurationMinutes"], message: "maxBelowMin" });
    }
    // A name that makes no slug (only punctuation, say); an empty name has its own message.
    // A refused name is no string here (zod still runs this check); its own problem is said already.
    if (v.slug === "" && typeof v.name === "string" && v.name && slugify(v.name) === "") ctx.addIssue({ code: "custom", path: ["slug"], message: "invalidSlug" });
  })
  // An empty slug means "make one from the name"; createVenue then numbers it
  // when another venue has it (two "Gymsal" in different buildings).
  .transform((v) => ({ ...v, slug: v.slug === "" ? slugify(v.name) : v.slug, slugFromName: v.slug === "" }));

export type VenueInput = z.output<typeof venueInputSchema>;

/** What a new venue's form starts with: the rules most municipal rooms use. */
export const VENUE_DEFAULTS: Record<VenueField, string> = {
  name: "",
  slug: "",
  kind: "meeting-room",
  capacity: "",
  amenities: "",
  stepFree: "",
  accessibilityNotes: "",
  description: "",
  approvalMode: "auto",
  minDurationMinutes: "30",
  maxDurationMinutes: "240",
  horizonDays: "180",
  minNoticeMinutes: "60",
  bufferMinutes: "0",
  weeklyQuotaMinutes: "",
};
