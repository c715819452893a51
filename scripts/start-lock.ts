import { readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

// One `pnpm start` per state folder. The lock file names the launcher and what it started, so a
// second start says where the first one is, and a start after a launcher that died (kill -9, a
// closed terminal) stops what that one left running instead of tripping over it.

export interface Running {
  launcher: number;
  url: string;
  web?: number;
  postgres?: number;
}

export class AlreadyRunning extends Error {}

const alive = (pid: number | undefined): pid is number => {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** A live pid whose command line has `word` (where /proc can tell; elsewhere a live pid counts). */
function runs(pid: number | undefined, word: string): pid is number {
  if (!alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").includes(word);
  } catch {
    return true;
  }
}

async function waitGone(pid: number, ms: number) {
  const deadline = Date.now() + ms;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

export interface StartLock {
  /** Record what this start is running, for the next start to find. */
  update(running: Omit<Running, "launcher">): Promise<void>;
  release(): Promise<void>;
}

export async function takeStartLock(stateDir: string, url: string, log: (line: string) => void): Promise<StartLock> {
  await mkdir(stateDir, { recursive: true });
  const file = join(stateDir, "fleetwatch.pid");
  const write = (running: Running, flag: "wx" | "w") => writeFile(file, `${JSON.stringify(running)}\n`, { flag, mode: 0o600 });
  for (let attempt = 0; ; attempt++) {
    try {
      await write({ launcher: process.pid, url }, "wx");
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw err;
    }
    const before = await readFile(file, "utf8")
      .then((text) => JSON.parse(text) as Running)
      .catch(() => null);
    if (before && runs(before.launcher, "start.ts")) {
      throw new AlreadyRunning(
        `already running from ${stateDir} (pid ${before.launcher}, ${before.url}): use it, or stop it (Ctrl-C in its terminal, or kill ${before.launcher})`,
      );
    }
    await stopLeftovers(before, log);
    await rm(file, { force: true });
  }
  let current: Running = { launcher: process.pid, url };
  return {
    update: async (running) => {
      current = { ...current, ...running };
      await write(current, "w");
    },
    release: () => rm(file, { force: true }),
  };
}

/** What a launcher that died left running: the web server first, then PostgreSQL (fast shutdown). */
async function stopLeftovers(before: Running | null, log: (line: string) => void) {
  const stopped: string[] = [];
  if (runs(before?.web, "next")) {
    process.kill(before.web, "SIGTERM");
    await waitGone(before.web, 10_000);
    stopped.push(`the web server (pid ${before.web})`);
  }
  if (runs(before?.postgres, "postgres")) {
    process.kill(before.postgres, "SIGINT");
    await waitGone(before.postgres, 20_000);
    stopped.push(`PostgreSQL (pid ${before.postgres})`);
  }
  if (stopped.length) log(`stopped ${stopped.join(" and ")}, left running by an earlier start that did not stop cleanly`);
}
