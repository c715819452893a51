import cron from "node-cron";
import type { Db } from "../context";
import { foldNightlyDeltas } from "../services/judge/nightly-rollup";
import { type DeliveriesReport, describeDeliveries, runDeliveries } from "./deliver";
import { type JudgeReport, runJudge } from "./judge";

export { type DeliveriesReport, type JudgeReport, runDeliveries, runJudge };

/**
 * The background jobs of a server process. Every replica schedules them; the judge's advisory
 * lock makes one of them the leader for each run.
 */
export function startJobs(db: Db, opts: { judgeCron?: string; deliverCron?: string; log?: (line: string) => void } = {}) {
  const log = opts.log ?? ((line: string) => console.log(line));
  let running = false;
  const task = cron.schedule(opts.judgeCron ?? "*/5 * * * *", async () => {
    if (running) return;
    running = true;
    try {
      const r = await runJudge(db);
      if (r.leader) {
        // The overview folds the nightly rollup's deltas as it reads; folding here too keeps them
        // few when nobody looks, and a read replica serving the overview never needs to write.
        const folded = await foldNightlyDeltas(db);
        log(
          `judge: ${r.nodesJudged} nodes, ${r.missed} missed, ${r.severed} severed, flags +${r.flagsRaised}/-${r.flagsCleared}, alerts +${r.alertsOpened}/-${r.alertsResolved}, ${folded} rollup changes folded, ${r.ms} ms`,
        );
      }
    } catch (error) {
      log(`judge: failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    } finally {
      running = false;
    }
  });
  // Alert delivery (webhooks, the daily digest) every minute, apart from the judge so a slow
  // endpoint never delays judging; each delivery is claimed by one replica (jobs/deliver.ts).
  let delivering = false;
  const deliver = cron.schedule(opts.deliverCron ?? "* * * * *", async () => {
    if (delivering) return;
    delivering = true;
    try {
      const line = describeDeliveries(await runDeliveries(db));
      if (line) log(line);
    } catch (error) {
      log(`deliveries: failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    } finally {
      delivering = false;
    }
  });
  return {
    stop: () => {
      task.stop();
      deliver.stop();
    },
  };
}
