// The HTTP server's outer lock: form posts from other sites get 403 in the
// person's language before Remix (which would answer an empty 500) sees them.
import { describe, expect, it } from "vitest";
import { refuseCrossSiteWrites } from "../../scripts/lib/cross-site";

function run(method: string, headers: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const req = { method, get: (name: string) => lower[name.toLowerCase()] };
  const out = { status: 0, body: "", passed: false, headers: {} as Record<string, string> };
  const res = {
    status(code: number) {
      out.status = code;
      return res;
    },
    set(h: Record<string, string>) {
      Object.assign(out.headers, h);
      return res;
    },
    send(body: string) {
      out.body = body;
      return res;
    },
  };
  // biome-ignore lint/suspicious/noExplicitAny: a minimal stand-in for Express's req and res
  refuseCrossSiteWrites()(req as any, res as any, () => {
    out.passed = true;
  });
  return out;
}

describe("refuseCrossSiteWrites", () => {
  it("lets reads and same-site posts through", () => {
    expect(run("GET", { Host: "flokk.example", Origin: "https://evil.example" }).passed).toBe(true);
    expect(run("POST", { Host: "flokk.example", Origin: "https://flokk.example", "Sec-Fetch-Site": "same-origin" }).passed).toBe(true);
    expect(run("POST", { Host: "localhost:3000" }).passed).toBe(true);
    expect(run("POST", { Host: "internal:3000", "X-Forwarded-Host": "flokk.example", Origin: "https://flokk.example" }).passed).toBe(true);
  });

  it("refuses posts another site sends, with 403 in the person's language", () => {
    const evil = run("POST", { Host: "flokk.example", Origin: "https://evil.example", "Accept-Language": "en" });
    expect(evil.passed).toBe(false);
    expect(evil.status).toBe(403);
    expect(evil.body).toMatch(/^The form could not be sent/);
    expect(run("POST", { Host: "flokk.example", Origin: "https://evil.example", Cookie: "lang=nb" }).body).toMatch(/^Skjemaet kunne ikke sendes/);
    const foreign: Record<string, string>[] = [{ "Sec-Fetch-Site": "cross-site" }, { "Sec-Fetch-Site": "same-site" }, { Origin: "null" }];
    for (const headers of foreign) {
      expect(run("POST", { Host: "flokk.example", ...headers }).status).toBe(403);
    }
    expect(run("DELETE", { Host: "flokk.example", Origin: "http://flokk.example.evil.example" }).status).toBe(403);
  });
});
