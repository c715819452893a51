import type { Db } from "../context";
import { getAlertChannels, getSiteSettings } from "../services/admin/settings";
import { reconcileAlerts } from "../services/alerts/alert-reconcile";
import { duplicateSuspects } from "../services/fleet/duplicates";
import { refreshDerivedStates } from "../services/ingest/ingest";
import { diagnoseMissedWindows, reviseMissedDiagnoses } from "../services/judge/diagnose-missed";
import { reconcileFlags } from "../services/judge/flags";
import { leadJudge, withoutJit } from "../services/judge/judge-lock";
import { recordJudgeRun } from "../services/judge/judge-runs";
import { judgeableNodes, recordMissedWindows, severSilentRuns } from "../services/judge/judge-windows";
import { suppressMaintenanceNights } from "../services/judge/maintenance";
import { assignProfiles } from "../services/judge/profiles";
import { judgeSuspiciousRuns } from "../services/judge/suspicious-runs";

export interface JudgeReport {
  leader: boolean;
  nodesJudged: number;
  missed: number;
  severed: number;
  flagsRaised: number;
  flagsCleared: number;
  alertsOpened: number;
  alertsResolved: number;
  ms: number;
}

export interface JudgeOptions {
  /** Told how long each step took (milliseconds), in order: for logs and the bench. */
  onPhase?: (phase: string, ms: number) => void;
}

/**
 * Close every window that passed with no event as MISSED and diagnose it, sever silent runs,
 * reconcile flags and raise alerts: one transaction, one leader. A second judge running at the
 * same time finds the lock taken and does nothing; the unique window key would stop a double
 * MISSED even without it.
 */
export async function runJudge(db: Db, now: Date = new Date(), opts: JudgeOptions = {}): Promise<JudgeReport> {
  const started = performance.now();
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await work();
    opts.onPhase?.(name, Math.round(performance.now() - t));
    return result;
  };
  return db.$transaction(
    async (tx) => {
      const empty = { nodesJudged: 0, missed: 0, severed: 0, flagsRaised: 0, flagsCleared: 0, alertsOpened: 0, alertsResolved: 0 };
      if (!(await leadJudge(tx))) return { leader: false, ...empty, ms: Math.round(performance.now() - started) };
      await withoutJit(tx);
      const { settings, channels, since } = await phase("settings", async () => {
        const lastRun = await tx.setting.findUnique({ where: { key: "judge.lastRunAt" }, select: { value: true } });
        return {
          settings: await getSiteSettings(tx),
          channels: await getAlertChannels(tx),
          // Alerts are news: on a first run, only the last two days of history raise them.
          since: typeof lastRun?.value === "string" ? new Date(lastRun.value) : new Date(now.getTime() - 2 * 86_400_000),
        };
      });

      // Each node is judged by its profile's rules (and its own override) over the site's settings.
      const policies = await phase("assignProfiles", () => assignProfiles(tx, settings));
      const nodes = await phase("nodes with schedules", () => judgeableNodes(tx));
      const { missedIds, missedNodeIds, judgedNodes } = await phase("recordMissedWindows", () =>
        recordMissedWindows(tx, nodes, settings, now, policies),
      );
      const severedNodes = await phase("severSilentRuns", () => severSilentRuns(tx, settings, now));
      // Before flags and alerts read the history: a bad night in maintenance counts for neither.
      const { inMaintenance } = await phase("suppressMaintenanceNights", () => suppressMaintenanceNights(tx, now));
      await phase("refresh derived state", () => refreshDerivedStates(tx, [...new Set([...severedNodes, ...missedNodeIds])], now));

      const suspects = await phase("duplicateSuspects", () => duplicateSuspects(tx));
      await phase("diagnoseMissedWindows", () => diagnoseMissedWindows(tx, { windowIds: missedIds, suspects, settings, now }));
      await phase("judgeSuspiciousRuns", () => judgeSuspiciousRuns(tx, { since }));
      // Late evidence (a wake heartbeat, a drained spool, the collector's facts) may overturn an earlier verdict.
      await phase("reviseMissedDiagnoses", () => reviseMissedDiagnoses(tx, { since, fresh: missedIds, suspects, settings, now }));
      const { raised, cleared, standing } = await phase("reconcileFlags", () => reconcileFlags(tx, { suspects, settings, policies, now }));
      const alerts = await phase("reconcileAlerts", () =>
        reconcileAlerts(tx, { standing, suspects, inMaintenance, policies, now, channels }),
      );
      await tx.setting.upsert({
        where: { key: "judge.lastRunAt" },
        create: { key: "judge.lastRunAt", value: now.toISOString() },
        update: { value: now.toISOString() },
      });
      // For /metrics on any replica: when the leader last ran and how long it took.
      await recordJudgeRun(tx, { at: now, durationSeconds: (performance.now() - started) / 1000 });
      return {
        leader: true,
        nodesJudged: judgedNodes,
        missed: missedIds.length,
        severed: severedNodes.length,
        flagsRaised: raised.length,
        flagsCleared: cleared.length,
        alertsOpened: alerts.opened + alerts.reopened,
        alertsResolved: alerts.resolved,
        ms: Math.round(performance.now() - started),
      };
    },
    { timeout: 10 * 60_000, maxWait: 10_000 },
  );
}
