// What the admin's venue pages show and how their forms are read: the list
// of the owner's sites and venues, the new-venue form (site, whole, fields,
// a first week of opening hours) and the edit page. Authorization comes from
// app/admin/access.server.ts; the writes are in venues.server.ts and
// venue-archive.server.ts.
import type { Database } from "db/client";
import { requireAdminOfVenue, requireAdminOwner } from "~/admin/access.server";
import { hoursField, parseHoursField, validateWeeklyHours, WEEKDAYS } from "~/admin/hours";
import { VENUE_FIELDS, type VenueField, type VenueInput, venueInputSchema } from "~/admin/venue-input";
import { createVenue, type OpeningInterval } from "~/admin/venues.server";
import { weekdayName } from "~/booking/when";
import { gatherInvalid, InvalidInput, NotFound } from "~/errors/domain-errors";
import { type Language, translate, translateOr } from "~/i18n";

export interface VenueLine {
  id: number;
  name: string;
  slug: string;
  kind: string;
  capacity: number;
  archived: boolean;
}

export interface SiteVenues {
  id: number;
  name: string;
  address: string;
  /** The wholes (and venues without parts), each with its parts. */
  venues: (VenueLine & { parts: VenueLine[] })[];
}

async function ownerSites(db: Database, ownerId: number) {
  return db.selectFrom("sites").select(["id", "name", "address"]).where("owner_id", "=", ownerId).orderBy("name").orderBy("id").execute();
}

/** The owner's sites, each with its venues: wholes by name, each with its parts by name. */
export async function loadVenueList(db: Database, viewerId: number, ownerId?: number | null) {
  const owner = await requireAdminOwner(db, viewerId, ownerId);
  const sites = await ownerSites(db, owner.id);
  const venues =
    sites.length === 0
      ? []
      : await db
          .selectFrom("venues")
          .select(["id", "site_id", "parent_id", "name", "slug", "kind", "capacity", "archived_at"])
          .where("site_id", "in", sites.map((s) => s.id))
          .orderBy("name")
          .orderBy("id")
          .execute();
  const line = (v: (typeof venues)[number]): VenueLine => ({
    id: v.id,
    name: v.name,
    slug: v.slug,
    kind: v.kind,
    capacity: v.capacity,
    archived: v.archived_at !== null,
  });
  const result: SiteVenues[] = sites.map((s) => ({
    ...s,
    venues: venues
      .filter((v) => v.site_id === s.id && v.parent_id === null)
      .map((whole) => ({ ...line(whole), parts: venues.filter((p) => p.parent_id === whole.id).map(line) })),
  }));
  return { owner: { id: owner.id, name: owner.name }, sites: result };
}

/** Choices of the new-venue form: the owner's sites, and the wholes a new part can belong to. */
export async function loadNewVenueForm(db: Database, viewerId: number, ownerId?: number | null) {
  const owner = await requireAdminOwner(db, viewerId, ownerId);
  const sites = await ownerSites(db, owner.id);
  const wholes =
    sites.length === 0
      ? []
      : await db
          .selectFrom("venues")
          .select(["id", "name", "site_id"])
          .where("site_id", "in", sites.map((s) => s.id))
          .where("parent_id", "is", null)
          .where("archived_at", "is", null)
          .orderBy("name")
          .execute();
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  return {
    owner: { id: owner.id, name: owner.name },
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
    wholes: wholes.map((w) => ({ id: w.id, label: `${w.name} (${siteName.get(w.site_id)})` })),
  };
}

/** The venue as its edit form shows it: every field as the text the form holds. */
export async function loadVenueEdit(db: Database, viewerId: number, venueId: number) {
  await requireAdminOfVenue(db, viewerId, venueId);
  const v = await db
    .selectFrom("venues as v")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .leftJoin("venues as p", "p.id", "v.parent_id")
    .selectAll("v")
    .select(["s.name as site_name", "p.name as parent_name", "p.archived_at as parent_archived_at"])
    .where("v.id", "=", venueId)
    .executeTakeFirst();
  if (!v) throw new NotFound("venue");
  const parts = await db.selectFrom("venues").select(["id", "name", "archived_at"]).where("parent_id", "=", venueId).orderBy("name").execute();
  const values: Record<VenueField, string> = {
    name: v.name,
    slug: v.slug,
    kind: v.kind,
    capacity: String(v.capacity),
    amenities: v.amenities.join(";"),
    stepFree: v.step_free ? "on" : "",
    accessibilityNotes: v.accessibility_notes,
    description: v.description,
    approvalMode: v.approval_mode,
    minDurationMinutes: String(v.min_duration_minutes),
    maxDurationMinutes: String(v.max_duration_minutes),
    horizonDays: String(v.horizon_days),
    minNoticeMinutes: String(v.min_notice_minutes),
    bufferMinutes: String(v.buffer_minutes),
    weeklyQuotaMinutes: v.weekly_quota_minutes === null ? "" : String(v.weekly_quota_minutes),
  };
  return {
    venue: {
      id: v.id,
      name: v.name,
      slug: v.slug,
      siteName: v.site_name,
      parentName: v.parent_name,
      parentArchived: v.parent_archived_at !== null && v.parent_archived_at !== undefined,
      timeZone: v.time_zone,
      archived: v.archived_at !== null,
      parts: parts.map((p) => ({ id: p.id, name: p.name, archived: p.archived_at !== null })),
    },
    values,
  };
}

/** The venue fields of a form as strings (amenities: every ticked box), to show again after a problem. */
export function venueFormValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of VENUE_FIELDS) values[f] = f === "amenities" ? form.getAll("amenities").map(String).join(";") : String(form.get(f) ?? "").slice(0, 6000);
  for (const w of WEEKDAYS) for (const end of ["opens", "closes"] as const) values[hoursField(w, 0, end)] = String(form.get(hoursField(w, 0, end)) ?? "").slice(0, 20);
  for (const f of ["siteId", "parentId"]) values[f] = String(form.get(f) ?? "").slice(0, 20);
  return values;
}

/** Reads the venue fields; InvalidInput names every bad one. Amenities come from all ticked boxes. */
export function parseVenueFields(form: FormData, problems: Record<string, string> = {}): VenueInput | null {
  const raw: Record<string, unknown> = {};
  for (const f of VENUE_FIELDS) raw[f] = f === "amenities" ? form.getAll("amenities").map(String) : (form.get(f) ?? undefined);
  const parsed = venueInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "form");
    problems[field] ??= /^\w+$/.test(issue.message) ? issue.message : "invalidText";
  }
  return null;
}

const ID_RE = /^\d{1,15}$/;

/** Every problem of the new-venue form at once: site, whole, venue fields and the week's hours. */
export function parseNewVenueForm(form: FormData): { siteId: number; parentId: number | null; input: VenueInput; hours: OpeningInterval[] } {
  const problems: Record<string, string> = {};
  const site = String(form.get("siteId") ?? "");
  if (!ID_RE.test(site)) problems.siteId = site === "" ? "required" : "invalidChoice";
  const parent = String(form.get("parentId") ?? "");
  if (parent !== "" && !ID_RE.test(parent)) problems.parentId = "invalidChoice";
  const input = parseVenueFields(form, problems);
  const rows = WEEKDAYS.map((weekday) => ({
    weekday,
    row: 0,
    opens: String(form.get(hoursField(weekday, 0, "opens")) ?? ""),
    closes: String(form.get(hoursField(weekday, 0, "closes")) ?? ""),
  }));
  const hours = gatherInvalid(problems, () => validateWeeklyHours(rows));
  if (Object.keys(problems).length > 0 || !input || !hours) throw new InvalidInput(problems);
  return { siteId: Number(site), parentId: parent === "" ? null : Number(parent), input, hours };
}

/** Creates the venue with its hours, all or nothing. */
export async function addVenue(db: Database, actorId: number, form: ReturnType<typeof parseNewVenueForm>) {
  return db.transaction().execute((trx) => createVenue(trx, { actorId, ...form }));
}

/** A field's name in a sentence; an hours field reads "Monday opens". */
export function fieldLabel(lang: Language, field: string): string {
  const h = parseHoursField(field);
  if (h) return translate(lang, `adminVenues.hours.${h.end}Field`, { day: weekdayName(lang, h.weekday) });
  // The venue's capacity, not the search filter's "room for at least" (field.capacity).
  if (field === "capacity") return translate(lang, "venue.capacityLabel");
  return translateOr(lang, `field.${field}`, field);
}

/** Messages beside the fields for an InvalidInput of these forms, hours fields included. */
export function venueFieldErrors(lang: Language, fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, problem] of Object.entries(fields)) {
    const sentence = translate(lang, "error.invalidInput.item", { field: fieldLabel(lang, field), problem: translateOr(lang, `problem.${problem}`, problem) });
    out[field] = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
  }
  return out;
}
