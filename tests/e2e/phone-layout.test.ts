// Pages on a phone (360 px) in states the page-by-page accessibility check
// does not reach with its users and data: nothing may be wider than the
// screen (WCAG 1.4.10, reflow), in bokmål and in English.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { flokkAndChromium } from "./support/app";
import { type LangCode, newContext, PHONE, screenshot, signIn, words } from "./support/pages";

const app = flokkAndChromium();

/** How much wider than the screen the page is; 0 or less when it fits. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function inLanguage(page: Page, lang: LangCode, path: string): Promise<void> {
  await page.goto(`/lang?to=${lang}&back=${encodeURIComponent(path)}`);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

describe("on a phone", () => {
  it("the booking forms fit for a member of an association not yet verified (its tag wraps)", async () => {
    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: PHONE });
    const page = await context.newPage();
    // Aisha leads the crafts association and belongs to Strikkekafeen, which the municipality has not verified yet.
    await signIn(page, "aisha@flokk.example");
    for (const lang of ["nb", "en"] as const) {
      for (const path of ["/venues/peisestua/book", "/venues/peisestua/series"]) {
        await inLanguage(page, lang, path);
        await page.getByText(words(lang)("book.associationUnverified")).waitFor();
        const where = `${path} (${lang})`;
        expect(await overflow(page), `${where} is wider than the screen`).toBeLessThanOrEqual(0);
        await screenshot(page, `phone-${path.split("/").pop()}-unverified-${lang}`);
      }
    }
    await context.close();
  });

  it("an admin's table of undelivered mail scrolls in its own region, not the page", async () => {
    // A sign-in mail that was given up on: /admin/mail lists it, with a column of "Send again" buttons whose heading only screen readers hear.
    await app.flokk.db
      .insertInto("outbox")
      .values({ kind: "sign-in", recipient: "someone.with.a.long.address@example.org", payload: {}, attempts: 10, last_error: "connect ECONNREFUSED 127.0.0.1:587", failed_at: new Date() })
      .execute();
    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, "admin@flokk.example");
    for (const lang of ["nb", "en"] as const) {
      await inLanguage(page, lang, "/admin/mail");
      await page.getByRole("button", { name: words(lang)("adminMail.retry") }).first().waitFor();
      expect(await overflow(page), `/admin/mail (${lang}) is wider than the screen`).toBeLessThanOrEqual(0);
      await screenshot(page, `phone-admin-mail-${lang}`);
    }
    await context.close();
  });
});
