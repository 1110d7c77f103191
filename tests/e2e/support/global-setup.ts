// Once per run, before the browser-test files: a production build of the
// current sources in build/ (reused when nothing changed since it was made).
import { ensureBuild } from "../../../scripts/lib/build";

export default async function setup() {
  const t0 = performance.now();
  const how = await ensureBuild((line) => console.log(`[e2e] ${line}`));
  console.log(`[e2e] build/ ${how === "reused" ? "is up to date" : "rebuilt"} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
