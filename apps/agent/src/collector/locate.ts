import path from "node:path";
import { type CollectorSettings, dsmadmcCandidates } from "../config/collector-config";
import type { Fsys } from "../fsys";

const exists = (fs: Pick<Fsys, "stat">, file: string) =>
  fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * The dsmadmc to run: the configured one, else the first usual install path that exists, else
 * the bare name for the OS to find on PATH (execFile looks it up; it needs no shell).
 */
export async function locateDsmadmc(
  c: Pick<CollectorSettings, "dsmadmc">,
  platform: NodeJS.Platform,
  fs: Pick<Fsys, "stat">,
): Promise<string> {
  if (c.dsmadmc) return c.dsmadmc;
  for (const candidate of dsmadmcCandidates(platform)) if (await exists(fs, candidate)) return candidate;
  return "dsmadmc";
}

/** For `validate`: is a bare program name on PATH? (Absolute paths are checked directly.) */
export async function onPath(program: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, fs: Pick<Fsys, "stat">): Promise<boolean> {
  const p = platform === "win32" ? path.win32 : path.posix;
  if (p.isAbsolute(program)) return exists(fs, program);
  const dirs = (env.PATH ?? env.Path ?? "").split(platform === "win32" ? ";" : ":").filter(Boolean);
  const exts = platform === "win32" && !/\.\w+$/.test(program) ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of dirs) for (const ext of exts) if (await exists(fs, p.join(dir, program + ext))) return true;
  return false;
}
