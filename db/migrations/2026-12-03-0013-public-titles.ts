// Frozen in time: this file must never import application code.
//
// flokk_venue_claims (0010) gives a public booking's title only when the
// municipality has verified the booking's association: anyone can register
// one, and its first request's title showed at once on the venue's public
// week (app/booking/public-title.server.ts says the same for the other readers).
import { type Kysely, sql } from "kysely";

const venueClaims = (title: string) => `
    CREATE OR REPLACE FUNCTION flokk_venue_claims(p_venue bigint, p_from timestamptz, p_to timestamptz)
    RETURNS TABLE (stamp bigint, starts_at timestamptz, ends_at timestamptz, title text, closed boolean)
    LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
    DECLARE
      spaces bigint[] := flokk_leaves(p_venue);
    BEGIN
      SELECT v.rules_stamp INTO stamp FROM venues v WHERE v.id = p_venue;
      RETURN QUERY
        SELECT stamp, lower(c.during), upper(c.during),
          ${title}, b.kind = 'block'
        FROM booking_claims c JOIN bookings b ON b.id = c.booking_id
        WHERE c.space_id = ANY(spaces) AND c.during && tstzrange(p_from, p_to, '[)')
        ORDER BY lower(c.during);
      IF NOT FOUND THEN
        RETURN NEXT;
      END IF;
    END
    $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      venueClaims(`CASE WHEN b.is_public AND b.kind = 'booking'
            AND EXISTS (SELECT 1 FROM associations pa WHERE pa.id = b.association_id AND pa.verified) THEN b.title END`),
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(venueClaims(`CASE WHEN b.is_public AND b.kind = 'booking' THEN b.title END`)).execute(db);
}
