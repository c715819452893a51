import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { DbSetupError } from "./errors";

// Checks on an embedded PostgreSQL data folder before a start, so the usual ways a folder goes
// wrong (another major version, a crash that left postmaster.pid, a half-made folder) end in
// one clear line instead of a postgres log dump.

export type DataDirState = "absent" | "ready";

/**
 * Says whether `dir` must be initialised, refusing folders that PostgreSQL `major` cannot use.
 * Removes a stale postmaster.pid (its process is gone); refuses when a postgres still owns it.
 */
export async function inspectDataDir(dir: string, major: number, log?: (line: string) => void): Promise<DataDirState> {
  await removeAbandonedInits(dir);
  const version = await readFile(path.join(dir, "PG_VERSION"), "utf8").catch(() => null);
  if (version === null) {
    const entries = await readdir(dir).catch(() => []);
    if (entries.length === 0) return "absent";
    throw new DbSetupError(
      "data-dir-invalid",
      `${dir} exists but is not a PostgreSQL data folder: move it away or delete it (rm -rf ${dir}) and start again`,
    );
  }
  const found = Number.parseInt(version.trim(), 10);
  if (found !== major) {
    throw new DbSetupError(
      "version-mismatch",
      `${dir} was created by PostgreSQL ${version.trim()}, but the bundled server is PostgreSQL ${major}: move it away (mv ${dir} ${dir}-pg${version.trim()}) to start with an empty database, or set DATABASE_URL to a PostgreSQL ${version.trim()} server`,
    );
  }
  await clearStaleLock(dir, log);
  return "ready";
}

async function clearStaleLock(dir: string, log?: (line: string) => void): Promise<void> {
  const file = path.join(dir, "postmaster.pid");
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return;
  const lines = text.split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  if (isPostgresProcess(pid)) {
    throw new DbSetupError(
      "already-running",
      `a PostgreSQL (pid ${pid}, port ${lines[3]?.trim() || "?"}) is still running on ${dir}, probably left over from an earlier start: stop it (kill ${pid}) and start again`,
    );
  }
  // The postmaster that wrote the file is gone (crash, kill -9, reboot): the lock is stale.
  await rm(file, { force: true });
  log?.(`removed stale ${file} (pid ${pid} is not running)`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Alive and, where /proc can tell, really a postgres: pids get reused after a reboot. */
function isPostgresProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
  } catch {
    return true; // No /proc (macOS): a live pid is treated as the owner, the safe side.
  }
}

/** A first start interrupted during initdb leaves `<dir>.init-<pid>` behind; it is never reused. */
async function removeAbandonedInits(dir: string): Promise<void> {
  const parent = path.dirname(dir);
  const prefix = `${path.basename(dir)}.init-`;
  let names: string[] = [];
  try {
    // Skip folders whose process still runs: that is a concurrent first start, not debris.
    names = readdirSync(parent).filter((n) => n.startsWith(prefix) && !isAlive(Number(n.slice(prefix.length))));
  } catch {
    return;
  }
  await Promise.all(names.map((n) => rm(path.join(parent, n), { recursive: true, force: true })));
}
