// The question asked before a change to an association's members that cannot
// simply be undone: removing someone (they need a new invitation to come
// back), leaving, and handing over the leader role (the leader becomes an
// ordinary member). Asking changes nothing; the confirmed form goes to
// removeMember / handOverLeadership, which decide under a lock as always.
//
// The person is named from what the page shows (viewAssociation), never from
// the form. Changes the domain would refuse are refused here already, in its
// words, so that nobody is asked to confirm what cannot happen (the only
// leader leaving, someone no longer on the list); this only foresees the
// domain's answer and grants nothing.
import type { Kysely } from "kysely";
import type { DB } from "db/schema";
import { Forbidden, InvalidInput, LastLeader, NotFound } from "~/errors/domain-errors";
import { type MemberChange, viewAssociation } from "./members.server";

export type ConfirmableChange = "remove" | "leave" | "handOver";

export interface ChangeToConfirm {
  change: ConfirmableChange;
  userId: number;
  /** As the member list has them: the name may be empty (not given yet), the address only for leaders and oneself. */
  name: string;
  email: string | null;
}

/** What to ask before `intent` ("remove", which is "leave" for oneself, or "handOver") of `userId`. */
export async function changeToConfirm(db: Kysely<DB>, intent: "remove" | "handOver", req: MemberChange & { userId: number }, now: Date): Promise<ChangeToConfirm> {
  const view = await viewAssociation(db, req.actorId, req.associationId, now);
  // An owner admin may read the page but is no member: the domain answers NotFound.
  if (view.myRole === null) throw new NotFound("association");
  const self = req.userId === req.actorId;
  if (view.myRole !== "leader" && (intent === "handOver" || !self)) throw new Forbidden();
  const target = view.members.find((m) => m.userId === req.userId);
  if (!target) throw new InvalidInput({ userId: "notMember" });
  if (intent === "handOver" && target.role === "leader") throw new InvalidInput({ userId: "alreadyLeader" });
  if (intent === "remove" && target.role === "leader" && view.members.filter((m) => m.role === "leader").length <= 1) throw new LastLeader();
  return { change: intent === "remove" && self ? "leave" : intent, userId: target.userId, name: target.name, email: target.email };
}
