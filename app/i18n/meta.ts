// Page titles in the page's language. A route's meta runs on the server and in
// the browser, without the request: the language comes from the route's own
// data, or from the root's when the loader failed (then the error title).
import { getLanguage, type MessageKey, type Params, translate } from "./index";

interface MetaArgs<D> {
  data: D | undefined;
  matches: readonly { id: string; data: unknown }[];
}

export function titleMeta<D extends { lang?: string }>(args: MetaArgs<D>, title: (data: D) => [MessageKey, Params?]) {
  const rootLang = (args.matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  const lang = getLanguage(args.data?.lang ?? rootLang);
  if (!args.data) return [{ title: translate(lang, "meta.errorTitle") }];
  const [key, params] = title(args.data);
  return [{ title: translate(lang, key, params) }];
}
