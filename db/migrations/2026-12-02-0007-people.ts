// Frozen in time: this file must never import application code.
//
// People administration (docs/decisions/016-people-admin.md):
// - associations can be rejected (with a reason, by someone), never both
//   verified and rejected;
// - an organisation number is held by at most one association that is not
//   rejected, so a rejected (say, mistaken or fraudulent) registration no
//   longer keeps the real association out, and two verified associations can
//   never share a number;
// - every owner keeps at least one admin, checked by the database so that two
//   admins removing each other at once cannot leave the owner with none;
// - audit_log.entity_id becomes text: people changes are audited against
//   sites, owners and associations, whose ids are numbers, beside bookings
//   and series, whose ids are uuids (stored as their text form).
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE associations
      ADD COLUMN rejected_at timestamptz,
      ADD COLUMN rejection_reason text,
      ADD COLUMN decided_by bigint REFERENCES users(id) ON DELETE SET NULL,
      ADD CONSTRAINT associations_verified_or_rejected CHECK (NOT (verified AND rejected_at IS NOT NULL)),
      ADD CONSTRAINT associations_rejection_has_reason
        CHECK ((rejected_at IS NULL) = (rejection_reason IS NULL) AND (rejection_reason IS NULL OR btrim(rejection_reason) <> '')),
      DROP CONSTRAINT associations_org_number_key`.execute(db);
  await sql`CREATE UNIQUE INDEX associations_org_number_active_key ON associations (org_number) WHERE rejected_at IS NULL`.execute(db);
  // Looking up every association with a number (rejected ones included).
  await sql`CREATE INDEX associations_org_number_idx ON associations (org_number)`.execute(db);

  // Checked at commit, so that a hand-over inside one transaction (add the
  // new admin, remove the old) may pass through a moment without one. The row
  // lock on the owner serialises two transactions that each remove a
  // different admin: the second re-checks after the first has committed and
  // is refused. An owner being deleted takes its admins with it.
  await sql`
    CREATE FUNCTION flokk_owner_keeps_an_admin() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM owners WHERE id = OLD.owner_id FOR NO KEY UPDATE;
      IF FOUND AND NOT EXISTS (SELECT 1 FROM owner_admins WHERE owner_id = OLD.owner_id) THEN
        RAISE EXCEPTION 'owner % would have no admin', OLD.owner_id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'owner_admins_keep_an_admin';
      END IF;
      RETURN NULL;
    END
    $$`.execute(db);
  await sql`
    CREATE CONSTRAINT TRIGGER owner_admins_keep_an_admin
    AFTER UPDATE OR DELETE ON owner_admins
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION flokk_owner_keeps_an_admin()`.execute(db);

  await sql`DROP INDEX audit_log_entity_idx`.execute(db);
  await sql`ALTER TABLE audit_log ALTER COLUMN entity_id TYPE text USING entity_id::text`.execute(db);
  await sql`CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX audit_log_entity_idx`.execute(db);
  // People changes have no uuid: they cannot stay in a uuid column.
  await sql`DELETE FROM audit_log WHERE entity_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`.execute(db);
  await sql`ALTER TABLE audit_log ALTER COLUMN entity_id TYPE uuid USING entity_id::uuid`.execute(db);
  await sql`CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at)`.execute(db);
  await sql`DROP TRIGGER owner_admins_keep_an_admin ON owner_admins`.execute(db);
  await sql`DROP FUNCTION flokk_owner_keeps_an_admin()`.execute(db);
  await sql`DROP INDEX associations_org_number_idx`.execute(db);
  await sql`DROP INDEX associations_org_number_active_key`.execute(db);
  await sql`
    ALTER TABLE associations
      ADD CONSTRAINT associations_org_number_key UNIQUE (org_number),
      DROP CONSTRAINT associations_rejection_has_reason,
      DROP CONSTRAINT associations_verified_or_rejected,
      DROP COLUMN decided_by,
      DROP COLUMN rejection_reason,
      DROP COLUMN rejected_at`.execute(db);
}
