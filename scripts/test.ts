import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const repoRoot = resolve(import.meta.dirname, "..");

/** `pnpm test`: every unit and integration test (turbo, per package), then the end-to-end tests. */
function step(title: string, command: string, args: string[]) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: "inherit" });
  console.log(`== ${title}: ${result.status === 0 ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step("lint", "pnpm", ["lint"]);
step("typecheck", "pnpm", ["typecheck"]);
step("unit and integration tests", "pnpm", ["exec", "turbo", "run", "test", "--concurrency=1"]);
step("end-to-end tests", "pnpm", ["test:e2e"]);
step("smoke test of the README's set-up", "pnpm", ["test:smoke"]);
step("two web replicas on one database, the judge's leader killed", "pnpm", ["test:replicas"]);
