// Calendar answers as HTTP responses, and the conditional headers they read.
import type { CalendarAnswer, Conditional } from "./feeds.server";

export function conditional(request: Request): Conditional {
  return { ifNoneMatch: request.headers.get("If-None-Match"), ifModifiedSince: request.headers.get("If-Modified-Since") };
}

/** Public feeds may sit in shared caches for a few minutes; token feeds are private and revalidated every time. */
function cacheControl(isPrivate: boolean): string {
  return isPrivate ? "private, no-cache" : "public, max-age=300";
}

export function calendarResponse(answer: CalendarAnswer, options: { download?: string } = {}): Response {
  const headers = new Headers({
    ETag: answer.etag,
    "Last-Modified": answer.lastModified.toUTCString(),
    "Cache-Control": cacheControl(answer.private),
    "X-Content-Type-Options": "nosniff",
  });
  if (answer.private) {
    // The URL is the secret: keep it out of search engines and Referer headers.
    headers.set("X-Robots-Tag", "noindex, nofollow");
    headers.set("Referrer-Policy", "no-referrer");
  }
  if (answer.status === 304) return new Response(null, { status: 304, headers });
  headers.set("Content-Type", "text/calendar; charset=utf-8");
  if (options.download) headers.set("Content-Disposition", `attachment; filename="${options.download.replace(/[^A-Za-z0-9._-]/g, "_")}"`);
  return new Response(answer.body, { status: 200, headers });
}

/**
 * The same 404 for every feed that cannot be shown: unknown, revoked or
 * malformed tokens, private bookings, missing venues. It says nothing about which.
 */
export function calendarNotFound(): Response {
  return new Response("Not found\n", {
    status: 404,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Robots-Tag": "noindex, nofollow",
      "Referrer-Policy": "no-referrer",
    },
  });
}
