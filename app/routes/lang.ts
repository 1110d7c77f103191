// GET /lang?to=en&back=/venues/storsalen — remembers the choice in a cookie
// (and, for a signed-in person clicking on our own page, on their user, so
// mail and other devices follow) and goes back. A plain link, so it works without JavaScript.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/accounts/session.server";
import { setUserLocale } from "~/accounts/users.server";
import { getDb } from "~/db.server";
import { safeBackPath } from "~/http/local-path";
import { findLanguage, pickLanguage } from "~/i18n";
import { languageCookie } from "~/i18n/cookie";

export { safeBackPath };

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const chosen = findLanguage(url.searchParams.get("to"));
  const lang = chosen ?? pickLanguage(request);
  // A language link changes nothing but the language, so a GET may do it; but
  // only a click on our own page changes the person's saved choice (the
  // language of their mail): a link on another site sets this browser's cookie alone.
  const site = request.headers.get("Sec-Fetch-Site");
  const fromHere = site === null || site === "same-origin" || site === "none";
  if (chosen && fromHere) {
    const user = await getUser(request);
    if (user && user.locale !== chosen.code) await setUserLocale(getDb(), user.id, chosen.code);
  }
  return new Response(null, {
    status: 303,
    headers: {
      Location: safeBackPath(url.searchParams.get("back")),
      "Set-Cookie": languageCookie(lang.code),
      "Cache-Control": "no-store",
    },
  });
}
