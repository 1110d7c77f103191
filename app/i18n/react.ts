// The current language inside components, from the root loader's data.
import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "~/root";
import { getLanguage, type Language, type Translate, translator } from "./index";

export function useLanguage(): Language {
  // Absent when the root loader itself failed: the error page then speaks the default language.
  const data = useRouteLoaderData<typeof loader>("root");
  return getLanguage(data?.lang);
}

export function useT(): Translate {
  return translator(useLanguage());
}
