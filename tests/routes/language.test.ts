import { describe, expect, it } from "vitest";
import { pickLanguage } from "../../app/i18n";
import { loader as langLoader, safeBackPath } from "../../app/routes/lang";
import { loader as rootLoader } from "../../app/root";
import { call } from "../helpers/browser";
import { loaderArgs } from "./support";

const pick = (headers: Record<string, string>) => pickLanguage(new Request("http://localhost/", { headers })).code;

describe("choosing the language", () => {
  it("takes the lang cookie first", () => {
    expect(pick({ Cookie: "theme=dark; lang=en" })).toBe("en");
    expect(pick({ Cookie: "lang=nb", "Accept-Language": "en" })).toBe("nb");
  });

  it("then Accept-Language, by quality, with regional and Norwegian variants", () => {
    expect(pick({ "Accept-Language": "en-GB,en;q=0.9" })).toBe("en");
    expect(pick({ "Accept-Language": "de-DE,de;q=0.9,en;q=0.5" })).toBe("en");
    expect(pick({ "Accept-Language": "en;q=0.4,nb-NO;q=0.8" })).toBe("nb");
    expect(pick({ "Accept-Language": "no" })).toBe("nb");
    expect(pick({ "Accept-Language": "nn-NO" })).toBe("nb");
  });

  it("falls back to bokmål, and ignores a cookie naming no language we have", () => {
    expect(pick({})).toBe("nb");
    expect(pick({ "Accept-Language": "fr-FR,fr;q=0.9" })).toBe("nb");
    expect(pick({ Cookie: "lang=xx", "Accept-Language": "en" })).toBe("en");
    expect(pick({ "Accept-Language": "garbage;;q=x,," })).toBe("nb");
  });

  it("gives the root loader's lang (the html lang attribute)", async () => {
    expect((await call<{ lang: string }>(() => rootLoader(loaderArgs("/", {}, { "Accept-Language": "en-US" })))).data.lang).toBe("en");
    expect((await call<{ lang: string }>(() => rootLoader(loaderArgs("/")))).data.lang).toBe("nb");
  });
});

describe("/lang", () => {
  it("sets the cookie and goes back to the page", async () => {
    const res = await langLoader(loaderArgs("/lang?to=en&back=%2Fvenues%2Fstorsalen%3Fweek%3D2026-12-01"));
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/venues/storsalen?week=2026-12-01");
    expect(res.headers.get("Set-Cookie")).toMatch(/^lang=en; Path=\/; Max-Age=\d+; SameSite=Lax; HttpOnly$/);
  });

  it("only goes back to a path on this site", () => {
    expect(safeBackPath("https://evil.example/")).toBe("/");
    expect(safeBackPath("//evil.example/")).toBe("/");
    expect(safeBackPath("/\\evil.example/")).toBe("/");
    expect(safeBackPath("/ok\r\nSet-Cookie: x=y")).toBe("/");
    expect(safeBackPath(null)).toBe("/");
    expect(safeBackPath("/venues/x")).toBe("/venues/x");
  });

  it("keeps the current language when asked for one we do not have", async () => {
    const res = await langLoader(loaderArgs("/lang?to=xx&back=/", {}, { Cookie: "lang=en" }));
    expect(res.headers.get("Set-Cookie")).toMatch(/^lang=en;/);
  });
});
