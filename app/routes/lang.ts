// GET /lang?to=en&back=/venues/storsalen — remembers the choice in a cookie and
// goes back. A plain link, so it works without JavaScript.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findLanguage, LANG_COOKIE, pickLanguage } from "~/i18n";

/** Only a path on this site: never "//evil.example" or "/\evil.example", which browsers treat as another host. */
export function safeBackPath(back: string | null): string {
  if (!back?.startsWith("/") || back.startsWith("//") || back.startsWith("/\\")) return "/";
  // Control characters (including newlines) have no place in a Location header.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(back)) return "/";
  return back;
}

export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = findLanguage(url.searchParams.get("to")) ?? pickLanguage(request);
  return new Response(null, {
    status: 303,
    headers: {
      Location: safeBackPath(url.searchParams.get("back")),
      "Set-Cookie": `${LANG_COOKIE}=${lang.code}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly`,
      "Cache-Control": "no-store",
    },
  });
}
