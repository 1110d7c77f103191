// The alternatives list as a person sees it: words in their language, and
// links to the venue's week (or, later, to the booking form).
import { useLoaderData } from "@remix-run/react";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import type { Alternatives } from "../../app/availability/alternatives.server";
import { type AlternativesView, describeAlternatives, slotQuery } from "../../app/availability/alternatives-view";
import { AlternativesList } from "../../app/components/alternatives";
import { getLanguage } from "../../app/i18n";
import { renderPage } from "./render";

const alts: Alternatives = {
  sameVenue: [
    { venueId: 1, slug: "peisestua", name: "Peisestua", date: "2027-03-10", start: "15:45", end: "17:45" },
    { venueId: 1, slug: "peisestua", name: "Peisestua", date: "2027-03-11", start: "18:00", end: "20:00" },
  ],
  otherVenues: [
    {
      venueId: 2, slug: "lillesalen", name: "Lillesalen", date: "2027-03-10", start: "18:00", end: "20:00",
      kind: "meeting-room", capacity: 12, stepFree: true, siteName: "Løvstad grendehus", sameKind: true, sameSite: true,
    },
  ],
};
const wanted = { venueName: "Peisestua", date: "2027-03-10", start: "18:00", end: "20:00" };

/** The list as a page would show it, with the view from the page's loader. */
function Page() {
  return createElement(AlternativesList, { view: useLoaderData() as AlternativesView });
}

const render = (view: AlternativesView, headers: Record<string, string> = {}) => renderPage("/", { loader: async () => view, Component: Page }, headers);

describe("alternatives, as shown", () => {
  it("labels the times and venues in the person's language and links to the venue's week", () => {
    const nb = describeAlternatives(alts, getLanguage("nb"), wanted);
    expect(nb.when).toBe("onsdag 10. mars 2027, 18:00–20:00");
    expect(nb.sameVenue.map((s) => [s.label, s.href])).toEqual([
      ["onsdag 10. mars 2027, 15:45–17:45", "/venues/peisestua?week=2027-03-10"],
      ["torsdag 11. mars 2027, 18:00–20:00", "/venues/peisestua?week=2027-03-11"],
    ]);
    expect(nb.otherVenues).toEqual([
      { key: "lillesalen|2027-03-10|18:00|20:00", href: "/venues/lillesalen?week=2027-03-10", label: "Lillesalen", detail: "Løvstad grendehus · Møterom · plass til 12" },
    ]);
    const en = describeAlternatives(alts, getLanguage("en"), wanted);
    expect(en.sameVenue[0]!.label).toBe("Wednesday, 10 March 2027, 15:45–17:45");
    expect(en.otherVenues[0]!.detail).toBe("Løvstad grendehus · Meeting room · room for 12");
  });

  it("takes the booking form's address when there is one", () => {
    const view = describeAlternatives(alts, getLanguage("nb"), wanted, (s) => `/venues/${s.slug}/book${slotQuery(s)}`);
    expect(view.sameVenue[0]!.href).toBe("/venues/peisestua/book?date=2027-03-10&start=15%3A45&end=17%3A45");
    expect(view.otherVenues[0]!.href).toBe("/venues/lillesalen/book?date=2027-03-10&start=18%3A00&end=20%3A00");
  });

  it("renders both lists as links under headings", async () => {
    const { html } = await render(describeAlternatives(alts, getLanguage("en"), wanted), { Cookie: "lang=en" });
    expect(html).toMatch(/<h2[^>]*id="alternatives-heading"[^>]*>Other options<\/h2>/);
    expect(html).toMatch(/<h3[^>]*>Free times in Peisestua<\/h3>/);
    expect(html).toContain('href="/venues/peisestua?week=2027-03-11">Thursday, 11 March 2027, 18:00–20:00</a>');
    expect(html).toMatch(/<h3[^>]*>Other venues free Wednesday, 10 March 2027, 18:00–20:00<\/h3>/);
    expect(html).toContain('href="/venues/lillesalen?week=2027-03-10">Lillesalen</a>');
    expect(html).not.toContain("We found no free alternatives");
  });

  it("says so when there is nothing to offer", async () => {
    const { html } = await render(describeAlternatives({ sameVenue: [], otherVenues: [] }, getLanguage("nb"), wanted));
    expect(html).toContain("Vi fant ingen ledige alternativer i nærheten");
    expect(html).not.toContain("<ul");
  });
});
