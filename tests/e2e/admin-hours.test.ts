// Opening hours and closures in a real browser with JavaScript off, as the
// demo admin on a phone: closing Lillesalen on the day of the sports club's
// board meeting first lists the meeting and saves nothing; choosing "cancel"
// with a message closes the day, cancels the meeting (its booker is told, with
// the message) and says so.
import { describe, expect, it } from "vitest";
import { flokkAndChromium } from "./support/app";
import { newContext, PHONE, signIn, words } from "./support/pages";

const ADMIN = "admin@flokk.example";

const app = flokkAndChromium();

describe("closing a venue without JavaScript", () => {
  it("lists the booking in the way, then closes the day and cancels it with the admin's message", async () => {
    const t = words("nb");
    const meeting = await app.flokk.db.selectFrom("bookings").select(["id", "venue_id", "starts_at"]).where("title", "=", "Styremøte").executeTakeFirstOrThrow();
    const date = meeting.starts_at.toLocaleDateString("sv-SE", { timeZone: "Europe/Oslo" });
    const context = await newContext(app.browser, app.flokk.baseUrl, { javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await page.goto(`/admin/venues/${meeting.venue_id}/hours`);

    await page.getByLabel(t("admin.hours.startsOn"), { exact: true }).fill(date);
    await page.getByLabel(t("admin.hours.endsOn"), { exact: true }).fill(date);
    await page.getByLabel(t("admin.hours.reason"), { exact: true }).fill("Vannskade");
    await page.getByRole("button", { name: t("admin.hours.addClosure"), exact: true }).click();
    const confirm = page.getByRole("region", { name: t("admin.hours.confirmHeading") });
    await confirm.waitFor();
    expect(await confirm.locator("li").allTextContents()).toEqual([expect.stringContaining("Styremøte")]);
    const closures = () => app.flokk.db.selectFrom("closures").select(["starts_on", "reason"]).where("venue_id", "=", meeting.venue_id).where("reason", "=", "Vannskade").execute();
    expect(await closures()).toEqual([]);

    await confirm.getByLabel(t("admin.hours.cancel")).check();
    await confirm.getByLabel(t("admin.hours.message")).fill("Lillesalen er stengt etter en vannlekkasje.");
    await confirm.getByRole("button", { name: t("admin.hours.confirm"), exact: true }).click();
    await page.waitForURL(/done=closure&cancelled=1/);
    expect(await page.getByRole("status").first().textContent()).toContain(t("admin.hours.done.closure"));

    expect(await closures()).toEqual([{ starts_on: date, reason: "Vannskade" }]);
    const after = await app.flokk.db.selectFrom("bookings").select(["status", "cancel_reason"]).where("id", "=", meeting.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: "cancelled", cancel_reason: "Lillesalen er stengt etter en vannlekkasje." });
    const mail = (await app.flokk.db.selectFrom("outbox").select(["payload"]).where("kind", "=", "booking-cancelled").execute()).filter(
      (m) => (m.payload as { booking: { id: string } }).booking.id === meeting.id,
    );
    expect(mail).toHaveLength(1);
    await context.close();
  });
});
