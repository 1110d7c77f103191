// The development mailbox (/dev/mailbox): its loaders list and show queued mail
// only where nothing is sent (no SMTP_URL) and never in production.
//
// The configuration is read once per module load, so each case stubs the
// environment and imports the routes afresh.
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cancelBooking, requestBooking } from "../../app/booking/booking.server";
import { provideDatabase } from "../../app/db.server";
import { getLanguage } from "../../app/i18n";
import { message } from "../../app/notifications/messages";
import { enqueue } from "../../app/notifications/outbox.server";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeOwner, makeVenue } from "../helpers/fixtures";
import { outbox } from "../helpers/mail";
import { renderPage } from "../routes/render";
import { loaderArgs, thrownResponse } from "../routes/support";

let t: TestDb;
let bookingId: string;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  const { site } = await makeOwner(t.db);
  const venue = await makeVenue(t.db, site.id, { name: "Kjøkkenet" });
  const { association, leader } = await makeAssociation(t.db);
  const base = { actorId: leader.id, venueId: venue.id, associationId: association.id, expectedAttendees: 6 };
  const now = new Date("2026-12-03T08:00:00Z");
  ({
    booking: { id: bookingId },
  } = await requestBooking(t.db, { ...base, date: "2026-12-10", start: "17:00", end: "19:00", title: "Matkurs <for alle>" }, now));
  await requestBooking(t.db, { ...base, date: "2026-12-11", start: "17:00", end: "19:00", title: "Bakekveld" }, now);
});
afterAll(() => dropTestDb(t));
afterEach(() => {
  vi.unstubAllEnvs();
});

/** A request from this machine (the mailbox answers no other), or from `address`. */
const here = (path: string, params: Record<string, string> = {}, address = "127.0.0.1") => ({ ...loaderArgs(path, params), context: { clientAddress: address } });

async function routes(envVars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(envVars)) vi.stubEnv(k, v);
  return {
    list: (await import("../../app/routes/dev.mailbox._index")).loader,
    one: (await import("../../app/routes/dev.mailbox.$id")).loader,
    html: (await import("../../app/routes/dev.mailbox.$id.html")).loader,
    eml: (await import("../../app/routes/dev.mailbox.$id.eml")).loader,
  };
}

describe("the development mailbox", () => {
  it("lists the outbox newest first and shows one message as text, HTML and calendar part, without SMTP_URL", async () => {
    const r = await routes({ SMTP_URL: undefined, NODE_ENV: "development", MAIL_FROM: "Flokk <noreply@flokk.example>" });
    const rows = await outbox(t.db);
    const data = await r.list(here("/dev/mailbox"));
    expect(data.messages.map((m) => m.id)).toEqual(rows.map((x) => x.id).sort((a, b) => b - a));
    expect(data.messages.map((m) => m.subject)).toContain("Bekreftet: Bakekveld 11. des. 2026");
    expect(data.messages.map((m) => m.subject)).toContain("Bekreftet: Matkurs <for alle> 10. des. 2026");
    // Nothing was sent: listing does not deliver.
    expect((await outbox(t.db)).every((x) => x.sent_at === null && x.attempts === 0)).toBe(true);

    const row = rows.find((x) => x.kind === "booking-confirmed" && (x.payload as { booking: { id: string } }).booking.id === bookingId)!;
    const one = await r.one(here(`/dev/mailbox/${row.id}`, { id: String(row.id) }));
    expect(one.message.messageId).toBe(`<outbox-${row.id}@flokk.example>`);
    expect(one.message.mail!.text).toContain("Matkurs <for alle>");
    expect(one.message.mail!.html).toContain("Matkurs &lt;for alle&gt;");
    expect(one.message.mail!.calendar!.method).toBe("REQUEST");
    expect(one.message.mail!.calendar!.content).toContain("METHOD:REQUEST");

    const html = await r.html(here(`/dev/mailbox/${row.id}/html`, { id: String(row.id) }));
    expect(html.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("Content-Security-Policy")).toContain("sandbox");
    expect(await html.text()).toContain("Matkurs &lt;for alle&gt;");

    const eml = await r.eml(here(`/dev/mailbox/${row.id}/eml`, { id: String(row.id) }));
    const raw = await eml.text();
    expect(eml.headers.get("Content-Type")).toBe("message/rfc822");
    expect(raw).toContain(`Message-ID: <outbox-${row.id}@flokk.example>`);
    expect(raw).toContain("text/calendar; charset=utf-8; method=REQUEST");

    // The list as a page: each subject links to its message, escaped like any text.
    const page = await import("../../app/routes/dev.mailbox._index");
    const { html: listHtml } = await renderPage("/", { loader: (args) => page.loader({ ...args, context: { clientAddress: "127.0.0.1" } }), Component: page.default });
    expect(listHtml).toContain(`href="/dev/mailbox/${row.id}"`);
    expect(listHtml).toContain("Bekreftet: Matkurs &lt;for alle&gt; 10. des. 2026");

    const missing = await thrownResponse(() => r.one(here("/dev/mailbox/999999", { id: "999999" })));
    expect(missing.status).toBe(404);
  });

  it("says why a message will not be sent in the page's language", async () => {
    const r = await routes({ SMTP_URL: undefined, NODE_ENV: "development" });
    const venue = await makeVenue(t.db, (await makeOwner(t.db)).site.id, { name: "Salen" });
    const { association, leader } = await makeAssociation(t.db);
    const now = new Date("2026-12-03T08:00:00Z");
    const { booking } = await requestBooking(
      t.db,
      { actorId: leader.id, venueId: venue.id, associationId: association.id, expectedAttendees: 6, date: "2026-12-12", start: "17:00", end: "19:00", title: "Avlyses" },
      now,
    );
    await cancelBooking(t.db, { actorId: leader.id, bookingId: booking.id, now });
    const reminderOf = async (headers: Record<string, string>) => {
      const data = await r.list({ ...loaderArgs("/dev/mailbox", {}, headers), context: { clientAddress: "127.0.0.1" } });
      return data.messages.find((m) => m.kind === "booking-reminder" && m.recipient === leader.email)!;
    };
    expect((await reminderOf({ "Accept-Language": "nb-NO" })).note).toBe("bookingens status: avlyst");
    expect((await reminderOf({ "Accept-Language": "en-GB" })).note).toBe("the booking's status: cancelled");
    // Listed by the booking it was about, as the mail would have named it (it said only "(bookingens status: avlyst)").
    expect((await reminderOf({ "Accept-Language": "nb-NO" })).subject).toBe("Påminnelse: Avlyses 12. des. 2026");
    const page = await import("../../app/routes/dev.mailbox._index");
    const { html } = await renderPage("/", { loader: (args) => page.loader({ ...args, context: { clientAddress: "127.0.0.1" } }), Component: page.default });
    expect(html).toMatch(/Påminnelse: Avlyses 12\. des\. 2026<\/a>/);
    expect(html).toContain("(bookingens status: avlyst)");
    // Reasons stored by the worker read the same; one this page does not know is shown as it is.
    const { skipNote } = await import("../../app/notifications/mailbox.server");
    const [nb, en] = [getLanguage("nb"), getLanguage("en")];
    expect(skipNote(nb, "booking moved")).toBe("bookingen er flyttet til en annen tid");
    expect(skipNote(en, "booking already started")).toBe("the booking has already begun");
    expect(skipNote(nb, "booking pending")).toBe("bookingens status: venter på godkjenning");
    expect(skipNote(en, "recipient unknown")).toBe("recipient unknown");
    expect(skipNote(nb, "demo data")).toBe("demodata, sendes ikke");
  });

  it("shows a sign-in mail whose link and code were dropped on expiry as not to be sent, with the reason in words", async () => {
    const r = await routes({ SMTP_URL: undefined, NODE_ENV: "development" });
    await t.db.transaction().execute((trx) => enqueue(trx, [message("sign-in", "sovnet@example.org", { url: "https://flokk.test/s", code: "123 456", expiresMinutes: 15 })]));
    // What sign-in.server.ts does to a sign-in mail left unsent past its expiry.
    await t.db.updateTable("outbox").set({ payload: sql`payload - 'url' - 'code'` }).where("recipient", "=", "sovnet@example.org").execute();
    const data = await r.list(here("/dev/mailbox"));
    const entry = data.messages.find((m) => m.recipient === "sovnet@example.org")!;
    expect(entry.note).toBe("innloggingen er utløpt, og lenken og koden er slettet");
    expect(entry.state).toBe("skipped");
    // One that was sent lost its link and code the same way (the worker's finalPayload): it stays sent, without a note.
    await t.db.updateTable("outbox").set({ sent_at: new Date() }).where("recipient", "=", "sovnet@example.org").execute();
    const sent = (await r.list(here("/dev/mailbox"))).messages.find((m) => m.recipient === "sovnet@example.org")!;
    expect(sent.state).toBe("sent");
    expect(sent.note).toBeNull();
  });

  it("does not exist when SMTP_URL is set", async () => {
    const r = await routes({ SMTP_URL: "smtp://127.0.0.1:2525", NODE_ENV: "development" });
    const row = (await outbox(t.db))[0]!;
    expect((await thrownResponse(() => r.list(here("/dev/mailbox")))).status).toBe(404);
    expect((await thrownResponse(() => r.one(here(`/dev/mailbox/${row.id}`, { id: String(row.id) })))).status).toBe(404);
    expect((await thrownResponse(() => r.html(here(`/dev/mailbox/${row.id}/html`, { id: String(row.id) })))).status).toBe(404);
    expect((await thrownResponse(() => r.eml(here(`/dev/mailbox/${row.id}/eml`, { id: String(row.id) })))).status).toBe(404);
  });

  it("exists for `npm start` on the embedded demo database (production build, no DATABASE_URL)", async () => {
    const r = await routes({ SMTP_URL: undefined, NODE_ENV: "production", DATABASE_URL: undefined });
    const response = await r.list(here("/dev/mailbox"));
    expect(JSON.stringify(response)).toContain("Bakekveld");
  });

  it("answers only requests from this machine: npm start listens on every interface, and the mailbox holds live sign-in links", async () => {
    const r = await routes({ SMTP_URL: undefined, NODE_ENV: "production", DATABASE_URL: undefined });
    const [row] = await outbox(t.db);
    const id = { id: String(row!.id) };
    for (const address of ["::1", "::ffff:127.0.0.1", "127.0.0.2"]) expect(JSON.stringify(await r.list(here("/dev/mailbox", {}, address))), address).toContain("Bakekveld");
    for (const address of ["192.0.2.7", "::ffff:192.0.2.7", "2001:db8::1", "10.127.0.1", ""]) {
      expect((await thrownResponse(() => r.list(here("/dev/mailbox", {}, address)))).status, address).toBe(404);
      expect((await thrownResponse(() => r.one(here(`/dev/mailbox/${row!.id}`, id, address)))).status, address).toBe(404);
      expect((await thrownResponse(() => r.html(here(`/dev/mailbox/${row!.id}/html`, id, address)))).status, address).toBe(404);
      expect((await thrownResponse(() => r.eml(here(`/dev/mailbox/${row!.id}/eml`, id, address)))).status, address).toBe(404);
    }
    // The server did not say who asked: not this machine.
    expect((await thrownResponse(() => r.list(loaderArgs("/dev/mailbox")))).status).toBe(404);
  });

  it("does not exist on a server reached by a public name, even on the embedded database", async () => {
    const r = await routes({ SMTP_URL: undefined, NODE_ENV: "production", DATABASE_URL: undefined, PUBLIC_URL: "https://booking.kommune.example" });
    expect((await thrownResponse(() => r.list(here("/dev/mailbox")))).status).toBe(404);
  });

  it("does not exist in a real deployment (production with DATABASE_URL), even without SMTP_URL", async () => {
    const r = await routes({ SMTP_URL: undefined, NODE_ENV: "production", DATABASE_URL: "postgres://db.example/flokk", SESSION_SECRET: "x".repeat(40) });
    const response = await thrownResponse(() => r.list(here("/dev/mailbox")));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("Bakekveld");
  });
});
