import { Heading, Paragraph, Tag } from "@digdir/designsystemet-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { errorResponse } from "~/errors/http";
import { getLanguage, pickLanguage, translate, translateOr } from "~/i18n";
import { useLanguage, useT } from "~/i18n/react";
import { groupBySite, listVenues } from "~/venues/venues.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = pickLanguage(request);
  try {
    return { lang: lang.code, sites: groupBySite(await listVenues(getDb())) };
  } catch (e) {
    throw errorResponse(e, lang);
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: translate(getLanguage(data?.lang), "meta.homeTitle") },
];

export default function Home() {
  const { sites } = useLoaderData<typeof loader>();
  const lang = useLanguage();
  const t = useT();
  return (
    <>
      <Heading level={1} data-size="lg">
        {t("home.title")}
      </Heading>
      <Paragraph data-size="lg" className="lead">
        {t("home.intro")}
      </Paragraph>
      {sites.length === 0 && <Paragraph>{t("home.empty")}</Paragraph>}
      {sites.map((site) => (
        <section key={site.id} className="site">
          <Heading level={2} data-size="md">
            {site.name}
          </Heading>
          {site.address && <Paragraph className="muted">{site.address}</Paragraph>}
          <ul className="venue-list">
            {site.venues.map((v) => (
              <li key={v.id} className={v.parentId ? "venue-card venue-card--part" : "venue-card"}>
                <Heading level={3} data-size="xs">
                  <Link to={`/venues/${v.slug}`} className="ds-link">
                    {v.name}
                  </Link>
                </Heading>
                {v.parentName && <Paragraph data-size="sm">{t("venue.partOf", { parent: v.parentName })}</Paragraph>}
                <ul className="facts">
                  <li>{translateOr(lang, `kind.${v.kind}`, v.kind)}</li>
                  <li>{t("venue.capacity", { capacity: v.capacity })}</li>
                  <li>
                    <Tag data-color={v.stepFree ? "success" : "neutral"} data-size="sm">
                      {t(v.stepFree ? "venue.stepFree" : "venue.notStepFree")}
                    </Tag>
                  </li>
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
