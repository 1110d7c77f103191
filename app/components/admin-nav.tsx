// The admin pages link to each other; the header links to /admin.
import { Link } from "@remix-run/react";
import { useT } from "~/i18n/react";

// Only pages that exist are listed; venues, associations, people and import come with issue 4's admin part.
export type AdminSection = "home" | "venues" | "import" | "mail" | "people" | "associations";

export const ADMIN_SECTIONS: { key: Exclude<AdminSection, "home">; to: string }[] = [
  { key: "venues", to: "/admin/venues" },
  { key: "import", to: "/admin/import" },
  { key: "people", to: "/admin/people" },
  { key: "associations", to: "/admin/associations" },
  { key: "mail", to: "/admin/mail" },
];

export function AdminNav({ current }: { current: AdminSection }) {
  const t = useT();
  return (
    <nav aria-label={t("admin.nav.label")} className="filter-nav">
      <ul>
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.key}>
            <Link to={s.to} className="ds-link" aria-current={current === s.key ? "page" : undefined}>
              {t(`admin.nav.${s.key}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
