import { severedBySilence } from "@fleetwatch/core/diagnosis";
import type { NodePolicy } from "@fleetwatch/core/profiles";
import type { SiteSettings } from "@fleetwatch/core/settings";
import { clockUtcToLocal, expectedWindows, scheduleFromStored, slowClockAllowanceMs, windowsToJudge } from "@fleetwatch/core/windows";
import { list, texts } from "@fleetwatch/db/sql";
import type { Tx } from "../../context";
import { groupByNode } from "../fleet/group-by-node";

const DAY = 86_400_000;
/** The first judgement of a node looks back at most this far: older gaps are history, not news. */
const MAX_LOOKBACK_DAYS = 400;

type Recorded = { schedule: string; scheduledStart: Date };

export interface JudgeableNode {
  id: string;
  utcOffsetMinutes: number;
  /** The machine's IANA zone when its agent named one: windows then follow daylight saving. */
  timeZone: string | null;
  /** Its agent's clock against ours (seconds, negative: slow): a slow clock's windows close later. */
  clockSkewSeconds: number | null;
  judgedThrough: Date | null;
  firstWindowAt: Date | null;
  schedules: { name: string; startTime: string; durationMinutes: number; periodMinutes: number; dayOfWeek: string }[];
}

/**
 * Every node the judge looks at: in service, with a schedule, watched by an agent. A node known
 * only from the TSM server's records has no agent to report its runs: the server's own EVENTS
 * (the collector) give its outcomes, and judging it here would call every night of it MISSED. Only a node the judge has never
 * judged (no cursor) needs its first window, so only those probe the window index for it.
 */
export async function judgeableNodes(tx: Tx): Promise<JudgeableNode[]> {
  return tx.$queryRaw<JudgeableNode[]>`
    SELECT n.id, n."utcOffsetMinutes", n."timeZone", n."clockSkewSeconds", n."judgedThrough", f.first AS "firstWindowAt",
           json_agg(json_build_object('name', s.name, 'startTime', s."startTime", 'durationMinutes', s."durationMinutes",
                                      'periodMinutes', s."periodMinutes", 'dayOfWeek', s."dayOfWeek")) AS schedules
      FROM "Node" n
      JOIN "NodeSchedule" ns ON ns."nodeId" = n.id
      JOIN "Schedule" s ON s.id = ns."scheduleId"
      LEFT JOIN LATERAL (SELECT w."scheduledStart" AS first FROM "Window" w
                          WHERE n."judgedThrough" IS NULL AND w."nodeId" = n.id
                          ORDER BY w."scheduledStart" LIMIT 1) f ON true
     WHERE n."deregisteredAt" IS NULL AND n."machineRef" IS NOT NULL
     GROUP BY n.id, f.first`;
}

/**
 * Record MISSED for every expected window that closed (plus the grace) with no outcome, from the
 * node's judge cursor on. The unique window key makes this exactly-once even if two judges race.
 * Returns the ids of the windows recorded, for diagnosis once the fleet-wide evidence is known.
 */
export async function recordMissedWindows(
  tx: Tx,
  nodes: readonly JudgeableNode[],
  settings: SiteSettings,
  now: Date,
  policies: ReadonlyMap<string, NodePolicy> = new Map(),
) {
  // The grace is the node's profile's: a laptop's window waits longer before it is MISSED.
  const graceOf = (node: JudgeableNode) => (policies.get(node.id)?.settings ?? settings).judgeGraceMinutes;
  const cursorEnd = (node: JudgeableNode) => new Date(now.getTime() - graceOf(node) * 60_000);
  const floor = now.getTime() - MAX_LOOKBACK_DAYS * DAY;
  const judgeable = nodes.flatMap((node) => {
    const from = node.judgedThrough ?? node.firstWindowAt;
    return from && node.schedules.length ? [{ node, fromAt: new Date(Math.max(from.getTime(), floor)) }] : [];
  });
  if (judgeable.length === 0) return { missedIds: [] as string[], missedNodeIds: [] as string[], judgedNodes: 0 };
  // What each node would have to judge if nothing had been recorded: most runs, most nodes have
  // no window that closed since their cursor, and need not read any of theirs. Nodes that share
  // schedules, offset and cursor (most of a fleet, run after run) share the working out.
  const plans = new Map<string, { expected: ReturnType<typeof expectedWindows>; open: ReturnType<typeof windowsToJudge> }>();
  const toJudge = (node: JudgeableNode, fromAt: Date, expected: ReturnType<typeof expectedWindows>, recorded: readonly Recorded[]) =>
    windowsToJudge({
      expected,
      recorded,
      utcOffsetMinutes: node.utcOffsetMinutes,
      timeZone: node.timeZone,
      clockSkewSeconds: node.clockSkewSeconds,
      now,
      graceMinutes: graceOf(node),
    }).filter((w) => w.closesAt.getTime() + slowClockAllowanceMs(node.clockSkewSeconds) > fromAt.getTime());
  const planOf = (node: JudgeableNode, fromAt: Date) => {
    const key = `${node.utcOffsetMinutes} ${node.timeZone} ${slowClockAllowanceMs(node.clockSkewSeconds)} ${graceOf(node)} ${fromAt.getTime()} ${JSON.stringify(node.schedules)}`;
    const known = plans.get(key);
    if (known) return known;
    // A window that opened before the cursor but closes after it is still to judge: step back a day.
    const fromLocal = clockUtcToLocal(new Date(fromAt.getTime() - DAY - slowClockAllowanceMs(node.clockSkewSeconds)), node);
    const toLocal = clockUtcToLocal(now, node);
    const expected = node.schedules.flatMap((s) => expectedWindows(scheduleFromStored(s), fromLocal, toLocal));
    const plan = { expected, open: toJudge(node, fromAt, expected, []) };
    plans.set(key, plan);
    return plan;
  };
  const due = judgeable.flatMap(({ node, fromAt }) => {
    const { expected, open } = planOf(node, fromAt);
    if (open.length === 0) return [];
    const from = Math.min(...open.map((w) => w.opensAt.getTime()));
    const to = Math.max(...open.map((w) => w.closesAt.getTime()));
    return [{ node, fromAt, expected, from: new Date(from), to: new Date(to) }];
  });
  // A recorded run counts for a window when it started within it: only those spans are read.
  const recorded = due.length
    ? await tx.$queryRaw<(Recorded & { nodeId: string })[]>`
        SELECT w."nodeId", w.schedule, w."scheduledStart"
          FROM unnest(${list(due.map((d) => d.node.id))}::uuid[], ${list(due.map((d) => d.from.toISOString()))}::timestamptz[],
                      ${list(due.map((d) => d.to.toISOString()))}::timestamptz[]) AS k(id, lo, hi)
          JOIN "Window" w ON w."nodeId" = k.id AND w."scheduledStart" BETWEEN k.lo AND k.hi`
    : [];
  const byNode = groupByNode(recorded);

  const planned = due.flatMap(({ node, fromAt, expected }) =>
    toJudge(node, fromAt, expected, byNode.get(node.id) ?? []).map((w) => ({
      nodeId: node.id,
      schedule: w.schedule,
      scheduledStart: w.opensAt,
      localStart: w.start,
    })),
  );
  if (planned.length) {
    await tx.$executeRaw`
      INSERT INTO "Window" (id, "nodeId", schedule, "scheduledStart", "localStart", outcome, source, "judgedAt", causes, benign)
      SELECT gen_random_uuid(), p.node, p.schedule, p.start, p.local, 'missed'::"WindowOutcome", 'judge', ${now}, '{}'::text[], false
        FROM unnest(${list(planned.map((p) => p.nodeId))}::uuid[], ${texts(planned.map((p) => p.schedule))}::text[],
                    ${list(planned.map((p) => p.scheduledStart.toISOString()))}::timestamptz[], ${texts(planned.map((p) => p.localStart))}::text[])
             AS p(node, schedule, start, local)
      ON CONFLICT DO NOTHING`;
  }
  await tx.$executeRaw`
    UPDATE "Node" n SET "judgedThrough" = c.through, "updatedAt" = ${now}
      FROM unnest(${list(judgeable.map((j) => j.node.id))}::uuid[],
                  ${list(judgeable.map((j) => cursorEnd(j.node).toISOString()))}::timestamptz[]) AS c(id, through)
     WHERE n.id = c.id`;
  const missed = planned.length
    ? await tx.$queryRaw<{ id: string; nodeId: string }[]>`
        SELECT id, "nodeId" FROM "Window"
         WHERE outcome = 'missed' AND diagnosis IS NULL AND "nodeId" = ANY(${list([...new Set(planned.map((p) => p.nodeId))])}::uuid[])`
    : [];
  return { missedIds: missed.map((m) => m.id), missedNodeIds: [...new Set(missed.map((m) => m.nodeId))], judgedNodes: judgeable.length };
}

/**
 * An in-progress run whose agent fell silent past its window did not finish: the machine died,
 * slept or was switched off mid-backup. It becomes SEVERED (cause machine-died).
 */
export async function severSilentRuns(tx: Tx, settings: SiteSettings, now: Date) {
  const running = await tx.window.findMany({
    where: { outcome: "in_progress", node: { deregisteredAt: null } },
    select: {
      id: true,
      nodeId: true,
      schedule: true,
      scheduledStart: true,
      startedAt: true,
      node: {
        select: {
          lastHeartbeatAt: true,
          lastContactAt: true,
          os: true,
          machine: { select: { os: true } },
          schedules: { select: { schedule: { select: { name: true, durationMinutes: true } } } },
        },
      },
    },
  });
  const severed: { id: string; nodeId: string; cause: string; diagnosis: string }[] = [];
  for (const w of running) {
    const minutes =
      w.node.schedules.find((s) => s.schedule.name.toUpperCase() === w.schedule.toUpperCase())?.schedule.durationMinutes ?? 60;
    const verdict = severedBySilence(
      {
        status: "in-progress",
        startedAt: w.startedAt,
        windowClosesAt: new Date(w.scheduledStart.getTime() + minutes * 60_000),
        // With no heartbeats yet (a one-shot ship), the last contact is the best evidence of life.
        lastHeartbeatAt: w.node.lastHeartbeatAt ?? w.node.lastContactAt,
      },
      { os: w.node.os ?? w.node.machine?.os ?? null },
      now,
      settings,
    );
    if (verdict) severed.push({ id: w.id, nodeId: w.nodeId, cause: verdict.diagnosis.cause, diagnosis: JSON.stringify(verdict.diagnosis) });
  }
  if (severed.length) {
    await tx.$executeRaw`
      UPDATE "Window" w SET outcome = 'severed', cause = s.cause, causes = ARRAY[s.cause], diagnosis = s.diagnosis,
                            "judgedAt" = ${now}, "updatedAt" = ${now}
        FROM unnest(${list(severed.map((s) => s.id))}::uuid[], ${texts(severed.map((s) => s.cause))}::text[],
                    ${texts(severed.map((s) => s.diagnosis))}::jsonb[]) AS s(id, cause, diagnosis)
       WHERE w.id = s.id`;
  }
  return severed.map((s) => s.nodeId);
}
