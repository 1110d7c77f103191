// `npm run seed`: deletes ALL rows and rebuilds the demo data, with bookings
// relative to today. For development and demos, never for a real database.
import { createDb } from "../db/client";
import { migrateToLatest } from "../db/migrate";
import { resetAndSeed } from "../db/seed";
import { resolveDatabase } from "./lib/database";

const database = await resolveDatabase();
const db = createDb(database.url, { applicationName: "flokk-seed" });
try {
  await migrateToLatest(db);
  const s = await resetAndSeed(db, new Date());
  console.log(`Demo data rebuilt in ${database.description}: ${s.venues} venues, ${s.associations} associations, ${s.users} users, ${s.bookings} bookings`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await db.destroy();
  await database.stop();
}
