import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

/** Packages a running product needs built: the web app and the agent bundle the demo ships with. */
const TARGETS = ["--filter=@fleetwatch/web", "--filter=@fleetwatch/agent"];

export class BuildError extends Error {}

/**
 * Build what changed (turbo caches the rest). The whole output goes to `<logDir>/build.log`; on a
 * failure the build's own error lines are printed before the one-line error, so a person sees why
 * without opening the log.
 */
export async function buildProduct(opts: { repoRoot: string; logDir: string; print?: (line: string) => void }): Promise<number> {
  const print = opts.print ?? ((line: string) => console.error(line));
  await mkdir(opts.logDir, { recursive: true });
  const logFile = join(opts.logDir, "build.log");
  const log = createWriteStream(logFile);
  const started = Date.now();
  const child = spawn("pnpm", ["exec", "turbo", "run", "build", ...TARGETS, "--output-logs=full", "--ui=stream"], {
    cwd: opts.repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
  });
  const lines: string[] = [];
  let partial = "";
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    const parts = (partial + chunk.toString("utf8")).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
    if (lines.length > 5000) lines.splice(0, lines.length - 5000);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  if (partial) lines.push(partial);
  await new Promise((resolve) => log.end(resolve));
  if (outcome.error) throw new BuildError(`the build could not start (${outcome.error.message}): is pnpm installed and on PATH?`);
  if (outcome.code !== 0) {
    const own = buildErrorLines(lines);
    for (const line of own) print(`  ${line}`);
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `failed (exit code ${outcome.code})`;
    throw new BuildError(`the build ${how}${own.length ? ": its errors are above" : ""}; the whole log is in ${logFile}`);
  }
  return Date.now() - started;
}

/**
 * The lines of a failed build that say what is wrong: the failed tasks' own output (turbo names
 * them in its summary), without turbo's prefixes and summary, nor stack frames, which say where a
 * tool failed rather than what is wrong. Other tasks' warnings are not this failure.
 */
export function buildErrorLines(lines: string[], max = 40): string[] {
  const plain = lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").trimEnd());
  const failed = new Set(
    plain
      .filter((l) => /^\s*Failed:\s/.test(l))
      .flatMap((l) => l.replace(/^\s*Failed:\s*/, "").split(/[\s,]+/))
      .filter(Boolean)
      .map((task) => task.replace("#", ":")),
  );
  const noise = /^(\s*ELIFECYCLE|\s*ERROR\s+(run failed|command)|\s*> |.*cache (miss|hit|bypass)|\s*$)/;
  const frame = /^\s*at .+:\d+:\d+\)?$/;
  const own = plain
    .filter((l) => [...failed].some((task) => l.startsWith(`${task}: `)))
    .map((l) => l.replace(/^@fleetwatch\/[\w-]+:[\w-]+: /, ""))
    .filter((l) => !noise.test(l) && !frame.test(l));
  if (own.length) return own.slice(-max);
  // No task named (turbo itself failed): what it said last.
  return plain.filter((l) => l.trim() && !frame.test(l) && !/^\s*ELIFECYCLE/.test(l)).slice(-15);
}
