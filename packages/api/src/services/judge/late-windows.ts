import type { GroupScope } from "@fleetwatch/core/groups";
import { clockUtcToLocal, expectedWindows, lateWindows, scheduleFromStored } from "@fleetwatch/core/windows";
import { list } from "@fleetwatch/db/sql";
import type { Db } from "../../context";
import { getSiteSettings } from "../admin/settings";
import { groupByNode } from "../fleet/group-by-node";
import { scopedNodeIds } from "../fleet/group-scope";
import { judgeableNodes } from "./judge-windows";
import { storedPolicies } from "./profiles";

const DAY = 86_400_000;

/**
 * The nodes whose backup window is open now (or inside its grace) with no run reported yet:
 * late, shown to staff, never alerted; the judge holds them MISSED only once the grace has passed.
 * The grace is the node's profile's. Most of a fleet shares its schedules, offset and grace: the
 * windows expected are worked out once per such group, not once per node, on every page load.
 */
export async function lateNow(db: Db, now: Date, scope?: GroupScope) {
  const [settings, all, inScope] = await Promise.all([
    getSiteSettings(db),
    judgeableNodes(db),
    // One group's nodes only, when the overview is scoped to a group (issue 16.7).
    scope ? scopedNodeIds(db, scope).then((ids) => new Set(ids)) : null,
  ]);
  const nodes = inScope ? all.filter((n) => inScope.has(n.id)) : all;
  const policies = await storedPolicies(db, settings);
  const graceOf = (id: string) => (policies.get(id)?.settings ?? settings).judgeGraceMinutes;
  const groups = new Map<string, { expected: ReturnType<typeof expectedWindows>; late: boolean }>();
  const open = nodes.flatMap((node) => {
    const graceMinutes = graceOf(node.id);
    const key = `${node.utcOffsetMinutes} ${node.timeZone} ${node.clockSkewSeconds} ${graceMinutes} ${JSON.stringify(node.schedules)}`;
    let group = groups.get(key);
    if (!group) {
      const expected = node.schedules.flatMap((s) =>
        expectedWindows(scheduleFromStored(s), clockUtcToLocal(new Date(now.getTime() - DAY), node), clockUtcToLocal(now, node)),
      );
      group = { expected, late: lateWindows({ ...node, expected, recorded: [], now, graceMinutes }).length > 0 };
      groups.set(key, group);
    }
    return group.late ? [{ node, expected: group.expected, graceMinutes }] : [];
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
  return open.flatMap(({ node, expected, graceMinutes }) =>
    lateWindows({ ...node, expected, recorded: byNode.get(node.id) ?? [], now, graceMinutes }).map((w) => ({
      nodeId: node.id,
      name: names.get(node.id) ?? "?",
      schedule: w.schedule,
      localStart: w.start,
      opensAt: w.opensAt,
      missedAfter: w.missedAfter,
    })),
  );
}
