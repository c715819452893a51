import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { launch, repoRoot } from "./launcher";

/**
 * `pnpm start`: build what changed (turbo caches the rest), start the database, the web app and
 * the demo fleet, print how to sign in, and stay up until Ctrl-C.
 */
async function main() {
  const port = Number(process.env.PORT ?? 3000);
  console.log("fleetwatch: building (cached after the first start)…");
  const build = spawnSync(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@fleetwatch/web", "--filter=@fleetwatch/agent", "--output-logs=errors-only"],
    {
      cwd: repoRoot,
      stdio: "inherit",
    },
  );
  if (build.status !== 0) throw new Error("the build failed (see above)");

  const stack = await launch({
    port,
    stateDir: process.env.FLEETWATCH_HOME ?? join(repoRoot, ".fleetwatch"),
    demo: process.env.FLEETWATCH_DEMO === "0" ? null : { nodes: 36, nights: 30 },
  });
  console.log("");
  console.log(`Fleetwatch is running: ${stack.url}`);
  console.log(`Sign in as ${stack.admin.email} with password ${stack.admin.password ?? "(set by FLEETWATCH_ADMIN_PASSWORD)"}`);
  console.log("Press Ctrl-C to stop.");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the web server and the database…`);
    await stack.stop();
    console.log("stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`fleetwatch: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
