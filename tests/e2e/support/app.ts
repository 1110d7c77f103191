// One running Flokk per browser-test file: a clone of the migrated template
// database, filled with the demo data by the server itself on start (as
// `npm start` does on an empty database), served by scripts/start.ts from the
// production build on a free port, without SMTP_URL so the development mailbox
// shows the mail. The file's tests get the server's address and a handle on
// its database for checking outcomes (counting rows), never for shortcuts
// around the pages under test.
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type AppProcess, startAppProcess } from "../../../scripts/lib/app-process";
import type { Database } from "../../../db/client";
import { createTestDb, dropTestDb, type TestDb } from "../../helpers/db";
import { launchChromium } from "./chromium";

export interface RunningFlokk {
  baseUrl: string;
  db: Database;
  /** The server's output so far (printed when a test fails). */
  output(): string;
  stop(): Promise<void>;
}

export async function startFlokk(): Promise<RunningFlokk> {
  let testDb: TestDb | undefined;
  let app: AppProcess | undefined;
  try {
    testDb = await createTestDb({ max: 4 });
    app = await startAppProcess({ databaseUrl: testDb.url, sessionSecret: randomBytes(48).toString("base64url"), nodeEnv: "development" });
  } catch (e) {
    await dropTestDb(testDb);
    throw e;
  }
  const db = testDb.db;
  const running = app;
  return {
    baseUrl: running.url,
    db,
    output: running.output,
    async stop() {
      await running.stop();
      await dropTestDb(testDb);
    },
  };
}

/** After a failed test, the tail of what the server printed: its errors explain most failures. */
export function printServerOutputOnFailure(flokk: () => RunningFlokk | undefined): void {
  afterEach((context) => {
    const running = flokk();
    if (context.task.result?.state === "fail" && running) {
      console.error(`--- the Flokk server's output (last 4000 characters) ---\n${running.output().slice(-4000)}`);
    }
  });
}

/**
 * A file's Flokk and Debian's Chromium, started together before its tests and
 * stopped after them, with the server's output printed when a test fails:
 * what every browser-test file sets up, in one call.
 */
export function flokkAndChromium(): { readonly flokk: RunningFlokk; readonly browser: Browser } {
  let flokk: RunningFlokk | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [flokk, browser] = await Promise.all([startFlokk(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await flokk?.stop();
  });
  printServerOutputOnFailure(() => flokk);
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("Flokk and Chromium start in beforeAll: use them inside a test");
    return value;
  };
  return {
    get flokk() {
      return started(flokk);
    },
    get browser() {
      return started(browser);
    },
  };
}
