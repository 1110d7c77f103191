// Booking and series ids are UUIDv7: time-ordered, so new rows land at the
// right-hand edge of every index that holds them instead of on random pages
// (fewer page splits and full-page writes on the booking hot path). They
// reveal when a booking was created, which is not a secret here.
//
// Made from node:crypto's randomUUID, whose random bits come from a pool it
// refills in bulk: the uuid package's v7 asked the system for 16 random bytes
// on every id, which cost 5–25 µs an id, 8–10 % of the engine's time in Node
// (docs/decisions/005-booking-hot-path.md, "One parse, one check per batch").
import { randomUUID } from "node:crypto";

/**
 * A UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, the version, then
 * random bits. randomUUID's version 4 has the same layout after its first 48
 * bits, variant included; only the version digit differs. Within one
 * millisecond the order of ids is random, which the RFC allows.
 */
export function newId(ms: number = Date.now()): string {
  // 48 bits of milliseconds last until the year 10889; anything else would make a malformed id.
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`newId: ${ms} is not a time in milliseconds`);
  const v4 = randomUUID();
  const time = ms.toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8)}-7${v4.slice(15)}`;
}
