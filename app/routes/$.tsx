// Every path no other route takes: a 404 in the person's language. Without
// this route Remix answers such a path from the root alone, without running
// the root loader, and the page spoke the default language with the header
// signed out (components/error-page.tsx).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireValidForm } from "~/accounts/csrf.server";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";

function notFound(request: Request): never {
  throw errorResponse(new Response(null, { status: 404 }), pickLanguage(request));
}

export const loader = ({ request }: LoaderFunctionArgs) => notFound(request);

/** A form sent here is checked like every other (its token first), then finds nothing. */
export async function action({ request }: ActionFunctionArgs) {
  await requireValidForm(request);
  return notFound(request);
}

/** Never shown: the loader always throws, and the error page shows instead. */
export default function NoSuchPage() {
  return null;
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
