/** Next.js calls this once per server process: the background jobs (the judge) start here. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.FLEETWATCH_JOBS === "0") return;
  const { startServerJobs } = await import("@fleetwatch/api/server-jobs");
  try {
    startServerJobs();
  } catch (error) {
    // A server whose judge cannot run must not look healthy: say why in one line and stop.
    console.error(`fleetwatch: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
