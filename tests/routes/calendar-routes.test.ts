// The feed addresses end in ".ics" inside a dynamic segment (`$slug[.ics]`).
// React Router matches such a segment (":slug.ics") and ranks it above a plain
// ":slug", but the convention is little documented, so check it with Remix's
// own route discovery and router instead of trusting it.
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const { flatRoutes } = require("@remix-run/dev/dist/config/flat-routes.js") as {
  flatRoutes: (appDir: string) => Record<string, { id: string; path?: string; parentId?: string; index?: boolean }>;
};
const { matchRoutes } = createRequire(require.resolve("@remix-run/server-runtime"))("@remix-run/router") as typeof import("@remix-run/router");

const manifest = flatRoutes(path.resolve("app"));
const routes = [
  {
    id: "root",
    path: "",
    children: Object.values(manifest).map((r) => ({ id: r.id, path: r.path, index: r.index })),
  },
];

function match(url: string) {
  const m = matchRoutes(routes, url);
  const leaf = m?.[m.length - 1];
  return leaf ? { id: leaf.route.id, params: leaf.params } : null;
}

describe("calendar routes", () => {
  it("sends /feeds/venues/:slug.ics to the public feed with the slug alone", () => {
    expect(match("/feeds/venues/gymsal-lovstad.ics")).toEqual({ id: "routes/feeds.venues.$slug[.ics]", params: { slug: "gymsal-lovstad" } });
    expect(match("/feeds/venues/gymsal-lovstad")?.id).not.toBe("routes/feeds.venues.$slug[.ics]");
  });

  it("sends /feeds/t/:token.ics to the token feed", () => {
    const token = "AbC_-0123456789abcdefghijklmnopqrstuvwxyzAB";
    expect(match(`/feeds/t/${token}.ics`)).toEqual({ id: "routes/feeds.t.$token[.ics]", params: { token } });
  });

  it("sends /bookings/:id.ics to the download, whatever page /bookings/:id becomes", () => {
    const id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    expect(match(`/bookings/${id}.ics`)).toEqual({ id: "routes/bookings.$id[.ics]", params: { id } });
    expect(match(`/bookings/${id}`)?.id).not.toBe("routes/bookings.$id[.ics]");
  });
});
