// What a person does in the browser, written against the pages' accessible
// names in the app's own translations (app/i18n), so a reworded label changes
// here by itself and a missing one fails loudly.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from "playwright-core";
import { getLanguage, type MessageKey, type Params, translate } from "../../../app/i18n";

export type LangCode = "nb" | "en";

/** The words a page shows in a language. */
export function words(lang: LangCode) {
  const language = getLanguage(lang);
  return (key: MessageKey, params?: Params) => translate(language, key, params);
}

export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 900 };

/** A fresh context (own cookies) against the server; Norwegian unless told otherwise, as a person in Norway has it. */
export async function newContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: "nb-NO", timezoneId: "Europe/Oslo", viewport: DESKTOP, ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

export const SCREENSHOTS = path.resolve("test-results/screenshots");

/** A full-page screenshot kept as a test artifact: test-results/screenshots/<name>-<width>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
}

/** The same page at phone width and at desktop width, then back to how it was. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await screenshot(page, name);
  }
  await page.setViewportSize(before);
}

/** The sign-in code of the newest mail to `email`, read in the development mailbox like a developer would. */
export async function codeFromMailbox(context: BrowserContext, email: string): Promise<string> {
  const page = await context.newPage();
  try {
    await page.goto("/dev/mailbox");
    // Newest first: the first row addressed to this person.
    const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) }).first();
    await row.getByRole("link").click();
    await page.waitForURL(/\/dev\/mailbox\/\d+$/);
    const text = (await page.locator("pre.mailbox-text").first().textContent()) ?? "";
    const code = /\b[A-Z2-9]{4}-[A-Z2-9]{4}\b/.exec(text)?.[0];
    if (!code) throw new Error(`No sign-in code in the newest mail to ${email}:\n${text}`);
    return code;
  } finally {
    await page.close();
  }
}

/**
 * Signs in through the pages: types the address, reads the code in the
 * development mailbox, types it. Ends on the person's own page.
 */
export async function signIn(page: Page, email: string, lang: LangCode = "nb"): Promise<void> {
  const t = words(lang);
  await page.goto("/signin");
  await page.getByLabel(t("signin.email")).fill(email);
  await page.getByRole("button", { name: t("signin.submit") }).click();
  await page.waitForURL(/\/signin\/code$/);
  const code = await codeFromMailbox(page.context(), email);
  await page.getByLabel(t("signin.code.label")).fill(code);
  await page.getByRole("button", { name: t("signin.code.submit") }).click();
  await page.waitForURL(/\/account$/);
}

/** Local dates in Oslo, as the venue pages show and take them. */
export function osloDate(daysFromToday: number, now = new Date()): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + daysFromToday);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The first date at least `minDays` from today that falls on one of `weekdays`. */
export function nextDate(weekdays: number[], minDays: number): string {
  for (let i = minDays; ; i++) {
    const date = osloDate(i);
    if (weekdays.includes(weekdayOf(date))) return date;
  }
}

export function addDaysTo(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type Words = ReturnType<typeof words>;


/** On the home page: meeting rooms for at least `capacity`, searched with the form (so also without JavaScript). */
export async function searchMeetingRooms(page: Page, t: Words, capacity: number): Promise<void> {
  await page.getByRole("group", { name: t("search.kinds") }).getByLabel(t("kind.meeting-room")).check();
  await page.getByLabel(t("search.capacity"), { exact: true }).fill(String(capacity));
  await page.getByRole("button", { name: t("search.submit") }).click();
  await page.waitForURL(new RegExp(`\\?.*capacity=${capacity}`));
}

/** On a venue page: the week of `date`, through the jump form (so also without JavaScript), and that date's day in it. */
export async function openWeekDay(page: Page, t: Words, date: string): Promise<Locator> {
  await page.getByLabel(t("week.jumpLabel"), { exact: true }).fill(date);
  await page.getByRole("button", { name: t("week.jumpButton") }).click();
  await page.waitForURL(new RegExp(`week=${date}`));
  return page.locator("li.day").filter({ has: page.locator(`time[datetime="${date}"]`) });
}

/** Fills the details of the booking (or series) form; the time comes from the link that opened it. */
export async function fillBookingDetails(page: Page, t: Words, details: { association?: string; title: string; attendees: string; visibility?: "public" | "private" }) {
  if (details.association) await page.getByRole("group", { name: t("book.association") }).getByLabel(details.association).check();
  await page.getByLabel(t("book.title"), { exact: true }).fill(details.title);
  await page.getByLabel(t("book.attendees"), { exact: true }).fill(details.attendees);
  if (details.visibility) await page.getByRole("group", { name: t("book.visibility") }).getByLabel(t(details.visibility === "public" ? "book.public" : "book.private")).check();
}

/**
 * Where a submitted booking form ends: the booking's own page ("booked"), or
 * the form again with the conflict explained ("conflict"). Waits for one of them.
 */
export async function bookingOutcome(page: Page, t: Words, timeoutMs = 20_000): Promise<"booked" | "conflict"> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // A double click without JavaScript aborts the first navigation: reading the
    // page in between may fail, and is simply tried again.
    try {
      if (/\/bookings\/[0-9a-f-]{36}(\?|$)/.test(page.url())) {
        const heading = await page.getByRole("heading", { level: 1 }).textContent({ timeout: 1000 });
        if (heading === t("booking.confirmed.heading") || heading === t("booking.pending.heading")) return "booked";
      }
      if ((await page.getByRole("heading", { name: t("book.conflict.heading") }).count()) > 0) return "conflict";
    } catch {
      // navigating
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`Neither the booking nor a conflict after ${timeoutMs} ms; the page is ${page.url()}:\n${((await page.locator("main").textContent().catch(() => "")) ?? "").slice(0, 1500)}`);
}

/**
 * Two clicks on the same spot as a person's double click makes them, some
 * tens of milliseconds apart. Playwright's dblclick() fires both within one
 * task, and the browser then replaces the first, still-planned submission
 * with the second: only one request would leave, testing nothing. Pair it
 * with slowFormAnswers() so the first answer cannot arrive between the clicks.
 */
export async function doubleClick(page: Page, target: Locator, gapMs = 60): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error("doubleClick: the target is not visible");
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.click(x, y);
  await page.waitForTimeout(gapMs);
  await page.mouse.click(x, y);
}

/**
 * A slow network for form posts: each POST goes to the server at once (and is
 * handled there), but its answer reaches the page only `ms` later — the moment
 * in which people click again. An answer the page no longer waits for (the
 * browser dropped that request for the next one) is discarded.
 */
export async function slowFormAnswers(page: Page, ms: number): Promise<void> {
  await page.route("**/*", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    try {
      const response = await route.fetch({ maxRedirects: 0 });
      await new Promise((r) => setTimeout(r, ms));
      await route.fulfill({ response });
    } catch {
      // the page went on without this answer
    }
  });
}
