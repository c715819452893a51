import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Output } from "../io";
import { type ServicePlan, type ServicePlatform, type Step, windowsWord } from "./plan";

export interface Runner {
  /** Runs the command (no shell); its output goes to `out`. Resolves to the exit code. */
  run(argv: string[], out: Output): Promise<number>;
}

export const spawnRunner: Runner = {
  run: (argv, out) =>
    new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
      child.stdout.on("data", (d: Buffer) => out.write(d.toString()));
      child.stderr.on("data", (d: Buffer) => out.write(d.toString()));
      child.once("error", (e: NodeJS.ErrnoException) =>
        reject(new Error(e.code === "ENOENT" ? `${argv[0]} not found` : `${argv[0]}: ${e.message}`)),
      );
      child.once("close", (code) => resolve(code ?? 1));
    }),
};

/** Shown instead of running: why the OS's service manager is not called, and what to run by hand. */
export type Skip = string | null;

/**
 * Whether the service manager's commands run. A --root folder is not the running system, and
 * systemctl without systemd as PID 1 (`sd_booted()`: /run/systemd/system exists) can only fail;
 * FLEETWATCH_SYSTEMCTL (`systemctl`) names one to run all the same, e.g. a stand-in in tests.
 */
export function whyNotRun(o: { platform: ServicePlatform; root: string; systemctl?: string; systemdBooted: boolean }): Skip {
  if (o.platform === "win32") return null;
  const manager = o.platform === "linux" ? "systemctl" : "launchctl";
  if (o.platform === "linux" && o.systemctl) return null;
  if (o.root !== "/") return `--root ${o.root} is not the running system: ${manager} not run`;
  if (o.platform === "linux" && !o.systemdBooted) return "systemd is not running here (no /run/systemd/system): systemctl not run";
  return null;
}

/** A step as a line a person can paste: a command quoted the way its OS's shell reads it. */
export const describeStep = (s: Step, platform: ServicePlatform): string =>
  s.kind === "write" ? `write ${s.path}` : s.kind === "remove" ? `remove ${s.path}` : commandLine(s.argv, platform);

export const commandLine = (argv: string[], platform: ServicePlatform) =>
  argv.map(platform === "win32" ? windowsWord : shellWord).join(" ");

const shellWord = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);

/**
 * Carries the plan out: files always; commands unless `skip` says why not (then they are printed
 * for the user to run). A command that fails ends the plan with its exit code, unless it may fail.
 */
export async function executePlan(
  plan: ServicePlan,
  opts: { runner: Runner; out: Output; skip: Skip; platform: ServicePlatform; program?: (argv: string[]) => string[] },
): Promise<{ lastExitCode: number | null }> {
  const skipped: string[][] = [];
  let lastExitCode: number | null = null;
  for (const step of plan.steps) {
    if (step.kind === "write") {
      await mkdir(dirname(step.path), { recursive: true });
      await writeFile(step.path, step.content, { mode: step.mode });
      opts.out.write(`wrote ${step.path}\n`);
    } else if (step.kind === "remove") {
      if (existsSync(step.path)) {
        await rm(step.path);
        opts.out.write(`removed ${step.path}\n`);
      } else opts.out.write(`${step.path} was not there\n`);
    } else {
      const argv = opts.program ? opts.program(step.argv) : step.argv;
      if (opts.skip) {
        skipped.push(argv);
        continue;
      }
      opts.out.write(`$ ${commandLine(argv, opts.platform)}\n`);
      const code = await opts.runner.run(argv, opts.out);
      lastExitCode = code;
      if (code !== 0 && !step.mayFail) throw new Error(`${commandLine(argv, opts.platform)} exited with code ${code}`);
    }
  }
  if (skipped.length)
    opts.out.write(`${opts.skip}; run these yourself:\n${skipped.map((a) => `  ${commandLine(a, opts.platform)}\n`).join("")}`);
  return { lastExitCode };
}
