// The two caretaker pages link to each other (and the header links to both).
import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";

export function CaretakerNav({ current }: { current: "requests" | "today" }) {
  const t = useT();
  return (
    <nav aria-label={t("caretaker.nav.label")} className="filter-nav">
      <ul>
        <li>
          <Link to="/caretaker/requests" className="ds-link" aria-current={current === "requests" ? "page" : undefined}>
            {t("caretaker.nav.requests")}
          </Link>
        </li>
        <li>
          <Link to="/caretaker/today" className="ds-link" aria-current={current === "today" ? "page" : undefined}>
            {t("caretaker.nav.today")}
          </Link>
        </li>
      </ul>
    </nav>
  );
}
