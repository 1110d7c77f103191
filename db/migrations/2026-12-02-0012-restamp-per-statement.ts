// Frozen in time: this file must never import application code.
//
// A venue's rules stamp (0010) moves once per statement that changes its
// opening hours or closures, not once per row. The triggers of 0010 ran for
// each row: an admin replacing a week of opening hours (a DELETE and an
// INSERT of seven to fourteen rows) locked and updated the venue's row once
// per row, and a closure of a hall once per row for the hall and each of its
// parts. Now one trigger per table and event reads the statement's rows from
// its transition tables, locks every venue they touch in id order, and gives
// each a new stamp once. PostgreSQL allows transition tables only on a
// trigger for a single event, hence three triggers per table. 0010's row
// function, flokk_venue_rules_changed, stays for `down`.
import { type Kysely, sql } from "kysely";

const TABLES = ["opening_hours", "closures"] as const;
const EVENTS = ["INSERT", "UPDATE", "DELETE"] as const;

/** The transition tables an event has: new rows, old rows, or both. */
const referencing = (event: (typeof EVENTS)[number]) =>
  event === "INSERT" ? "NEW TABLE AS new_rows" : event === "DELETE" ? "OLD TABLE AS old_rows" : "OLD TABLE AS old_rows NEW TABLE AS new_rows";

/** The venue ids of the statement's rows, for the event's transition tables. */
const changedVenues = (event: (typeof EVENTS)[number]) =>
  event === "INSERT"
    ? "SELECT venue_id FROM new_rows"
    : event === "DELETE"
      ? "SELECT venue_id FROM old_rows"
      : "SELECT venue_id FROM old_rows UNION SELECT venue_id FROM new_rows";

const restampFunction = (event: (typeof EVENTS)[number]) => `
    CREATE FUNCTION flokk_venue_rules_changed_${event.toLowerCase()}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed bigint[];
    BEGIN
      SELECT array_agg(DISTINCT venue_id) INTO changed FROM (${changedVenues(event)}) v;
      IF changed IS NULL THEN
        RETURN NULL;
      END IF;
      -- A closure also closes the venue's parts (and theirs).
      IF TG_TABLE_NAME = 'closures' THEN
        WITH RECURSIVE down AS (
          SELECT id FROM venues WHERE id = ANY(changed)
          UNION SELECT c.id FROM venues c JOIN down d ON c.parent_id = d.id
        )
        SELECT array_agg(id) INTO changed FROM down;
      END IF;
      -- As in 0010: FOR UPDATE, which a booking's FOR KEY SHARE on the venue
      -- waits for and which waits for it; here once for all the statement's
      -- venues, in id order.
      PERFORM 1 FROM venues WHERE id = ANY(changed) ORDER BY id FOR UPDATE;
      UPDATE venues SET rules_stamp = 0 WHERE id = ANY(changed);  -- venues_restamp gives the new stamp
      RETURN NULL;
    END
    $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const event of EVENTS) await sql.raw(restampFunction(event)).execute(db);
  for (const table of TABLES) {
    await sql.raw(`DROP TRIGGER ${table}_restamp_venue ON ${table}`).execute(db);
    for (const event of EVENTS) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_restamp_venue_${event.toLowerCase()} AFTER ${event} ON ${table}
           REFERENCING ${referencing(event)}
           FOR EACH STATEMENT EXECUTE FUNCTION flokk_venue_rules_changed_${event.toLowerCase()}()`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) {
    for (const event of EVENTS) await sql.raw(`DROP TRIGGER ${table}_restamp_venue_${event.toLowerCase()} ON ${table}`).execute(db);
    // 0010's row triggers, as they were.
    await sql
      .raw(`CREATE TRIGGER ${table}_restamp_venue AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION flokk_venue_rules_changed()`)
      .execute(db);
  }
  for (const event of EVENTS) await sql.raw(`DROP FUNCTION flokk_venue_rules_changed_${event.toLowerCase()}()`).execute(db);
}
