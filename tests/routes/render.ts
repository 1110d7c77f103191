// Server-renders a route component inside a data router, the way Remix does
// on the server, so a test can read the HTML a person (or a screen reader)
// gets without JavaScript. Only the root route's data is faked: the language.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { type ComponentType, createElement } from "react";
import { renderToString } from "react-dom/server";
import { Outlet } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { pickLanguage } from "../../app/i18n";

/**
 * `post`: the page's action and the form sent to it, as a same-origin POST
 * (the headers must carry the session and CSRF cookies): the page is then
 * rendered with the action's reply, as after a form sent without JavaScript.
 */
export async function renderPage(
  path: string,
  page: { loader: (args: LoaderFunctionArgs) => Promise<unknown>; Component: ComponentType },
  headers: Record<string, string> = {},
  post?: { action: (args: ActionFunctionArgs) => Promise<unknown>; body: URLSearchParams },
): Promise<{ status: number; html: string }> {
  const routes = [
    {
      id: "root",
      path: "/",
      loader: ({ request }: { request: Request }) => ({ lang: pickLanguage(request).code }),
      element: createElement(Outlet),
      children: [{ id: "page", index: true, loader: page.loader as never, action: post?.action as never, element: createElement(page.Component) }],
    },
  ];
  const handler = createStaticHandler(routes);
  const request = post
    ? new Request(`http://localhost${path}${path.includes("?") ? "&" : "?"}index`, {
        method: "POST",
        body: post.body,
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost", "Sec-Fetch-Site": "same-origin" },
      })
    : new Request(`http://localhost${path}`, { headers });
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`the loader answered ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
  return { status: context.statusCode, html };
}
