// The question asked before a change to an association's members that cannot
// simply be undone: removing someone (they need a new invitation to come
// back), leaving, and handing over the leader role (the leader becomes an
// ordinary member). Asking changes nothing; the confirmed form goes to
// removeMember / handOverLeadership, which decide under a lock as always.
//
// The person is named from what the page shows (viewAssociation), never from
// the form. Changes the domain would refuse are refused here already, by the
// domain's own rule (memberChangeRefusal) on what the page shows, so that
// nobody is asked to confirm what cannot happen (the only leader leaving,
// someone no longer on the list); this only foresees the answer and grants
// nothing.
import type { Kysely } from "kysely";
import type { DB } from "db/schema";
import { InvalidInput } from "~/errors/domain-errors";
import { type MemberChange, memberChangeRefusal, viewAssociation } from "./members.server";

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
  const target = view.members.find((m) => m.userId === req.userId);
  const self = req.userId === req.actorId;
  const refusal = memberChangeRefusal(intent, {
    // An owner admin may read the page but is no member.
    actorRole: view.myRole,
    self,
    targetRole: target?.role ?? null,
    leaders: view.members.filter((m) => m.role === "leader").length,
  });
  // Someone not on the list is always refused (notMember); the second test is for the type.
  if (refusal || !target) throw refusal ?? new InvalidInput({ userId: "notMember" });
  return { change: intent === "remove" && self ? "leave" : intent, userId: target.userId, name: target.name, email: target.email };
}
