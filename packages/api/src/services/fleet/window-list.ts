import type { WindowOutcome } from "@fleetwatch/core/schemas";
import type { Prisma } from "@fleetwatch/db/client";
import type { Db } from "../../context";
import { fromStoredOutcome, toStoredOutcome } from "../window-outcome";

/** Where the previous page ended: pages are read by key (time, then id), so a new row never shifts them. */
export interface KeyCursor {
  at: Date;
  id: string;
}

export const afterKey = (field: "scheduledStart" | "raisedAt", cursor: KeyCursor | undefined) =>
  cursor ? { OR: [{ [field]: { lt: cursor.at } }, { [field]: cursor.at, id: { lt: cursor.id } }] } : {};

/** Windows of active nodes, newest first, by node and outcome; `limit` a page, `after` the last one seen. */
export async function listWindows(
  db: Db,
  args: { nodeId?: string; outcome?: WindowOutcome; since?: Date; limit: number; after?: KeyCursor },
) {
  const where: Prisma.WindowWhereInput = {
    AND: [
      { node: { deregisteredAt: null } },
      args.nodeId ? { nodeId: args.nodeId } : {},
      args.outcome ? { outcome: toStoredOutcome(args.outcome) } : {},
      args.since ? { scheduledStart: { gte: args.since } } : {},
      afterKey("scheduledStart", args.after),
    ],
  };
  const rows = await db.window.findMany({
    where,
    orderBy: [{ scheduledStart: "desc" }, { id: "desc" }],
    take: args.limit + 1,
    select: {
      id: true,
      schedule: true,
      scheduledStart: true,
      localStart: true,
      outcome: true,
      returnCode: true,
      startedAt: true,
      endedAt: true,
      elapsedSeconds: true,
      objectsInspected: true,
      objectsFailed: true,
      bytesTransferred: true,
      cause: true,
      benign: true,
      node: { select: { id: true, name: true } },
    },
  });
  const page = rows.slice(0, args.limit);
  const num = (v: bigint | null) => (v === null ? null : Number(v));
  const last = page.at(-1);
  return {
    rows: page.map((w) => ({
      ...w,
      outcome: fromStoredOutcome(w.outcome),
      objectsInspected: num(w.objectsInspected),
      objectsFailed: num(w.objectsFailed),
      bytesTransferred: num(w.bytesTransferred),
    })),
    next: rows.length > args.limit && last ? { at: last.scheduledStart, id: last.id } : null,
  };
}
