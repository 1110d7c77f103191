// After a booking has started, the caretaker (or an admin of the owner)
// records how many came, or that nobody did (a no-show). Utilisation reports
// read both; an association's no-shows are shown beside its next requests.
// Either may be corrected later; recording one clears the other.
import type { Database } from "db/client";
import type { Booking } from "db/schema";
import { managesSite } from "~/accounts/authorization.server";
import { lockBooking, writeAudit } from "~/booking/booking-repository.server";
import { cleanId, cleanUuid } from "~/booking/request";
import { AttendanceTooEarly, Forbidden, InvalidInput, InvalidTransition, NotFound } from "~/errors/domain-errors";
import { setAttendance } from "./block-repository.server";
import { MAX_ATTENDANCE } from "./limits";

export interface AttendanceRequest {
  actorId: number;
  bookingId: string;
  /** The head count, 0..10 000 (a form sends it as text). */
  attendance?: number | string;
  /** Nobody came. */
  noShow?: boolean;
}

/** What is recorded: a head count, or a no-show, never both. */
function cleanAttendance(req: AttendanceRequest): { attendance: number | null; noShow: boolean } {
  const given = req.attendance !== undefined && req.attendance !== null && req.attendance !== "";
  if (req.noShow === true) {
    if (given) throw new InvalidInput({ attendance: "attendanceOrNoShow" });
    return { attendance: null, noShow: true };
  }
  if (!given) throw new InvalidInput({ attendance: "required" });
  const raw = req.attendance;
  const n = typeof raw === "string" && /^\s*\d{1,9}\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_ATTENDANCE) throw new InvalidInput({ attendance: "attendanceRange" });
  return { attendance: n, noShow: false };
}

export async function recordAttendance(db: Database, req: AttendanceRequest, now: Date): Promise<Booking> {
  const actorId = cleanId("actorId", req.actorId);
  const bookingId = cleanUuid("bookingId", req.bookingId);
  const value = cleanAttendance(req);
  return db.transaction().execute(async (trx) => {
    const locked = await lockBooking(trx, bookingId);
    // Blocked time has nobody to count.
    if (locked?.kind !== "booking") throw new NotFound("booking");
    if (!(await managesSite(trx, actorId, locked.site_id))) throw new Forbidden();
    if (locked.status !== "confirmed") throw new InvalidTransition(locked.status, "attendance");
    if (locked.starts_at.getTime() > now.getTime()) throw new AttendanceTooEarly();
    const { site_id: _s, owner_id: _o, ...before } = locked;
    if (before.attendance === value.attendance && before.no_show === value.noShow) return before;
    const after = await setAttendance(trx, bookingId, value);
    await writeAudit(trx, actorId, "booking", bookingId, "attendance", before, after);
    return after;
  });
}
