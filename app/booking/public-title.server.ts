// What the public may read of a booking (alias b): its title, when the
// association made it public and the municipality has verified the
// association. Anyone can register an association, and its first request's
// title showed at once in the municipality's public calendar (a security
// review put an advertisement there); until it is verified, its bookings show
// as busy. A verified association's pending and cancelled bookings keep their
// titles, as before: the status says what they are.
import { sql } from "kysely";

const BY_VERIFIED = sql<boolean>`EXISTS (SELECT 1 FROM associations pa WHERE pa.id = b.association_id AND pa.verified)`;

export const PUBLIC_TITLE = sql<string | null>`CASE WHEN b.is_public AND b.kind = 'booking' AND ${BY_VERIFIED} THEN b.title END`;

/** Whether the public may read the booking (alias b) on its own, as its .ics. */
export const PUBLICLY_ANNOUNCED = sql<boolean>`(b.is_public AND b.kind = 'booking' AND ${BY_VERIFIED})`;
