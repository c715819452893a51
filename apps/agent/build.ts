import { readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface BuildOptions {
  /**
   * "esm": the .mjs a client runs with its own Node. "cjs": the script inside the single
   * executables (Node's SEA runs one CommonJS script; its `require` loads built-ins only).
   */
  format?: "esm" | "cjs";
  /** The Node the bundle runs on: the client's (20.19 or newer), or the executables' pinned one. */
  target?: string;
}

/** One file, nothing but Node needed on the client machine. */
export async function buildAgent(outfile = "dist/fleetwatch-agent.mjs", opts: BuildOptions = {}): Promise<string> {
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  const format = opts.format ?? "esm";
  await build({
    entryPoints: [here("src/cli.ts")],
    outfile: isAbsolute(outfile) ? outfile : here(outfile),
    bundle: true,
    platform: "node",
    target: opts.target ?? "node20",
    format,
    minify: true,
    sourcemap: false,
    legalComments: "none",
    banner:
      format === "esm"
        ? {
            js: "#!/usr/bin/env node\nimport { createRequire as __fwCreateRequire } from 'node:module'; const require = __fwCreateRequire(import.meta.url);",
          }
        : // Libraries' ESM reads import.meta.url (node-cron, at load): here the executable's own file.
          { js: "var __fwImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: {
      FLEETWATCH_VERSION: JSON.stringify(agentVersion()),
      ...(format === "cjs" ? { "import.meta.url": "__fwImportMetaUrl" } : {}),
    },
    logLevel: "warning",
  });
  return isAbsolute(outfile) ? outfile : here(outfile);
}

/** The product's version (the root package.json's), which `fleetwatch-agent --version` prints. */
export function agentVersion(): string {
  const path = fileURLToPath(new URL("../../package.json", import.meta.url));
  return (JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version ?? "0.1.0";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // esbuild has printed each error with its file and line; its stack trace would only bury them.
  await buildAgent().catch(() => {
    process.exitCode = 1;
  });
}
