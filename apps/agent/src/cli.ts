import { setFlagsFromString } from "node:v8";

// The daemon runs for years on someone else's machine: keep its memory small. Set before the
// rest of the bundle loads. undici parses HTTP with WebAssembly; compiled baseline-only it takes
// about 9 MiB less, and the agent reads a few small answers a minute. A small young generation
// suits the tailer's short-lived garbage.
if (process.argv[2] === "run") {
  setFlagsFromString("--liftoff-only");
  setFlagsFromString("--max-semi-space-size=1");
}

// No top-level await: the single executable runs this bundle as CommonJS (Node's SEA), the .mjs as ESM.
import("./cli-main")
  .then(({ runCli }) => runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // Last line of defence: a user never sees a stack trace.
      process.stderr.write(`fleetwatch-agent: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
