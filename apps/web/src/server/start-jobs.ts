/**
 * The web server's start: its settings read and checked once (config/server-config.ts in the
 * api), then the background jobs unless FLEETWATCH_JOBS=0. A bad setting, or a judge that cannot
 * run, must not look healthy: one line, then stop.
 */
export async function startServerOrExit() {
  const { databaseUrl, serverConfig } = await import("@fleetwatch/api/config");
  const { startServerJobs } = await import("@fleetwatch/api/server-jobs");
  try {
    const config = serverConfig();
    databaseUrl(config);
    if (config.FLEETWATCH_JOBS) startServerJobs();
  } catch (error) {
    console.error(`fleetwatch: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
