// Universal design without JavaScript: the core flow as a browser with
// JavaScript off gets it — the server's HTML, never hydrated, and the pages a
// real form POST answers with — checked by axe (WCAG 2.0/2.1 A and AA plus
// best practices, as tests/e2e/accessibility.test.ts does with JavaScript on),
// in bokmål and in English chosen with the language switch, at 360 px. axe
// cannot run in the JavaScript-less page itself; axeViolationsWithoutJavaScript
// (support/axe.ts) checks a faithful, script-free copy of its DOM instead.
import type { Page } from "playwright-core";
import { describe, type ExpectStatic, it } from "vitest";
import { flokkAndChromium } from "./support/app";
import { axeViolationsWithoutJavaScript, formatViolations } from "./support/axe";
import { bookingsOn } from "./support/flokk-data";
import { type LangCode, nextDate, newContext, openWeekDay, PHONE, searchMeetingRooms, signIn, words } from "./support/pages";

const app = flokkAndChromium();

/**
 * Without JavaScript, the switch in the header (a plain link to /lang, which
 * sets the cookie and comes back). A no-op when the page is in `lang` already.
 */
async function chooseLanguage(page: Page, lang: LangCode): Promise<void> {
  const current = (await page.locator("html").getAttribute("lang")) === "en" ? "en" : "nb";
  if (current === lang) return;
  const url = page.url();
  await page.getByRole("navigation", { name: words(current)("nav.language") }).getByRole("link", { name: lang === "en" ? "English" : "Norsk (bokmål)" }).click();
  await page.waitForURL(url);
  const now = await page.locator("html").getAttribute("lang");
  if (now !== lang) throw new Error(`The language switch left ${url} in ${now}, not ${lang}`);
}

/** axe and the reflow check on the page as it stands, named for the failure message. */
async function check(expect: ExpectStatic, page: Page, lang: LangCode, name: string): Promise<void> {
  // Without JavaScript nothing renders later: the page is complete once loaded.
  expect(await page.locator("html").getAttribute("lang")).toBe(lang);
  expect(await page.getByRole("heading", { level: 1 }).count(), `${name} has no heading`).toBeGreaterThan(0);
  const where = `${name} without JavaScript (${lang}, ${page.url()})`;
  const { violations, overflow } = await axeViolationsWithoutJavaScript(page);
  expect(violations.map((v) => v.id), formatViolations(where, violations)).toEqual([]);
  expect(overflow, `${where} is ${overflow}px wider than the screen`).toBeLessThanOrEqual(0);
}

describe("without JavaScript at 360 px", () => {
  it.concurrent("the checker sees the page as served, not as scripts would change it", async ({ expect }) => {
    // A field that only a script labels: with JavaScript it passes, without it it is unlabelled.
    const context = await newContext(app.browser, app.flokk.baseUrl, { javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.route(`${app.flokk.baseUrl}/no-js-self-check`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: '<!doctype html><html lang="nb"><head><title>x</title></head><body><main><h1>x</h1><input id="f" type="text"></main><script>document.getElementById("f").setAttribute("aria-label", "Navn")</script></body></html>',
      }),
    );
    await page.goto("/no-js-self-check");
    const { violations } = await axeViolationsWithoutJavaScript(page);
    expect(violations.map((v) => v.id)).toEqual(["label"]);
    await context.close();
  });

  // The two languages go side by side (the e2e project runs three at a time),
  // each with a date of its own and a member of two associations (so the form
  // asks which one books). Not the same member: signing in brings back the
  // language a person last chose, which the other language's run changes.
  // More time than the project's minute: besides the sign-in and the posts,
  // seven axe runs of 1–5 s each (the longer on a busy machine).
  it.concurrent.for([
    { lang: "nb" as const, member: "kari@flokk.example", association: "Løvstad Idrettslag", date: nextDate([2, 3, 4, 5], 5) },
    { lang: "en" as const, member: "liv@flokk.example", association: "Seniordansen Løvstad", date: nextDate([2, 3, 4, 5], 12) },
  ])("the core flow in $lang: search, venue, booking form and its errors, the booking, cancelling", { timeout: 150_000 }, async ({ lang, member, association, date }, { expect }) => {
    const t = words(lang);
    const context = await newContext(app.browser, app.flokk.baseUrl, { javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();

    // The public: the language switch (a plain link), then a search from the home page.
    await page.goto("/");
    await chooseLanguage(page, lang);
    await searchMeetingRooms(page, t, 10);
    await page.locator(".venue-list").getByRole("link", { name: "Lillesalen", exact: true }).waitFor();
    await check(expect, page, lang, "home-search");

    await page.locator(".venue-list").getByRole("link", { name: "Lillesalen", exact: true }).click();
    await page.waitForURL(/\/venues\/lillesalen$/);
    await check(expect, page, lang, "venue");

    // A member signs in (back in the language they last chose) and books from the venue's week.
    await signIn(page, member, lang);
    await chooseLanguage(page, lang);
    await page.goto("/venues/lillesalen");
    const theDay = await openWeekDay(page, t, date);
    await theDay.getByRole("link", { name: new RegExp(`^${t("week.book")}\\b`) }).first().click();
    await page.waitForURL(/\/venues\/lillesalen\/book\?/);
    expect(await page.locator("#date").inputValue()).toBe(date);
    await check(expect, page, lang, "book");

    // Sent with no association, no title and the end before the start: the form comes back from the POST with its errors.
    const end = await page.locator("#end").inputValue();
    await page.locator("#end").fill("00:30");
    await page.getByRole("button", { name: t("book.submit"), exact: true }).click();
    await page.getByRole("heading", { name: t("book.errorSummary") }).waitFor();
    expect(await page.locator(".ds-validation-message").count()).toBeGreaterThan(1);
    await check(expect, page, lang, "book-errors");

    await page.locator("#end").fill(end);
    await page.getByRole("group", { name: t("book.association") }).getByLabel(association).check();
    await page.getByLabel(t("book.title"), { exact: true }).fill(`Uten JavaScript ${lang}`);
    await page.getByLabel(t("book.attendees"), { exact: true }).fill("6");
    await page.getByRole("button", { name: t("book.submit"), exact: true }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(t("booking.confirmed.heading"));
    await check(expect, page, lang, "booking");

    await page.getByRole("link", { name: t("booking.cancel"), exact: true }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\/cancel$/);
    await check(expect, page, lang, "cancel");

    await page.getByRole("button", { name: t("cancel.submit"), exact: true }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?cancelled=1$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(t("booking.cancelled.heading"));
    await check(expect, page, lang, "booking-cancelled");

    const stored = (await bookingsOn(app.flokk.db, "lillesalen", date)).filter((b) => b.title === `Uten JavaScript ${lang}`);
    expect(stored.map((b) => b.status)).toEqual(["cancelled"]);
    await context.close();
  });
});
