// The browser the other browser tests drive: Debian's Chromium, present and
// working. Without it this fails with what to install (the other files fail
// in their setup with the same message) — never a skip.
import { expect, it } from "vitest";
import { CHROMIUM, launchChromium, requireChromium } from "./support/chromium";

it("Debian's Chromium is installed and starts headless", async () => {
  requireChromium();
  const browser = await launchChromium();
  try {
    expect(browser.version()).toMatch(/^\d+\./);
    const page = await browser.newPage();
    await page.setContent("<title>ok</title>");
    expect(await page.title()).toBe("ok");
  } finally {
    await browser.close();
  }
  expect(CHROMIUM).toBe("/usr/bin/chromium");
});
