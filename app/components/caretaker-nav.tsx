// The caretaker pages link to each other (and the header links to them).
import { Link } from "@remix-run/react";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/react";

export type CaretakerPage = "requests" | "today" | "week" | "sheet" | "block";

export const CARETAKER_PAGES: { page: CaretakerPage; to: string; label: MessageKey }[] = [
  { page: "requests", to: "/caretaker/requests", label: "caretaker.nav.requests" },
  { page: "today", to: "/caretaker/today", label: "caretaker.nav.today" },
  { page: "week", to: "/caretaker/week", label: "caretaker.nav.week" },
  { page: "sheet", to: "/caretaker/sheet", label: "caretaker.nav.sheet" },
  { page: "block", to: "/caretaker/block", label: "caretaker.nav.block" },
];

export function CaretakerNav({ current }: { current: CaretakerPage }) {
  const t = useT();
  return (
    <nav aria-label={t("caretaker.nav.label")} className="filter-nav caretaker-nav">
      <ul>
        {CARETAKER_PAGES.map((p) => (
          <li key={p.page}>
            <Link to={p.to} className="ds-link" aria-current={current === p.page ? "page" : undefined}>
              {t(p.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
