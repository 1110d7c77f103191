// GET /bookings/:id.ics[?token=…] — one booking as a calendar file. Without a
// token only public bookings (public projection); sign-in will open the rest.
import type { LoaderFunctionArgs } from "@remix-run/node";
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
    const answer = await bookingCalendar(getDb(), { bookingId, token, now: new Date(), ...conditional(request) });
    return calendarResponse(answer, { download: `flokk-${bookingId}.ics` });
  } catch (e) {
    if (e instanceof NotFound) return calendarNotFound();
    throw errorResponse(e, pickLanguage(request));
  }
}
