import type { Db } from "../context";
import { raiseAlerts } from "../services/alert-raise";
import { diagnoseMissedWindows } from "../services/diagnose-missed";
import { duplicateSuspects } from "../services/duplicates";
import { reconcileFlags } from "../services/flags";
import { refreshDerivedState } from "../services/ingest";
import { recordMissedWindows, severSilentRuns } from "../services/judge-windows";
import { getAlertChannels, getSiteSettings } from "../services/settings";

/** One advisory lock key for the judge across every replica (an arbitrary, fixed 64-bit number). */
const JUDGE_LOCK = 4_718_236_001n;

export interface JudgeReport {
  leader: boolean;
  nodesJudged: number;
  missed: number;
  severed: number;
  flagsRaised: number;
  flagsCleared: number;
  alertsOpened: number;
  ms: number;
}

/**
 * Close every window that passed with no event as MISSED and diagnose it, sever silent runs,
 * reconcile flags and raise alerts: one transaction, one leader. A second judge running at the
 * same time finds the lock taken and does nothing; the unique window key would stop a double
 * MISSED even without it.
 */
export async function runJudge(db: Db, now: Date = new Date()): Promise<JudgeReport> {
  const started = performance.now();
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = (await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${JUDGE_LOCK}) AS locked`) as [
        { locked: boolean },
      ];
      const empty = { nodesJudged: 0, missed: 0, severed: 0, flagsRaised: 0, flagsCleared: 0, alertsOpened: 0 };
      if (!locked) return { leader: false, ...empty, ms: Math.round(performance.now() - started) };
      const settings = await getSiteSettings(tx);
      const channels = await getAlertChannels(tx);
      const lastRun = await tx.setting.findUnique({ where: { key: "judge.lastRunAt" }, select: { value: true } });
      // Alerts are news: on a first run, only the last two days of history raise them.
      const since = typeof lastRun?.value === "string" ? new Date(lastRun.value) : new Date(now.getTime() - 2 * 86_400_000);

      const nodes = await tx.node.findMany({
        where: { deregisteredAt: null, schedules: { some: {} } },
        select: {
          id: true,
          utcOffsetMinutes: true,
          judgedThrough: true,
          windows: { orderBy: { scheduledStart: "asc" }, take: 1, select: { scheduledStart: true } },
          schedules: {
            select: { schedule: { select: { name: true, startTime: true, durationMinutes: true, periodMinutes: true, dayOfWeek: true } } },
          },
        },
      });
      const { missedIds, judgedNodes } = await recordMissedWindows(
        tx,
        nodes.map((n) => ({
          id: n.id,
          utcOffsetMinutes: n.utcOffsetMinutes,
          judgedThrough: n.judgedThrough,
          firstWindowAt: n.windows[0]?.scheduledStart ?? null,
          schedules: n.schedules.map((s) => s.schedule),
        })),
        settings,
        now,
      );
      const severedNodes = await severSilentRuns(tx, settings, now);
      const touched = new Set([
        ...severedNodes,
        ...(await tx.window.findMany({ where: { id: { in: missedIds } }, select: { nodeId: true } })).map((w) => w.nodeId),
      ]);
      for (const nodeId of touched) await refreshDerivedState(tx, nodeId);

      const suspects = await duplicateSuspects(tx);
      await diagnoseMissedWindows(tx, { windowIds: missedIds, suspects, settings, now });
      const { raised, cleared } = await reconcileFlags(tx, { suspects, settings, now });
      const alertsOpened = await raiseAlerts(tx, { raised, cleared, since, now, channels });
      await tx.setting.upsert({
        where: { key: "judge.lastRunAt" },
        create: { key: "judge.lastRunAt", value: now.toISOString() },
        update: { value: now.toISOString() },
      });
      return {
        leader: true,
        nodesJudged: judgedNodes,
        missed: missedIds.length,
        severed: severedNodes.length,
        flagsRaised: raised.length,
        flagsCleared: cleared.length,
        alertsOpened,
        ms: Math.round(performance.now() - started),
      };
    },
    { timeout: 10 * 60_000, maxWait: 10_000 },
  );
}
