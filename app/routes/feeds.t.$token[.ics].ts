// GET /feeds/t/:token.ics — a subscription opened by its capability token.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarNotFound, calendarResponse, conditional } from "~/calendar/http.server";
import { tokenFeed } from "~/calendar/feeds.server";
import { getDb } from "~/db.server";
import { NotFound } from "~/errors/domain-errors";
import { errorResponse } from "~/errors/http";
import { pickLanguage } from "~/i18n";

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const answer = await tokenFeed(getDb(), { token: params.token ?? "", now: new Date(), ...conditional(request) });
    return calendarResponse(answer);
  } catch (e) {
    if (e instanceof NotFound) return calendarNotFound();
    throw errorResponse(e, pickLanguage(request));
  }
}
