// An owner admin creates a venue with opening hours through /admin/venues/new
// in a real browser, and it is bookable at once: a member of an association
// books it through its booking page and gets the booking confirmed (approval
// "auto"). Checks what was stored, not only where the browser ended up.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printServerOutputOnFailure, type RunningFlokk, startFlokk } from "./support/app";
import { launchChromium } from "./support/chromium";
import { bookingsOn } from "./support/flokk-data";
import { bookingOutcome, fillBookingDetails, nextDate, newContext, PHONE, screenshot, signIn, words } from "./support/pages";

const t = words("nb");
const IL = "Løvstad Idrettslag";

let flokk: RunningFlokk;
let browser: Browser;
let admin: BrowserContext;
let kari: BrowserContext;

beforeAll(async () => {
  [flokk, browser] = await Promise.all([startFlokk(), launchChromium()]);
  // The admin works on a phone: the form must be usable at 360 px.
  admin = await newContext(browser, flokk.baseUrl, { viewport: PHONE });
  kari = await newContext(browser, flokk.baseUrl);
  await Promise.all([signIn(await admin.newPage(), "admin@flokk.example"), signIn(await kari.newPage(), "kari@flokk.example")]);
});

afterAll(async () => {
  await browser?.close();
  await flokk?.stop();
});

printServerOutputOnFailure(() => flokk);

describe("a new venue", () => {
  it("is created with opening hours by an admin and booked by a member at once", async () => {
    const slug = `ovingssalen-${Date.now().toString(36)}`;
    const page = await admin.newPage();
    await page.goto("/admin/venues");
    await page.getByRole("link", { name: t("adminVenues.list.new") }).click();
    await page.waitForURL(/\/admin\/venues\/new$/);
    // A client-side navigation changes the address before the new page has rendered.
    await page.getByRole("heading", { level: 1, name: t("adminVenues.new.heading") }).waitFor();

    const site = page.getByLabel(t("adminVenues.new.site"), { exact: true });
    await site.locator("option").first().waitFor({ state: "attached" });
    const firstSite = await site.locator("option").evaluateAll((options) => (options as HTMLOptionElement[]).map((o) => o.value).find((v) => v !== ""));
    await site.selectOption(firstSite!);
    await page.getByLabel(t("adminVenues.form.name"), { exact: true }).fill("Øvingssalen");
    await page.getByLabel(t("adminVenues.form.slug"), { exact: true }).fill(slug);
    await page.getByLabel(t("adminVenues.form.kind"), { exact: true }).selectOption("hall");
    await page.getByLabel(t("adminVenues.form.capacity"), { exact: true }).fill("40");
    await page.getByRole("group", { name: t("adminVenues.form.amenities") }).getByLabel(t("amenity.piano")).check();
    await page.getByLabel(t("adminVenues.form.stepFree"), { exact: true }).check();
    await page.getByRole("group", { name: t("adminVenues.form.approvalMode") }).getByLabel(t("adminVenues.form.approval.auto")).check();
    for (let weekday = 1; weekday <= 7; weekday++) {
      await page.locator(`#h${weekday}-0-opens`).fill("08:00");
      await page.locator(`#h${weekday}-0-closes`).fill("22:00");
    }
    await screenshot(page, "admin-venue-new");
    await page.getByRole("button", { name: t("adminVenues.new.submit"), exact: true }).click();
    await page.waitForURL(/\/admin\/venues\/\d+\?done=created$/);
    await page.getByText(t("adminVenues.edit.done.created")).waitFor();

    const venue = await flokk.db.selectFrom("venues").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
    expect(venue).toMatchObject({ name: "Øvingssalen", kind: "hall", capacity: 40, amenities: ["piano"], step_free: true, approval_mode: "auto", archived_at: null });
    expect(await flokk.db.selectFrom("opening_hours").select("weekday").where("venue_id", "=", venue.id).execute()).toHaveLength(7);

    // The list shows it, linking to its edit page.
    await page.goto("/admin/venues");
    await page.getByRole("link", { name: "Øvingssalen" }).click();
    await page.waitForURL(new RegExp(`/admin/venues/${venue.id}$`));
    await page.getByRole("heading", { level: 1, name: t("adminVenues.edit.heading", { venue: "Øvingssalen" }) }).waitFor();
    await page.close();

    // A member books it through its booking page.
    const day = nextDate([2, 3, 4], 3);
    const booking = await kari.newPage();
    await booking.goto(`/venues/${slug}/book?${new URLSearchParams({ date: day, start: "10:00", end: "11:30" })}`);
    await booking.getByRole("heading", { level: 1, name: t("book.heading", { venue: "Øvingssalen" }) }).waitFor();
    await fillBookingDetails(booking, t, { association: IL, title: "Korpsøving i ny sal", attendees: "25" });
    await booking.getByRole("button", { name: t("book.submit"), exact: true }).click();
    expect(await bookingOutcome(booking, t)).toBe("booked");
    expect(await booking.getByRole("heading", { level: 1 }).textContent()).toBe(t("booking.confirmed.heading"));
    const stored = await bookingsOn(flokk.db, slug, day);
    expect(stored).toEqual([expect.objectContaining({ title: "Korpsøving i ny sal", status: "confirmed", association: IL, start: "10:00", end: "11:30" })]);
    await booking.close();
  });
});
