import { execFile } from "node:child_process";
import { connect } from "node:net";
import path from "node:path";
import type { Fsys } from "../fsys";

/** Does the TSM server answer a TCP connect? (What ANS1017E would say too late, asked every beat.) */
export function tcpReachable(host: string, port: number, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export type SchedulerKind = "dsmcad" | "dsmc-sched" | "windows-service";
export interface SchedulerProcess {
  kind: SchedulerKind;
  /** Lower-cased command line: `-se=NAME` / `-optfile=PATH` tell which node it serves. */
  args: string;
}

/** A command line -> the TSM scheduler it is, if any. */
export function schedulerOf(commandLine: string): SchedulerProcess | null {
  const args = commandLine.toLowerCase().replace(/\0/g, " ").trim();
  // Windows paths have spaces ("c:\program files\..."): the executable ends at ".exe" there.
  const dotExe = args.indexOf(".exe");
  const program = (dotExe >= 0 ? args.slice(0, dotExe) : (args.split(/\s+/)[0] ?? "")).replace(/^"/, "");
  const exe = program.split(/[\\/]/).pop() ?? "";
  if (exe === "dsmcad") return { kind: "dsmcad", args };
  if (exe === "dsmcsvc") return { kind: "windows-service", args };
  // `dsmc sched`, `dsmc schedule`, `dsmc sch`, with options before or after.
  const rest = dotExe >= 0 ? args.slice(dotExe + 4) : args.slice(program.length);
  if (exe === "dsmc" && /\ssch(ed(ule)?)?(\s|$)/.test(` ${rest.trim()} `)) return { kind: "dsmc-sched", args };
  return null;
}

export type ProcessLister = () => Promise<string[]>;

/** Command lines of running processes: /proc on Linux, ps on other Unix, tasklist on Windows. */
export function processLister(platform: NodeJS.Platform, fs: Fsys): ProcessLister {
  if (platform === "linux") {
    return async () => {
      const out: string[] = [];
      for (const pid of await fs.readdir("/proc").catch(() => [] as string[])) {
        if (!/^\d+$/.test(pid)) continue;
        const cmd = await fs.readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
        if (cmd) out.push(cmd.replace(/\0+$/, ""));
      }
      return out;
    };
  }
  if (platform === "win32") {
    return () =>
      run("tasklist", ["/FO", "CSV", "/NH"]).then((text) => text.split(/\r?\n/).map((l) => l.split('","')[0]!.replace(/^"/, "")));
  }
  return () => run("ps", ["-axww", "-o", "command="]).then((text) => text.split("\n"));
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: 10_000, maxBuffer: 8 * 1024 * 1024, windowsHide: true }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
}

/**
 * Which scheduler serves this node: one that names its stanza (`-se=`) or options file
 * (`-optfile=`); else one naming none serves the default node (the first of its options file).
 */
export function schedulerFor(
  procs: SchedulerProcess[],
  node: { stanza: string | null; optionsFile: string | null; isDefault: boolean },
): SchedulerProcess | null {
  const stanza = node.stanza?.toLowerCase();
  const opt = node.optionsFile?.toLowerCase();
  const named = procs.find(
    (p) =>
      (stanza && new RegExp(`-(se|servername)[= ]+"?${escapeRegExp(stanza)}"?(\\s|$)`).test(p.args)) ||
      (opt && (p.args.includes(`-optfile=${opt}`) || p.args.includes(`-optfile="${opt}"`))),
  );
  if (named) return named;
  return node.isDefault ? (procs.find((p) => !/-(se|servername|optfile)[= ]/.test(p.args)) ?? null) : null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const DOMAIN_KEYWORDS = /^(all-local|all-nfs|all-auto-nfs|all-lofs|all-auto-lofs|all-auto-smbfs|all-smbfs|systemstate|systemobject)$/i;

/**
 * The DOMAIN check the guide asks a person to do (ANS1071E "Invalid domain name"): is every
 * named entry a file system here? On Unix a mount point; on Windows a drive or share that exists.
 */
export async function checkDomains(
  entries: string[],
  platform: NodeJS.Platform,
  fs: Fsys,
): Promise<Array<{ name: string; ok: boolean | null; reason: string | null }>> {
  const out: Array<{ name: string; ok: boolean | null; reason: string | null }> = [];
  for (const name of entries.slice(0, 64)) {
    if (DOMAIN_KEYWORDS.test(name) || name.startsWith("-")) continue;
    if (platform === "win32") {
      const root = /^[a-z]:$/i.test(name) ? `${name}\\` : name;
      const ok = await fs.stat(root).then(
        () => true,
        () => false,
      );
      out.push({ name, ok, reason: ok ? null : "no such drive or share" });
      continue;
    }
    try {
      const st = await fs.stat(name);
      if (!st.isDirectory()) {
        out.push({ name, ok: false, reason: "not a directory" });
        continue;
      }
      const parent = name === "/" ? null : await fs.stat(path.dirname(name));
      const mount = parent === null || parent.dev !== st.dev;
      out.push({ name, ok: mount, reason: mount ? null : "a directory, not a file system (mount point)" });
    } catch {
      out.push({ name, ok: false, reason: "does not exist" });
    }
  }
  return out;
}
