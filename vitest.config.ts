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

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    // The root's global setup runs once for every project: one PostgreSQL, one template.
    globalSetup: ["tests/helpers/global-setup.ts"],
    projects: [
      {
        plugins: [tsconfigPaths()],
        test: { ...common, name: "app", include: ["tests/**/*.test.ts"], exclude: [...configDefaults.exclude, "tests/e2e/**"] },
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
          sequence: { groupOrder: 1 },
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
