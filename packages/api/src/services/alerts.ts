import type { Caller } from "../caller";
import type { Db } from "../context";
import { DomainError, notFound } from "../errors";
import { audit } from "./audit";

export async function listAlerts(db: Db, args: { status: "open" | "all"; page: number; pageSize: number; nodeId?: string }) {
  const where = { ...(args.status === "open" ? { clearedAt: null } : {}), ...(args.nodeId ? { nodeId: args.nodeId } : {}) };
  const [total, rows] = await Promise.all([
    db.alert.count({ where }),
    db.alert.findMany({
      where,
      // Alerts raised in one judge run share an instant: the id keeps pages stable between reads.
      orderBy: [{ raisedAt: "desc" }, { id: "asc" }],
      skip: (args.page - 1) * args.pageSize,
      take: args.pageSize,
      select: {
        id: true,
        kind: true,
        severity: true,
        title: true,
        body: true,
        raisedAt: true,
        clearedAt: true,
        acknowledgedAt: true,
        acknowledgedBy: true,
        node: { select: { id: true, name: true } },
        deliveries: { select: { channel: true, target: true, status: true, attempts: true, lastError: true, deliveredAt: true } },
      },
    }),
  ]);
  return { total, page: args.page, pageSize: args.pageSize, rows };
}

export async function acknowledgeAlert(db: Db, caller: Caller, args: { alertId: string; now: Date }) {
  return db.$transaction(async (tx) => {
    const alert = await tx.alert.findUnique({ where: { id: args.alertId }, select: { id: true, title: true, acknowledgedAt: true } });
    if (!alert) throw notFound("alert");
    if (alert.acknowledgedAt) throw new DomainError("CONFLICT", "this alert is already acknowledged");
    const by = caller.kind === "user" ? caller.email : "system";
    await tx.alert.update({ where: { id: alert.id }, data: { acknowledgedAt: args.now, acknowledgedBy: by } });
    await audit(tx, caller, { action: "alert.acknowledge", targetType: "alert", targetId: alert.id, detail: { title: alert.title } });
    return { id: alert.id, acknowledgedAt: args.now, acknowledgedBy: by };
  });
}
