// /admin/import: the page, a multipart upload or pasted text, the report in
// the admin's language with 400 (413 for too much), nothing written on any
// problem, and the sample file for download. Who may use it at all is the
// authorization matrix's job; the CSRF walk covers the token.
import { type ComponentType, createElement } from "react";
import { renderToString } from "react-dom/server";
import { Outlet } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { readFileSync } from "node:fs";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provideDatabase } from "../../app/db.server";
import { pickLanguage } from "../../app/i18n";
import AdminImport, { action, type ImportReply, loader } from "../../app/routes/admin.import";
import { loader as sampleLoader } from "../../app/routes/admin.import_.sample[.csv]";
import { call, ORIGIN, type TestBrowser } from "../helpers/browser";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeWorld, signedIn, type World } from "../helpers/people";

let t: TestDb;
let w: World;
beforeAll(async () => {
  t = await createTestDb();
  provideDatabase(t.db);
  w = await makeWorld(t.db);
});
afterAll(() => dropTestDb(t));

const SAMPLE = readFileSync("docs/import/venues-sample.csv", "utf8");
const venueCount = async () => Number((await t.db.selectFrom("venues").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

/** A multipart POST as the page's form sends it (a file and/or pasted text), with the browser's cookies and token. */
function upload(browser: TestBrowser, fields: { file?: Blob; text?: string; intent?: string; csrf?: string | null }, headers: Record<string, string> = {}): Request {
  const form = new FormData();
  if (fields.csrf !== null) form.set("csrf", fields.csrf ?? browser.csrf);
  form.set("intent", fields.intent ?? "import");
  if (fields.file) form.set("file", fields.file, "lokaler.csv");
  form.set("text", fields.text ?? "");
  return new Request(`${ORIGIN}/admin/import`, {
    method: "POST",
    body: form,
    headers: {
      Cookie: browser.cookieHeader(),
      Origin: ORIGIN,
      "Sec-Fetch-Site": "same-origin",
      ...(browser.options.language ? { "Accept-Language": browser.options.language } : {}),
      ...headers,
    },
  });
}

const send = (browser: TestBrowser, request: Request) => call<ImportReply>(() => action({ request, params: {}, context: browser.context }));
const csv = (text: string) => new Blob([text], { type: "text/csv" });

/** The page as the server renders it after the POST (the report shown without JavaScript). */
async function renderAfterPost(request: Request): Promise<string> {
  const routes = [
    {
      id: "root",
      path: "/",
      loader: ({ request: r }: { request: Request }) => ({ lang: pickLanguage(r).code }),
      element: createElement(Outlet),
      children: [
        { id: "page", path: "admin/import", loader: loader as (a: LoaderFunctionArgs) => Promise<unknown>, action: action as (a: ActionFunctionArgs) => Promise<unknown>, element: createElement(AdminImport as ComponentType) },
      ],
    },
  ];
  const handler = createStaticHandler(routes as never);
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`answered ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

describe("the import page", () => {
  it("shows the form (file and paste, check and import) and a link to the sample", async () => {
    const admin = await signedIn(t.db, w.users.admin.id);
    const page = await admin.visit(loader, "/admin/import");
    expect(page.status).toBe(200);
    const html = await renderAfterPost(new Request(`${ORIGIN}/admin/import`, { headers: { Cookie: admin.cookieHeader() } }));
    expect(html).toMatch(/<form method="post"[^>]*enctype="multipart\/form-data"/i);
    expect(html).toContain('type="file"');
    expect(html).toContain('<textarea id="text" name="text"');
    expect(html).toMatch(/name="intent" value="check"[^>]*>Bare sjekk fila/);
    expect(html).toMatch(/name="intent" value="import"[^>]*>Importer/);
    expect(html).toContain('href="/admin/import/sample.csv"');
    // An admin of several owners picks one with ?owner=; the form posts back to it.
    const forOwner = await renderAfterPost(new Request(`${ORIGIN}/admin/import?owner=${w.owner.id}`, { headers: { Cookie: admin.cookieHeader() } }));
    expect(forOwner).toContain(`action="/admin/import?owner=${w.owner.id}"`);
  });

  it("reports a bad file line by line in the admin's language with 400, and writes nothing", async () => {
    const text = `site;name;kind;capacity\n${w.site.name};Rom 1;meeting-room;10\n${w.site.name};Rom 2;boat;10\n`;
    for (const [language, expected] of [
      ["nb-NO", "Type lokale er ikke et av valgene."],
      ["en-GB", "Type of venue is not one of the choices."],
    ] as const) {
      const admin = await signedIn(t.db, w.users.admin.id, { language });
      await admin.visit(loader, "/admin/import");
      const before = await venueCount();
      const reply = await send(admin, upload(admin, { file: csv(text) }));
      expect(reply.status).toBe(400);
      expect(reply.data.outcome).toBe("problems");
      expect(reply.data.problems).toEqual([{ line: 3, column: "kind", message: expected }]);
      expect(await venueCount()).toBe(before);
      // The page shows the report as a table of line, column and message.
      const html = await renderAfterPost(upload(admin, { file: csv(text) }));
      expect(html).toMatch(/<td>3<\/td><td><code>kind<\/code><\/td><td>[^<]+<\/td>/);
      expect(html).toContain(expected);
    }
  });

  it("checks pasted text without saving, then imports it and links each new venue", async () => {
    const admin = await signedIn(t.db, w.users.admin.id);
    await admin.visit(loader, "/admin/import");
    const text = `site,name,kind,capacity,opening_hours\n${w.site.name},Peisestua,meeting-room,20,man-fre 17:00-22:00\n`;
    const before = await venueCount();
    const checked = await send(admin, upload(admin, { text, intent: "check" }));
    expect(checked.status).toBe(200);
    expect(checked.data).toMatchObject({ outcome: "checked", venues: [{ line: 2, slug: "peisestua", id: null }] });
    expect(await venueCount()).toBe(before);

    const html = await renderAfterPost(upload(admin, { text, intent: "import" }));
    const venue = await t.db.selectFrom("venues").select("id").where("slug", "=", "peisestua").executeTakeFirstOrThrow();
    expect(html).toContain(`href="/admin/venues/${venue.id}"`);
    expect(await venueCount()).toBe(before + 1);
  });

  it("refuses too much with 413 and a clear message, and what is not UTF-8 text with 400, never a 500", async () => {
    const admin = await signedIn(t.db, w.users.admin.id, { language: "en" });
    await admin.visit(loader, "/admin/import");
    const big = `site;name;kind;capacity\n${`${w.site.name};Rom;meeting-room;5;${"x".repeat(200)}\n`.repeat(5000)}`;
    const overFile = await send(admin, upload(admin, { file: csv(big) }));
    expect(overFile.status).toBe(413);
    expect(overFile.data.problems[0]!.message).toBe("The file is too large. It may be at most 1 MB.");
    // Just under the request ceiling but over the file limit: the form is read, the file refused.
    const justOver = await send(admin, upload(admin, { file: csv("a".repeat(1_000_001)) }));
    expect(justOver.status).toBe(413);
    const latin1 = await send(admin, upload(admin, { file: new Blob([Uint8Array.from([0x73, 0x69, 0x74, 0x65, 0x3b, 0xd8])]) }));
    expect(latin1.status).toBe(400);
    expect(latin1.data.problems[0]!.message).toContain("UTF-8");
    const nothing = await send(admin, upload(admin, {}));
    expect(nothing.status).toBe(400);
    expect(nothing.data.problems[0]!.message).toBe("Choose a file, or paste its contents into the text box.");
  });

  it("still wants the CSRF token on a multipart form", async () => {
    const admin = await signedIn(t.db, w.users.admin.id);
    await admin.visit(loader, "/admin/import");
    const reply = await send(admin, upload(admin, { file: csv(SAMPLE), csrf: null }));
    expect(reply.status).toBe(403);
    expect(await t.db.selectFrom("venues").select("id").where("slug", "=", "nordbyhallen").executeTakeFirst()).toBeUndefined();
  });

  it("serves the documented sample file", async () => {
    const reply = await call<string>(() => sampleLoader());
    expect(reply.status).toBe(200);
    expect(reply.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(reply.data).toBe(SAMPLE);
  });
});
