import { severedBySilence } from "@fleetwatch/core/diagnosis";
import type { SiteSettings } from "@fleetwatch/core/settings";
import { expectedWindows, scheduleFromStored, utcToLocal, windowsToJudge } from "@fleetwatch/core/windows";
import { Prisma } from "@fleetwatch/db/client";
import type { Tx } from "../context";
import { diagnosisJson } from "./ingest";

const DAY = 86_400_000;
/** The first judgement of a node looks back at most this far: older gaps are history, not news. */
const MAX_LOOKBACK_DAYS = 400;

export interface JudgeableNode {
  id: string;
  utcOffsetMinutes: number;
  judgedThrough: Date | null;
  firstWindowAt: Date | null;
  schedules: { name: string; startTime: string; durationMinutes: number; periodMinutes: number; dayOfWeek: string }[];
}

/**
 * Record MISSED for every expected window that closed (plus the grace) with no outcome, from the
 * node's judge cursor on. The unique window key makes this exactly-once even if two judges race.
 * Returns the ids of the windows recorded, for diagnosis once the fleet-wide evidence is known.
 */
export async function recordMissedWindows(tx: Tx, nodes: readonly JudgeableNode[], settings: SiteSettings, now: Date) {
  const cursorEnd = new Date(now.getTime() - settings.judgeGraceMinutes * 60_000);
  const planned: { nodeId: string; schedule: string; scheduledStart: Date; localStart: string }[] = [];
  const judged: string[] = [];
  const fromOf = (n: JudgeableNode) => n.judgedThrough ?? n.firstWindowAt;
  const starts = nodes.map(fromOf).filter((d): d is Date => d !== null);
  if (starts.length === 0) return { missedIds: [] as string[], judgedNodes: 0 };
  const earliest = new Date(Math.max(Math.min(...starts.map((d) => d.getTime())), now.getTime() - MAX_LOOKBACK_DAYS * DAY) - 2 * DAY);
  const recorded = await tx.window.findMany({
    where: { nodeId: { in: nodes.map((n) => n.id) }, scheduledStart: { gte: earliest } },
    select: { nodeId: true, schedule: true, scheduledStart: true },
  });
  const byNode = new Map<string, { schedule: string; scheduledStart: Date }[]>();
  for (const r of recorded) {
    const list = byNode.get(r.nodeId) ?? [];
    byNode.set(r.nodeId, list);
    list.push(r);
  }
  for (const node of nodes) {
    const from = fromOf(node);
    if (!from || node.schedules.length === 0) continue;
    const fromAt = new Date(Math.max(from.getTime(), now.getTime() - MAX_LOOKBACK_DAYS * DAY));
    // A window that opened before the cursor but closes after it is still to judge: step back a day.
    const fromLocal = utcToLocal(new Date(fromAt.getTime() - DAY), node.utcOffsetMinutes);
    const toLocal = utcToLocal(now, node.utcOffsetMinutes);
    const expected = node.schedules.flatMap((s) => expectedWindows(scheduleFromStored(s), fromLocal, toLocal));
    const toJudge = windowsToJudge({
      expected,
      recorded: byNode.get(node.id) ?? [],
      utcOffsetMinutes: node.utcOffsetMinutes,
      now,
      graceMinutes: settings.judgeGraceMinutes,
    });
    for (const w of toJudge) {
      if (w.closesAt.getTime() <= fromAt.getTime()) continue;
      planned.push({ nodeId: node.id, schedule: w.schedule, scheduledStart: w.opensAt, localStart: w.start });
    }
    judged.push(node.id);
  }
  if (planned.length) {
    await tx.window.createMany({
      skipDuplicates: true,
      data: planned.map((p) => ({ ...p, outcome: "missed" as const, source: "judge", judgedAt: now, causes: [], benign: false })),
    });
  }
  if (judged.length) await tx.node.updateMany({ where: { id: { in: judged } }, data: { judgedThrough: cursorEnd } });
  const missed = planned.length
    ? await tx.window.findMany({
        where: { outcome: "missed", diagnosis: { equals: Prisma.DbNull }, nodeId: { in: [...new Set(planned.map((p) => p.nodeId))] } },
        select: { id: true },
      })
    : [];
  return { missedIds: missed.map((m) => m.id), judgedNodes: judged.length };
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
  const severed: string[] = [];
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
    if (!verdict) continue;
    await tx.window.update({
      where: { id: w.id },
      data: {
        outcome: "severed",
        cause: verdict.diagnosis.cause,
        causes: [verdict.diagnosis.cause],
        diagnosis: diagnosisJson(verdict.diagnosis),
        judgedAt: now,
      },
    });
    severed.push(w.nodeId);
  }
  return severed;
}
