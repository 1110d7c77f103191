import { configDefaults, defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Tests run in UTC so that nothing passes only because the machine happens to be
// in Oslo; time-zone cases name their zone explicitly.
process.env.TZ = "UTC";

const common = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: "forks" as const,
  env: { TZ: "UTC" },
};

/** Tests whose point is many connections at once (see the "contention" project). */
const CONTENTION = ["tests/integration/booking-race.test.ts"];

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    // The root's global setup runs once for every project: one PostgreSQL, one template.
    globalSetup: ["tests/helpers/global-setup.ts"],
    projects: [
      {
        plugins: [tsconfigPaths()],
        test: { ...common, name: "app", include: ["tests/**/*.test.ts"], exclude: [...configDefaults.exclude, "tests/e2e/**", ...CONTENTION] },
      },
      {
        // Fifty connections racing for one slot measure the engine, not the
        // machine: run them after the other files, alone, so that two cores
        // busy cloning and dropping databases for other files cannot time them out.
        plugins: [tsconfigPaths()],
        // A case takes under two seconds. The stalls of 30 s and more seen
        // before were deadlocks between series (a second of deadlock_timeout
        // each; docs/decisions/005-booking-hot-path.md): the usual limit now
        // catches them coming back.
        test: { ...common, name: "contention", include: CONTENTION, sequence: { groupOrder: 1 } },
      },
      {
        // Browser tests: each file runs a server and a Chromium, so on two cores
        // they go after the other tests (groupOrder) and one file at a time.
        plugins: [tsconfigPaths()],
        test: {
          ...common,
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/support/global-setup.ts"],
          sequence: { groupOrder: 2 },
          poolOptions: { forks: { singleFork: true } },
          // Tests marked concurrent (the accessibility file's page checks) run three at a time.
          maxConcurrency: 3,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
