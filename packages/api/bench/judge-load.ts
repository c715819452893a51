import type { Db } from "@fleetwatch/db/client";
import { type JudgeReport, runJudge } from "../src/jobs/judge";
import { raiseAlerts } from "../src/services/alert-raise";
import { diagnoseMissedWindows } from "../src/services/diagnose-missed";
import { duplicateSuspects } from "../src/services/duplicates";
import { reconcileFlags } from "../src/services/flags";
import { refreshDerivedState } from "../src/services/ingest";
import { recordMissedWindows, severSilentRuns } from "../src/services/judge-windows";
import { getAlertChannels, getSiteSettings } from "../src/services/settings";
import { loadHistory, loadTonight } from "./history";
import { compareJudgeQueries, type QueryComparison } from "./judge-queries";
import { createPgPool } from "./setup";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The judge's cron (jobs/index.ts): every 5 minutes. */
const CADENCE = 5 * MINUTE;
const GRACE = 10 * MINUTE;

export interface JudgeFigures {
  /** The first run over the loaded history: every flag of the fleet raised at once. */
  first: JudgeReport;
  /** Five minutes later, nothing new: what every run costs. */
  steady: JudgeReport;
  /**
   * A day later in one run (runJudge's steps, each timed, committed): the night's misses recorded
   * and diagnosed, flags moved, alerts raised. Milliseconds, and by phase.
   */
  night: number;
  nightPhases: [string, number][];
  /** No cursor at all: the whole history judged again. Null when skipped. */
  cold: JudgeReport | null;
  /** Where a steady-state run spends its time, phase by phase (milliseconds). */
  phases: [string, number][];
  /** The judge's whole-table reads against proposed replacements. */
  queries: QueryComparison[];
}

/**
 * The judge over `nodes` nodes with `nights` nights of history, on a database that has been
 * running: every node judged up to the previous run five minutes ago (its judgedThrough), that
 * run's time recorded. The history ends with the night before `lastNight + 1`; the runs happen at
 * 23:30 UTC of the last night (all of its windows closed), then later as the text says.
 */
export async function benchJudge(
  db: Db,
  url: string,
  opts: { nodes: number; nights: number; lastNight: string; cold: boolean; log: (line: string) => void },
): Promise<JudgeFigures> {
  const t0 = new Date(Date.parse(`${opts.lastNight}T23:30:00Z`));
  const previousRun = new Date(t0.getTime() - CADENCE);
  // One connection: the loader's temp table and session settings live on it.
  const pg = createPgPool(url, 1);
  try {
    const loaded = await loadHistory(db, pg, {
      nodes: opts.nodes,
      nights: opts.nights,
      lastNight: opts.lastNight,
      cursor: new Date(previousRun.getTime() - GRACE),
      lastBeat: previousRun,
      log: opts.log,
    });
    await setLastRun(db, previousRun);
    const first = await runJudge(db, t0);
    opts.log(`first run (raises the fleet's flags): ${describe(first)}`);
    const { rows: kinds } = await pg.query<{ kind: string; n: number }>(
      `SELECT kind::text, count(*)::int AS n FROM "Flag" WHERE "clearedAt" IS NULL GROUP BY kind ORDER BY n DESC`,
    );
    opts.log(`  open flags: ${kinds.map((k) => `${k.kind} ${k.n}`).join(", ")}`);
    const steady = await runJudge(db, at(t0, CADENCE));
    opts.log(`steady state, 5 min later: ${describe(steady)}`);
    const phases = await judgePhases(db, at(t0, 2 * CADENCE));
    const queries = await compareJudgeQueries(db, pg, at(t0, 2 * CADENCE));

    // The next night arrives as agents would report it by morning; the judge then finds the rest.
    const t1 = at(t0, 24 * HOUR);
    // The judge last ran the evening before (cursor and last run a day back): this run does a
    // whole day's work at once, an upper bound of any one run's.
    const reported = await loadTonight(db, pg, loaded, at(t1, -CADENCE));
    const started = performance.now();
    const nightPhases = await judgePhases(db, t1, { commit: true });
    const night = Math.round(performance.now() - started);
    opts.log(`a day later (${reported} of ${loaded.nodes} nodes reported the night, the rest to find): ${(night / 1000).toFixed(2)} s`);

    let cold: JudgeReport | null = null;
    if (opts.cold) {
      await pg.query(`UPDATE "Node" SET "judgedThrough" = NULL`);
      await pg.query(`DELETE FROM "Setting" WHERE key = 'judge.lastRunAt'`);
      cold = await runJudge(db, at(t1, CADENCE));
      opts.log(`cold (no cursor, the whole history again): ${describe(cold)}`);
    }
    return { first, steady, night, nightPhases, cold, phases, queries };
  } finally {
    await pg.end();
  }
}

const at = (d: Date, ms: number) => new Date(d.getTime() + ms);

async function setLastRun(db: Db, when: Date) {
  const value = when.toISOString();
  await db.setting.upsert({ where: { key: "judge.lastRunAt" }, create: { key: "judge.lastRunAt", value }, update: { value } });
}

const describe = (r: JudgeReport) =>
  `${(r.ms / 1000).toFixed(2)} s (${r.nodesJudged} nodes, ${r.missed} missed, ${r.severed} severed, flags +${r.flagsRaised}/-${r.flagsCleared}, ${r.alertsOpened} alerts)`;

class RollBack extends Error {}

/**
 * The steps of runJudge (jobs/judge.ts), in its order, each timed, in one transaction, rolled back
 * unless `commit` (then the judge's last run is recorded as runJudge does): where a run spends its
 * time. Keep in step with runJudge.
 */
async function judgePhases(db: Db, now: Date, opts: { commit: boolean } = { commit: false }): Promise<[string, number][]> {
  const phases: [string, number][] = [];
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    phases.push([name, Math.round(performance.now() - started)]);
    return result;
  };
  await db
    .$transaction(
      async (tx) => {
        const { settings, channels, since } = await timed("settings", async () => {
          const lastRun = await tx.setting.findUnique({ where: { key: "judge.lastRunAt" }, select: { value: true } });
          return {
            settings: await getSiteSettings(tx),
            channels: await getAlertChannels(tx),
            since: typeof lastRun?.value === "string" ? new Date(lastRun.value) : new Date(now.getTime() - 2 * 86_400_000),
          };
        });
        const nodes = await timed("nodes with schedules", () =>
          tx.node.findMany({
            where: { deregisteredAt: null, schedules: { some: {} } },
            select: {
              id: true,
              utcOffsetMinutes: true,
              judgedThrough: true,
              windows: { orderBy: { scheduledStart: "asc" }, take: 1, select: { scheduledStart: true } },
              schedules: {
                select: {
                  schedule: { select: { name: true, startTime: true, durationMinutes: true, periodMinutes: true, dayOfWeek: true } },
                },
              },
            },
          }),
        );
        const { missedIds } = await timed("recordMissedWindows", () =>
          recordMissedWindows(
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
          ),
        );
        const severed = await timed("severSilentRuns", () => severSilentRuns(tx, settings, now));
        await timed("refresh derived state", async () => {
          const touched = new Set([
            ...severed,
            ...(await tx.window.findMany({ where: { id: { in: missedIds } }, select: { nodeId: true } })).map((w) => w.nodeId),
          ]);
          for (const nodeId of touched) await refreshDerivedState(tx, nodeId);
        });
        const suspects = await timed("duplicateSuspects", () => duplicateSuspects(tx));
        await timed("diagnoseMissedWindows", () => diagnoseMissedWindows(tx, { windowIds: missedIds, suspects, settings, now }));
        const { raised, cleared } = await timed("reconcileFlags", () => reconcileFlags(tx, { suspects, settings, now }));
        await timed("raiseAlerts", () => raiseAlerts(tx, { raised, cleared, since, now, channels }));
        if (!opts.commit) throw new RollBack();
        const value = now.toISOString();
        await tx.setting.upsert({ where: { key: "judge.lastRunAt" }, create: { key: "judge.lastRunAt", value }, update: { value } });
      },
      { timeout: 10 * MINUTE, maxWait: 10_000 },
    )
    .catch((err: unknown) => {
      if (!(err instanceof RollBack)) throw err;
    });
  return phases;
}
