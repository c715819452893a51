import type { Db } from "@fleetwatch/db/client";
import { type JudgeReport, runJudge } from "../src/jobs/judge";
import { loadHistory, loadTonight } from "./history";
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
   * A day later in one run: the night's misses recorded and diagnosed, flags moved, alerts raised.
   * Milliseconds, and by phase.
   */
  night: number;
  nightPhases: [string, number][];
  /** No cursor at all: the whole history judged again. Null when skipped. */
  cold: JudgeReport | null;
  /** Where a steady-state run spends its time, phase by phase (milliseconds). */
  phases: [string, number][];
  /** The same for the first run. */
  firstPhases: [string, number][];
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
    const firstPhases: [string, number][] = [];
    const first = await runJudge(db, t0, { onPhase: (phase, ms) => firstPhases.push([phase, ms]) });
    opts.log(`first run (raises the fleet's flags): ${describe(first)}`);
    const { rows: kinds } = await pg.query<{ kind: string; n: number }>(
      `SELECT kind::text, count(*)::int AS n FROM "Flag" WHERE "clearedAt" IS NULL GROUP BY kind ORDER BY n DESC`,
    );
    opts.log(`  open flags: ${kinds.map((k) => `${k.kind} ${k.n}`).join(", ")}`);
    const phases: [string, number][] = [];
    const steady = await runJudge(db, at(t0, CADENCE), { onPhase: (phase, ms) => phases.push([phase, ms]) });
    opts.log(`steady state, 5 min later: ${describe(steady)}`);

    // The next night arrives as agents would report it by morning; the judge then finds the rest.
    const t1 = at(t0, 24 * HOUR);
    // The judge last ran the evening before (cursor and last run a day back): this run does a
    // whole day's work at once, an upper bound of any one run's.
    const reported = await loadTonight(db, pg, loaded, at(t1, -CADENCE));
    const nightPhases: [string, number][] = [];
    const nightRun = await runJudge(db, t1, { onPhase: (phase, ms) => nightPhases.push([phase, ms]) });
    const night = nightRun.ms;
    opts.log(`a day later (${reported} of ${loaded.nodes} nodes reported the night, the rest to find): ${describe(nightRun)}`);

    let cold: JudgeReport | null = null;
    if (opts.cold) {
      await pg.query(`UPDATE "Node" SET "judgedThrough" = NULL`);
      await pg.query(`DELETE FROM "Setting" WHERE key = 'judge.lastRunAt'`);
      cold = await runJudge(db, at(t1, CADENCE));
      opts.log(`cold (no cursor, the whole history again): ${describe(cold)}`);
    }
    return { first, steady, night, nightPhases, cold, phases, firstPhases };
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
