// Page titles in the page's language. A route's meta runs on the server and in
// the browser, without the request: the language comes from the route's own
// data, or from the root's when the loader failed (then the error title).
import { isRouteErrorResponse } from "@remix-run/react";
import { resendOf } from "~/forms/resend";
import { getLanguage, type MessageKey, type Params, translate } from "./index";

interface MetaArgs<D> {
  data: D | undefined;
  matches: readonly { id: string; data: unknown }[];
  /** What the route's error boundary shows, when it shows one (an action's error keeps the loader's data). */
  error?: unknown;
}

export function titleMeta<D extends { lang?: string }>(args: MetaArgs<D>, title: (data: D) => [MessageKey, Params?]) {
  const rootLang = (args.matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  const lang = getLanguage(args.data?.lang ?? rootLang);
  // The title says what the page says: a form sent back to be sent again, or an error.
  if (args.error) return [{ title: translate(lang, resendOf(isRouteErrorResponse(args.error) ? args.error.data : null) ? "meta.staleFormTitle" : "meta.errorTitle") }];
  if (!args.data) return [{ title: translate(lang, "meta.errorTitle") }];
  const [key, params] = title(args.data);
  return [{ title: translate(lang, key, params) }];
}
