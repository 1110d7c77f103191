import { SkipLink } from "@digdir/designsystemet-react";
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { csrfState } from "~/accounts/csrf.server";
import { getUser, renewedSessionCookie } from "~/accounts/session.server";
import { CARETAKER_PAGES } from "~/components/caretaker-nav";
import { ErrorPage } from "~/components/error-page";
import { PostForm } from "~/components/forms";
import { languages, pickLanguage, translate } from "~/i18n";
import { useLanguage, useT } from "~/i18n/react";
import { useNonce } from "~/nonce";
import styles from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, csrf, renewed] = await Promise.all([getUser(request), csrfState(request), renewedSessionCookie(request)]);
  // A first visit gets its CSRF cookie; a session whose expiry slid gets its cookie's lifetime renewed.
  const headers = new Headers();
  if (csrf.setCookie) headers.append("Set-Cookie", csrf.setCookie);
  if (renewed) headers.append("Set-Cookie", renewed);
  return data(
    {
      lang: pickLanguage(request).code,
      /** The signed-in person as the header shows them; null for everyone else. */
      user: user ? { name: user.name, email: user.email, managesSites: user.managesSites, isAdmin: user.isAdmin } : null,
      /** For the hidden field of every POST form (components/forms.tsx). */
      csrf: csrf.token,
    },
    { headers },
  );
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

/** Who is signed in, with "My page" and sign-out; or a link to sign in that comes back here. */
function AccountNav() {
  const root = useRouteLoaderData<typeof loader>("root");
  const t = useT();
  const location = useLocation();
  const user = root?.user;
  if (!user) {
    const here = `${location.pathname}${location.search}`;
    const next = here === "/" || here.startsWith("/signin") ? "" : `?${new URLSearchParams({ next: here })}`;
    return (
      <nav aria-label={t("nav.accountMenu")} className="account-nav">
        <Link to={`/signin${next}`} className="ds-link">
          {t("nav.signIn")}
        </Link>
      </nav>
    );
  }
  return (
    <nav aria-label={t("nav.accountMenu")} className="account-nav">
      <span className="account-nav__who">{t("nav.signedInAs", { name: user.name || user.email })}</span>
      <Link to="/bookings" className="ds-link">
        {t("nav.myBookings")}
      </Link>
      {user.managesSites &&
        // Blocking time is rarer: it is a step away, in the caretaker pages' own menu.
        CARETAKER_PAGES.filter((p) => p.page !== "block").map((p) => (
          <Link key={p.page} to={p.to} className="ds-link">
            {t(p.label)}
          </Link>
        ))}
      {user.isAdmin && (
        <Link to="/admin" className="ds-link">
          {t("admin.nav.home")}
        </Link>
      )}
      <Link to="/account" className="ds-link">
        {t("nav.account")}
      </Link>
      <PostForm action="/signout" reloadDocument className="account-nav__signout">
        <button type="submit" className="ds-button" data-variant="tertiary" data-size="sm">
          {t("nav.signOut")}
        </button>
      </PostForm>
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
            <div className="site-header__tools">
              <AccountNav />
              <LanguageSwitch />
            </div>
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
