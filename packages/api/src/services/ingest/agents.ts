import type { Caller } from "../../caller";
import type { Db } from "../../context";
import { DomainError } from "../../errors";
import { hashToken, newToken } from "../../tokens";
import { audit } from "../admin/audit";

/** An admin makes a one-time enrollment token; only its hash is kept. */
/** A collector token enrolls an agent that may ship the TSM server's own records (dsmadmc). */
export async function createEnrollmentToken(
  db: Db,
  args: { createdBy: string; note: string | null; ttlHours: number; collector?: boolean; now: Date; caller?: Caller },
) {
  const token = newToken("fwe");
  return db.$transaction(async (tx) => {
    const row = await tx.enrollmentToken.create({
      data: {
        tokenHash: hashToken(token),
        note: args.note,
        createdBy: args.createdBy,
        collector: args.collector ?? false,
        expiresAt: new Date(args.now.getTime() + args.ttlHours * 3_600_000),
      },
      select: { id: true, expiresAt: true, collector: true },
    });
    // Who made a credential that can enroll an agent, and what it allows (never the token itself).
    await audit(tx, args.caller ?? { kind: "anonymous" }, {
      action: "enrollment-token.create",
      targetType: "enrollment-token",
      targetId: row.id,
      actor: args.caller ? undefined : args.createdBy,
      reason: args.note,
      detail: {
        before: null,
        after: { note: args.note, collector: row.collector, expiresAt: row.expiresAt.toISOString(), used: false },
      },
    });
    return { id: row.id, token, expiresAt: row.expiresAt, collector: row.collector };
  });
}

/** An agent trades a one-time enrollment token for its own long-lived credential. */
export async function enrollAgent(db: Db, args: { enrollmentToken: string; name: string; now: Date }) {
  return db.$transaction(async (tx) => {
    const enrollment = await tx.enrollmentToken.findUnique({
      where: { tokenHash: hashToken(args.enrollmentToken) },
      select: { id: true, usedAt: true, expiresAt: true, collector: true, note: true, createdBy: true },
    });
    if (!enrollment || enrollment.usedAt || enrollment.expiresAt <= args.now) {
      throw new DomainError("UNAUTHORIZED", "enrollment token is unknown, used or expired; ask an admin for a new one");
    }
    const token = newToken("fwa");
    const agent = await tx.agent.create({
      data: { name: args.name, tokenHash: hashToken(token), collector: enrollment.collector },
      select: { id: true },
    });
    // Conditional update: two agents racing with one token cannot both win.
    const { count } = await tx.enrollmentToken.updateMany({
      where: { id: enrollment.id, usedAt: null },
      data: { usedAt: args.now, agentId: agent.id },
    });
    if (count !== 1) throw new DomainError("CONFLICT", "enrollment token was used by another agent");
    // The new agent is the actor; the token (and who made it) is what let it in.
    await audit(
      tx,
      { kind: "agent", agentId: agent.id, machineRef: null, collector: enrollment.collector },
      {
        action: "agent.enroll",
        targetType: "agent",
        targetId: agent.id,
        detail: {
          name: args.name,
          token: { id: enrollment.id, note: enrollment.note, createdBy: enrollment.createdBy },
          before: { token: "unused", agent: null },
          after: { token: "used", agent: { name: args.name, collector: enrollment.collector, enrolledAt: args.now.toISOString() } },
        },
      },
    );
    return { agentId: agent.id, token, collector: enrollment.collector };
  });
}
