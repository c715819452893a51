/** Next.js calls this once per server process: the background jobs (the judge) start here. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.FLEETWATCH_JOBS === "0") return;
  const { startServerJobs } = await import("@fleetwatch/api/server-jobs");
  startServerJobs();
}
