import type { GroupScope } from "@fleetwatch/core/groups";
import { clockUtcToLocal, expectedWindows, lateWindows, scheduleFromStored } from "@fleetwatch/core/windows";
import { list } from "@fleetwatch/db/sql";
import type { Db } from "../../context";
import { getSiteSettings } from "../admin/settings";
import { groupByNode } from "../fleet/group-by-node";
import { scopedNodeIds } from "../fleet/group-scope";
import type { JudgeableNode } from "./judge-windows";
import { type StoredProfile, storedPolicyReader } from "./profiles";

const DAY = 86_400_000;

type Candidate = Omit<JudgeableNode, "judgedThrough" | "firstWindowAt"> & {
  name: string;
  policyOverride: unknown;
  profile: StoredProfile | null;
};

/**
 * The nodes the judge looks at (judgeableNodes: in service, with a schedule, watched by an agent),
 * of one group when `ids` is given, each with its name and what its grace comes from: the profile
 * the judge last put it in and its own override.
 */
function lateCandidates(db: Db, ids: string[] | null): Promise<Candidate[]> {
  return db.$queryRaw<Candidate[]>`
    SELECT n.id, n.name, n."utcOffsetMinutes", n."timeZone", n."clockSkewSeconds", n."policyOverride",
           CASE WHEN p.id IS NULL THEN NULL
                ELSE json_build_object('id', p.id, 'name', p.name, 'isDefault', p."isDefault", 'position', p.position,
                                       'rules', p.rules, 'policy', p.policy) END AS profile,
           json_agg(json_build_object('name', s.name, 'startTime', s."startTime", 'durationMinutes', s."durationMinutes",
                                      'periodMinutes', s."periodMinutes", 'dayOfWeek', s."dayOfWeek")) AS schedules
      FROM "Node" n
      JOIN "NodeSchedule" ns ON ns."nodeId" = n.id
      JOIN "Schedule" s ON s.id = ns."scheduleId"
      LEFT JOIN "Profile" p ON p.id = n."profileId"
     WHERE n."deregisteredAt" IS NULL AND n."machineRef" IS NOT NULL
       AND (${ids === null}::boolean OR n.id = ANY(${list(ids ?? [])}::uuid[]))
     GROUP BY n.id, p.id`;
}

/**
 * The nodes whose backup window is open now (or inside its grace) with no run reported yet:
 * late, shown to staff, never alerted; the judge holds them MISSED only once the grace has passed.
 * The grace is the node's profile's, read with the node. Most of a fleet shares its schedules,
 * offset and grace: the windows expected are worked out once per such group, not once per node,
 * on every page load.
 */
export async function lateNow(db: Db, now: Date, scope?: GroupScope) {
  const [settings, nodes] = await Promise.all([
    getSiteSettings(db),
    // One group's nodes only, when the overview is scoped to a group (issue 16.7).
    scope ? scopedNodeIds(db, scope).then((ids) => lateCandidates(db, ids)) : lateCandidates(db, null),
  ]);
  const policyOf = storedPolicyReader(settings);
  const graceOf = (node: Candidate) => policyOf(node).settings.judgeGraceMinutes;
  const groups = new Map<string, { expected: ReturnType<typeof expectedWindows>; late: boolean }>();
  const open = nodes.flatMap((node) => {
    const graceMinutes = graceOf(node);
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
  return open.flatMap(({ node, expected, graceMinutes }) =>
    lateWindows({ ...node, expected, recorded: byNode.get(node.id) ?? [], now, graceMinutes }).map((w) => ({
      nodeId: node.id,
      name: node.name,
      schedule: w.schedule,
      localStart: w.start,
      opensAt: w.opensAt,
      missedAfter: w.missedAfter,
    })),
  );
}
