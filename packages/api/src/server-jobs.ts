import { getDb } from "@fleetwatch/db/client";
import { perProcess } from "@fleetwatch/db/per-process";
import cron from "node-cron";
import { startJobs } from "./jobs";

/** FLEETWATCH_JUDGE_CRON: when the judge runs (default every 5 minutes); node-cron's syntax, seconds allowed. */
export function judgeCronFromEnv(env: Record<string, string | undefined>): string | undefined {
  const raw = env.FLEETWATCH_JUDGE_CRON?.trim();
  if (!raw) return undefined;
  if (!cron.validate(raw)) {
    throw new Error(`FLEETWATCH_JUDGE_CRON must be a cron expression such as "*/5 * * * *", not "${raw}": fix or unset it`);
  }
  return raw;
}

/**
 * Start the background jobs in an app process, on the process's one Prisma client. Once per
 * process: a second call (another bundled copy of this module, a dev server's reload) gets the
 * jobs already running instead of scheduling every job twice.
 */
export function startServerJobs() {
  return perProcess("api.server-jobs", () => startJobs(getDb(), { judgeCron: judgeCronFromEnv(process.env) }));
}
