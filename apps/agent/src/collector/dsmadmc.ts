import { execFile } from "node:child_process";
import path from "node:path";

/** One dsmadmc session's login: who, where, and the deadline for its run. */
export interface AdminLogin {
  dsmadmc: string;
  stanza: string | null;
  adminId: string;
  password: string;
  timeoutMs: number;
}

interface ExecOutcome {
  /** Exit code; null when the program did not run or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not run to an exit code: spawn errors (ENOENT, EACCES), or TIMEOUT. */
  failure: string | null;
}

export type Exec = (file: string, args: string[], opts: { timeoutMs: number; cwd?: string; signal?: AbortSignal }) => Promise<ExecOutcome>;

/** child_process.execFile: no shell, so nothing in the SELECT or the password is ever interpreted. */
export const nodeExec: Exec = (file, args, opts) =>
  new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs,
        // A hung session must not outlive its deadline: SIGTERM can be ignored by a stuck client.
        killSignal: "SIGKILL",
        // NODES on a big server is megabytes; execFile's 1 MiB default would cut it off.
        maxBuffer: 512 * 1024 * 1024,
        cwd: opts.cwd,
        signal: opts.signal,
        windowsHide: true,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr, failure: null });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        if (typeof e.code === "number") return resolve({ code: e.code, stdout, stderr, failure: null });
        const failure = e.name === "AbortError" ? "ABORTED" : e.killed ? "TIMEOUT" : typeof e.code === "string" ? e.code : "FAILED";
        resolve({ code: null, stdout, stderr, failure });
      },
    );
  });

/**
 * The command line (tsm-facts.md §2.3). dsmadmc takes the admin password only as -PAssword or
 * at an interactive prompt, so it is on the command line: see INSTALL.md for what that exposes.
 */
function dsmadmcArgs(login: AdminLogin, sql: string): string[] {
  return [
    ...(login.stanza ? [`-SERVERName=${login.stanza}`] : []),
    `-ID=${login.adminId}`,
    `-PAssword=${login.password}`,
    "-DATAONLY=YES",
    "-COMMAdelimited",
    sql,
  ];
}

type SelectText = { ok: true; text: string } | { ok: false; error: string };

/** A server or client error message line (ANR/ANS, severity E or S). */
const ERROR_LINE = /^\s*(AN[RS]\d{4}[ES])\b.*$/m;

/**
 * Runs one SELECT. Exit 0, and exit 11 (ANR2034E: no rows), hand back the output to parse; any
 * other outcome is one line saying why, with the password never in it.
 */
export async function runSelect(exec: Exec, login: AdminLogin, sql: string, signal?: AbortSignal): Promise<SelectText> {
  const cwd = path.isAbsolute(login.dsmadmc) || path.win32.isAbsolute(login.dsmadmc) ? dirnameOf(login.dsmadmc) : undefined;
  const out = await exec(login.dsmadmc, dsmadmcArgs(login, sql), { timeoutMs: login.timeoutMs, cwd, signal });
  const hide = (s: string) => s.split(login.password).join("***");
  if (out.failure === "ENOENT")
    return { ok: false, error: `dsmadmc not found (${login.dsmadmc}): install the administrative client or set collector.dsmadmc` };
  if (out.failure === "EACCES") return { ok: false, error: `cannot run ${login.dsmadmc}: permission denied` };
  if (out.failure === "TIMEOUT")
    return { ok: false, error: `dsmadmc did not finish within ${login.timeoutMs / 1000} s (collector.timeoutSeconds)` };
  if (out.failure === "ABORTED") return { ok: false, error: "stopped while dsmadmc ran" };
  if (out.failure) return { ok: false, error: `cannot run ${login.dsmadmc}: ${out.failure}` };
  if (out.code === 0 || out.code === 11) return { ok: true, text: out.stdout };
  const line = ERROR_LINE.exec(out.stdout) ?? ERROR_LINE.exec(out.stderr);
  const said = line ? line[0].trim() : (out.stderr.trim().split(/\r?\n/)[0] ?? "");
  return { ok: false, error: hide(`dsmadmc exited with code ${out.code}${said ? `: ${said}` : ""}`) };
}

/** dsmadmc (Windows above all) reads its dsm.opt from the folder it starts in. */
function dirnameOf(file: string): string {
  return path.win32.isAbsolute(file) && !path.isAbsolute(file) ? path.win32.dirname(file) : path.dirname(file);
}
