// Venue reads for the public pages: plain statements, no rules.
import type { Database } from "db/client";
import type { ApprovalMode } from "db/schema";

export interface VenueDetails {
  id: number;
  slug: string;
  name: string;
  kind: string;
  capacity: number;
  amenities: string[];
  stepFree: boolean;
  accessibilityNotes: string;
  description: string;
  timeZone: string;
  approvalMode: ApprovalMode;
  minDurationMinutes: number;
  maxDurationMinutes: number;
  horizonDays: number;
  minNoticeMinutes: number;
  bufferMinutes: number;
  weeklyQuotaMinutes: number | null;
  siteName: string;
  siteAddress: string;
  ownerName: string;
  parent: { slug: string; name: string } | null;
  parts: { slug: string; name: string }[];
  openingHours: { weekday: number; opens: string; closes: string }[];
}

export async function getVenueBySlug(db: Database, slug: string): Promise<VenueDetails | undefined> {
  const v = await db
    .selectFrom("venues as v")
    .innerJoin("sites as s", "s.id", "v.site_id")
    .innerJoin("owners as o", "o.id", "s.owner_id")
    .leftJoin("venues as p", "p.id", "v.parent_id")
    .select([
      "v.id",
      "v.slug",
      "v.name",
      "v.kind",
      "v.capacity",
      "v.amenities",
      "v.step_free as stepFree",
      "v.accessibility_notes as accessibilityNotes",
      "v.description",
      "v.time_zone as timeZone",
      "v.approval_mode as approvalMode",
      "v.min_duration_minutes as minDurationMinutes",
      "v.max_duration_minutes as maxDurationMinutes",
      "v.horizon_days as horizonDays",
      "v.min_notice_minutes as minNoticeMinutes",
      "v.buffer_minutes as bufferMinutes",
      "v.weekly_quota_minutes as weeklyQuotaMinutes",
      "s.name as siteName",
      "s.address as siteAddress",
      "o.name as ownerName",
      "p.slug as parentSlug",
      "p.name as parentName",
    ])
    .where("v.slug", "=", slug)
    .where("v.archived_at", "is", null)
    .executeTakeFirst();
  if (!v) return undefined;
  const [parts, openingHours] = await Promise.all([
    db.selectFrom("venues").select(["slug", "name"]).where("parent_id", "=", v.id).where("archived_at", "is", null).orderBy("name").execute(),
    db.selectFrom("opening_hours").select(["weekday", "opens", "closes"]).where("venue_id", "=", v.id).orderBy("weekday").orderBy("opens").execute(),
  ]);
  const { parentSlug, parentName, ...rest } = v;
  return {
    ...rest,
    parent: parentSlug && parentName ? { slug: parentSlug, name: parentName } : null,
    parts,
    openingHours,
  };
}
