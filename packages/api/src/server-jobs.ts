import { getDb } from "@fleetwatch/db/client";
import { startJobs } from "./jobs";

/** Start the background jobs in an app process, on the process's one Prisma client. */
export function startServerJobs() {
  return startJobs(getDb());
}
