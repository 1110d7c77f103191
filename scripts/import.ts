// `npm run import -- --owner <slug> --as <admin e-mail> file.csv [--dry-run]`:
// venues from a CSV file (docs/import/README.md); see scripts/lib/venue-import.ts.
import { createDb } from "../db/client";
import { resolveDatabase } from "./lib/database";
import { runImport } from "./lib/venue-import";

const database = await resolveDatabase();
const db = createDb(database.url, { max: 2, applicationName: "flokk-import" });
try {
  process.exitCode = await runImport(db, process.argv.slice(2), (line) => console.log(line));
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await db.destroy();
  await database.stop();
}
