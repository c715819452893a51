import type { Caller } from "../../caller";
import type { Db } from "../../context";
import { DomainError, notFound } from "../../errors";
import { audit } from "./audit";
import { createUser } from "./users";

export async function auditLog(db: Db, args: { page: number; pageSize: number; targetId?: string }) {
  const where = args.targetId ? { targetId: args.targetId } : {};
  const [total, rows] = await Promise.all([
    db.auditLog.count({ where }),
    db.auditLog.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (args.page - 1) * args.pageSize,
      take: args.pageSize,
      select: { id: true, at: true, actorLabel: true, action: true, targetType: true, targetId: true, reason: true, detail: true },
    }),
  ]);
  return { total, page: args.page, pageSize: args.pageSize, rows: rows.map((r) => ({ ...r, id: String(r.id) })) };
}

export function listUsers(db: Db) {
  return db.user.findMany({
    orderBy: { email: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true, disabledAt: true },
  });
}

/** Enrollment tokens as a list: never the token itself, which was shown once. */
export function listEnrollmentTokens(db: Db) {
  return db.enrollmentToken.findMany({
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      note: true,
      createdBy: true,
      createdAt: true,
      expiresAt: true,
      usedAt: true,
      collector: true,
      agent: { select: { id: true, name: true } },
    },
  });
}

export async function listAgents(db: Db) {
  const agents = await db.agent.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      createdAt: true,
      lastSeenAt: true,
      revokedAt: true,
      collector: true,
      machine: { select: { hostname: true, os: true, clientVersion: true, nodes: { select: { id: true, name: true } } } },
      _count: { select: { rejectedRecords: true } },
      rejectedRecords: { orderBy: { at: "desc" }, take: 1, select: { at: true, kind: true, node: true, reason: true } },
    },
  });
  // "Agent X has N rejected records": what the server refused of its batches, the newest first.
  return agents.map(({ _count, rejectedRecords, ...agent }) => ({
    ...agent,
    rejectedRecords: _count.rejectedRecords,
    lastRejected: rejectedRecords[0] ?? null,
  }));
}

/**
 * Free an agent from its machine: its next batch binds it to the machine it reports, provided no
 * other live agent watches that machine. Moving an agent is an admin's act (a batch that claims
 * another machine is refused and audited).
 */
export async function unbindAgent(db: Db, caller: Caller, args: { agentId: string; reason: string }) {
  return db.$transaction(async (tx) => {
    const agent = await tx.agent.findUnique({
      where: { id: args.agentId },
      select: { id: true, name: true, machineRef: true, machine: { select: { hostname: true } } },
    });
    if (!agent) throw notFound("agent");
    if (!agent.machineRef) throw new DomainError("CONFLICT", `agent ${agent.name} is not bound to a machine`);
    await tx.agent.update({ where: { id: agent.id }, data: { machineRef: null } });
    await audit(tx, caller, {
      action: "agent.unbind",
      targetType: "agent",
      targetId: agent.id,
      reason: args.reason,
      detail: { name: agent.name, machine: agent.machine?.hostname ?? null },
    });
    return { id: agent.id };
  });
}

/** Revoke an agent's credential: its next request is refused; its nodes and history stay. */
export async function revokeAgent(db: Db, caller: Caller, args: { agentId: string; reason: string | null; now: Date }) {
  return db.$transaction(async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id: args.agentId }, select: { id: true, name: true, revokedAt: true } });
    if (!agent) throw notFound("agent");
    if (agent.revokedAt) throw new DomainError("CONFLICT", `agent ${agent.name} is already revoked`);
    await tx.agent.update({ where: { id: agent.id }, data: { revokedAt: args.now } });
    await audit(tx, caller, {
      action: "agent.revoke",
      targetType: "agent",
      targetId: agent.id,
      reason: args.reason,
      detail: { name: agent.name },
    });
    return { id: agent.id, revokedAt: args.now };
  });
}

/**
 * Disable or re-enable a user. A disabled user is refused at their next request, whatever their
 * session says. Nobody disables themselves, so the site always keeps an admin who can undo it.
 */
/** An admin makes a staff account: made, then audited (who made whom, with which role). */
export async function createStaffUser(db: Db, caller: Caller, args: Parameters<typeof createUser>[1]) {
  const user = await createUser(db, args);
  await audit(db, caller, { action: "user.create", targetType: "user", targetId: user.id, detail: { email: user.email, role: user.role } });
  return user;
}

export async function setUserDisabled(db: Db, caller: Caller, args: { userId: string; disabled: boolean; now: Date }) {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: args.userId }, select: { id: true, email: true, role: true, disabledAt: true } });
    if (!user) throw notFound("user");
    // The caller is an enabled admin: refusing their own account is what keeps one on the site.
    if (args.disabled && caller.kind === "user" && caller.userId === user.id) {
      throw new DomainError("CONFLICT", "you cannot disable your own account");
    }
    if (Boolean(user.disabledAt) === args.disabled) return { id: user.id, disabledAt: user.disabledAt };
    const disabledAt = args.disabled ? args.now : null;
    await tx.user.update({ where: { id: user.id }, data: { disabledAt } });
    await audit(tx, caller, {
      action: args.disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: user.id,
      detail: { email: user.email },
    });
    return { id: user.id, disabledAt };
  });
}
