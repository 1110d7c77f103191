import { SkipLink } from "@digdir/designsystemet-react";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { ErrorPage } from "~/components/error-page";
import { languages, pickLanguage, translate } from "~/i18n";
import { useLanguage, useT } from "~/i18n/react";
import { useNonce } from "~/nonce";
import styles from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return { lang: pickLanguage(request).code };
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const lang = languages.find((l) => l.code === data?.lang) ?? languages[0]!;
  return [{ title: translate(lang, error ? "meta.errorTitle" : "meta.homeTitle") }];
};

function LanguageSwitch() {
  const current = useLanguage();
  const t = useT();
  const location = useLocation();
  const back = `${location.pathname}${location.search}`;
  return (
    <nav aria-label={t("nav.language")} className="language-switch">
      <ul>
        {languages
          .filter((l) => l.code !== current.code)
          .map((l) => (
            // A plain link, not <Link>: /lang sets a cookie and redirects, which
            // must be a full page load (and works without JavaScript).
            <li key={l.code}>
              <a href={`/lang?to=${l.code}&back=${encodeURIComponent(back)}`} lang={l.code} hrefLang={l.code}>
                {l.name}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const lang = useLanguage();
  const t = useT();
  const nonce = useNonce();
  return (
    <html lang={lang.code}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <SkipLink href="#main">{t("nav.skipToContent")}</SkipLink>
        <header className="site-header">
          <div className="site-header__inner">
            <Link to="/" className="brand">
              {t("app.name")}
              <span className="brand__tagline">{t("app.tagline")}</span>
            </Link>
            <LanguageSwitch />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="page">
          {children}
        </main>
        <footer className="site-footer">
          <p>{t("footer.text")}</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
