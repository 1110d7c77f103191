// Server-renders a route component inside a data router, the way Remix does
// on the server, so a test can read the HTML a person (or a screen reader)
// gets without JavaScript. Only the root route's data is faked: the language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { type ComponentType, createElement } from "react";
import { renderToString } from "react-dom/server";
import { Outlet } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { pickLanguage } from "../../app/i18n";

export async function renderPage(
  path: string,
  page: { loader: (args: LoaderFunctionArgs) => Promise<unknown>; Component: ComponentType },
  headers: Record<string, string> = {},
): Promise<{ status: number; html: string }> {
  const routes = [
    {
      id: "root",
      path: "/",
      loader: ({ request }: { request: Request }) => ({ lang: pickLanguage(request).code }),
      element: createElement(Outlet),
      children: [{ id: "page", index: true, loader: page.loader as never, element: createElement(page.Component) }],
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${path}`, { headers }));
  if (context instanceof Response) throw new Error(`the loader answered ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false }));
  return { status: context.statusCode, html };
}
