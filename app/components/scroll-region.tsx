// A table's region that scrolls sideways on a narrow screen instead of
// widening the page (WCAG 1.4.10 allows a data table to scroll), labelled by
// the heading it belongs to.
import type { ReactNode } from "react";

export function ScrollRegion({ className, labelledBy, children }: { className: string; labelledBy: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard to be scrolled (WCAG 2.1.1, axe scrollable-region-focusable)
    <section className={className} aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </section>
  );
}
