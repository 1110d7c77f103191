// Subscription addresses: the same feed as https:// (to paste) and webcal://
// (a link that opens the calendar app and subscribes).
export interface FeedLinks {
  https: string;
  webcal: string;
}

function links(https: string): FeedLinks {
  return { https, webcal: https.replace(/^https?:/, "webcal:") };
}

/** `publicUrl` without a trailing slash, e.g. https://flokk.example. */
export function venueFeedLinks(publicUrl: string, slug: string): FeedLinks {
  return links(`${publicUrl}/feeds/venues/${encodeURIComponent(slug)}.ics`);
}

export function tokenFeedLinks(publicUrl: string, token: string): FeedLinks {
  return links(`${publicUrl}/feeds/t/${encodeURIComponent(token)}.ics`);
}
