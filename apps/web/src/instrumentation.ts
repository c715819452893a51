/** Next.js calls this once per server process: the settings are checked and the background jobs (the judge) start here. */
export async function register() {
  // NEXT_RUNTIME is Next's own (which build of this file runs), not a setting of ours.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Node-only code in a module of its own, so the Edge build of this file never sees it.
  const { startServerOrExit } = await import("./server/start-jobs");
  await startServerOrExit();
}
