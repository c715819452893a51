import { existsSync } from "node:fs";
import { platform } from "node:os";
import { posix, resolve, win32 } from "node:path";
import { isSea } from "node:sea";
import { parseCommandArgs, UsageError } from "../args";
import { defaultStateDir, loadCredential } from "../credential";
import type { Command } from "../io";
import { describeStep, executePlan, spawnRunner, whyNotRun } from "../service/execute";
import { planService, type ServiceAction, type ServicePlatform } from "../service/plan";

const usage = `fleetwatch-agent service install|uninstall|status [--config PATH] [--state-dir DIR] [--root DIR] [--dry-run]

Installs this executable as the OS's service running \`fleetwatch-agent run\`: a systemd unit on
Linux, a Windows service (sc.exe), a launchd daemon on macOS. Run it as root / Administrator,
from where the executable is to stay. --root DIR writes the unit under DIR instead of /
(FLEETWATCH_SERVICE_ROOT); systemctl is then not run, nor when systemd is not running.
FLEETWATCH_SYSTEMCTL names the systemctl to run. --dry-run prints what it would do
(--platform linux|win32|darwin shows another OS's).`;

const actions: readonly ServiceAction[] = ["install", "uninstall", "status"];
const platforms: readonly ServicePlatform[] = ["linux", "win32", "darwin"];

/** The command line that starts this agent: the executable itself, or node with the .mjs bundle. */
function thisProgram(): string[] {
  return isSea() ? [process.execPath] : [process.execPath, resolve(process.argv[1] ?? "fleetwatch-agent.mjs")];
}

export const serviceCommand: Command = {
  name: "service",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      config: { type: "string" },
      "state-dir": { type: "string" },
      root: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      platform: { type: "string" },
      help: { type: "boolean" },
    });
    const [action, ...extra] = positionals;
    if (!action || extra.length || !actions.includes(action as ServiceAction)) throw new UsageError(`usage: ${usage.split("\n")[0]}`);
    const here = platform();
    const target = (values.platform ?? here) as ServicePlatform;
    if (!platforms.includes(target)) throw new UsageError(`--platform must be one of ${platforms.join(", ")}`);
    if (target !== here && !values["dry-run"]) throw new UsageError(`--platform ${target} can only be shown here: add --dry-run`);
    const root = resolve(values.root ?? process.env.FLEETWATCH_SERVICE_ROOT ?? "/");
    const spec = {
      platform: target,
      program: thisProgram(),
      config: values.config && (target === "win32" ? win32 : posix).resolve(values.config),
      stateDir: values["state-dir"] && (target === "win32" ? win32 : posix).resolve(values["state-dir"]),
      root: target === "win32" ? "" : root,
    };
    const plan = planService(action as ServiceAction, spec);
    if (values["dry-run"]) {
      for (const step of plan.steps) io.stdout.write(`${describeStep(step, target)}\n`);
      if (plan.steps[0]?.kind === "write") io.stdout.write(`\n${plan.steps[0].content}`);
      return 0;
    }
    const systemctl = process.env.FLEETWATCH_SYSTEMCTL;
    const skip = whyNotRun({ platform: target, root, systemctl, systemdBooted: existsSync("/run/systemd/system") });
    const program = systemctl ? (a: string[]) => (a[0] === "systemctl" ? [systemctl, ...a.slice(1)] : a) : undefined;
    if (action === "status" && plan.file) {
      const installed = existsSync(plan.file);
      io.stdout.write(`${plan.file}: ${installed ? "installed" : "not installed"}\n`);
      await executePlan(plan, { runner: spawnRunner, out: io.stdout, skip, program, platform: target });
      return installed ? 0 : 1;
    }
    const { lastExitCode } = await executePlan(plan, { runner: spawnRunner, out: io.stdout, skip, program, platform: target });
    // Windows keeps no file: `sc.exe query` says whether the service exists (1060 when not).
    if (action === "status") return lastExitCode === 0 ? 0 : 1;
    const stateDir = spec.stateDir ?? defaultStateDir();
    if (action === "install" && !process.env.FLEETWATCH_AGENT_TOKEN && !(await loadCredential(stateDir).catch(() => null)))
      io.stderr.write(`warning: not enrolled yet (no credential in ${stateDir}): the service fails until fleetwatch-agent enroll is run\n`);
    return 0;
  },
};
