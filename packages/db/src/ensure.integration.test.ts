import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "./client";
import { freePort } from "./embedded";
import { DbSetupError, ensureDatabase } from "./ensure";
import { readMigrations } from "./migrate";
import { createTestDatabase } from "./testing";

// ensureDatabase against real embedded PostgreSQL servers in throwaway data folders.

let base: string;
let n = 0;
const dataDir = () => path.join(base, `pg-${++n}`);

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), "fleetwatch-ensure-test-"));
  await chmod(base, 0o755); // as root, PostgreSQL runs as user postgres and must get in
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function setupError(promise: Promise<unknown>): Promise<DbSetupError> {
  const err = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DbSetupError);
  expect((err as Error).message).not.toContain("\n");
  return err as DbSetupError;
}

/** postgres processes whose command line names `dir`: what Ctrl-C must leave none of. */
function postgresOn(dir: string): number[] {
  return readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return cmd.includes("postgres") && cmd.includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("ensureDatabase with the embedded server", () => {
  it("starts, migrates, keeps the data, clears a stale lock file, and refuses a second server on the folder", async () => {
    const dir = dataDir();
    const names = (await readMigrations()).map((m) => m.name);

    const first = await ensureDatabase({ env: {}, dataDir: dir, port: await freePort() });
    expect(first).toMatchObject({ embedded: true, applied: names });
    expect(first.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/fleetwatch$/);
    const db = createDb(first.url);
    await db.setting.create({ data: { key: "kept", value: { between: "starts" } } });
    await db.$disconnect();

    const other = await setupError(ensureDatabase({ env: {}, dataDir: dir, port: await freePort() }));
    expect(other.code).toBe("already-running");
    expect(other.message).toMatch(/^a PostgreSQL \(pid \d+, port \d+\) is still running on .*: stop it \(kill \d+\) and start again$/);

    await first.stop();
    await first.stop(); // idempotent
    expect(postgresOn(dir)).toEqual([]);

    // A postmaster.pid whose process is gone, as after a crash or kill -9.
    await writeFile(path.join(dir, "postmaster.pid"), `999999\n${dir}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
    const logs: string[] = [];
    const second = await ensureDatabase({ env: {}, dataDir: dir, port: await freePort(), log: (l) => logs.push(l) });
    try {
      expect(second.applied).toEqual([]);
      expect(logs.join("\n")).toContain("removed stale");
      const again = createDb(second.url);
      expect((await again.setting.findUniqueOrThrow({ where: { key: "kept" } })).value).toEqual({ between: "starts" });
      await again.$disconnect();
    } finally {
      await second.stop();
    }
  });

  it("says in one line that the port is taken", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const err = await setupError(ensureDatabase({ env: { FLEETWATCH_PG_PORT: String(port) }, dataDir: dataDir() }));
      expect(err.code).toBe("port-in-use");
      expect(err.message).toBe(`port ${port} is in use: set FLEETWATCH_PG_PORT to a free port or stop the other server`);
    } finally {
      blocker.close();
    }
  });

  it("refuses a data folder from another PostgreSQL major version", async () => {
    const dir = dataDir();
    await mkdir(dir);
    await writeFile(path.join(dir, "PG_VERSION"), "16\n");
    const err = await setupError(ensureDatabase({ env: {}, dataDir: dir, port: await freePort() }));
    expect(err.code).toBe("version-mismatch");
    expect(err.message).toMatch(/was created by PostgreSQL 16, but the bundled server is PostgreSQL \d+: move it away \(mv .* .*-pg16\)/);
  });

  it("refuses a folder that is not a data folder", async () => {
    const dir = dataDir();
    await mkdir(dir);
    await writeFile(path.join(dir, "notes.txt"), "mine");
    const err = await setupError(ensureDatabase({ env: {}, dataDir: dir, port: await freePort() }));
    expect(err.code).toBe("data-dir-invalid");
  });

  it.runIf(process.getuid?.() === 0)("names the private folder that keeps PostgreSQL (user postgres) out", async () => {
    const closed = path.join(base, "private");
    await mkdir(closed, { mode: 0o700 });
    const err = await setupError(ensureDatabase({ env: {}, dataDir: path.join(closed, "pg"), port: await freePort() }));
    expect(err.code).toBe("data-dir-unreachable");
    expect(err.message).toContain(`${closed} is private; chmod o+x ${closed}, or set FLEETWATCH_PG_DIR`);
  });

  it("rejects a FLEETWATCH_PG_PORT that is not a port", async () => {
    const err = await setupError(ensureDatabase({ env: { FLEETWATCH_PG_PORT: "fifty" }, dataDir: dataDir() }));
    expect(err).toMatchObject({
      code: "bad-config",
      message: 'FLEETWATCH_PG_PORT must be a port number (1-65535), not "fifty": fix or unset it',
    });
  });
});

describe("ensureDatabase with DATABASE_URL", () => {
  it("migrates that database and starts nothing", async () => {
    const target = await createTestDatabase({ migrate: false });
    try {
      const url = `${target.url}?schema=public`; // Prisma-style URLs carry a schema
      const handle = await ensureDatabase({ env: { DATABASE_URL: url, FLEETWATCH_PG_PORT: "nonsense" } });
      expect(handle).toMatchObject({ url, embedded: false });
      expect(handle.applied.length).toBeGreaterThan(0);
      await handle.stop();
      expect(await target.db.user.count()).toBe(0);

      const other = await setupError(ensureDatabase({ env: { DATABASE_URL: `${target.url}?schema=fleet` } }));
      expect(other.code).toBe("bad-config");
      expect(other.message).toContain('asks for schema "fleet"');
    } finally {
      await target.drop();
    }
  });
});

describe("stopOnSignals", () => {
  const child = fileURLToPath(new URL("./ensure.signal-child.ts", import.meta.url));

  // Ctrl-C in a terminal signals the whole foreground process group; `kill` signals one process.
  it.each([
    { signal: "SIGINT", to: "the process group (Ctrl-C)", code: 130 },
    { signal: "SIGTERM", to: "the process", code: 143 },
  ] as const)(
    "on $signal to $to: runs the app's shutdown with the database up, then stops PostgreSQL and exits",
    async ({ signal, code }) => {
      const dir = dataDir();
      const proc = spawn(process.execPath, ["--import", "tsx", child, dir, String(await freePort())], {
        cwd: path.dirname(child),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true, // a group of its own, like a shell job
      });
      let output = "";
      proc.stdout.on("data", (chunk) => (output += chunk));
      proc.stderr.on("data", (chunk) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => proc.on("exit", (exitCode) => resolve(exitCode)));

      await expect.poll(() => output, { timeout: 30_000, interval: 100 }).toContain("READY");
      expect(postgresOn(dir).length).toBeGreaterThan(0);
      process.kill(signal === "SIGINT" ? -(proc.pid ?? 0) : (proc.pid ?? 0), signal);

      expect(await exited).toBe(code);
      expect(output).toContain("app shut down");
      expect(postgresOn(dir)).toEqual([]);
    },
  );
});
