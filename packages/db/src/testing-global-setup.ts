import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "./embedded";

/**
 * Vitest globalSetup: when no server is configured (FLEETWATCH_TEST_PG_URL or DATABASE_URL),
 * starts one throwaway embedded PostgreSQL for the whole test run, hands its admin URL to the
 * workers through FLEETWATCH_TEST_PG_URL, and stops and deletes it at teardown.
 *
 *   // vitest.config.ts
 *   test: { globalSetup: ["@fleetwatch/db/testing-global-setup"] }
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.FLEETWATCH_TEST_PG_URL?.trim() || process.env.DATABASE_URL?.trim()) return async () => {};
  const base = await mkdtemp(path.join(os.tmpdir(), "fleetwatch-test-pg-"));
  // mkdtemp makes it private; as root, PostgreSQL runs as user postgres and must get in.
  await chmod(base, 0o755);
  try {
    const server = await startEmbeddedPostgres({ dataDir: path.join(base, "data"), port: await freePort(), fast: true });
    process.env.FLEETWATCH_TEST_PG_URL = server.url("postgres");
    return async () => {
      await server.stop();
      await rm(base, { recursive: true, force: true });
    };
  } catch (err) {
    await rm(base, { recursive: true, force: true });
    throw err;
  }
}
