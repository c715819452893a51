import type { Db } from "@fleetwatch/db/client";
import { judgeableNodes } from "../src/services/judge/judge-windows";
import { lateNow } from "../src/services/judge/late-windows";

const HOUR = 3_600_000;

export interface LateNowFigures {
  calls: number;
  /** Median milliseconds of one overview's late list. */
  lateMs: number;
  /** Median milliseconds of the node-and-schedule read alone (the judge's): what the late list cannot do without. */
  nodesMs: number;
  lateWindows: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed(work: () => Promise<unknown>) {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * The overview's late list (services/judge/late-windows.ts) as a page load reads it, once each hour
 * of the day after `lastNight` (some hours inside the fleet's windows, most not), against the read of
 * the nodes and their schedules alone: the ratio says what the rest costs, whatever the machine's load.
 */
export async function benchLateNow(db: Db, lastNight: string): Promise<LateNowFigures> {
  const day = Date.parse(`${lastNight}T00:00:00Z`) + 24 * HOUR;
  const hours = Array.from({ length: 24 }, (_, h) => new Date(day + h * HOUR + 30 * 60_000));
  await lateNow(db, hours[0] as Date); // warm-up: plans, JIT
  let lateWindows = 0;
  const late: number[] = [];
  const nodes: number[] = [];
  for (const now of hours) {
    late.push(await timed(async () => (lateWindows += (await lateNow(db, now)).length)));
    nodes.push(await timed(() => judgeableNodes(db)));
  }
  return { calls: hours.length, lateMs: median(late), nodesMs: median(nodes), lateWindows };
}
