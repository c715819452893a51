import type { Db } from "../../context";
import { fromStoredOutcome } from "../window-outcome";

/** The latest reported windows across the fleet, newest first. */
export async function recentWindows(db: Db, args: { limit: number }) {
  const rows = await db.window.findMany({
    where: { node: { deregisteredAt: null } },
    orderBy: { scheduledStart: "desc" },
    take: args.limit,
    select: {
      id: true,
      schedule: true,
      scheduledStart: true,
      localStart: true,
      outcome: true,
      returnCode: true,
      cause: true,
      benign: true,
      objectsFailed: true,
      node: { select: { id: true, name: true } },
    },
  });
  return rows.map((w) => ({
    ...w,
    outcome: fromStoredOutcome(w.outcome),
    objectsFailed: w.objectsFailed === null ? null : Number(w.objectsFailed),
  }));
}

/** Nodes by their last outcome: the overview's headline counts. */
export async function outcomeCounts(db: Db) {
  const [groups, deregistered, total] = await Promise.all([
    db.node.groupBy({ by: ["lastOutcome"], where: { deregisteredAt: null }, _count: { _all: true } }),
    db.node.count({ where: { deregisteredAt: { not: null } } }),
    db.node.count({ where: { deregisteredAt: null } }),
  ]);
  const byOutcome: Record<string, number> = {};
  for (const g of groups) byOutcome[g.lastOutcome ? fromStoredOutcome(g.lastOutcome) : "none"] = g._count._all;
  return { total, deregistered, byOutcome };
}
