import { spawn } from "node:child_process";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The ordinary ways a start goes wrong, each tried on the smoke test's copy as a person would meet
// it: each must end in one line that says what to do, exit 1, print no stack trace, and leave
// nothing running.

export interface Ended {
  code: number | null;
  lines: string[];
}

/** `pnpm start` in `cwd`, to its end (or `timeoutMs`), with every line it printed. */
export function startToEnd(cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn("pnpm", ["start"], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (text += d.toString("utf8")));
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, lines: text.split("\n").filter((l) => l.trim()) });
    });
  });
}

/** The line a person reads as the answer: the last one before pnpm's own ELIFECYCLE. */
const answer = (ended: Ended) => ended.lines.filter((l) => !l.includes("ELIFECYCLE")).at(-1) ?? "";
const stackTrace = (ended: Ended) => ended.lines.some((l) => /^\s+at .+[:(]\d+:\d+\)?$/.test(l));

function expectOneLine(what: string, ended: Ended, pattern: RegExp): string[] {
  const problems: string[] = [];
  if (ended.code !== 1) problems.push(`${what}: exit code ${ended.code}, not 1`);
  if (!pattern.test(answer(ended))) problems.push(`${what}: ended with "${answer(ended)}", not ${pattern}`);
  if (stackTrace(ended)) problems.push(`${what}: printed a stack trace`);
  if (!problems.length) console.log(`smoke: ${what}: "${answer(ended)}"`);
  return problems;
}

/** While the product runs: a second start on the same folder, and a start on its port from another. */
export async function whileRunning(copy: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const second = await startToEnd(copy, env);
  const problems = expectOneLine(
    "a second pnpm start on the same folder",
    second,
    /^fleetwatch: already running from \S+ \(pid \d+, http:\/\/localhost:\d+\): use it, or stop it/,
  );
  const elsewhere = await mkdtemp(join(tmpdir(), "fleetwatch-smoke-home-"));
  try {
    const taken = await startToEnd(copy, { ...env, FLEETWATCH_HOME: elsewhere });
    problems.push(...expectOneLine("a start on a port in use", taken, new RegExp(`^fleetwatch: port ${env.PORT} is in use: .*set PORT`)));
  } finally {
    await rm(elsewhere, { recursive: true, force: true });
  }
  return problems;
}

/** After Ctrl-C: the web server killed under a later start, then a build that fails. */
export async function afterStop(
  copy: string,
  env: NodeJS.ProcessEnv,
  later: { waitReady: () => Promise<number>; ended: () => Promise<Ended> },
): Promise<string[]> {
  const problems: string[] = [];
  const readyIn = await later.waitReady();
  console.log(`smoke: a later start answered in ${(readyIn / 1000).toFixed(1)} s`);
  const running = JSON.parse(await readFile(join(copy, ".fleetwatch", "fleetwatch.pid"), "utf8")) as { web?: number };
  if (!running.web) problems.push("the start's lock file names no web server");
  else process.kill(running.web, "SIGKILL");
  const died = await later.ended();
  const said = died.lines.find((l) =>
    /^fleetwatch: the web server was killed \(SIGKILL: .*\); stopping the rest\. Start again with pnpm start\.$/.test(l),
  );
  if (died.code !== 1 || !said || stackTrace(died)) {
    problems.push(`the web server killed under the launcher: exit code ${died.code}, said:\n  ${died.lines.slice(-5).join("\n  ")}`);
  } else console.log(`smoke: the web server killed under the launcher: "${said}"`);

  await appendFile(join(copy, "apps/agent/src/cli.ts"), "\nconst = ;\n");
  const broken = await startToEnd(copy, env, 300_000);
  problems.push(
    ...expectOneLine(
      "a build error",
      broken,
      /^fleetwatch: the build failed \(exit code \d+\): its errors are above; the whole log is in /,
    ),
  );
  const shown = broken.lines.filter((l) => /cli\.ts/.test(l));
  if (!shown.length) problems.push(`a build error: the build's own error (naming cli.ts) was not shown:\n  ${broken.lines.join("\n  ")}`);
  else console.log(`smoke: the build's own error was shown: ${shown[0]?.trim()}`);
  return problems;
}
