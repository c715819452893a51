import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executePlan, type Runner } from "./execute";
import { planService } from "./plan";

const root = mkdtempSync(join(tmpdir(), "fw-service-"));

/** Stands in for sc.exe / systemctl: records each command line and answers with the given codes. */
function recorder(codes: Record<string, number> = {}) {
  const calls: string[] = [];
  const runner: Runner = {
    run: async (argv, out) => {
      calls.push(argv.join(" "));
      out.write(`(${argv[1]})\n`);
      return codes[argv[1]!] ?? 0;
    },
  };
  return { calls, runner };
}

const output = () => {
  let text = "";
  return { out: { write: (s: string) => (text += s) }, text: () => text };
};

describe("carrying out a service plan", () => {
  it("writes the unit 0644 and runs the commands in order", async () => {
    const { calls, runner } = recorder();
    const o = output();
    const plan = planService("install", { platform: "linux", program: ["/usr/local/bin/fleetwatch-agent"], root });
    await executePlan(plan, { runner, out: o.out, skip: null, platform: "linux" });
    expect(calls).toEqual(["systemctl daemon-reload", "systemctl enable --now fleetwatch-agent.service"]);
    expect(readFileSync(plan.file!, "utf8")).toContain("ExecStart=/usr/local/bin/fleetwatch-agent run\n");
    expect(statSync(plan.file!).mode & 0o777).toBe(0o644);
  });

  it("prints the commands instead of running them when told why not", async () => {
    const { calls, runner } = recorder();
    const o = output();
    const plan = planService("uninstall", { platform: "linux", program: ["/x"], root });
    await executePlan(plan, { runner, out: o.out, skip: "systemd is not running here", platform: "linux" });
    expect(calls).toEqual([]);
    expect(o.text()).toBe(
      `removed ${plan.file}\nsystemd is not running here; run these yourself:\n  systemctl disable --now fleetwatch-agent.service\n  systemctl daemon-reload\n`,
    );
  });

  it("goes on past a command that may fail, stops at one that may not, and tells the last exit code", async () => {
    const windows = { platform: "win32" as const, program: ["C:\\fw.exe"], root: "" };
    const notRunning = recorder({ stop: 1062 });
    await executePlan(planService("uninstall", windows), { runner: notRunning.runner, out: output().out, skip: null, platform: "win32" });
    expect(notRunning.calls).toEqual(["sc.exe stop FleetwatchAgent", "sc.exe delete FleetwatchAgent"]);

    const denied = recorder({ create: 5 });
    await expect(
      executePlan(planService("install", windows), { runner: denied.runner, out: output().out, skip: null, platform: "win32" }),
    ).rejects.toThrow(/^sc\.exe create FleetwatchAgent binPath= "C:\\fw\.exe run" .* exited with code 5$/);
    expect(denied.calls).toHaveLength(1);

    const missing = recorder({ query: 1060 });
    const status = await executePlan(planService("status", windows), {
      runner: missing.runner,
      out: output().out,
      skip: null,
      platform: "win32",
    });
    expect(status.lastExitCode).toBe(1060);
  });
});
