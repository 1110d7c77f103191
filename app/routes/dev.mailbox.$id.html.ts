// GET /dev/mailbox/:id/html — the HTML part alone, for the sandboxed frame on
// the message page. Its own CSP: nothing runs, nothing loads, only our pages may frame it.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { mailboxMessageFor } from "~/notifications/mailbox.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { message } = await mailboxMessageFor(request, context, params.id);
  return new Response(message.mail?.html ?? "", {
    status: message.mail ? 200 : 404,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    },
  });
}
