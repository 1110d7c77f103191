// Words in calendar entries that several feeds and the invitation share.

/** LOCATION: the venue and the site's address, on one line. */
export function bookingLocation(venue: string, address: string): string {
  return address.trim() ? `${venue}, ${address.trim()}` : venue;
}
