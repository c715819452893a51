import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir, platform } from "node:os";
import { join } from "node:path";

export interface Credential {
  server: string;
  token: string;
  agentId: string;
}

/** Where the agent keeps its state: FLEETWATCH_STATE_DIR, else the OS's usual place. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLEETWATCH_STATE_DIR) return env.FLEETWATCH_STATE_DIR;
  if (platform() === "win32") return join(env.ProgramData ?? "C:\\ProgramData", "Fleetwatch");
  if (process.getuid?.() === 0) return "/var/lib/fleetwatch-agent";
  return join(homedir(), ".fleetwatch-agent");
}

/** Written 0600 via a temp file + rename, so a crash never leaves half a credential. */
export async function saveCredential(stateDir: string, credential: Credential): Promise<string> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, "credential.json");
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(credential, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
  return path;
}

export async function loadCredential(stateDir: string): Promise<Credential | null> {
  try {
    const parsed = JSON.parse(await readFile(join(stateDir, "credential.json"), "utf8")) as Partial<Credential>;
    if (typeof parsed.server === "string" && typeof parsed.token === "string" && typeof parsed.agentId === "string") {
      return { server: parsed.server, token: parsed.token, agentId: parsed.agentId };
    }
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`cannot read the agent credential in ${stateDir}: ${(error as Error).message}; enroll again`);
  }
}
