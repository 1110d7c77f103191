// GET /bookings/:id.ics[?token=…] — one booking as a calendar file: with a
// subscription token whose feed holds it; else to the signed-in person who may
// see the booking (members of its association, caretakers and admins of its
// site); else only a public booking (public projection). Everyone else gets
// the same 404 as an unknown booking.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/accounts/session.server";
import { bookingCalendar } from "~/calendar/feeds.server";
import { calendarNotFound, calendarResponse, conditional } from "~/calendar/http.server";
import { getDb } from "~/db.server";
import { NotFound } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const token = new URL(request.url).searchParams.get("token");
    const bookingId = params.id ?? "";
    // The token, when there is one, decides alone (as for feeds).
    const user = token === null ? await getUser(request) : null;
    const viewer = user ? { id: user.id, locale: user.locale } : null;
    const answer = await bookingCalendar(getDb(), { bookingId, token, viewer, now: new Date(), ...conditional(request) });
    return calendarResponse(answer, { download: `flokk-${bookingId}.ics` });
  } catch (e) {
    if (e instanceof NotFound) return calendarNotFound();
    throw errorResponse(e, pickLanguage(request));
  }
}
