// Kysely table types. Kept by hand beside the migrations; a test compares the
// column names with information_schema so the two cannot drift apart.
import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: read as 'YYYY-MM-DD' (see the type parser in db/client.ts). */
type DateOnly = ColumnType<string, string, string>;
/** A `time` column: read as 'HH:MM:SS'. */
type TimeOfDay = ColumnType<string, string, string>;
type Id = ColumnType<number, never, never>;

export interface OwnersTable {
  id: Generated<number>;
  name: string;
  slug: string;
  time_zone: Generated<string>;
  locale: Generated<string>;
  created_at: DefaultTimestamp;
  /** ISO 3166-1 alpha-2: whose public holidays admins add as closures (migration 0009). */
  country: Generated<string>;
}

export interface SitesTable {
  id: Generated<number>;
  owner_id: number;
  name: string;
  address: Generated<string>;
  created_at: DefaultTimestamp;
}

export type ApprovalMode = "auto" | "manual";

export interface VenuesTable {
  id: Generated<number>;
  site_id: number;
  parent_id: number | null;
  name: string;
  slug: string;
  kind: string;
  capacity: number;
  amenities: Generated<string[]>;
  step_free: Generated<boolean>;
  accessibility_notes: Generated<string>;
  description: Generated<string>;
  time_zone: Generated<string>;
  approval_mode: Generated<ApprovalMode>;
  min_duration_minutes: Generated<number>;
  max_duration_minutes: Generated<number>;
  horizon_days: Generated<number>;
  min_notice_minutes: Generated<number>;
  buffer_minutes: Generated<number>;
  weekly_quota_minutes: number | null;
  archived_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** New on every change of the venue's row, its hours, or the closures of it or of a venue it is part of (migration 0010). */
  rules_stamp: Generated<number>;
}

export interface OpeningHoursTable {
  id: Generated<number>;
  venue_id: number;
  weekday: number;
  opens: TimeOfDay;
  closes: TimeOfDay;
}

export interface ClosuresTable {
  id: Generated<number>;
  venue_id: number;
  starts_on: DateOnly;
  ends_on: DateOnly;
  reason: string;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  phone: Generated<string>;
  locale: Generated<string>;
  created_at: DefaultTimestamp;
}

export interface AssociationsTable {
  id: Generated<number>;
  name: string;
  org_number: string;
  contact_email: string;
  verified: Generated<boolean>;
  created_at: DefaultTimestamp;
  /** Set when an owner admin rejected it (never together with verified). */
  rejected_at: Timestamp | null;
  /** Why it was rejected; set exactly when rejected_at is. */
  rejection_reason: string | null;
  /** The admin who last verified or rejected it. */
  decided_by: number | null;
}

export type MemberRole = "leader" | "member";

export interface MembershipsTable {
  association_id: number;
  user_id: number;
  role: MemberRole;
}

export interface OwnerAdminsTable {
  owner_id: number;
  user_id: number;
}

export interface SiteCaretakersTable {
  site_id: number;
  user_id: number;
}

export interface SeriesTable {
  id: string;
  venue_id: number;
  association_id: number;
  title: string;
  weekday: number;
  interval_weeks: number;
  start_time: TimeOfDay;
  duration_minutes: number;
  starts_on: DateOnly;
  until: DateOnly;
  time_zone: string;
  created_by: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export type BookingStatus = "pending" | "confirmed" | "rejected" | "cancelled";

/** 'block': time a caretaker or admin closed (maintenance, a private event); no association, no mail, no quota. */
export type BookingKind = "booking" | "block";

export interface BookingsTable {
  id: string;
  venue_id: number;
  /** Null exactly for blocks. */
  association_id: number | null;
  kind: Generated<BookingKind>;
  series_id: string | null;
  title: string;
  purpose: Generated<string>;
  is_public: Generated<boolean>;
  expected_attendees: number;
  note_to_caretaker: Generated<string>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: BookingStatus;
  created_by: number | null;
  decided_by: number | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  cancelled_by: number | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  attendance: number | null;
  no_show: Generated<boolean>;
  sequence: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface BookingClaimsTable {
  booking_id: string;
  space_id: number;
  /** A tstzrange literal such as '["2026-01-01 10:00+00","2026-01-01 11:00+00")'. */
  during: string;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  booking_id: string | null;
  series_id: string | null;
  created_at: DefaultTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: DefaultTimestamp;
  actor_id: number | null;
  /** 'booking', 'series' (uuid ids), 'site', 'owner', 'association' (numeric ids), as text. */
  entity: string;
  entity_id: string;
  action: string;
  before: unknown;
  after: unknown;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: string;
  recipient: string;
  payload: unknown;
  created_at: DefaultTimestamp;
  available_at: DefaultTimestamp;
  attempts: Generated<number>;
  sent_at: Timestamp | null;
  last_error: string | null;
  /** A worker's lease on the row: nobody else claims it before then. */
  locked_until: Timestamp | null;
  locked_by: string | null;
  /** Given up after the last attempt. */
  failed_at: Timestamp | null;
  /** Not sent on purpose (a reminder of a cancelled booking, say). */
  skipped_at: Timestamp | null;
  skip_reason: string | null;
}

/** bytea columns: hashes, read as Buffers. */
type Bytes = ColumnType<Buffer, Buffer, Buffer>;

export interface SignInRequestsTable {
  id: Generated<number>;
  email: string;
  /** SHA-256 of the link's token. */
  token_hash: Bytes;
  /** HMAC-SHA-256 of the short code, keyed with the session secret. */
  code_hash: Bytes;
  /** SHA-256 of the nonce in the asking browser's pending-sign-in cookie. */
  browser_hash: Bytes;
  locale: string;
  next_path: Generated<string>;
  code_attempts: Generated<number>;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  /** SHA-256 of the random id in the session cookie. */
  id_hash: Bytes;
  user_id: number;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

export interface InvitationsTable {
  id: Generated<number>;
  association_id: number;
  email: string;
  invited_by: number | null;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
}

/** A capability for one calendar feed; only the SHA-256 of the secret is stored. */
export interface CalendarTokensTable {
  id: Generated<number>;
  user_id: number;
  /** 'venue-staff:<venueId>', 'association:<id>' or 'person:<userId>'. */
  scope: string;
  token_hash: Bytes;
  created_at: DefaultTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** One row: bumped by triggers whenever a name that feeds show changes. */
export interface CalendarNamesTable {
  id: Generated<boolean>;
  version: Generated<number>;
  changed_at: DefaultTimestamp;
}

/** Per feed (scope and language): its current ETag and a Last-Modified that never decreases. */
export interface CalendarFeedStateTable {
  feed: string;
  fingerprint: string;
  last_modified: Timestamp;
  changed_at: DefaultTimestamp;
}

export interface DB {
  owners: OwnersTable;
  sites: SitesTable;
  venues: VenuesTable;
  opening_hours: OpeningHoursTable;
  closures: ClosuresTable;
  users: UsersTable;
  associations: AssociationsTable;
  memberships: MembershipsTable;
  owner_admins: OwnerAdminsTable;
  site_caretakers: SiteCaretakersTable;
  series: SeriesTable;
  bookings: BookingsTable;
  booking_claims: BookingClaimsTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  calendar_tokens: CalendarTokensTable;
  calendar_feed_state: CalendarFeedStateTable;
  calendar_names: CalendarNamesTable;
  sign_in_requests: SignInRequestsTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  invitations: InvitationsTable;
}

export type Venue = Selectable<VenuesTable>;
export type Booking = Selectable<BookingsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewBooking = Insertable<BookingsTable>;
export type { Id };
