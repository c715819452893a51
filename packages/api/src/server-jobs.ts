import { perProcess } from "@fleetwatch/db/per-process";
import { serverConfig } from "./config/server-config";
import { startJobs } from "./jobs";
import { processDb } from "./process-db";

/**
 * Start the background jobs in an app process, on the process's one Prisma client. Once per
 * process: a second call (another bundled copy of this module, a dev server's reload) gets the
 * jobs already running instead of scheduling every job twice.
 */
export function startServerJobs() {
  return perProcess("api.server-jobs", () => startJobs(processDb(), { judgeCron: serverConfig().FLEETWATCH_JUDGE_CRON }));
}
