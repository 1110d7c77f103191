// Booking and series ids are UUIDv7: time-ordered, so new rows land at the
// right-hand edge of every index that holds them instead of on random pages
// (fewer page splits and full-page writes on the booking hot path). They
// reveal when a booking was created, which is not a secret here.
import { v7 } from "uuid";

export function newId(): string {
  return v7();
}
