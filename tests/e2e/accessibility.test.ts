// Universal design, checked in the browser: axe-core on every main page — in
// bokmål (the default) and in English (chosen with the language switch),
// signed out and signed in, at 360 px — must find nothing, and the page must
// fit the phone's width. The main forms can be used with the keyboard alone,
// and the core flow (find a venue, book a slot) works with JavaScript off
// (axe on that flow's pages without JavaScript: accessibility-no-js.test.ts).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, type ExpectStatic, expect, it } from "vitest";
import { printServerOutputOnFailure, type RunningFlokk, startFlokk } from "./support/app";
import { axeViolations, formatViolations } from "./support/axe";
import { launchChromium } from "./support/chromium";
import { associationId, bookingsOn, busiestSheetDay } from "./support/flokk-data";
import { type LangCode, nextDate, newContext, openWeekDay, PHONE, screenshot, screenshotBoth, searchMeetingRooms, signIn, words } from "./support/pages";

let flokk: RunningFlokk;
let browser: Browser;
/** Ids in the demo data the pages are opened with. */
const ids = { il: 0, booking: "", seriesBooking: "", pastDay: "" };
const MEMBER = "kari@flokk.example"; // leads the sports club, member of the chess club
const CARETAKER = "vaktmester@flokk.example"; // takes care of the demo sites
const ADMIN = "admin@flokk.example"; // administers the demo municipality

beforeAll(async () => {
  [flokk, browser] = await Promise.all([startFlokk(), launchChromium()]);
  ids.il = await associationId(flokk.db, "Løvstad Idrettslag");
  // One of the club's single bookings and one date of its weekly series, both upcoming.
  const row = await flokk.db
    .selectFrom("bookings")
    .select(["id", "series_id"])
    .where("association_id", "=", ids.il)
    .where("status", "=", "confirmed")
    .where("starts_at", ">", new Date())
    .orderBy("starts_at")
    .execute();
  ids.booking = row.find((r) => r.series_id === null)!.id;
  ids.seriesBooking = row.find((r) => r.series_id !== null)!.id;
  // The demo data has no past bookings: one from yesterday, so the day plan offers its attendance forms.
  const lillesalen = await flokk.db.selectFrom("venues").select("id").where("slug", "=", "lillesalen").executeTakeFirstOrThrow();
  const yesterday = new Date(Date.now() - 86_400_000);
  ids.pastDay = yesterday.toLocaleDateString("sv-SE", { timeZone: "Europe/Oslo" });
  await flokk.db
    .insertInto("bookings")
    .values({ id: crypto.randomUUID(), venue_id: lillesalen.id, association_id: ids.il, title: "Gårsdagens trening", expected_attendees: 12, starts_at: new Date(yesterday.getTime() - 3_600_000), ends_at: yesterday, status: "confirmed" })
    .execute();
});

afterAll(async () => {
  await browser?.close();
  await flokk?.stop();
});

printServerOutputOnFailure(() => flokk);

interface MainPage {
  name: string;
  /** Brings the page into the state to check (a form with errors, a preview …). */
  open: (page: Page, lang: LangCode) => Promise<void>;
}

const goto = (path: string) => async (page: Page) => {
  await page.goto(path);
};

/** A weekday with free mornings in Lillesalen, and a Tuesday evening the demo data has taken there. */
const bookDay = () => nextDate([2, 3, 4, 5], 4);

const SIGNED_OUT: MainPage[] = [
  { name: "home", open: goto("/") },
  { name: "home-search-errors", open: goto("/?capacity=lots&date=2026-02-30&start=25:00") },
  { name: "venue", open: goto("/venues/storsalen") },
  { name: "signin", open: goto("/signin") },
  {
    name: "signin-code",
    open: async (page, lang) => {
      const t = words(lang);
      await page.goto("/signin");
      await page.getByLabel(t("signin.email")).fill("someone@example.org");
      await page.getByRole("button", { name: t("signin.submit") }).click();
      await page.waitForURL(/\/signin\/code$/);
      await page.getByLabel(t("signin.code.label")).waitFor();
    },
  },
  // The development mailbox (the e2e app has no SMTP_URL), holding the sign-in mails of the contexts below.
  {
    name: "dev-mailbox",
    open: async (page) => {
      await page.goto("/dev/mailbox");
      await page.locator(".mailbox-table tbody a").first().waitFor();
    },
  },
  {
    name: "dev-mailbox-message",
    open: async (page) => {
      await page.goto("/dev/mailbox");
      await page.locator(".mailbox-table tbody a").first().click();
      await page.waitForURL(/\/dev\/mailbox\/\d+$/);
    },
  },
];

const SIGNED_IN: MainPage[] = [
  { name: "account", open: goto("/account") },
  { name: "account-calendars", open: goto("/account/calendars") },
  { name: "association", open: async (page) => void (await page.goto(`/associations/${ids.il}`)) },
  {
    // The question before removing a member: asking changes nothing.
    name: "association-confirm-remove",
    open: async (page, lang) => {
      const t = words(lang);
      await page.goto(`/associations/${ids.il}`);
      await page.getByRole("button", { name: t("association.members.remove", { name: "Jonas Lie" }) }).click();
      await page.getByRole("heading", { name: t("association.confirm.remove.heading", { name: "Jonas Lie", association: "Løvstad Idrettslag" }) }).waitFor();
    },
  },
  { name: "association-new", open: goto("/associations/new") },
  { name: "venue-signed-in", open: goto("/venues/peisestua") },
  { name: "book", open: async (page) => void (await page.goto(`/venues/lillesalen/book?date=${bookDay()}&start=09:00&end=10:00`)) },
  {
    name: "book-errors",
    open: async (page, lang) => {
      const t = words(lang);
      await page.goto(`/venues/lillesalen/book?date=${bookDay()}&start=10:00&end=09:00`);
      await page.getByRole("button", { name: t("book.submit"), exact: true }).click();
      await page.getByRole("heading", { name: t("book.errorSummary") }).waitFor();
    },
  },
  {
    name: "book-conflict",
    open: async (page, lang) => {
      const t = words(lang);
      // The club's own board meeting: a Tuesday evening in Lillesalen, from the demo data.
      const taken = await flokk.db
        .selectFrom("bookings")
        .select(["starts_at"])
        .where("title", "=", "Styremøte")
        .executeTakeFirstOrThrow();
      const date = taken.starts_at.toLocaleDateString("sv-SE", { timeZone: "Europe/Oslo" });
      await page.goto(`/venues/lillesalen/book?date=${date}&start=19:30&end=20:30&associationId=${ids.il}`);
      await page.getByLabel(t("book.title"), { exact: true }).fill("Kollisjon");
      await page.getByLabel(t("book.attendees"), { exact: true }).fill("5");
      await page.getByRole("button", { name: t("book.submit"), exact: true }).click();
      await page.getByRole("heading", { name: t("book.conflict.heading") }).waitFor();
    },
  },
  { name: "series", open: goto("/venues/lillesalen/series") },
  {
    name: "series-preview",
    open: async (page, lang) => {
      const t = words(lang);
      // Thursdays 18:00–19:00 collide with the chess club's weekly evening from 18:30.
      const from = nextDate([4], 3);
      const query = new URLSearchParams({ associationId: String(ids.il), weekday: "4", startTime: "18:00", durationMinutes: "60", from, until: from, title: "Trening", expectedAttendees: "8" });
      await page.goto(`/venues/lillesalen/series?${query}`);
      const until = page.getByLabel(t("series.until"), { exact: true });
      const d = new Date(`${from}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 21);
      await until.fill(d.toISOString().slice(0, 10));
      await page.getByRole("button", { name: t("series.previewSubmit") }).click();
      await page.getByRole("heading", { name: t("series.previewHeading") }).waitFor();
    },
  },
  { name: "my-bookings", open: goto("/bookings") },
  { name: "booking", open: async (page) => void (await page.goto(`/bookings/${ids.booking}`)) },
  { name: "booking-in-series", open: async (page) => void (await page.goto(`/bookings/${ids.seriesBooking}`)) },
  { name: "cancel", open: async (page) => void (await page.goto(`/bookings/${ids.booking}/cancel`)) },
  { name: "move", open: async (page) => void (await page.goto(`/bookings/${ids.booking}/move`)) },
  {
    name: "move-errors",
    open: async (page, lang) => {
      // The form sent back with a problem beside a field and the summary above it.
      const t = words(lang);
      await page.goto(`/bookings/${ids.booking}/move`);
      await page.getByLabel(t("book.end"), { exact: true }).fill("00:30");
      await page.getByRole("button", { name: t("move.submit") }).click();
      await page.locator(".ds-error-summary").waitFor();
    },
  },
];

/** The owner admin's pages, signed in as the demo admin. */
const ADMIN_PAGES: MainPage[] = [
  { name: "admin-home", open: goto("/admin") },
  { name: "admin-people", open: goto("/admin/people") },
  {
    name: "admin-people-errors",
    open: async (page, lang) => {
      // An address nobody has: the message beside the first site's field.
      const t = words(lang);
      await page.goto("/admin/people");
      await page.locator("input[type=email]").first().fill("ingen-her@example.org");
      await page.getByRole("button", { name: t("people.assign"), exact: true }).first().click();
      await page.locator(".ds-validation-message").first().waitFor();
    },
  },
  { name: "admin-associations", open: goto("/admin/associations") },
  // The demo club's booking as its history reads to the owner's admin.
  { name: "booking-history", open: async (page) => void (await page.goto(`/bookings/${ids.booking}/history`)) },
  { name: "admin-venues", open: goto("/admin/venues") },
  { name: "admin-venue-new", open: goto("/admin/venues/new") },
  {
    name: "admin-venue-new-errors",
    open: async (page, lang) => {
      const t = words(lang);
      await page.goto("/admin/venues/new");
      await page.getByRole("button", { name: t("adminVenues.new.submit"), exact: true }).click();
      await page.getByRole("heading", { name: t("adminVenues.form.errorSummary") }).waitFor();
    },
  },
  {
    name: "admin-venue-edit",
    open: async (page) => {
      const storsalen = await flokk.db.selectFrom("venues").select("id").where("slug", "=", "storsalen").executeTakeFirstOrThrow();
      await page.goto(`/admin/venues/${storsalen.id}`);
    },
  },
  {
    name: "admin-venue-hours",
    open: async (page) => {
      const storsalen = await flokk.db.selectFrom("venues").select("id").where("slug", "=", "storsalen").executeTakeFirstOrThrow();
      await page.goto(`/admin/venues/${storsalen.id}/hours`);
    },
  },
  {
    name: "admin-venue-hours-errors",
    open: async (page, lang) => {
      // Monday closing before it opens: the error summary and the message beside the field.
      const t = words(lang);
      const storsalen = await flokk.db.selectFrom("venues").select("id").where("slug", "=", "storsalen").executeTakeFirstOrThrow();
      await page.goto(`/admin/venues/${storsalen.id}/hours`);
      await page.locator("#h1-0-opens").fill("22:00");
      await page.locator("#h1-0-closes").fill("08:00");
      await page.getByRole("button", { name: t("admin.hours.save"), exact: true }).click();
      await page.getByRole("heading", { name: t("admin.hours.errorSummary") }).first().waitFor();
    },
  },
  {
    name: "admin-venue-hours-confirm",
    open: async (page, lang) => {
      // Closing Lillesalen on the day of the sports club's board meeting (demo data): the first step lists it; nothing is saved.
      const t = words(lang);
      const taken = await flokk.db.selectFrom("bookings").select(["venue_id", "starts_at"]).where("title", "=", "Styremøte").executeTakeFirstOrThrow();
      const date = taken.starts_at.toLocaleDateString("sv-SE", { timeZone: "Europe/Oslo" });
      await page.goto(`/admin/venues/${taken.venue_id}/hours`);
      await page.getByLabel(t("admin.hours.startsOn"), { exact: true }).fill(date);
      await page.getByLabel(t("admin.hours.endsOn"), { exact: true }).fill(date);
      await page.getByLabel(t("admin.hours.reason"), { exact: true }).fill("Vannskade");
      await page.getByRole("button", { name: t("admin.hours.addClosure"), exact: true }).click();
      await page.getByRole("heading", { name: t("admin.hours.confirmHeading") }).waitFor();
    },
  },
  { name: "admin-mail", open: goto("/admin/mail") },
  { name: "admin-import", open: goto("/admin/import") },
  {
    name: "admin-import-report",
    open: async (page, lang) => {
      // Pasted CSV with a bad line: the report table of line, column and problem.
      const t = words(lang);
      await page.goto("/admin/import");
      await page.getByLabel(t("import.textLabel")).fill("site;name;kind;capacity\nUkjent sted;Rom;boat;mange\n");
      await page.getByRole("button", { name: t("import.check"), exact: true }).click();
      await page.locator(".import-table").waitFor();
    },
  },
];

/** The caretaker's pages, signed in as the demo caretaker. */
const CARETAKER_PAGES: MainPage[] = [
  { name: "caretaker-requests", open: goto("/caretaker/requests") },
  { name: "caretaker-today", open: goto("/caretaker/today") },
  // Yesterday's booking has started: its head count form and no-show button are checked.
  { name: "caretaker-today-attendance", open: async (page) => void (await page.goto(`/caretaker/today?date=${ids.pastDay}`)) },
  { name: "caretaker-block", open: goto("/caretaker/block") },
  {
    name: "caretaker-block-errors",
    open: async (page, lang) => {
      const t = words(lang);
      await page.goto("/caretaker/block");
      await page.getByRole("button", { name: t("caretaker.block.submit"), exact: true }).click();
      await page.getByRole("heading", { name: t("caretaker.block.errorSummary") }).waitFor();
    },
  },
  {
    name: "caretaker-block-conflict",
    open: async (page, lang) => {
      const t = words(lang);
      // The sports club's board meeting (demo data) is in the way.
      const taken = await flokk.db.selectFrom("bookings").select(["venue_id", "starts_at"]).where("title", "=", "Styremøte").executeTakeFirstOrThrow();
      const zone = { timeZone: "Europe/Oslo" };
      await page.goto("/caretaker/block");
      await page.getByLabel(t("caretaker.block.venue"), { exact: true }).selectOption(String(taken.venue_id));
      await page.getByLabel(t("caretaker.block.date"), { exact: true }).fill(taken.starts_at.toLocaleDateString("sv-SE", zone));
      await page.getByLabel(t("caretaker.block.start"), { exact: true }).fill(taken.starts_at.toLocaleTimeString("sv-SE", { ...zone, hour: "2-digit", minute: "2-digit" }));
      await page.getByLabel(t("caretaker.block.end"), { exact: true }).fill("23:00");
      await page.getByLabel(t("caretaker.block.reason"), { exact: true }).fill("Vedlikehold");
      await page.getByRole("button", { name: t("caretaker.block.submit"), exact: true }).click();
      await page.getByRole("heading", { name: t("caretaker.block.conflictHeading") }).waitFor();
    },
  },
  { name: "caretaker-week", open: goto("/caretaker/week") },
  // A day with bookings in every building it can find, so the sheet's tables are checked too.
  { name: "caretaker-sheet", open: async (page) => void (await page.goto(`/caretaker/sheet?date=${(await busiestSheetDay(flokk.db)).date}`)) },
];

/** Switches the page's language with the switch in the header, as a person would. */
async function chooseLanguage(page: Page, lang: LangCode): Promise<void> {
  const current = await page.locator("html").getAttribute("lang");
  if (current === lang) return;
  await page
    .getByRole("navigation", { name: words(current === "en" ? "en" : "nb")("nav.language") })
    .getByRole("link", { name: lang === "en" ? "English" : "Norsk (bokmål)" })
    .click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

// The pages are checked a few at a time (maxConcurrency of the e2e project):
// a check waits in turn on the server, the browser and axe, and three at a
// time keep both cores busy and take two-thirds as long as one. Each check has
// its own page and the test's own `expect`, and none of them changes data
// that another reads (the forms they send are refused or only previewed).
async function checkPage(expect: ExpectStatic, context: BrowserContext, main: MainPage, lang: LangCode): Promise<void> {
  const page = await context.newPage();
  try {
    await main.open(page, lang);
    await page.waitForLoadState("load");
    expect(await page.locator("html").getAttribute("lang")).toBe(lang);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    const where = `${main.name} (${lang}, ${page.url()})`;
    const violations = await axeViolations(page);
    expect(violations.map((v) => v.id), formatViolations(where, violations)).toEqual([]);
    // Reflow (WCAG 1.4.10): nothing wider than the phone, so no sideways scrolling.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${where} is ${overflow}px wider than the screen`).toBeLessThanOrEqual(0);
    if (lang === "nb") await screenshotBoth(page, main.name);
    else await screenshot(page, `${main.name}-en`);
  } finally {
    await page.close();
  }
}

it("the check itself finds a known problem (an image without text, an unlabelled field)", async () => {
  const page = await browser.newPage();
  await page.setContent('<html lang="nb"><head><title>x</title></head><body><main><h1>x</h1><img src="data:,"><input type="text"></main></body></html>');
  const ids = (await axeViolations(page)).map((v) => v.id);
  expect(ids).toEqual(expect.arrayContaining(["image-alt", "label"]));
  await page.close();
});

describe.each(["nb", "en"] as const)("main pages in %s at 360 px", (lang) => {
  let anonymous: BrowserContext;
  let member: BrowserContext;
  let caretaker: BrowserContext;
  let admin: BrowserContext;

  beforeAll(async () => {
    anonymous = await newContext(browser, flokk.baseUrl, { viewport: PHONE });
    member = await newContext(browser, flokk.baseUrl, { viewport: PHONE });
    const a = await anonymous.newPage();
    await a.goto("/");
    await chooseLanguage(a, lang);
    await a.close();
    const m = await member.newPage();
    await signIn(m, MEMBER);
    await chooseLanguage(m, lang);
    await m.close();
    caretaker = await newContext(browser, flokk.baseUrl, { viewport: PHONE });
    const c = await caretaker.newPage();
    await signIn(c, CARETAKER);
    await chooseLanguage(c, lang);
    await c.close();
    admin = await newContext(browser, flokk.baseUrl, { viewport: PHONE });
    const ad = await admin.newPage();
    await signIn(ad, ADMIN);
    await chooseLanguage(ad, lang);
    await ad.close();
  });

  afterAll(async () => {
    await anonymous?.close();
    await member?.close();
    await caretaker?.close();
    await admin?.close();
  });

  it.concurrent.for(SIGNED_OUT)("signed out: $name", async (main, { expect }) => {
    await checkPage(expect, anonymous, main, lang);
  });

  it.concurrent.for(SIGNED_IN)("signed in: $name", async (main, { expect }) => {
    await checkPage(expect, member, main, lang);
  });

  it.concurrent.for(CARETAKER_PAGES)("caretaker: $name", async (main, { expect }) => {
    await checkPage(expect, caretaker, main, lang);
  });

  it.concurrent.for(ADMIN_PAGES)("admin: $name", async (main, { expect }) => {
    await checkPage(expect, admin, main, lang);
  });
});

/** What has focus, as "tag#id" or "tag[name=…]" or "a:text". */
async function tabStops(page: Page, max = 150): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return "body";
      const tag = el.tagName.toLowerCase();
      if (el.id) return `${tag}#${el.id}`;
      const name = el.getAttribute("name");
      if (name) return `${tag}[name=${name}]`;
      return `${tag}:${(el.textContent ?? "").trim().slice(0, 60)}`;
    });
    if (stops.length > 0 && stop === stops[0]) break; // wrapped around
    stops.push(stop);
  }
  return stops;
}

describe("keyboard", () => {
  it("reaches every control of the search, sign-in and booking forms with Tab, skip link first", async () => {
    const t = words("nb");
    const context = await newContext(browser, flokk.baseUrl, { viewport: PHONE });
    const page = await context.newPage();

    await page.goto("/");
    const home = await tabStops(page);
    expect(home[0]).toBe(`a:${t("nav.skipToContent")}`);
    for (const control of ["input#search-kind-meeting-room", "input#search-capacity", "input#search-stepFree", "input#search-amenity-whiteboard", "input#search-date", "input#search-start", "input#search-end", `button:${t("search.submit")}`]) {
      expect(home, `${control} is not reachable with Tab on /`).toContain(control);
    }
    // The skip link takes focus past the header.
    await page.goto("/");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    await page.goto("/signin");
    const signin = await tabStops(page);
    expect(signin).toContain("input#email");
    expect(signin).toContain(`button:${t("signin.submit")}`);

    // A member of the sports club whose language nobody has switched (the checks above switch Kari's).
    await signIn(page, "jonas@flokk.example");
    await page.goto(`/venues/lillesalen/book?date=${bookDay()}&start=09:00&end=10:00`);
    expect(await page.locator("html").getAttribute("lang")).toBe("nb");
    const book = await tabStops(page);
    expect(book.some((s) => s.startsWith("input#associationId-")), "the association choice is not reachable with Tab").toBe(true);
    for (const control of [
      "input#date",
      "input#start",
      "input#end",
      "input#title",
      "textarea#purpose",
      "input#visibility-private",
      "input#expectedAttendees",
      "textarea#noteToCaretaker",
      `button:${t("book.submit")}`,
    ]) {
      expect(book, `${control} is not reachable with Tab on the booking form`).toContain(control);
    }
    // Typing and Enter alone book the slot.
    await page.goto(`/venues/lillesalen/book?date=${bookDay()}&start=11:00&end=12:00&associationId=${ids.il}`);
    await page.locator("#title").focus();
    await page.keyboard.type("Med tastaturet");
    await page.locator("#expectedAttendees").focus();
    await page.keyboard.type("4");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    const stored = (await bookingsOn(flokk.db, "lillesalen", bookDay())).filter((b) => b.title === "Med tastaturet");
    expect(stored).toHaveLength(1);
    await context.close();
  });
});

describe("without JavaScript", () => {
  it("finds a venue, books a free slot from the week and sees it under My bookings", async () => {
    const t = words("nb");
    const context = await newContext(browser, flokk.baseUrl, { javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, "per@flokk.example");

    const date = nextDate([2, 3, 4, 5], 5);
    await page.goto("/");
    await searchMeetingRooms(page, t, 10);
    await page.locator(".venue-list").getByRole("link", { name: "Lillesalen", exact: true }).click();
    await page.waitForURL(/\/venues\/lillesalen$/);
    const theDay = await openWeekDay(page, t, date);
    await theDay.getByRole("link", { name: new RegExp(`^${t("week.book")}\\b`) }).first().click();
    await page.waitForURL(/\/venues\/lillesalen\/book\?/);
    const start = await page.locator("#start").inputValue();
    expect(await page.locator("#date").inputValue()).toBe(date);
    await page.getByLabel(t("book.title"), { exact: true }).fill("Uten JavaScript");
    await page.getByLabel(t("book.attendees"), { exact: true }).fill("6");
    await page.getByRole("button", { name: t("book.submit"), exact: true }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(t("booking.confirmed.heading"));

    const stored = (await bookingsOn(flokk.db, "lillesalen", date)).filter((b) => b.title === "Uten JavaScript");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "confirmed", association: "Løvstad Skolekorps", start });

    await page.goto("/bookings");
    expect(await page.locator("li.booking-line").filter({ hasText: "Uten JavaScript" }).count()).toBe(1);
    await context.close();
  });
});
