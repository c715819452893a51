import { readFileSync } from "node:fs";
import { build } from "esbuild";

// One file, nothing but Node needed on the client machine.
const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };

await build({
  entryPoints: ["src/cli.ts"],
  outfile: "dist/fleetwatch-agent.mjs",
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
