// /admin — where an owner admin starts: what each admin page is for. Everyone
// else gets 403 (requireAdminOwner), so the page says nothing to them.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAdminOwner } from "~/admin/access.server";
import { requireUser } from "~/accounts/session.server";
import { ADMIN_SECTIONS, AdminNav } from "~/components/admin-nav";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const db = getDb();
    const owner = await requireAdminOwner(db, user.id);
    return data({ lang: lang.code, owner }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["admin.home.metaTitle"]);

export default function AdminHome() {
  const { owner } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="admin">
      <AdminNav current="home" />
      <Heading level={1} data-size="lg">
        {t("admin.home.heading", { owner: owner.name })}
      </Heading>
      <Paragraph>{t("admin.home.intro")}</Paragraph>
      <ul className="admin-sections">
        {ADMIN_SECTIONS.map((s) => (
          <li key={s.key}>
            <Heading level={2} data-size="xs">
              <Link to={s.to} className="ds-link">
                {t(`admin.nav.${s.key}`)}
              </Link>
            </Heading>
            <Paragraph data-size="sm">{t(`admin.home.${s.key}`)}</Paragraph>
          </li>
        ))}
      </ul>
    </div>
  );
}
