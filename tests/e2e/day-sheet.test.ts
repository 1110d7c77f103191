// The day sheet on paper: the demo caretaker opens the sheet of a day with
// bookings in several buildings, the page is rendered for print (print media,
// A4) into a PDF and a screenshot kept as artifacts in test-artifacts/, and the
// PDF has one page per building with bookings that day, with the site's header,
// navigation and language switch left off. Without JavaScript the sheet is all
// there, with words saying how to print it.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { flokkAndChromium } from "./support/app";
import { busiestSheetDay } from "./support/flokk-data";
import { DESKTOP, newContext, signIn, words } from "./support/pages";

const CARETAKER = "vaktmester@flokk.example"; // takes care of all three demo buildings
const ARTIFACTS = path.resolve("test-artifacts");

const app = flokkAndChromium();

/** Pages in a PDF: its page objects, "/Type /Page" not followed by "s" (that is the page tree). */
function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

describe("the day sheet on paper", () => {
  it("prints one page per building with bookings that day, without the site's header and navigation", async () => {
    const t = words("nb");
    const day = await busiestSheetDay(app.flokk.db);
    expect(day.sites.length, "the demo data should have a day with bookings in more than one building").toBeGreaterThan(1);

    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: DESKTOP });
    const page = await context.newPage();
    await signIn(page, CARETAKER);
    // Reached as a caretaker would: from the day plan's link.
    await page.goto(`/caretaker/today?date=${day.date}`);
    await page.getByRole("link", { name: t("caretaker.sheet.link") }).click();
    await page.waitForURL(new RegExp(`/caretaker/sheet\\?date=${day.date}$`));
    await page.getByRole("button", { name: t("caretaker.sheet.print") }).waitFor();

    const buildings = page.locator(".sheet-site h2");
    expect(await buildings.allTextContents()).toEqual(day.sites);
    const header = page.locator("header.site-header");
    const nav = page.getByRole("navigation", { name: t("caretaker.nav.label") });
    const language = page.getByRole("navigation", { name: t("nav.language") });
    expect(await header.isVisible()).toBe(true);
    expect(await nav.isVisible()).toBe(true);

    await page.emulateMedia({ media: "print" });
    for (const hidden of [header, nav, language, page.getByRole("button", { name: t("caretaker.sheet.print") }), page.locator("footer.site-footer")]) {
      expect(await hidden.isVisible()).toBe(false);
    }
    for (let i = 0; i < day.sites.length; i++) expect(await buildings.nth(i).isVisible()).toBe(true);
    // Black on white.
    const colours = await page.locator(".sheet-table").first().evaluate((el) => [getComputedStyle(el).color, getComputedStyle(document.body).backgroundColor]);
    expect(colours).toEqual(["rgb(0, 0, 0)", "rgb(255, 255, 255)"]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "day-sheet-print.png"), fullPage: true });
    const pdf = await page.pdf({ format: "A4", printBackground: false });
    writeFileSync(path.join(ARTIFACTS, "day-sheet.pdf"), pdf);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdfPageCount(pdf)).toBe(day.sites.length);
    await context.close();
  });

  it("is all there without JavaScript, with words saying how to print", async () => {
    const t = words("nb");
    const day = await busiestSheetDay(app.flokk.db);
    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: { width: 360, height: 780 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, CARETAKER);
    await page.goto(`/caretaker/sheet?date=${day.date}`);
    expect(await page.locator(".sheet-site h2").allTextContents()).toEqual(day.sites);
    expect(await page.locator(".sheet-table tbody tr").count()).toBeGreaterThan(day.sites.length - 1);
    expect(await page.getByText(t("caretaker.sheet.printHint")).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: t("caretaker.sheet.print") }).count()).toBe(0);
    // The previous day is a plain link away.
    await page.getByRole("link", { name: t("caretaker.today.previous") }).click();
    await page.waitForURL(/\/caretaker\/sheet\?date=\d{4}-\d{2}-\d{2}$/);
    expect(page.url()).not.toContain(day.date);
    await context.close();
  });
});
