// A table's region that scrolls sideways on a narrow screen instead of
// widening the page (WCAG 1.4.10 allows a data table to scroll), labelled by
// the heading it belongs to. The class `scroll-region` (app.css) does the
// scrolling; `className` adds what one page needs besides.
import type { ReactNode } from "react";

export function ScrollRegion({ className, labelledBy, children }: { className?: string; labelledBy: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard to be scrolled (WCAG 2.1.1, axe scrollable-region-focusable)
    <section className={className ? `scroll-region ${className}` : "scroll-region"} aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </section>
  );
}

/** A column's heading; `{ hidden }` is heard by screen readers only (a column of buttons, say). */
export type Column = string | { hidden: string };

/** A design-system table with a heading row, in a ScrollRegion: the message and report tables. */
export function ScrollTable({
  labelledBy,
  tableClassName,
  columns,
  children,
}: {
  labelledBy: string;
  /** Added to the table's own classes (`ds-table scroll-table`). */
  tableClassName?: string;
  columns: readonly Column[];
  children: ReactNode;
}) {
  return (
    <ScrollRegion labelledBy={labelledBy}>
      <table className={tableClassName ? `ds-table scroll-table ${tableClassName}` : "ds-table scroll-table"} data-border>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === "string" ? (
                <th scope="col" key={c}>
                  {c}
                </th>
              ) : (
                <th scope="col" key={c.hidden}>
                  <span className="ds-sr-only">{c.hidden}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </ScrollRegion>
  );
}
