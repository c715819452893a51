import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildProduct } from "./build";
import { DEMO_FLEET } from "./demo-loader";
import { freePort, launch, repoRoot } from "./launcher";

/** `pnpm test:e2e`: a fresh stack (own database, demo fleet) on its own port, then the browser tests. */
async function main() {
  const stateDir = mkdtempSync(join(tmpdir(), "fleetwatch-e2e-"));
  // `pnpm test:e2e <filter>` runs the files whose names match, against the same kind of stack.
  const filters = process.argv.slice(2);
  // PostgreSQL runs as the postgres user and must reach its data folder inside this one.
  chmodSync(stateDir, 0o755);
  await buildProduct({ repoRoot, logDir: stateDir });
  const pgPort = await freePort();
  const port = process.env.FLEETWATCH_E2E_PORT ? Number(process.env.FLEETWATCH_E2E_PORT) : await freePort();
  // The stack runs as users run it, background jobs on; the judge every 15 s rather than every
  // 5 minutes, so that its runs fall in the middle of the tests every time, not now and then.
  process.env.FLEETWATCH_JUDGE_CRON ??= "*/15 * * * * *";
  // A sign-in back-off of 10 s rather than a minute, so the throttling test can wait one out.
  process.env.FLEETWATCH_SIGNIN_BACKOFF_SECONDS ??= "10";
  const stack = await launch({ port, pgPort, stateDir, demo: DEMO_FLEET, log: (l) => console.log(`e2e stack: ${l}`) });
  let status = 1;
  try {
    const run = spawnSync("pnpm", ["exec", "vitest", "run", "--config", "e2e/vitest.config.ts", ...filters], {
      cwd: join(repoRoot, "apps/web"),
      stdio: "inherit",
      env: {
        ...process.env,
        FLEETWATCH_E2E_URL: stack.url,
        FLEETWATCH_E2E_EMAIL: stack.admin.email,
        FLEETWATCH_E2E_PASSWORD: stack.admin.password ?? "",
      },
    });
    status = run.status ?? 1;
  } finally {
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  process.exit(status);
}

main().catch((error: unknown) => {
  console.error(`e2e: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
