// Owner admins create venues: from the admin's venue form and from the CSV
// import alike, so both get the same checks (who may, which site, which
// parent, a free slug) and the same audit row.
import { sql, type Transaction } from "kysely";
import type { Database } from "db/client";
import type { DB } from "db/schema";
import { writeAudit } from "~/booking/booking-repository.server";
import { requireAdminOfSite, requireAdminOfVenue } from "~/admin/access.server";
import { claimLeafForWhole } from "~/admin/venue-claims.server";
import { VENUE_LIMITS, type VenueInput } from "~/admin/venue-input";
import { InvalidInput } from "~/errors/domain-errors";

/** A weekly opening interval in the venue's zone: ISO weekday 1–7, 'HH:MM'–'HH:MM' (closes may be '24:00'). */
export interface OpeningInterval {
  weekday: number;
  opens: string;
  closes: string;
}

export interface NewVenue {
  actorId: number;
  siteId: number;
  /** The whole venue this is a part of (a hall's half), at the same site. */
  parentId: number | null;
  input: VenueInput;
  hours?: readonly OpeningInterval[];
}

/** The slug's unique index refused the row: another admin took the slug between our check and the write. */
function isSlugTaken(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string };
  return err.code === "23505" && err.constraint === "venues_slug_key";
}

/**
 * Creates the venue with its opening hours, its whole's claims on it and an
 * audit row, in the caller's transaction (addVenue; the import, for several
 * at once): all of that is written or none, and a part's whole stays locked
 * until commit. A taken slug is InvalidInput { slug: "slugTaken" }.
 */
export async function createVenue(db: Transaction<DB>, v: NewVenue): Promise<{ id: number; slug: string }> {
  const ownerId = await requireAdminOfSite(db, v.actorId, v.siteId);
  const owner = await db.selectFrom("owners").select("time_zone").where("id", "=", ownerId).executeTakeFirstOrThrow();
  if (v.parentId !== null) await checkParent(db, v.siteId, v.parentId);
  const i = { ...v.input, slug: v.input.slugFromName ? await freeSlug(db, v.input.slug) : v.input.slug };
  if (!i.slugFromName && (await slugTaken(db, i.slug))) throw new InvalidInput({ slug: "slugTaken" });
  try {
    const row = await db
      .insertInto("venues")
      .values({
        site_id: v.siteId,
        parent_id: v.parentId,
        name: i.name,
        slug: i.slug,
        kind: i.kind,
        capacity: i.capacity,
        amenities: i.amenities,
        step_free: i.stepFree,
        accessibility_notes: i.accessibilityNotes,
        description: i.description,
        time_zone: owner.time_zone,
        approval_mode: i.approvalMode,
        min_duration_minutes: i.minDurationMinutes,
        max_duration_minutes: i.maxDurationMinutes,
        horizon_days: i.horizonDays,
        min_notice_minutes: i.minNoticeMinutes,
        buffer_minutes: i.bufferMinutes,
        weekly_quota_minutes: i.weeklyQuotaMinutes,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (v.hours && v.hours.length > 0) {
      await db
        .insertInto("opening_hours")
        .values(v.hours.map((h) => ({ venue_id: row.id, weekday: h.weekday, opens: h.opens, closes: h.closes })))
        .execute();
    }
    // A new leaf of the whole: its bookings must claim it too (app/admin/venue-claims.server.ts).
    if (v.parentId !== null) await claimLeafForWhole(db, v.parentId, row.id, null);
    await writeAudit(db, v.actorId, "venue", String(row.id), "created", null, row);
    return { id: row.id, slug: row.slug };
  } catch (e) {
    // Two admins choosing the same slug at once: the unique index decides.
    if (isSlugTaken(e)) throw new InvalidInput({ slug: "slugTaken" });
    throw e;
  }
}

export interface VenueChange {
  actorId: number;
  venueId: number;
  input: VenueInput;
  /** Only to refuse: a venue stays at its site and under its whole (claims and caretakers follow both). */
  siteId?: number;
  parentId?: number | null;
}

/**
 * Changes a venue's details and rules, with an audit row holding the row
 * before and after. Not its site, its whole or its time zone (the owner's):
 * moving is refused, since bookings' claims and the caretakers follow them.
 * New rules apply to requests from now on; bookings already made stay.
 */
export async function updateVenue(db: Database, v: VenueChange): Promise<{ id: number; slug: string }> {
  await requireAdminOfVenue(db, v.actorId, v.venueId);
  const i = v.input;
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom("venues").select(["site_id", "parent_id"]).where("id", "=", v.venueId).forUpdate().executeTakeFirstOrThrow();
      if (v.siteId !== undefined && v.siteId !== before.site_id) throw new InvalidInput({ siteId: "cannotMove" });
      if (v.parentId !== undefined && v.parentId !== before.parent_id) throw new InvalidInput({ parentId: "cannotMove" });
      const other = await trx.selectFrom("venues").select("id").where("slug", "=", i.slug).where("id", "<>", v.venueId).executeTakeFirst();
      if (other) throw new InvalidInput({ slug: "slugTaken" });
      const { rows } = await sql<{ id: number; slug: string }>`
        WITH old AS (SELECT to_jsonb(v) AS row FROM venues v WHERE v.id = ${v.venueId}),
        changed AS (
          UPDATE venues SET name = ${i.name}, slug = ${i.slug}, kind = ${i.kind}, capacity = ${i.capacity},
            amenities = ${i.amenities}::text[], step_free = ${i.stepFree}, accessibility_notes = ${i.accessibilityNotes},
            description = ${i.description}, approval_mode = ${i.approvalMode},
            min_duration_minutes = ${i.minDurationMinutes}, max_duration_minutes = ${i.maxDurationMinutes},
            horizon_days = ${i.horizonDays}, min_notice_minutes = ${i.minNoticeMinutes},
            buffer_minutes = ${i.bufferMinutes}, weekly_quota_minutes = ${i.weeklyQuotaMinutes}, updated_at = now()
          WHERE id = ${v.venueId}
          RETURNING *
        ), audit AS (
          INSERT INTO audit_log (actor_id, entity, entity_id, action, before, after)
          SELECT ${v.actorId}, 'venue', c.id::text, 'updated', (SELECT row FROM old), to_jsonb(c) FROM changed c
        )
        SELECT id, slug FROM changed`.execute(trx);
      return rows[0]!;
    });
  } catch (e) {
    if (isSlugTaken(e)) throw new InvalidInput({ slug: "slugTaken" });
    throw e;
  }
}

/** `base`, or the first of base-2, base-3, … that no venue has: for a slug made from the name, not typed. */
async function freeSlug(db: Database, base: string): Promise<string> {
  // Room for "-999" within the limit, and no "--" where a long base was cut after a hyphen.
  const stem = base.slice(0, VENUE_LIMITS.slug - 4).replace(/-+$/, "");
  const { rows } = await sql<{ slug: string }>`SELECT slug FROM venues WHERE slug = ${base} OR slug LIKE ${`${stem}-%`}`.execute(db);
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

export async function slugTaken(db: Database, slug: string): Promise<boolean> {
  const row = await db.selectFrom("venues").select("id").where("slug", "=", slug).executeTakeFirst();
  return row !== undefined;
}

/**
 * A part belongs to a whole venue at the same site that is itself not a part
 * (one level: a hall and its halves) and not archived.
 */
async function checkParent(db: Database, siteId: number, parentId: number): Promise<void> {
  const parent = await db
    .selectFrom("venues")
    .select(["site_id", "parent_id", "archived_at"])
    .where("id", "=", parentId)
    // Waits for an archiving of the whole (or of its last part) to finish, so the new part sees its outcome.
    .forUpdate()
    .executeTakeFirst();
  if (!parent || parent.site_id !== siteId || parent.parent_id !== null || parent.archived_at !== null) {
    throw new InvalidInput({ parentId: "invalidParent" });
  }
}
