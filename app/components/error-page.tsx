// The friendly page for every error. Messages come from app/errors/http.ts
// (already in the person's language); anything else gets a generic text, so no
// internal detail or stack trace ever reaches the page.
//
// The root shows it for errors of loaders. Every page with an action also
// exports it as its own ErrorBoundary (a test holds them to it): when an
// action fails, Remix runs only the loaders above the boundary that shows the
// error, so with the root's boundary the root loader did not run, and a form's
// error (an expired form token, a tampered field) came without the person's
// language or their signed-in header. The catch-all route ($.tsx) does the
// same for paths no route takes.
import { Heading, Paragraph } from "@digdir/designsystemet-react";
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n/react";
import { resendOf } from "~/forms/resend";
import { ResendForm } from "./resend-form";

function messageOf(data: unknown): string | null {
  if (typeof data === "object" && data !== null && "message" in data && typeof data.message === "string") return data.message;
  return null;
}

const TITLES: Record<number, MessageKey> = {
  400: "error.badRequestTitle",
  403: "error.forbiddenTitle",
  404: "error.notFoundTitle",
};

export function ErrorPage() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const fallback = status === 404 ? t("error.pageNotFound") : status >= 500 ? t("error.generic") : t("error.title");
  const message = (isRouteErrorResponse(error) && messageOf(error.data)) || fallback;
  // A form refused for a stale token comes back with what was typed in it.
  const resend = isRouteErrorResponse(error) ? resendOf(error.data) : null;
  return (
    <div className="error-page">
      <Heading level={1} data-size="lg">
        {t(resend ? "error.staleFormTitle" : (TITLES[status] ?? "error.title"))}
      </Heading>
      <Paragraph data-size="lg">{message}</Paragraph>
      {resend ? <ResendForm resend={resend} /> : null}
      <Paragraph data-size="sm" className="muted">
        {t("error.status", { status })}
      </Paragraph>
      <Paragraph>
        <Link to="/" className="ds-link">
          {t("error.backHome")}
        </Link>
      </Paragraph>
    </div>
  );
}
