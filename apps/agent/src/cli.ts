import { setFlagsFromString } from "node:v8";

// The daemon runs for years on someone else's machine: keep its memory small. Set before the
// rest of the bundle loads. undici parses HTTP with WebAssembly; compiled baseline-only it takes
// about 9 MiB less, and the agent reads a few small answers a minute. A small young generation
// suits the tailer's short-lived garbage: V8 sizes the heap before any JavaScript runs, so
// --max-semi-space-size set here changes nothing (measured: 8 MiB of young generation either way),
// while a growth factor of 1, read each time V8 would grow it, keeps it at its first 2 MiB.
if (process.argv[2] === "run") {
  setFlagsFromString("--liftoff-only");
  setFlagsFromString("--semi-space-growth-factor=1");
}
// `parse --json` streams a log of any size: its young generation would otherwise grow with the log
// (to 32 MiB on a 128 MiB one), though what it holds at any moment is one chunk's events.
if (process.argv[2] === "parse") setFlagsFromString("--semi-space-growth-factor=1");

// The copy of the agent the daemon starts to read the machine's time zone (evidence/time-zone.ts).
// The variable's name is spelled out: importing it would load that module before the check.
if (process.env.FLEETWATCH_AGENT_PRINT_TIME_ZONE === "1") {
  process.stdout.write(`${Intl.DateTimeFormat().resolvedOptions().timeZone ?? ""}\n`);
} else {
  main();
}

// No top-level await: the single executable runs this bundle as CommonJS (Node's SEA), the .mjs as ESM.
function main(): void {
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
}
