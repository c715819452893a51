import type { Db } from "../context";

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
    },
  });
  return agents;
}
