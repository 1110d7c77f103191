// Which language a person gets, and words in it. Pure: works on the server and
// in the browser, so components translate without another round trip.
import en from "./en";
import type { Language, Messages } from "./language";
import nb, { type MessageKey } from "./nb";

export type { Language, MessageKey, Messages };

/** The first is the default. Adding a language: one file beside this one, one line here. */
export const languages: readonly Language[] = [nb, en];

export const defaultLanguage: Language = languages[0]!;

export const LANG_COOKIE = "lang";

export function getLanguage(code: string | null | undefined): Language {
  return languages.find((l) => l.code === code) ?? defaultLanguage;
}

export function findLanguage(code: string | null | undefined): Language | undefined {
  if (!code) return undefined;
  const c = code.toLowerCase();
  return languages.find((l) => l.code === c || l.aliases.includes(c));
}

function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** Languages from an Accept-Language header, best first; "nb-NO" also tries "nb". */
function acceptedLanguages(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((x) => x.tag && x.tag !== "*" && x.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .flatMap((x) => [x.tag, x.tag.split("-")[0]!]);
}

/** The `lang` cookie if it names a language we have, else Accept-Language, else the default. */
export function pickLanguage(request: Request): Language {
  const fromCookie = findLanguage(cookieValue(request.headers.get("Cookie"), LANG_COOKIE));
  if (fromCookie) return fromCookie;
  for (const tag of acceptedLanguages(request.headers.get("Accept-Language"))) {
    const found = findLanguage(tag);
    if (found) return found;
  }
  return defaultLanguage;
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(defaultLanguage.messages, key);
}

export type Params = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();

/** The number's plural category in the language ("one", "other", …), by Intl's rules for it. */
function pluralCategory(code: string, n: number): string {
  let rules = pluralRules.get(code);
  if (!rules) {
    rules = new Intl.PluralRules(code);
    pluralRules.set(code, rules);
  }
  return Number.isFinite(n) ? rules.select(n) : "other";
}

/**
 * Fills in `{name}`, and `{name|one:dato|other:datoer}` with the form for the
 * number's plural category in the language (the `other` form when the
 * language's category has none), so "1 dato" and "3 datoer" are one message.
 * A form may hold placeholders of its own ("other:alle {count} datoene"). One
 * pass over the template: what a value holds is never read as a placeholder.
 * A number already formatted for display ("1 000") counts as "other".
 */
export function interpolate(template: string, params: Params = {}, code = defaultLanguage.code): string {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  return template.replace(/\{(\w+)(?:\|((?:[^{}]|\{\w+\})*))?\}/g, (whole, name: string, forms: string | undefined) => {
    if (!(name in params)) return whole;
    if (forms === undefined) return String(params[name]);
    const byCategory = new Map(forms.split("|").map((f) => [f.slice(0, f.indexOf(":")), f.slice(f.indexOf(":") + 1)] as const));
    const form = byCategory.get(pluralCategory(code, Number(params[name]))) ?? byCategory.get("other");
    return form === undefined ? whole : fill(form);
  });
}

export function translate(lang: Language, key: MessageKey, params?: Params): string {
  const own = lang.messages[key];
  return own !== undefined ? interpolate(own, params, lang.code) : interpolate(defaultLanguage.messages[key], params);
}

/** For keys built from data ("kind.gym"): the translation, or the fallback when there is none. */
export function translateOr(lang: Language, key: string, fallback: string, params?: Params): string {
  return hasMessage(key) ? translate(lang, key, params) : fallback;
}

export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(lang: Language): Translate {
  return (key, params) => translate(lang, key, params);
}
