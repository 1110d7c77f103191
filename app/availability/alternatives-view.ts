// Alternatives as a person reads them: labels in their language and where each
// link goes. Pure, and run by the loader, so the component only prints.
import { type Language, translate, translateOr } from "~/i18n";
import { formatNumber, formatWallSpan } from "~/i18n/format";
import type { Alternatives, SlotSuggestion } from "./alternatives.server";

export interface AlternativeLink {
  key: string;
  href: string;
  label: string;
  /** For other venues: site, kind and size in one line. */
  detail: string | null;
}

export interface AlternativesView {
  venueName: string;
  /** The wanted time, formatted. */
  when: string;
  sameVenue: AlternativeLink[];
  otherVenues: AlternativeLink[];
}

/**
 * The venue page on the week of the suggestion's date. The booking form, when
 * it comes, takes `?date=&start=&end=`: pass its address as `hrefFor`.
 */
export function venueWeekHref(s: SlotSuggestion): string {
  return `/venues/${encodeURIComponent(s.slug)}?week=${s.date}`;
}

/** `?date=…&start=…&end=…` for a form that books the suggested time. */
export function slotQuery(s: SlotSuggestion): string {
  return `?${new URLSearchParams({ date: s.date, start: s.start, end: s.end })}`;
}

export function describeAlternatives(
  alts: Alternatives,
  lang: Language,
  wanted: { venueName: string; date: string; start: string; end: string },
  hrefFor: (s: SlotSuggestion) => string = venueWeekHref,
): AlternativesView {
  const key = (s: SlotSuggestion) => `${s.slug}|${s.date}|${s.start}|${s.end}`;
  return {
    venueName: wanted.venueName,
    when: formatWallSpan(lang, wanted),
    sameVenue: alts.sameVenue.map((s) => ({ key: key(s), href: hrefFor(s), label: formatWallSpan(lang, s), detail: null })),
    otherVenues: alts.otherVenues.map((v) => ({
      key: key(v),
      href: hrefFor(v),
      label: v.name,
      detail: translate(lang, "alternatives.venueFacts", {
        site: v.siteName,
        kind: translateOr(lang, `kind.${v.kind}`, v.kind),
        capacity: formatNumber(lang, v.capacity),
      }),
    })),
  };
}
