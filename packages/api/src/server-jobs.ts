import { getDb } from "@fleetwatch/db/client";
import { perProcess } from "@fleetwatch/db/per-process";
import { startJobs } from "./jobs";

/**
 * Start the background jobs in an app process, on the process's one Prisma client. Once per
 * process: a second call (another bundled copy of this module, a dev server's reload) gets the
 * jobs already running instead of scheduling every job twice.
 */
export function startServerJobs() {
  return perProcess("api.server-jobs", () => startJobs(getDb()));
}
