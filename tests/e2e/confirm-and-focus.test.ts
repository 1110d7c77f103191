// Removing a member is asked about first, with and without JavaScript, and
// with it keyboard focus goes where the answer is: to the question when it
// appears, back to the button on Cancel, to the message once done (the row
// with the pressed button is gone by then). The same for the calendar links
// page: after revoking a link (its row goes) and after making one (shown at the
// top), focus is on the message, not lost to <body>. In the demo data Kari
// leads Løvstad Idrettslag (Jonas is a member) and Per leads the school band
// (Sara is a member).
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cancelBooking } from "../../app/booking/booking.server";
import { flokkAndChromium } from "./support/app";
import { axeViolations, formatViolations } from "./support/axe";
import { associationId, userId } from "./support/flokk-data";
import { newContext, PHONE, screenshot, signIn, words } from "./support/pages";

const app = flokkAndChromium();

/** What has keyboard focus: its tag, id, role and text. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName.toLowerCase() ?? "", id: el?.id ?? "", role: el?.getAttribute("role") ?? null, text: (el?.textContent ?? "").trim() };
  });
}

async function isMember(associationName: string, email: string): Promise<boolean> {
  const association = await associationId(app.flokk.db, associationName);
  const user = await userId(app.flokk.db, email);
  const row = await app.flokk.db.selectFrom("memberships").select("role").where("association_id", "=", association).where("user_id", "=", user).executeTakeFirst();
  return row !== undefined;
}

/** The page is no wider than the screen (WCAG 1.4.10) and axe finds nothing. */
async function clean(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.map((v) => v.id), formatViolations(where, violations)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${where} is wider than the screen`).toBeLessThanOrEqual(0);
}

describe("removing a member", () => {
  it("with JavaScript and the keyboard: asked first, focus on the question, back on Cancel, on the message when done", async () => {
    const t = words("nb");
    const il = "Løvstad Idrettslag";
    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, "kari@flokk.example");
    await page.goto(`/associations/${await associationId(app.flokk.db, il)}`);
    // Exact: "Ja, fjern Jonas Lie" (the question's button) contains the name too.
    const remove = page.getByRole("button", { name: t("association.members.remove", { name: "Jonas Lie" }), exact: true });
    const question = t("association.confirm.remove.heading", { name: "Jonas Lie", association: il });

    await remove.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: question }).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ tag: "h2", id: "confirm-heading", text: question });
    expect(await isMember(il, "jonas@flokk.example"), "asking removed Jonas").toBe(true);
    await clean(page, "the question to remove a member");
    await screenshot(page, "association-confirm-remove-keyboard");

    // Cancel: nothing changes, and focus is back on the button that asked.
    await page.getByRole("link", { name: t("association.confirm.cancel") }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: question }).waitFor({ state: "detached" });
    await expect.poll(() => focused(page)).toMatchObject({ tag: "button", text: t("association.members.remove", { name: "Jonas Lie" }) });
    expect(await isMember(il, "jonas@flokk.example")).toBe(true);
    // Once only: the way back does not carry the focus into the history entry, for a reload to move it again.
    expect(await page.evaluate(() => window.history.state?.usr ?? null)).toBeNull();

    // Ask again and confirm: the row and the question are gone, focus is on the message (read once: no live region too).
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: question }).waitFor();
    await page.getByRole("button", { name: t("association.confirm.remove.submit", { name: "Jonas Lie" }) }).focus();
    await page.keyboard.press("Enter");
    await page.getByText(t("association.removed")).waitFor();
    // The answer (action data) is shown while the page's data is still being
    // reloaded, so the row goes a moment later: wait for it, then focus must
    // still be on the message, not lost to <body> with the row.
    await expect.poll(() => remove.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ tag: "div", role: null, text: t("association.removed") });
    expect(await isMember(il, "jonas@flokk.example")).toBe(false);
    await clean(page, "the association page after removing a member");
    await context.close();
  });

  it("without JavaScript: the question is a page of its own, and its button removes", async () => {
    const t = words("en");
    const band = "Løvstad Skolekorps";
    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: PHONE, javaScriptEnabled: false, locale: "en-GB" });
    const page = await context.newPage();
    await signIn(page, "per@flokk.example", "en");
    // Per reads Flokk in English (what the language link sets; signing in chose his saved bokmål).
    await context.addCookies([{ name: "lang", value: "en", url: app.flokk.baseUrl }]);
    const path = `/associations/${await associationId(app.flokk.db, band)}`;
    await page.goto(path);
    await page.getByRole("button", { name: t("association.members.remove", { name: "Sara Nguyen" }) }).click();
    const question = t("association.confirm.remove.heading", { name: "Sara Nguyen", association: band });
    await page.getByRole("heading", { name: question }).waitFor();
    expect(await isMember(band, "sara@flokk.example"), "asking removed Sara").toBe(true);
    // (No axe here: scripts of the test's own do not run either. The question is the same markup as in the test above.)

    // Cancel is a link back to the page as it was.
    await page.getByRole("link", { name: t("association.confirm.cancel") }).click();
    await page.waitForURL((url) => url.pathname === path);
    expect(await page.getByRole("heading", { name: question }).count()).toBe(0);
    expect(await isMember(band, "sara@flokk.example")).toBe(true);

    await page.getByRole("button", { name: t("association.members.remove", { name: "Sara Nguyen" }) }).click();
    await page.getByRole("button", { name: t("association.confirm.remove.submit", { name: "Sara Nguyen" }) }).click();
    await page.getByRole("status").filter({ hasText: t("association.removed") }).waitFor();
    expect(await isMember(band, "sara@flokk.example")).toBe(false);
    expect(await page.getByRole("button", { name: t("association.members.remove", { name: "Sara Nguyen" }) }).count()).toBe(0);
    await context.close();
  });
});

describe("calendar links, with JavaScript", () => {
  it("after making a link focus is on the message at the top; after revoking it, on the message, not <body>", async () => {
    const t = words("nb");
    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, "nils@flokk.example");
    await page.goto("/account/calendars");
    const feed = t("calendars.kind.person");

    await page.getByRole("button", { name: t("calendars.createFor", { feed }) }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: t("calendars.created.heading") }).waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ tag: "div", role: null, text: t("calendars.created.intro", { feed }) });

    const revoke = page.getByRole("button", { name: t("calendars.revokeFor", { feed }) });
    await revoke.focus();
    await page.keyboard.press("Enter");
    await page.getByText(t("calendars.revoked", { feed })).waitFor();
    // The row goes once the page's data is reloaded, a moment after the answer shows.
    await expect.poll(() => revoke.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ tag: "div", role: null, text: t("calendars.revoked", { feed }) });
    await clean(page, "the calendar links page after revoking a link");
    await context.close();
  });
});

describe("cancelling from a tab left open, with JavaScript", () => {
  it("when the booking was cancelled meanwhile, the form goes and focus is on what the page says instead, not <body>", async () => {
    const t = words("nb");
    const kari = await userId(app.flokk.db, "kari@flokk.example");
    const booking = await app.flokk.db
      .selectFrom("bookings")
      .select("id")
      .where("association_id", "=", await associationId(app.flokk.db, "Løvstad Idrettslag"))
      .where("status", "=", "confirmed")
      .where("series_id", "is", null)
      .where("starts_at", ">", new Date(Date.now() + 86_400_000))
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, "kari@flokk.example");
    await page.goto(`/bookings/${booking.id}/cancel`);
    const submit = page.getByRole("button", { name: t("cancel.submit"), exact: true });
    await submit.waitFor();
    // Another tab (or the caretaker) cancels it first.
    await cancelBooking(app.flokk.db, { actorId: kari, bookingId: booking.id, now: new Date() });

    await submit.focus();
    await page.keyboard.press("Enter");
    const said = t("cancel.notActive", { status: t("status.cancelled") });
    await page.getByText(said).waitFor();
    // Said once: not also the engine's refusal in other words beside a form still offering it.
    expect(await page.getByText(t("error.invalidTransition", { from: t("status.cancelled") })).count()).toBe(0);
    await expect.poll(() => submit.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ tag: "div", role: null, text: said });
    await clean(page, "the cancel page refused from a stale tab");
    await context.close();
  });
});

describe("removing someone already gone, with JavaScript", () => {
  it("the refusal comes with the list read again: their row and buttons go, and focus is on the message", async () => {
    const t = words("nb");
    const il = await associationId(app.flokk.db, "Løvstad Idrettslag");
    const liv = await userId(app.flokk.db, "liv@flokk.example");
    const { name } = await app.flokk.db.selectFrom("users").select("name").where("id", "=", liv).executeTakeFirstOrThrow();
    await app.flokk.db.insertInto("memberships").values({ association_id: il, user_id: liv, role: "member" }).execute();
    const context = await newContext(app.browser, app.flokk.baseUrl, { viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, "kari@flokk.example");
    await page.goto(`/associations/${il}`);
    const remove = page.getByRole("button", { name: t("association.members.remove", { name }), exact: true });
    await remove.waitFor();
    // Another leader (or Liv herself) acts first.
    await app.flokk.db.deleteFrom("memberships").where("association_id", "=", il).where("user_id", "=", liv).execute();

    await remove.focus();
    await page.keyboard.press("Enter");
    // The domain's words (the route tests pin them); as on the page, in bokmål.
    const said = "Personen er ikke lenger medlem av laget.";
    await page.getByText(said).waitFor();
    await expect.poll(() => remove.count()).toBe(0);
    await expect.poll(() => focused(page)).toMatchObject({ tag: "div", role: null, text: said });
    await context.close();
  });
});
