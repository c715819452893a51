/** Start the background jobs; a server whose judge cannot run must not look healthy: one line, then stop. */
export async function startJobsOrExit() {
  const { startServerJobs } = await import("@fleetwatch/api/server-jobs");
  try {
    startServerJobs();
  } catch (error) {
    console.error(`fleetwatch: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
