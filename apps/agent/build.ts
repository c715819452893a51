import { readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** One file, nothing but Node needed on the client machine. */
export async function buildAgent(outfile = "dist/fleetwatch-agent.mjs"): Promise<string> {
  const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
  const { version } = JSON.parse(readFileSync(here("../../package.json"), "utf8")) as { version?: string };
  await build({
    entryPoints: [here("src/cli.ts")],
    outfile: isAbsolute(outfile) ? outfile : here(outfile),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __fwCreateRequire } from 'node:module'; const require = __fwCreateRequire(import.meta.url);",
    },
    define: { FLEETWATCH_VERSION: JSON.stringify(version ?? "0.1.0") },
    logLevel: "warning",
  });
  return isAbsolute(outfile) ? outfile : here(outfile);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // esbuild has printed each error with its file and line; its stack trace would only bury them.
  await buildAgent().catch(() => {
    process.exitCode = 1;
  });
}
