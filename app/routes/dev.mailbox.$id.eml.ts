// GET /dev/mailbox/:id/eml — the whole message (MIME, calendar part and all) as
// the worker would send it, to open in a real mail or calendar client.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { mailboxEml, mailboxMessageFor } from "~/notifications/mailbox.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { message, settings } = await mailboxMessageFor(request, context, params.id);
  const eml = await mailboxEml(message, settings);
  if (!eml) return new Response("This message cannot be rendered.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(eml), {
    headers: {
      "Content-Type": "message/rfc822",
      "Content-Disposition": `attachment; filename="outbox-${message.id}.eml"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
}
