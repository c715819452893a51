import { join } from "node:path";
import { serverConfig } from "@fleetwatch/api/config";
import { BuildError, buildProduct } from "./build";
import { DEMO_FLEET } from "./demo-loader";
import { launch, portTaken, repoRoot } from "./launcher";
import { AlreadyRunning, takeStartLock } from "./start-lock";

/**
 * `pnpm start`: build what changed (turbo caches the rest), start the database, the web app and
 * the demo fleet, print how to sign in, and stay up until Ctrl-C. Whatever goes wrong ends in one
 * line that says what to do, with nothing left running.
 */
async function main() {
  const started = Date.now();
  // Every setting checked before anything starts: a bad one ends here, in one line.
  const config = serverConfig();
  const port = config.PORT;
  const stateDir = config.FLEETWATCH_HOME ?? join(repoRoot, ".fleetwatch");
  const url = `http://localhost:${port}`;
  const lock = await takeStartLock(stateDir, url, (line) => console.log(`fleetwatch: ${line}`));
  let stack: Awaited<ReturnType<typeof launch>> | null = null;
  let stopping = false;
  const shutdown = async (why: string | null, code: number) => {
    if (stopping) return;
    stopping = true;
    if (why) console.log(`\n${why}: stopping the web server and the database…`);
    await stack?.stop();
    await lock.release();
    console.log("stopped.");
    process.exit(code);
  };
  // Ctrl-C before the product is up stops the start, and launch() stops what it had started.
  const starting = new AbortController();
  const onSignal = (why: string) => (stack ? void shutdown(why, 0) : starting.abort(why));
  process.on("SIGINT", () => onSignal("Ctrl-C"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  try {
    if (await portTaken(port)) throw new Error(`port ${port} is in use: stop what listens there, or set PORT to another port`);
    console.log("fleetwatch: building (cached after the first start)…");
    const buildMs = await buildProduct({ repoRoot, logDir: stateDir });
    console.log(`fleetwatch: built in ${(buildMs / 1000).toFixed(0)} s`);
    starting.signal.throwIfAborted();
    stack = await launch({
      port,
      stateDir,
      demo: config.FLEETWATCH_DEMO ? DEMO_FLEET : null,
      log: (line) => console.log(line),
      signal: starting.signal,
      onStarted: (pids) => lock.update({ url, ...pids }),
    });
  } catch (error) {
    await lock.release();
    if (starting.signal.aborted) {
      console.log(`\n${starting.signal.reason}: the start was stopped; nothing is left running.`);
      process.exit(0);
    }
    throw error;
  }
  console.log("");
  console.log(`Fleetwatch is running: ${stack.url} (ready in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  console.log(`Sign in as ${stack.admin.email} with password ${stack.admin.password ?? "(set by FLEETWATCH_ADMIN_PASSWORD)"}`);
  console.log("Press Ctrl-C to stop.");
  void stack.died.then(async (how) => {
    console.error(`fleetwatch: ${how}; stopping the rest. Start again with pnpm start.`);
    await shutdown(null, 1);
  });
}

/** One line for a person: what went wrong and what to do, never a stack trace. */
function oneLine(error: unknown): string {
  if (error instanceof BuildError || error instanceof AlreadyRunning) return error.message;
  const e = error as NodeJS.ErrnoException;
  // 53100: PostgreSQL's disk_full, from a migration or the demo load.
  if (e?.code === "53100") return `PostgreSQL has no space left on its disk: free some space (${e.message.split("\n")[0]}) and start again`;
  if (e?.code === "ENOSPC") return `no space left on the disk${e.path ? ` of ${e.path}` : ""}: free some space and start again`;
  if (e?.code === "EACCES" || e?.code === "EPERM") return `permission denied${e.path ? ` on ${e.path}` : ""}: ${e.message.split("\n")[0]}`;
  return error instanceof Error ? (error.message.split("\n")[0] ?? String(error)) : String(error);
}

main().catch((error: unknown) => {
  console.error(`fleetwatch: ${oneLine(error)}`);
  process.exit(1);
});
