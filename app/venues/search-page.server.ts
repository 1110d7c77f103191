// The "find a venue" page in the person's language: the choices the form
// offers, and the venues that match, formatted here on the server so the
// browser hydrates exactly the text that was sent.
import type { Database } from "db/client";
import { InvalidInput } from "~/errors/domain-errors";
import { type Language, translateOr } from "~/i18n";
import { formatWallSpan } from "~/i18n/format";
import { type SearchFilters, searchOptions, searchVenues } from "./search.server";

export interface Choice {
  value: string;
  label: string;
}

export interface VenueCard {
  slug: string;
  name: string;
  /** Where the card links: the venue page, on the week of the asked date when there was one. */
  href: string;
  kind: string;
  capacity: number;
  amenities: string[];
  stepFree: boolean;
  parentName: string | null;
  siteName: string;
  siteAddress: string;
}

export interface SearchPage {
  options: { kinds: Choice[]; amenities: Choice[] };
  /** Null when the filters could not be used; `fieldErrors` then says why. */
  result: {
    venues: VenueCard[];
    /** "tirsdag 1. desember 2026, 18:00–20:00", when a time was asked for. */
    freeAt: string | null;
  } | null;
  /** Field → problem code (a key under `problem.` in app/i18n). */
  fieldErrors: Record<string, string>;
}

function choices(lang: Language, prefix: string, values: readonly string[]): Choice[] {
  return values
    .map((value) => ({ value, label: translateOr(lang, `${prefix}.${value}`, value) }))
    .sort((a, b) => a.label.localeCompare(b.label, lang.dateLocale));
}

/** `filters` null: the form could not be read; show it (with its options) and no results. */
export async function loadSearchPage(db: Database, args: { filters: SearchFilters | null; lang: Language; now: Date }): Promise<SearchPage> {
  const { lang } = args;
  const found = await searchOptions(db);
  const options = { kinds: choices(lang, "kind", found.kinds), amenities: choices(lang, "amenity", found.amenities) };
  if (!args.filters) return { options, result: null, fieldErrors: {} };
  try {
    const { venues, freeAt } = await searchVenues(db, args.filters, args.now);
    return {
      options,
      fieldErrors: {},
      result: {
        freeAt: freeAt ? formatWallSpan(lang, freeAt) : null,
        venues: venues.map((v) => ({
          slug: v.slug,
          name: v.name,
          href: `/venues/${v.slug}${freeAt ? `?week=${freeAt.date}` : ""}`,
          kind: translateOr(lang, `kind.${v.kind}`, v.kind),
          capacity: v.capacity,
          amenities: v.amenities.map((a) => translateOr(lang, `amenity.${a}`, a)),
          stepFree: v.stepFree,
          parentName: v.parentName,
          siteName: v.siteName,
          siteAddress: v.siteAddress,
        })),
      },
    };
  } catch (e) {
    if (e instanceof InvalidInput) return { options, result: null, fieldErrors: e.fields };
    throw e;
  }
}
