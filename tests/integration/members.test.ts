// Members of associations on real PostgreSQL: register, invite, accept by
// signing in, remove, hand over the leader role, never without a leader, and
// nobody outside an association sees or changes it.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestSignIn, signInWithLink } from "../../app/accounts/sign-in.server";
import { registerAssociation } from "../../app/associations/associations.server";
import {
  handOverLeadership,
  INVITATION_DAYS,
  INVITATIONS_PER_HOUR,
  inviteMember,
  listMyAssociations,
  removeMember,
  viewAssociation,
  withdrawInvitation,
} from "../../app/associations/members.server";
import { Forbidden, InvalidInput, LastLeader, NotFound, TooManyRequests } from "../../app/errors/domain-errors";
import { createTestDb, dropTestDb, type TestDb } from "../helpers/db";
import { makeAssociation, makeUser, withCheckDigit } from "../helpers/fixtures";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => dropTestDb(t));

const NOW = new Date("2027-04-01T09:00:00Z");
let orgBase = 40_000_000;
const orgNumber = () => {
    orgBase += 11;
    return withCheckDigit(String(orgBase));
  };

async function roles(associationId: number) {
  const rows = await t.db.selectFrom("memberships").select(["user_id", "role"]).where("association_id", "=", associationId).orderBy("user_id").execute();
  return Object.fromEntries(rows.map((r) => [r.user_id, r.role]));
}

async function withMember() {
  const { association, leader } = await makeAssociation(t.db);
  const member = await makeUser(t.db, "Medlem");
  await t.db.insertInto("memberships").values({ association_id: association.id, user_id: member.id, role: "member" }).execute();
  return { association, leader, member };
}

describe("registering and listing", () => {
  it("makes the registrant leader; a person sees each association they belong to, with their role", async () => {
    const person = await makeUser(t.db, "Registrerer");
    const a = await registerAssociation(t.db, { name: "Bokklubben", orgNumber: orgNumber(), contactEmail: "bok@example.org", leaderId: person.id });
    const { association: b } = await makeAssociation(t.db);
    await t.db.insertInto("memberships").values({ association_id: b.id, user_id: person.id, role: "member" }).execute();
    const mine = await listMyAssociations(t.db, person.id);
    expect(mine).toEqual(
      expect.arrayContaining([
        { id: a.id, name: "Bokklubben", verified: false, rejected: false, role: "leader" },
        { id: b.id, name: b.name, verified: true, rejected: false, role: "member" },
      ]),
    );
    expect(mine).toHaveLength(2);
  });
});

describe("seeing an association", () => {
  it("shows that the municipality rejected it, and why, to its members", async () => {
    const { association, leader } = await withMember();
    expect((await viewAssociation(t.db, leader.id, association.id, NOW)).association.rejectionReason).toBeNull();
    await t.db.updateTable("associations").set({ verified: false, rejected_at: NOW, rejection_reason: "Ikke en forening" }).where("id", "=", association.id).execute();
    expect((await viewAssociation(t.db, leader.id, association.id, NOW)).association).toMatchObject({ verified: false, rejectionReason: "Ikke en forening" });
    expect((await listMyAssociations(t.db, leader.id)).find((a) => a.id === association.id)).toMatchObject({ rejected: true });
  });

  it("shows members to members, addresses and invitations only to leaders", async () => {
    const { association, leader, member } = await withMember();
    await inviteMember(t.db, { actorId: leader.id, associationId: association.id, email: "ny@example.org" }, NOW);

    const asLeader = await viewAssociation(t.db, leader.id, association.id, NOW);
    expect(asLeader.myRole).toBe("leader");
    expect(asLeader.members.map((m) => [m.userId, m.role, m.email])).toEqual([
      [leader.id, "leader", leader.email],
      [member.id, "member", member.email],
    ]);
    expect(asLeader.invitations.map((i) => i.email)).toEqual(["ny@example.org"]);

    const asMember = await viewAssociation(t.db, member.id, association.id, NOW);
    expect(asMember.myRole).toBe("member");
    expect(asMember.members.map((m) => m.email)).toEqual([null, member.email]);
    expect(asMember.invitations).toEqual([]);
  });

  it("is NotFound for anyone outside, also for associations that do not exist", async () => {
    const { association } = await withMember();
    const { leader: otherLeader } = await makeAssociation(t.db);
    await expect(viewAssociation(t.db, otherLeader.id, association.id, NOW)).rejects.toBeInstanceOf(NotFound);
    await expect(viewAssociation(t.db, otherLeader.id, 999_999, NOW)).rejects.toBeInstanceOf(NotFound);
  });

  it("lets an owner admin read it (they verify associations)", async () => {
    const { association } = await withMember();
    const admin = await makeUser(t.db, "Admin");
    const owner = await t.db.insertInto("owners").values({ name: "K", slug: `k-${admin.id}` }).returning("id").executeTakeFirstOrThrow();
    await t.db.insertInto("owner_admins").values({ owner_id: owner.id, user_id: admin.id }).execute();
    const view = await viewAssociation(t.db, admin.id, association.id, NOW);
    expect(view.myRole).toBeNull();
    expect(view.members.length).toBe(2);
    await expect(inviteMember(t.db, { actorId: admin.id, associationId: association.id, email: "x@example.org" }, NOW)).rejects.toBeInstanceOf(NotFound);
  });
});

describe("inviting", () => {
  it("queues an invitation mail in the same transaction, and signing in with the address makes a member", async () => {
    const { association, leader } = await withMember();
    await t.db.updateTable("users").set({ name: "Lise Leder", locale: "en" }).where("id", "=", leader.id).execute();
    const email = `invitert${association.id}@example.org`;
    await inviteMember(t.db, { actorId: leader.id, associationId: association.id, email }, NOW);
    const mail = await t.db.selectFrom("outbox").select(["kind", "payload"]).where("recipient", "=", email).executeTakeFirstOrThrow();
    expect(mail.kind).toBe("association-invitation");
    expect(mail.payload).toEqual({
      associationName: association.name,
      invitedBy: "Lise Leder",
      url: `http://localhost:3000/signin?email=${encodeURIComponent(email)}&next=%2Fassociations%2F${association.id}`,
      expiresDays: INVITATION_DAYS,
      locale: "en",
    });

    // Signing in with the address (any case) accepts it.
    await requestSignIn(t.db, { email: email.toUpperCase(), locale: "nb", client: "192.0.2.200" }, NOW);
    const signInMail = await t.db.selectFrom("outbox").select("payload").where("kind", "=", "sign-in").where("recipient", "=", email).executeTakeFirstOrThrow();
    const token = new URL((signInMail.payload as { url: string }).url).searchParams.get("token")!;
    const signedIn = await signInWithLink(t.db, token, NOW);
    expect(signedIn.joined).toEqual([association.id]);
    expect((await roles(association.id))[signedIn.user.id]).toBe("member");
    expect(await t.db.selectFrom("invitations").select("id").where("email", "=", email).execute()).toEqual([]);
  });

  it("does not accept an expired invitation", async () => {
    const { association, leader } = await withMember();
    const email = `sen${association.id}@example.org`;
    await inviteMember(t.db, { actorId: leader.id, associationId: association.id, email }, NOW);
    const late = new Date(NOW.getTime() + (INVITATION_DAYS * 86_400 + 1) * 1000);
    await requestSignIn(t.db, { email, locale: "nb", client: "192.0.2.201" }, late);
    const signInMail = await t.db.selectFrom("outbox").select("payload").where("kind", "=", "sign-in").where("recipient", "=", email).executeTakeFirstOrThrow();
    const signedIn = await signInWithLink(t.db, new URL((signInMail.payload as { url: string }).url).searchParams.get("token")!, late);
    expect(signedIn.joined).toEqual([]);
    expect((await roles(association.id))[signedIn.user.id]).toBeUndefined();
  });

  it("refuses members, non-leaders and outsiders; a bad address beside the field", async () => {
    const { association, leader, member } = await withMember();
    const { leader: outsider } = await makeAssociation(t.db);
    const invite = (actorId: number, email: string) => inviteMember(t.db, { actorId, associationId: association.id, email }, NOW);
    const already = await invite(leader.id, member.email.toUpperCase()).catch((e) => e);
    expect(already).toBeInstanceOf(InvalidInput);
    expect(already.fields).toEqual({ email: "alreadyMember" });
    expect((await invite(leader.id, "nope").catch((e) => e)).fields).toEqual({ email: "invalidEmail" });
    await expect(invite(member.id, "a@example.org")).rejects.toBeInstanceOf(Forbidden);
    await expect(invite(outsider.id, "a@example.org")).rejects.toBeInstanceOf(NotFound);
    const sent = await t.db.selectFrom("invitations").select("email").where("association_id", "=", association.id).execute();
    expect(sent).toEqual([]);
  });

  it("re-inviting renews one invitation; withdrawing removes it", async () => {
    const { association, leader } = await withMember();
    const email = `to-ganger${association.id}@example.org`;
    await inviteMember(t.db, { actorId: leader.id, associationId: association.id, email }, NOW);
    const later = new Date(NOW.getTime() + 86_400_000);
    await inviteMember(t.db, { actorId: leader.id, associationId: association.id, email }, later);
    const rows = await t.db.selectFrom("invitations").select("expires_at").where("association_id", "=", association.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.expires_at.getTime()).toBe(later.getTime() + INVITATION_DAYS * 86_400_000);
    await withdrawInvitation(t.db, { actorId: leader.id, associationId: association.id, email });
    expect(await t.db.selectFrom("invitations").select("id").where("association_id", "=", association.id).execute()).toEqual([]);
  });

  it(`limits a leader to ${INVITATIONS_PER_HOUR} invitations an hour`, async () => {
    const { association, leader } = await withMember();
    const at = new Date("2027-05-01T10:00:00Z");
    for (let i = 0; i < INVITATIONS_PER_HOUR; i++) {
      await inviteMember(t.db, { actorId: leader.id, associationId: association.id, email: `spam${i}@example.org` }, at);
    }
    await expect(inviteMember(t.db, { actorId: leader.id, associationId: association.id, email: "one-more@example.org" }, at)).rejects.toBeInstanceOf(TooManyRequests);
  });
});

describe("removing and handing over", () => {
  it("a leader removes a member; a member may leave; a member may not remove others", async () => {
    const { association, leader, member } = await withMember();
    const second = await makeUser(t.db);
    await t.db.insertInto("memberships").values({ association_id: association.id, user_id: second.id, role: "member" }).execute();
    await expect(removeMember(t.db, { actorId: member.id, associationId: association.id, userId: second.id })).rejects.toBeInstanceOf(Forbidden);
    await removeMember(t.db, { actorId: leader.id, associationId: association.id, userId: second.id });
    await removeMember(t.db, { actorId: member.id, associationId: association.id, userId: member.id });
    expect(await roles(association.id)).toEqual({ [leader.id]: "leader" });
    // Removing them again (another leader was first, a second tab) names the person, not a missing page.
    expect((await removeMember(t.db, { actorId: leader.id, associationId: association.id, userId: member.id }).catch((e) => e)).fields).toEqual({ userId: "notMember" });
  });

  it("the last leader can neither leave nor be removed; with two leaders one may go", async () => {
    const { association, leader, member } = await withMember();
    await expect(removeMember(t.db, { actorId: leader.id, associationId: association.id, userId: leader.id })).rejects.toBeInstanceOf(LastLeader);
    await t.db.updateTable("memberships").set({ role: "leader" }).where("user_id", "=", member.id).where("association_id", "=", association.id).execute();
    await removeMember(t.db, { actorId: member.id, associationId: association.id, userId: leader.id });
    expect(await roles(association.id)).toEqual({ [member.id]: "leader" });
  });

  it("hands the leader role over: the other becomes leader, the giver a member", async () => {
    const { association, leader, member } = await withMember();
    await handOverLeadership(t.db, { actorId: leader.id, associationId: association.id, userId: member.id });
    expect(await roles(association.id)).toEqual({ [leader.id]: "member", [member.id]: "leader" });
    // The former leader can no longer manage members.
    await expect(removeMember(t.db, { actorId: leader.id, associationId: association.id, userId: member.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(handOverLeadership(t.db, { actorId: leader.id, associationId: association.id, userId: member.id })).rejects.toBeInstanceOf(Forbidden);
  });

  it("refuses handing over to oneself, to a leader, or to someone outside", async () => {
    const { association, leader } = await withMember();
    const stranger = await makeUser(t.db);
    expect((await handOverLeadership(t.db, { actorId: leader.id, associationId: association.id, userId: leader.id }).catch((e) => e)).fields).toEqual({ userId: "alreadyLeader" });
    expect((await handOverLeadership(t.db, { actorId: leader.id, associationId: association.id, userId: stranger.id }).catch((e) => e)).fields).toEqual({ userId: "notMember" });
    expect((await roles(association.id))[leader.id]).toBe("leader");
  });

  it("two leaders removing each other at once leave one leader, never none", async () => {
    for (let round = 0; round < 5; round++) {
      const { association, leader, member } = await withMember();
      await t.db.updateTable("memberships").set({ role: "leader" }).where("user_id", "=", member.id).where("association_id", "=", association.id).execute();
      const results = await Promise.allSettled([
        removeMember(t.db, { actorId: leader.id, associationId: association.id, userId: member.id }),
        removeMember(t.db, { actorId: member.id, associationId: association.id, userId: leader.id }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      // The loser was removed first, so it is no longer a member (NotFound: the association is none of its business now); or it lost on the last-leader rule.
      expect(rejected.reason instanceof NotFound || rejected.reason instanceof LastLeader).toBe(true);
      expect(Object.values(await roles(association.id))).toEqual(["leader"]);
    }
  });

  it("the database itself refuses an association without a leader", async () => {
    const { association, leader } = await withMember();
    await expect(sql`DELETE FROM memberships WHERE association_id = ${association.id} AND user_id = ${leader.id}`.execute(t.db)).rejects.toMatchObject({
      code: "23514",
      constraint: "memberships_keep_a_leader",
    });
    await expect(sql`UPDATE memberships SET role = 'member' WHERE association_id = ${association.id}`.execute(t.db)).rejects.toMatchObject({ code: "23514" });
    expect((await roles(association.id))[leader.id]).toBe("leader");
    // Deleting the whole association is fine.
    await sql`DELETE FROM associations WHERE id = ${association.id}`.execute(t.db);
  });
});

describe("across associations", () => {
  it("a leader of A can neither see, invite to, remove from nor hand over in B", async () => {
    const a = await withMember();
    const b = await withMember();
    const actor = a.leader.id;
    const target = { associationId: b.association.id };
    await expect(viewAssociation(t.db, actor, b.association.id, NOW)).rejects.toBeInstanceOf(NotFound);
    await expect(inviteMember(t.db, { actorId: actor, ...target, email: "x@example.org" }, NOW)).rejects.toBeInstanceOf(NotFound);
    await expect(withdrawInvitation(t.db, { actorId: actor, ...target, email: "x@example.org" })).rejects.toBeInstanceOf(NotFound);
    await expect(removeMember(t.db, { actorId: actor, ...target, userId: b.member.id })).rejects.toBeInstanceOf(NotFound);
    await expect(handOverLeadership(t.db, { actorId: actor, ...target, userId: b.member.id })).rejects.toBeInstanceOf(NotFound);
    // Naming B's member while acting in A: not A's member.
    expect((await removeMember(t.db, { actorId: actor, associationId: a.association.id, userId: b.member.id }).catch((e) => e)).fields).toEqual({ userId: "notMember" });
    expect(await roles(b.association.id)).toEqual({ [b.leader.id]: "leader", [b.member.id]: "member" });
  });
});
