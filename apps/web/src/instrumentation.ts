/** Next.js calls this once per server process: the background jobs (the judge) start here. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.FLEETWATCH_JOBS === "0") return;
  // Node-only code in a module of its own, so the Edge build of this file never sees it.
  const { startJobsOrExit } = await import("./server/start-jobs");
  await startJobsOrExit();
}
