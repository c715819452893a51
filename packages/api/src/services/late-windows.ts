import { clockUtcToLocal, expectedWindows, lateWindows, scheduleFromStored } from "@fleetwatch/core/windows";
import { list } from "@fleetwatch/db/sql";
import type { Db } from "../context";
import { groupByNode } from "./group-by-node";
import { judgeableNodes } from "./judge-windows";
import { getSiteSettings } from "./settings";

const DAY = 86_400_000;

/**
 * The nodes whose backup window is open now (or inside its grace) with no run reported yet:
 * late, shown to staff, never alerted; the judge holds them MISSED only once the grace has passed.
 */
export async function lateNow(db: Db, now: Date) {
  const [settings, nodes] = await Promise.all([getSiteSettings(db), judgeableNodes(db)]);
  const open = nodes.flatMap((node) => {
    const expected = node.schedules.flatMap((s) =>
      expectedWindows(scheduleFromStored(s), clockUtcToLocal(new Date(now.getTime() - DAY), node), clockUtcToLocal(now, node)),
    );
    const late = lateWindows({ ...node, expected, recorded: [], now, graceMinutes: settings.judgeGraceMinutes });
    return late.length ? [{ node, expected }] : [];
  });
  if (!open.length) return [];
  const recorded = await db.$queryRaw<{ nodeId: string; schedule: string; scheduledStart: Date }[]>`
    SELECT w."nodeId", w.schedule, w."scheduledStart" FROM "Window" w
     WHERE w."nodeId" = ANY(${list(open.map((o) => o.node.id))}::uuid[]) AND w."scheduledStart" >= ${new Date(now.getTime() - 2 * DAY)}`;
  const byNode = groupByNode(recorded);
  const names = new Map(
    (await db.node.findMany({ where: { id: { in: open.map((o) => o.node.id) } }, select: { id: true, name: true } })).map((n) => [
      n.id,
      n.name,
    ]),
  );
  return open.flatMap(({ node, expected }) => {
    return lateWindows({ ...node, expected, recorded: byNode.get(node.id) ?? [], now, graceMinutes: settings.judgeGraceMinutes }).map(
      (w) => ({
        nodeId: node.id,
        name: names.get(node.id) ?? "?",
        schedule: w.schedule,
        localStart: w.start,
        opensAt: w.opensAt,
        missedAfter: w.missedAfter,
      }),
    );
  });
}
