// A newcomer's whole way through Flokk in a real browser: sign in through the
// development mailbox, register an association, find a venue with the filters,
// book a slot and find it under My bookings.
import { describe, expect, it } from "vitest";
import { flokkAndChromium } from "./support/app";
import { axeViolations, formatViolations } from "./support/axe";
import { getLanguage } from "../../app/i18n";
import { formatDate } from "../../app/i18n/format";
import { bookingsOn } from "./support/flokk-data";
import { bookingOutcome, fillBookingDetails, nextDate, newContext, openWeekDay, screenshotBoth, signIn, words } from "./support/pages";

const t = words("nb");
const NEWCOMER = "ny.leder@example.org";
const ORG_NUMBER = "974760673"; // valid check digit; not one of the demo associations'

const app = flokkAndChromium();

describe("a new person", () => {
  it("signs in through the mailbox, registers an association and finds a venue with the filters, books it and sees it under My bookings", async () => {
    const context = await newContext(app.browser, app.flokk.baseUrl);
    const page = await context.newPage();

    // Sign in: no account yet; the first completed sign-in makes one.
    expect(await app.flokk.db.selectFrom("users").select("id").where("email", "=", NEWCOMER).executeTakeFirst()).toBeUndefined();
    await signIn(page, NEWCOMER);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("account.heading"));
    await expect.poll(() => page.getByText(t("account.signedInAs", { email: NEWCOMER })).count()).toBe(1);
    await screenshotBoth(page, "account");

    // Register an association.
    await page.getByRole("link", { name: t("account.associations.new") }).click();
    await page.waitForURL(/\/associations\/new$/);
    await screenshotBoth(page, "association-new");
    await page.getByLabel(t("association.name")).fill("Nytt Lag Løvstad");
    await page.getByLabel(t("association.orgNumber")).fill(ORG_NUMBER);
    await page.getByLabel(t("association.contactEmail")).fill("post@nyttlag.example");
    await page.getByRole("button", { name: t("association.new.submit") }).click();
    await page.waitForURL(/\/associations\/\d+\?registered=1$/);
    await expect.poll(() => page.getByText(t("association.registered")).count()).toBe(1);
    await screenshotBoth(page, "association");
    const association = await app.flokk.db
      .selectFrom("associations as a")
      .innerJoin("memberships as m", "m.association_id", "a.id")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select(["a.id", "a.name", "a.verified", "m.role"])
      .where("a.org_number", "=", ORG_NUMBER)
      .where("u.email", "=", NEWCOMER)
      .executeTakeFirstOrThrow();
    expect(association).toMatchObject({ name: "Nytt Lag Løvstad", verified: false, role: "leader" });

    // Find a meeting room for 20 with a whiteboard, step-free, free on a weekday morning.
    const date = nextDate([1, 2, 4, 5], 3);
    await page.goto("/");
    const kinds = page.getByRole("group", { name: t("search.kinds") });
    await kinds.getByLabel(t("kind.meeting-room")).check();
    await page.getByLabel(t("search.capacity"), { exact: true }).fill("20");
    await page.getByRole("group", { name: t("search.amenities") }).getByLabel(t("amenity.whiteboard")).check();
    await page.getByLabel(t("search.stepFree")).check();
    await page.getByLabel(t("search.date"), { exact: true }).fill(date);
    await page.getByLabel(t("search.start"), { exact: true }).fill("10:00");
    await page.getByLabel(t("search.end"), { exact: true }).fill("12:00");
    await page.getByRole("button", { name: t("search.submit") }).click();
    await page.waitForURL(/\?.*capacity=20/);
    await expect.poll(() => page.locator("#results-heading").textContent()).toBe(t("search.results.one"));
    const results = page.locator(".venue-list > li");
    await expect(results.count()).resolves.toBe(1);
    await expect(results.getByRole("link").textContent()).resolves.toBe("Peisestua");
    await screenshotBoth(page, "search-results");

    await results.getByRole("link", { name: "Peisestua" }).click();
    await page.waitForURL(/\/venues\/peisestua/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Peisestua");

    // The week of that date, and the free time that day.
    const theDay = await openWeekDay(page, t, date);
    await expect.poll(() => theDay.count()).toBe(1);
    await screenshotBoth(page, "venue-week");
    const free = theDay.locator("li.slot--free").filter({ hasText: /09:00–15:00/ });
    await free.getByRole("link", { name: new RegExp(`^${t("week.book")}\\b`) }).click();
    await page.waitForURL(/\/venues\/peisestua\/book\?/);
    await page.getByRole("heading", { level: 1, name: t("book.heading", { venue: "Peisestua" }) }).waitFor();
    // The slot's date came along; the person narrows the time and describes the booking.
    expect(await page.getByLabel(t("book.date"), { exact: true }).inputValue()).toBe(date);
    await page.getByLabel(t("book.start"), { exact: true }).fill("10:00");
    await page.getByLabel(t("book.end"), { exact: true }).fill("12:00");
    await screenshotBoth(page, "book-form");
    // Their only association is preselected (and marked as not yet verified).
    expect(await page.getByRole("group", { name: t("book.association") }).getByRole("radio").isChecked()).toBe(true);
    await fillBookingDetails(page, t, { title: "Første møte", attendees: "15", visibility: "public" });
    await page.getByRole("button", { name: t("book.submit"), exact: true }).click();
    expect(await bookingOutcome(page, t)).toBe("booked");
    // An unverified association's booking waits for the caretaker.
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("booking.pending.heading"));
    await screenshotBoth(page, "booking-pending");
    const [stored, ...others] = (await bookingsOn(app.flokk.db, "peisestua", date)).filter((b) => b.title === "Første møte");
    expect(others).toHaveLength(0);
    expect(stored).toMatchObject({ status: "pending", association: "Nytt Lag Løvstad", start: "10:00", end: "12:00" });
    expect(page.url()).toContain(`/bookings/${stored!.id}`);

    // My bookings lists it, upcoming, with its status.
    await page.getByRole("navigation", { name: t("nav.accountMenu") }).getByRole("link", { name: t("nav.myBookings") }).click();
    await page.waitForURL(/\/bookings$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("myBookings.heading"));
    const section = page.locator("section.my-bookings__association").filter({ has: page.getByRole("heading", { name: "Nytt Lag Løvstad" }) });
    const line = section.locator("li.booking-line").filter({ has: page.getByRole("link", { name: "Første møte", exact: true }) });
    await expect.poll(() => line.count()).toBe(1);
    await expect.poll(() => line.textContent()).toContain("Peisestua");
    const pending = t("status.pending");
    await expect.poll(() => line.textContent()).toContain(pending.charAt(0).toLocaleUpperCase() + pending.slice(1));
    await screenshotBoth(page, "my-bookings");
    await context.close();
  });
});

describe("the server's own files", () => {
  it("serves the favicon and the hashed assets from the build, and leaves every other path to the app", async () => {
    const favicon = await fetch(`${app.flokk.baseUrl}/favicon.svg`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(favicon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(favicon.headers.get("x-content-type-options")).toBe("nosniff");

    const home = await (await fetch(app.flokk.baseUrl)).text();
    const script = /\/assets\/[\w.-]+\.js/.exec(home)?.[0];
    expect(script).toBeDefined();
    const asset = await fetch(`${app.flokk.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

    // Not a file of the build: the app answers, with its own 404 page.
    const missing = await fetch(`${app.flokk.baseUrl}/favicon.svg/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^text\/html/);
  });
});

describe("error pages", () => {
  const en = words("en");
  const english = { Cookie: "lang=en" };

  it("answer a path no page has in the person's language, and refuse a form sent there without its token", async () => {
    for (const path of ["/no-such-page", "/venues/storsalen/no-such-part"]) {
      const res = await fetch(`${app.flokk.baseUrl}${path}`, { headers: english });
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain('<html lang="en"');
      expect(html).toContain(en("error.notFoundTitle"));
      expect(html).toContain(en("error.pageNotFound"));
    }
    const post = await fetch(`${app.flokk.baseUrl}/no-such-page`, { method: "POST", headers: { ...english, Origin: app.flokk.baseUrl }, body: new URLSearchParams({ a: "b" }) });
    expect(post.status).toBe(403);
    expect(await post.text()).toContain(en("error.invalidFormToken"));
  });

  it("keep what was typed in a form whose page went stale, and send it again with one press, with JavaScript or without", async () => {
    const t = words("nb");
    for (const javaScriptEnabled of [false, true]) {
      const context = await newContext(app.browser, app.flokk.baseUrl, { javaScriptEnabled });
      const page = await context.newPage();
      await signIn(page, "kari@flokk.example");
      const name = javaScriptEnabled ? "Kari Nordmann (med skript)" : "Kari Nordmann (uten skript)";
      await page.getByRole("textbox", { name: t("account.name.label"), exact: true }).fill(name);
      // Meanwhile, in another tab, she signs out and in again: the open page's form token is stale.
      const other = await context.newPage();
      await other.goto("/account");
      await other.getByRole("button", { name: t("nav.signOut"), exact: true }).click();
      await other.waitForURL((url) => url.pathname === "/");
      await signIn(other, "kari@flokk.example");
      await other.close();

      await page.getByRole("button", { name: t("account.name.submit"), exact: true }).click();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("error.staleFormTitle"));
      await expect.poll(() => page.getByText(t("error.staleFormToken")).count()).toBe(1);
      // The tab says it too, not the form page's title it came from.
      await expect.poll(() => page.title()).toBe(t("meta.staleFormTitle"));
      // Whose name it goes in under now, what she typed under its label, and nothing saved yet.
      const signedInAs = (await app.flokk.db.selectFrom("users").select("name").where("email", "=", "kari@flokk.example").executeTakeFirstOrThrow()).name;
      expect(await page.getByText(t("error.resendSignedInAs", { name: signedInAs })).count()).toBe(1);
      const written = page.getByRole("region", { name: t("error.resendWritten") });
      await expect.poll(() => written.getByText(name, { exact: true }).count()).toBe(1);
      expect(await written.getByText(t("field.name"), { exact: true }).count()).toBe(1);
      const stored = () => app.flokk.db.selectFrom("users").select("name").where("email", "=", "kari@flokk.example").executeTakeFirstOrThrow();
      expect((await stored()).name).not.toBe(name);
      if (javaScriptEnabled) {
        // axe runs as a script in the page; the markup is the same component either way.
        const violations = await axeViolations(page);
        expect(violations, formatViolations("stale form", violations)).toEqual([]);
      }

      await page.getByRole("button", { name: t("error.resend") }).click();
      await page.waitForURL(/\/account$/);
      await expect.poll(() => page.getByText(t("account.name.saved")).count()).toBe(1);
      expect((await stored()).name).toBe(name);
      await context.close();
    }
  });

  it("keep a booking typed before the person was signed out elsewhere, through signing in again, without JavaScript", async () => {
    const t = words("nb");
    const date = nextDate([1, 2, 4, 5], 4);
    const context = await newContext(app.browser, app.flokk.baseUrl, { javaScriptEnabled: false });
    const page = await context.newPage();
    // Per, not Kari: sign-in is limited to five mails an address in 15 minutes, and the tests above use Kari's.
    await signIn(page, "per@flokk.example");
    await page.goto(`/venues/peisestua/book?date=${date}&start=13:00&end=14:00`);
    await fillBookingDetails(page, t, { title: "Stafettmøte", attendees: "12" });
    const other = await context.newPage();
    await other.goto("/account");
    await other.getByRole("button", { name: t("nav.signOut"), exact: true }).click();
    await other.waitForURL((url) => url.pathname === "/");

    await page.getByRole("button", { name: t("book.submit"), exact: true }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("error.staleFormTitle"));
    // Nobody is signed in now: sent at once it would meet the sign-in page, so the page says to sign in first.
    expect(await page.getByText(t("error.resendSignedOut")).count()).toBe(1);
    expect(await page.getByRole("link", { name: t("error.resendSignIn") }).getAttribute("target")).toBe("_blank");
    const written = page.getByRole("region", { name: t("error.resendWritten") });
    expect(await written.getByText("Stafettmøte", { exact: true }).count()).toBe(1);
    expect(await written.getByText(formatDate(getLanguage("nb"), date), { exact: true }).count()).toBe(1);

    await signIn(other, "per@flokk.example");
    await other.close();
    // Signing in made the page old once more; it comes back again, now without the note, and then goes through.
    await page.getByRole("button", { name: t("error.resend") }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(t("error.staleFormTitle"));
    expect(await page.getByText(t("error.resendSignedOut")).count()).toBe(0);
    await page.getByRole("button", { name: t("error.resend") }).click();
    expect(await bookingOutcome(page, t)).toBe("booked");
    const stored = (await bookingsOn(app.flokk.db, "peisestua", date)).filter((b) => b.title === "Stafettmøte");
    expect(stored).toHaveLength(1);
    await context.close();
  });

  it("show a refused form in the person's language, under the header they are signed in with", async () => {
    // The form as a browser without JavaScript sends it, with a form token gone stale.
    const context = await newContext(app.browser, app.flokk.baseUrl, { locale: "en-GB", javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, "kari@flokk.example", "en");
    // She reads Flokk in English (what the language link sets).
    await context.addCookies([{ name: "lang", value: "en", url: app.flokk.baseUrl }]);
    const res = await context.request.post("/account", { headers: { Origin: app.flokk.baseUrl }, form: { csrf: "stale", intent: "profile", name: "Kari" } });
    expect(res.status()).toBe(403);
    const html = await res.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain(`<title>${en("meta.staleFormTitle")}</title>`);
    // It came from this site (Origin), so what she wrote comes back to be sent again.
    expect(html).toContain(en("error.staleFormTitle"));
    expect(html).toContain(en("error.staleFormToken"));
    expect(html).toContain(en("error.resend"));
    expect(html).toContain(en("nav.signOut"));
    expect(html).not.toContain(`>${en("nav.signIn")}<`);
    await context.close();
  });
});
