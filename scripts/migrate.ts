// `npm run migrate`: brings the schema of the configured (or embedded) database up to date.
import { createDb } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { resolveDatabase } from "./lib/database";

const database = await resolveDatabase();
const db = createDb(database.url, { max: 1, applicationName: "flokk-migrate" });
try {
  const { results = [] } = await migrateToLatest(db);
  const ran = results.filter((r) => r.status === "Success").map((r) => r.migrationName);
  console.log(ran.length ? `Applied ${ran.length} migration(s): ${ran.join(", ")}` : "The schema is up to date.");
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await db.destroy();
  await database.stop();
}
