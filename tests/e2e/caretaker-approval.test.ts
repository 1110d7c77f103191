// A caretaker decides a request on a phone: the sports club has asked for the
// school kitchen (manual approval); the demo caretaker, on a 390-pixel-wide
// screen, finds it in the approval queue and approves it; the club's leader
// then sees it confirmed under My bookings and on the booking's page, and the
// club has a confirmation waiting in the outbox. The request itself is made
// through the engine: the booking form has its own browser tests.
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { approveBooking, requestBooking } from "../../app/booking/booking.server";
import { flokkAndChromium } from "./support/app";
import { associationId, bookingsOn, userId, venueId } from "./support/flokk-data";
import { newContext, nextDate, screenshot, signIn, words } from "./support/pages";

const t = words("nb");
const PHONE_390 = { width: 390, height: 844 };
const VENUE = "skolekjokkenet"; // manual approval, open 17–22 Monday to Thursday, two days' notice
const TITLE = "Matkurs for juniorlaget";

const app = flokkAndChromium();

describe("approving on a phone", () => {
  it("a caretaker approves a request on a 390-pixel screen and the association sees it confirmed", async () => {
    const date = nextDate([1, 2, 3, 4], 5);
    const { booking } = await requestBooking(
      app.flokk.db,
      {
        actorId: await userId(app.flokk.db, "kari@flokk.example"),
        venueId: await venueId(app.flokk.db, VENUE),
        associationId: await associationId(app.flokk.db, "Løvstad Idrettslag"),
        date,
        start: "19:00",
        end: "21:00",
        title: TITLE,
        isPublic: false,
        expectedAttendees: 12,
      },
      new Date(),
    );
    expect(booking.status).toBe("pending");

    // Signed in at desktop width (the development mailbox that carries the
    // code is a developer's page), then the phone's width for the work.
    const caretaker = await newContext(app.browser, app.flokk.baseUrl);
    const phone = await caretaker.newPage();
    await signIn(phone, "vaktmester@flokk.example");
    await phone.setViewportSize(PHONE_390);
    await phone.goto("/caretaker/requests");
    await phone.getByRole("heading", { level: 1, name: t("caretaker.requests.heading") }).waitFor();
    // Nothing on the queue is wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_390.width);

    const approve = phone.getByRole("button", { name: new RegExp(`^${t("caretaker.requests.approve")}\\s*:\\s*${TITLE},`) });
    await approve.scrollIntoViewIfNeeded();
    await screenshot(phone, "caretaker-approval-390-before");
    await approve.click();
    await phone.waitForURL(/\/caretaker\/requests\?done=approved/);
    await phone.getByText(t("caretaker.requests.approved", { count: 1 })).waitFor();
    expect(await approve.count(), "the approved request leaves the queue").toBe(0);
    await screenshot(phone, "caretaker-approval-390-after");

    const stored = (await bookingsOn(app.flokk.db, VENUE, date)).find((b) => b.id === booking.id);
    expect(stored?.status).toBe("confirmed");
    const decided = await app.flokk.db
      .selectFrom("bookings")
      .select("decided_by")
      .where("id", "=", booking.id)
      .executeTakeFirstOrThrow();
    expect(decided.decided_by).toBe(await userId(app.flokk.db, "vaktmester@flokk.example"));
    const notices = await app.flokk.db
      .selectFrom("outbox")
      .select(["kind", "recipient"])
      .where(sql<boolean>`payload->'booking'->>'id' = ${booking.id}`)
      .execute();
    expect(notices.map((n) => `${n.kind} ${n.recipient}`)).toContain("booking-confirmed kari@flokk.example");

    const leader = await newContext(app.browser, app.flokk.baseUrl);
    const kari = await leader.newPage();
    await signIn(kari, "kari@flokk.example");
    await kari.setViewportSize(PHONE_390);
    await kari.goto("/bookings");
    const line = kari.locator(".booking-line").filter({ has: kari.getByRole("link", { name: TITLE, exact: true }) });
    await line.waitFor();
    const confirmed = new RegExp(`^${t("status.confirmed")}$`, "i"); // "Bekreftet"
    expect(await line.getByText(confirmed).isVisible()).toBe(true);
    await line.getByRole("link", { name: TITLE, exact: true }).click();
    await kari.waitForURL(new RegExp(`/bookings/${booking.id}$`));
    expect(await kari.getByText(confirmed).first().isVisible()).toBe(true);
    await Promise.all([caretaker.close(), leader.close()]);
  });

  it("says so when a request was decided meanwhile, or its form's hidden fields were changed, with JavaScript on", async () => {
    const date = nextDate([1, 2, 3, 4], 6);
    const ask = (start: string, end: string, title: string) =>
      requestBooking(
        app.flokk.db,
        {
          actorId: kariId,
          venueId: kitchenId,
          associationId: clubId,
          date,
          start,
          end,
          title,
          isPublic: false,
          expectedAttendees: 8,
        },
        new Date(),
      );
    const kariId = await userId(app.flokk.db, "kari@flokk.example");
    const kitchenId = await venueId(app.flokk.db, VENUE);
    const clubId = await associationId(app.flokk.db, "Løvstad Idrettslag");
    const first = (await ask("17:00", "19:00", "Bakekurs")).booking;
    const second = (await ask("19:30", "21:30", "Kokekurs")).booking;

    const context = await newContext(app.browser, app.flokk.baseUrl);
    const page = await context.newPage();
    await signIn(page, "vaktmester@flokk.example");
    await page.goto("/caretaker/requests");
    const approveButton = (title: string) => page.getByRole("button", { name: new RegExp(`^${t("caretaker.requests.approve")}\\s*:\\s*${title},`) });
    await approveButton("Bakekurs").waitFor();

    // Someone else approves the first while the page is open: the card is gone after the answer, the message is not.
    await approveBooking(app.flokk.db, { actorId: await userId(app.flokk.db, "admin@flokk.example"), bookingId: first.id, now: new Date() });
    await approveButton("Bakekurs").click();
    await page.getByRole("alert").filter({ hasText: t("error.invalidTransition", { from: t("status.confirmed").toLowerCase() }) }).waitFor();
    await expect.poll(() => approveButton("Bakekurs").count()).toBe(0);

    // The second card's hidden kind changed in the page: refused (400), and said so instead of nothing.
    await page.locator(`form:has(input[name="id"][value="${second.id}"]) input[name="kind"]`).first().evaluate((el) => {
      (el as HTMLInputElement).value = "venue";
    });
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/caretaker/requests"));
    await approveButton("Kokekurs").click();
    expect((await answer).status()).toBe(400);
    await page.getByRole("alert").filter({ hasText: t("caretaker.requests.formChanged") }).waitFor();
    const stored = await app.flokk.db.selectFrom("bookings").select("status").where("id", "=", second.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe("pending");
    await context.close();
  });
});
