// /admin/mail: an owner admin sees mail that was given up (never its content)
// and queues it again; the authorization matrix covers who else may not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideDatabase } from "../../app/db.server";
import { message } from "../../app/notifications/messages";
import { enqueue } from "../../app/notifications/outbox.server";
import AdminMail, { action, loader } from "../../app/routes/admin.mail";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeWorld, signedIn } from "../helpers/people";
import { renderPage } from "./render";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
});
afterAll(() => dropTestDb(t));

type Page = { messages: { id: number; state: string; recipient: string; lastError: string | null }[]; retried: boolean | null };

describe("the admins' list of undelivered mail", () => {
  it("shows a given-up message without its content and queues it again on request", async () => {
    const w = await makeWorld(t.db);
    await t.db.transaction().execute((trx) =>
      enqueue(trx, [message("sign-in", "kari@example.org", { url: "https://flokk.test/signin/verify?token=secret-token", code: "913 482", expiresMinutes: 15 })]),
    );
    const row = await t.db.selectFrom("outbox").select("id").where("recipient", "=", "kari@example.org").executeTakeFirstOrThrow();
    await t.db
      .updateTable("outbox")
      .set({ attempts: 10, failed_at: new Date(), last_error: "ECONNREFUSED connect ECONNREFUSED 127.0.0.1:25" })
      .where("id", "=", row.id)
      .execute();

    const admin = await signedIn(t.db, w.users.admin.id);
    const page = await admin.visit<Page>(loader, "/admin/mail");
    expect(page.status).toBe(200);
    const item = page.data.messages.find((m) => m.id === row.id)!;
    expect(item).toMatchObject({ state: "failed", recipient: "kari@example.org", lastError: "ECONNREFUSED connect ECONNREFUSED 127.0.0.1:25" });
    expect(JSON.stringify(page.data)).not.toContain("secret-token");
    expect(JSON.stringify(page.data)).not.toContain("913 482");

    // The page itself: the message with a button to try again (a plain form: works without JavaScript).
    const { html } = await renderPage("/", { loader, Component: AdminMail }, { Cookie: admin.cookieHeader() });
    expect(html).toContain("kari@example.org");
    expect(html).toContain("gitt opp");
    expect(html).toMatch(/<form method="post"[^>]*>.*name="id" value="\d+".*Prøv igjen/s);
    expect(html).not.toContain("secret-token");

    const reply = await admin.submit(action, "/admin/mail", { id: row.id });
    expect(reply.status).toBe(302);
    expect(reply.location).toBe("/admin/mail?retried=1");
    const stored = await t.db.selectFrom("outbox").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(stored.failed_at).toBeNull();
    expect(stored.attempts).toBe(0);
    expect((await admin.visit<Page>(loader, "/admin/mail?retried=1")).data.retried).toBe(true);

    // Once queued again it is not "given up": a second retry says so.
    expect((await admin.submit(action, "/admin/mail", { id: row.id })).location).toBe("/admin/mail?retried=0");
  });
});
