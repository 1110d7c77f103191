// /admin/venues — the owner's sites with their venues (parts under their
// whole, archived ones marked), each linking to its edit page, and the way
// to a new venue. Owner admins only (requireAdminOwner: 403 for everyone else).
import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/session.server";
import { loadVenueList } from "~/admin/venue-admin-page.server";
import type { VenueKind } from "~/admin/venue-input";
import { AdminNav } from "~/components/admin-nav";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";
import { titleMeta } from "~/i18n/meta";
import { useT } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const lang = pickLanguage(request);
  try {
    const page = await loadVenueList(getDb(), user.id);
    return data({ lang: lang.code, ...page }, { headers: { "Cache-Control": "private, no-store" } });
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = (args) => titleMeta(args, () => ["adminVenues.list.metaTitle"]);

function VenueItem({ venue: v }: { venue: { id: number; name: string; kind: string; capacity: number; archived: boolean } }) {
  const t = useT();
  return (
    <>
      <Paragraph>
        <Link to={`/admin/venues/${v.id}`} className="ds-link">
          {v.name}
        </Link>
        {v.archived && (
          <>
            {" "}
            <Tag data-size="sm" data-color="warning">
              {t("adminVenues.list.archived")}
            </Tag>
          </>
        )}
      </Paragraph>
      <Paragraph data-size="sm" className="muted">
        {t("adminVenues.list.facts", { kind: t(`kind.${v.kind as VenueKind}`), capacity: v.capacity })}
      </Paragraph>
    </>
  );
}

export default function AdminVenues() {
  const { owner, sites } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="admin">
      <AdminNav current="venues" />
      <Heading level={1} data-size="lg">
        {t("adminVenues.list.heading")}
      </Heading>
      <Paragraph>{t("adminVenues.list.intro", { owner: owner.name })}</Paragraph>
      <Paragraph>
        <Link to="/admin/venues/new" className="ds-button" data-variant="primary">
          {t("adminVenues.list.new")}
        </Link>
      </Paragraph>
      {sites.length === 0 && <Paragraph>{t("adminVenues.list.noSites")}</Paragraph>}
      {sites.map((site) => (
        <section key={site.id} aria-labelledby={`site-${site.id}`}>
          <Heading level={2} data-size="sm" id={`site-${site.id}`}>
            {site.name}
          </Heading>
          <Paragraph data-size="sm" className="muted">
            {site.address}
          </Paragraph>
          {site.venues.length === 0 ? (
            <Paragraph data-size="sm">{t("adminVenues.list.noVenues")}</Paragraph>
          ) : (
            <ul className="admin-venue-list">
              {site.venues.map((v) => (
                <li key={v.id}>
                  <VenueItem venue={v} />
                  {v.parts.length > 0 && (
                    <ul aria-label={t("adminVenues.list.partsOf", { venue: v.name })}>
                      {v.parts.map((p) => (
                        <li key={p.id}>
                          <VenueItem venue={p} />
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
