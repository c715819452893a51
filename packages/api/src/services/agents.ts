import type { Db } from "../context";
import { DomainError } from "../errors";
import { hashToken, newToken } from "../tokens";

/** An admin makes a one-time enrollment token; only its hash is kept. */
/** A collector token enrolls an agent that may ship the TSM server's own records (dsmadmc). */
export async function createEnrollmentToken(
  db: Db,
  args: { createdBy: string; note: string | null; ttlHours: number; collector?: boolean; now: Date },
) {
  const token = newToken("fwe");
  const row = await db.enrollmentToken.create({
    data: {
      tokenHash: hashToken(token),
      note: args.note,
      createdBy: args.createdBy,
      collector: args.collector ?? false,
      expiresAt: new Date(args.now.getTime() + args.ttlHours * 3_600_000),
    },
    select: { id: true, expiresAt: true, collector: true },
  });
  return { id: row.id, token, expiresAt: row.expiresAt, collector: row.collector };
}

/** An agent trades a one-time enrollment token for its own long-lived credential. */
export async function enrollAgent(db: Db, args: { enrollmentToken: string; name: string; now: Date }) {
  return db.$transaction(async (tx) => {
    const enrollment = await tx.enrollmentToken.findUnique({
      where: { tokenHash: hashToken(args.enrollmentToken) },
      select: { id: true, usedAt: true, expiresAt: true, collector: true },
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
    return { agentId: agent.id, token, collector: enrollment.collector };
  });
}
