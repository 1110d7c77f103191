// Booking in a real browser where it is hard: a double click, two people
// racing for one slot, a weekly series with a date in the way, a cancellation.
// Every case checks what was stored, not only where the browser ended up.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBooking } from "../../app/booking/booking.server";
import { printServerOutputOnFailure, type RunningFlokk, startFlokk } from "./support/app";
import { launchChromium } from "./support/chromium";
import { associationId, bookingsOn, userId, venueId } from "./support/flokk-data";
import { addDaysTo, bookingOutcome, doubleClick, fillBookingDetails, nextDate, newContext, screenshotBoth, signIn, slowFormAnswers, words } from "./support/pages";

const t = words("nb");
const VENUE = "lillesalen"; // auto-approved meeting room, open 08–22 on weekdays
const IL = "Løvstad Idrettslag";
const KORPS = "Løvstad Skolekorps";

let flokk: RunningFlokk;
let browser: Browser;
let kari: BrowserContext; // leader of the sports club (and member of the chess club)
let per: BrowserContext; // leader of the school band
/** A weekday far enough ahead for every rule, with mornings free in the demo data. */
let day: string;

beforeAll(async () => {
  [flokk, browser] = await Promise.all([startFlokk(), launchChromium()]);
  kari = await newContext(browser, flokk.baseUrl);
  per = await newContext(browser, flokk.baseUrl);
  await Promise.all([signIn(await kari.newPage(), "kari@flokk.example"), signIn(await per.newPage(), "per@flokk.example")]);
  day = nextDate([2, 3, 4, 5], 3);
});

afterAll(async () => {
  await browser?.close();
  await flokk?.stop();
});

printServerOutputOnFailure(() => flokk);

async function openForm(context: BrowserContext, date: string, start: string, end: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/venues/${VENUE}/book?${new URLSearchParams({ date, start, end })}`);
  await page.getByRole("heading", { level: 1, name: t("book.heading", { venue: "Lillesalen" }) }).waitFor();
  return page;
}

/** Counts the form submissions (POSTs to the booking form) the page sends from now on. */
function countPosts(page: Page): { count: number } {
  const seen = { count: 0 };
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname.startsWith(`/venues/${VENUE}/book`)) seen.count++;
  });
  return seen;
}

describe("booking", () => {
  it("books once when Book is double-clicked", async () => {
    const page = await openForm(kari, day, "09:00", "10:00");
    await fillBookingDetails(page, t, { association: IL, title: "Dobbeltklikk", attendees: "8" });
    const posts = countPosts(page);
    await slowFormAnswers(page, 400);
    await doubleClick(page, page.getByRole("button", { name: t("book.submit"), exact: true }));
    expect(await bookingOutcome(page, t)).toBe("booked");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("booking.confirmed.heading"));
    await screenshotBoth(page, "booking-confirmed");

    // Both clicks reached the server, or this would prove nothing.
    expect(posts.count).toBe(2);
    const stored = (await bookingsOn(flokk.db, VENUE, day)).filter((b) => b.title === "Dobbeltklikk");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "confirmed", association: IL, start: "09:00", end: "10:00" });
    expect(page.url()).toContain(`/bookings/${stored[0]!.id}`);
    await page.close();
  });

  it("books once when Book is double-clicked without JavaScript", async () => {
    const context = await newContext(browser, flokk.baseUrl, { javaScriptEnabled: false });
    await signIn(await context.newPage(), "kari@flokk.example");
    const page = await openForm(context, day, "10:00", "11:00");
    await fillBookingDetails(page, t, { association: IL, title: "Dobbeltklikk uten JS", attendees: "8" });
    const posts = countPosts(page);
    await slowFormAnswers(page, 400);
    await doubleClick(page, page.getByRole("button", { name: t("book.submit"), exact: true }));
    expect(await bookingOutcome(page, t)).toBe("booked");
    expect(posts.count).toBe(2);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("booking.confirmed.heading"));
    const stored = (await bookingsOn(flokk.db, VENUE, day)).filter((b) => b.title === "Dobbeltklikk uten JS");
    expect(stored).toHaveLength(1);
    await context.close();
  });

  it("lets exactly one of two people racing for a slot win; the other sees the conflict and alternatives", async () => {
    const [a, b] = await Promise.all([openForm(kari, day, "12:00", "13:30"), openForm(per, day, "12:00", "13:30")]);
    await fillBookingDetails(a, t, { association: IL, title: "Kappløp IL", attendees: "10" });
    await fillBookingDetails(b, t, { association: KORPS, title: "Kappløp korps", attendees: "10" });
    await Promise.all([a.getByRole("button", { name: t("book.submit"), exact: true }).click(), b.getByRole("button", { name: t("book.submit"), exact: true }).click()]);
    const [outcomeA, outcomeB] = await Promise.all([bookingOutcome(a, t), bookingOutcome(b, t)]);
    expect([outcomeA, outcomeB].sort()).toEqual(["booked", "conflict"]);
    const lost = outcomeA === "conflict" ? a : b;
    await expect.poll(() => lost.getByRole("heading", { name: t("book.conflict.heading") }).count()).toBe(1);
    const alternatives = lost.locator("section.alternatives");
    await expect.poll(() => alternatives.getByRole("heading", { name: t("alternatives.heading") }).count()).toBe(1);
    expect(await alternatives.getByRole("link").count()).toBeGreaterThan(0);
    await screenshotBoth(lost, "booking-conflict");

    const active = (await bookingsOn(flokk.db, VENUE, day, { activeOnly: true })).filter((x) => x.start === "12:00");
    expect(active).toHaveLength(1);
    expect(active[0]!.title).toBe(outcomeA === "booked" ? "Kappløp IL" : "Kappløp korps");

    // An alternative leads to a form with that time filled in, which books.
    // Waited for by its own address: the conflict page is a /book? page too, and
    // under load its form was filled and sent again before the link's page came.
    const suggestion = alternatives.getByRole("link").first();
    const target = new URL((await suggestion.getAttribute("href"))!, lost.url()).href;
    await suggestion.click();
    await lost.waitForURL((url) => url.href === target);
    await lost.getByRole("heading", { level: 1 }).waitFor();
    await fillBookingDetails(lost, t, { association: lost === a ? IL : KORPS, title: "Alternativet", attendees: "10" });
    await lost.getByRole("button", { name: t("book.submit"), exact: true }).click();
    expect(await bookingOutcome(lost, t)).toBe("booked");
    await Promise.all([a.close(), b.close()]);
  });

  it("previews a weekly series with a date in the way and creates it without that date", async () => {
    // Four Mondays from the first one at least three days ahead; the band has the second one already.
    const mondays = [0, 7, 14, 21].map((n) => addDaysTo(nextDate([1], 3), n));
    await requestBooking(
      flokk.db,
      {
        actorId: await userId(flokk.db, "per@flokk.example"),
        associationId: await associationId(flokk.db, KORPS),
        venueId: await venueId(flokk.db, VENUE),
        date: mondays[1]!,
        start: "08:30",
        end: "09:30",
        title: "Styremøte korps",
        isPublic: true,
        expectedAttendees: 6,
      },
      new Date(),
    );

    const page = await kari.newPage();
    await page.goto(`/venues/${VENUE}`);
    await page.getByRole("link", { name: t("venue.book.series"), exact: true }).click();
    await page.waitForURL(/\/venues\/lillesalen\/series/);
    await page.getByRole("group", { name: t("book.association") }).getByLabel(IL).check();
    await page.getByLabel(t("series.weekday"), { exact: true }).selectOption("1");
    await page.getByLabel(t("series.startTime"), { exact: true }).fill("08:00");
    await page.getByLabel(t("series.duration"), { exact: true }).fill("90");
    await page.getByLabel(t("series.interval"), { exact: true }).selectOption("1");
    await page.getByLabel(t("series.from"), { exact: true }).fill(mondays[0]!);
    await page.getByLabel(t("series.until"), { exact: true }).fill(mondays[3]!);
    await page.getByLabel(t("book.title"), { exact: true }).fill("Morgentrening");
    await page.getByLabel(t("book.attendees"), { exact: true }).fill("10");
    await page.getByRole("button", { name: t("series.previewSubmit") }).click();

    const preview = page.locator("section.series-preview");
    await preview.getByRole("heading", { name: t("series.previewHeading") }).waitFor();
    const items = preview.locator("ol.preview-list > li");
    await expect.poll(() => items.count()).toBe(4);
    const taken = preview.locator("li.preview-list__item--taken");
    await expect.poll(() => taken.count()).toBe(1);
    // The clash names what is in the way: a public booking shows its title.
    await expect.poll(() => taken.textContent()).toContain("Styremøte korps");
    await expect.poll(() => preview.getByText(t("series.conflictCount", { count: 1, total: 4 })).count()).toBe(1);
    await screenshotBoth(page, "series-preview");

    await preview.getByRole("button", { name: t("series.bookFree", { count: 3 }) }).click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?created=series$/);
    await expect.poll(() => page.getByText(t("booking.seriesCreated", { count: 3 })).count()).toBe(1);
    await screenshotBoth(page, "series-created");

    const stored = (await Promise.all(mondays.map((d) => bookingsOn(flokk.db, VENUE, d)))).map((list) => list.filter((b) => b.title === "Morgentrening"));
    expect(stored.map((list) => list.length)).toEqual([1, 0, 1, 1]);
    const seriesIds = new Set(stored.flat().map((b) => b.seriesId));
    expect(seriesIds.size).toBe(1);
    expect([...seriesIds][0]).not.toBeNull();
    expect(stored.flat().every((b) => b.status === "confirmed" && b.start === "08:00" && b.end === "09:30")).toBe(true);
    await page.close();
  });

  it("cancels a booking from My bookings, with a reason, and frees the time", async () => {
    const page = await openForm(per, day, "15:00", "16:00");
    await fillBookingDetails(page, t, { association: KORPS, title: "Skal avlyses", attendees: "5" });
    await page.getByRole("button", { name: t("book.submit"), exact: true }).click();
    expect(await bookingOutcome(page, t)).toBe("booked");
    const [booking] = (await bookingsOn(flokk.db, VENUE, day)).filter((b) => b.title === "Skal avlyses");
    expect(booking?.status).toBe("confirmed");

    await page.goto("/bookings");
    const line = page.locator("li.booking-line").filter({ has: page.getByRole("link", { name: "Skal avlyses", exact: true }) });
    await expect.poll(() => line.count()).toBe(1);
    await line.getByRole("link", { name: new RegExp(`^${t("myBookings.cancel")}\\b`) }).click();
    await page.waitForURL(new RegExp(`/bookings/${booking!.id}/cancel$`));
    await page.getByRole("heading", { level: 1, name: t("cancel.heading") }).waitFor();
    await screenshotBoth(page, "cancel-from-my-bookings");
    await page.getByLabel(t("cancel.reason"), { exact: true }).fill("Korpset har konsert");
    await page.getByRole("button", { name: t("cancel.submit") }).click();
    await page.waitForURL(new RegExp(`/bookings/${booking!.id}\\?cancelled=1$`));
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("booking.cancelled.heading"));
    await expect.poll(() => page.getByText(t("booking.cancelledOne")).count()).toBe(1);

    const row = await flokk.db.selectFrom("bookings").select(["status", "cancel_reason"]).where("id", "=", booking!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "cancelled", cancel_reason: "Korpset har konsert" });
    const claims = await flokk.db.selectFrom("booking_claims").select("booking_id").where("booking_id", "=", booking!.id).execute();
    expect(claims).toHaveLength(0);

    // The time is free again: someone else books it.
    const again = await openForm(kari, day, "15:00", "16:00");
    await fillBookingDetails(again, t, { association: IL, title: "Ledig igjen", attendees: "5" });
    await again.getByRole("button", { name: t("book.submit"), exact: true }).click();
    expect(await bookingOutcome(again, t)).toBe("booked");
    await Promise.all([page.close(), again.close()]);
  });
});
