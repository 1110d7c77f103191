// Refuses form posts from other sites before they reach Remix, with 403 and a
// message in the person's language. Remix 2 itself refuses a POST whose
// Origin does not match the Host (answering an empty 500 and reporting it as
// our error); this does the same check first, adds Sec-Fetch-Site, and gives
// the visitor a proper answer. Actions check the CSRF token as well
// (app/accounts/csrf.server.ts): this is the outer of two locks.
import type { RequestHandler } from "express";
import { pickLanguage, translate } from "../../app/i18n";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function originHost(origin: string): string | null {
  if (origin === "null") return null;
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

export function refuseCrossSiteWrites(): RequestHandler {
  return (req, res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    const site = req.get("sec-fetch-site");
    const origin = req.get("origin");
    // The same host Remix compares with: X-Forwarded-Host when a proxy set it, else Host.
    const host = req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host");
    const crossSite = (site !== undefined && site !== "same-origin" && site !== "none") || (origin !== undefined && originHost(origin) !== host);
    if (!crossSite) return next();
    const lang = pickLanguage(new Request("http://localhost/", { headers: { cookie: req.get("cookie") ?? "", "accept-language": req.get("accept-language") ?? "" } }));
    res.status(403).set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
    res.send(translate(lang, "error.invalidFormToken"));
  };
}
