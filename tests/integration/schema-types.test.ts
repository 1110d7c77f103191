// db/schema.ts is written by hand beside the migrations. This test keeps the
// two in step: the record below must name every column of every table in the
// DB interface (the type checker refuses a missing or an extra one), and the
// migrated database must have exactly those tables and columns.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../../db/schema";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";

type Columns = { [T in keyof DB]: { [C in keyof DB[T]]-?: true } };

const COLUMNS: Columns = {
  associations: { id: true, name: true, org_number: true, contact_email: true, verified: true, created_at: true, rejected_at: true, rejection_reason: true, decided_by: true },
  audit_log: { id: true, at: true, actor_id: true, entity: true, entity_id: true, action: true, before: true, after: true },
  booking_claims: { booking_id: true, space_id: true, during: true },
  bookings: { id: true, venue_id: true, association_id: true, kind: true, series_id: true, title: true, purpose: true, is_public: true, expected_attendees: true, note_to_caretaker: true, starts_at: true, ends_at: true, status: true, created_by: true, decided_by: true, decided_at: true, decision_reason: true, cancelled_by: true, cancelled_at: true, cancel_reason: true, attendance: true, no_show: true, sequence: true, created_at: true, updated_at: true },
  calendar_feed_state: { feed: true, fingerprint: true, last_modified: true, changed_at: true },
  calendar_names: { id: true, version: true, changed_at: true },
  calendar_tokens: { id: true, user_id: true, scope: true, token_hash: true, created_at: true, last_used_at: true, revoked_at: true },
  closures: { id: true, venue_id: true, starts_on: true, ends_on: true, reason: true },
  idempotency_keys: { scope: true, key: true, request_hash: true, booking_id: true, series_id: true, created_at: true },
  invitations: { id: true, association_id: true, email: true, invited_by: true, created_at: true, expires_at: true },
  memberships: { association_id: true, user_id: true, role: true },
  opening_hours: { id: true, venue_id: true, weekday: true, opens: true, closes: true },
  outbox: { id: true, kind: true, recipient: true, payload: true, created_at: true, available_at: true, attempts: true, sent_at: true, last_error: true, locked_until: true, locked_by: true, failed_at: true, skipped_at: true, skip_reason: true },
  owner_admins: { owner_id: true, user_id: true },
  owners: { id: true, name: true, slug: true, time_zone: true, locale: true, created_at: true, country: true },
  rate_limits: { bucket: true, window_start: true, hits: true },
  series: { id: true, venue_id: true, association_id: true, title: true, weekday: true, interval_weeks: true, start_time: true, duration_minutes: true, starts_on: true, until: true, time_zone: true, created_by: true, created_at: true, updated_at: true },
  sessions: { id_hash: true, user_id: true, created_at: true, last_seen_at: true, expires_at: true },
  sign_in_requests: { id: true, email: true, token_hash: true, code_hash: true, browser_hash: true, locale: true, next_path: true, code_attempts: true, created_at: true, expires_at: true, used_at: true },
  site_caretakers: { site_id: true, user_id: true },
  sites: { id: true, owner_id: true, name: true, address: true, created_at: true },
  users: { id: true, email: true, name: true, phone: true, locale: true, created_at: true },
  venues: { id: true, site_id: true, parent_id: true, name: true, slug: true, kind: true, capacity: true, amenities: true, step_free: true, accessibility_notes: true, description: true, time_zone: true, approval_mode: true, min_duration_minutes: true, max_duration_minutes: true, horizon_days: true, min_notice_minutes: true, buffer_minutes: true, weekly_quota_minutes: true, archived_at: true, created_at: true, updated_at: true, rules_stamp: true },
};

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

describe("db/schema.ts", () => {
  it("describes exactly the migrated tables and columns", async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_migration%'`.execute(t.db);
    const tables = [...new Set(rows.map((r) => r.table_name))];
    const liveColumns = Object.fromEntries(
      tables.map((table) => [table, rows.filter((r) => r.table_name === table).map((r) => r.column_name).sort()]),
    );
    const declared = Object.fromEntries(Object.entries(COLUMNS).map(([table, cols]) => [table, Object.keys(cols).sort()]));
    expect(liveColumns).toEqual(declared);
  });
});
