import { join } from "node:path";
import { type Fsys, isErrno } from "../fsys";

const KEEP = 10;

/**
 * Moves a damaged file or folder aside (never deletes it: someone may want to see it) under
 * `<state>/quarantine/`, keeping the newest few so a machine that keeps failing cannot fill its disk.
 */
export async function quarantine(fs: Fsys, stateDir: string, path: string, now: Date): Promise<string | null> {
  const dir = join(stateDir, "quarantine");
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const name = `${now.toISOString().replace(/[:.]/g, "-")}-${path.split(/[\\/]/).pop()}`;
  const target = join(dir, name);
  try {
    await fs.rename(path, target);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return null;
    // Cannot move it (another volume, permissions): remove it so recovery can go on.
    await fs.rm(path, { recursive: true, force: true });
    return null;
  }
  const names = (await fs.readdir(dir)).sort();
  for (const old of names.slice(0, Math.max(0, names.length - KEEP))) await fs.rm(join(dir, old), { recursive: true, force: true });
  return target;
}
