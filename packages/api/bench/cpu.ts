import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

// CPU time, ours and PostgreSQL's: on a busy machine wall-clock figures suffer, CPU-time ones much less.

/** Linux clock ticks per second (USER_HZ): 100 on every mainstream kernel. */
const TICKS = 100;

/**
 * CPU seconds used so far by the PostgreSQL server whose data folder this is: the postmaster,
 * its live children (backends, WAL writer, checkpointer...) and the children it has reaped.
 * Null where /proc is unavailable.
 */
export function postgresCpuSeconds(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const stat = (p: number | string) => {
      const text = readFileSync(`/proc/${p}/stat`, "utf8");
      // Fields after the command name (which may hold spaces), counted from field 3.
      return text.slice(text.lastIndexOf(")") + 2).split(" ");
    };
    const own = stat(pid);
    // utime, stime, cutime, cstime are fields 14-17: indices 11-14 after the name.
    let ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(own[i]), 0);
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const f = stat(entry);
        if (Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        // The process ended while we looked.
      }
    }
    return ticks / TICKS;
  } catch {
    return null;
  }
}

export const processCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** A V8 CPU profile of `work`, written to `file` (open it in Chrome DevTools or speedscope). */
export async function profiled<T>(file: string | null, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
