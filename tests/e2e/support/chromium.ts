// Debian's Chromium driven by playwright-core. Never a downloaded browser: the
// path is fixed, and a machine without it fails the browser tests with a
// message saying what to install (.ci/run installs it).
import { accessSync, constants } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** The flags that work on these machines: no sandbox (we run as root), no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Throws, with what to do, when the browser is not there. */
export function requireChromium(): void {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, which is missing. Install it with ` +
        "`apt-get update && apt-get install -y chromium` (.ci/run does this). Never let playwright download a browser.",
    );
  }
}

/**
 * A headless Chromium. `launch` gives it a fresh temporary profile (user-data
 * dir) of its own, deleted on close; each test opens its own contexts in it.
 */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}
