import { describe, expect, it } from "vitest";
import { commandLine, whyNotRun } from "./execute";
import { launchdPlist, planService, type ServiceSpec, systemdUnit, systemdWord, windowsWord } from "./plan";

const linux: ServiceSpec = { platform: "linux", program: ["/usr/local/bin/fleetwatch-agent"], root: "/" };
const windows: ServiceSpec = {
  platform: "win32",
  program: ["C:\\Program Files\\Fleetwatch\\fleetwatch-agent.exe"],
  root: "",
  stateDir: "D:\\Fleetwatch State\\",
};

describe("service plans", () => {
  it("Linux install: writes the unit, reloads systemd, enables and starts it", () => {
    const plan = planService("install", { ...linux, root: "/tmp/r" });
    expect(plan.file).toBe("/tmp/r/etc/systemd/system/fleetwatch-agent.service");
    expect(plan.steps.map((s) => (s.kind === "run" ? s.argv.join(" ") : `${s.kind} ${s.path}`))).toEqual([
      "write /tmp/r/etc/systemd/system/fleetwatch-agent.service",
      "systemctl daemon-reload",
      "systemctl enable --now fleetwatch-agent.service",
    ]);
    expect(plan.steps[0]).toMatchObject({ mode: 0o644 });
  });

  it("Linux uninstall: stops and disables before removing the unit (a stop that fails is not fatal)", () => {
    const plan = planService("uninstall", linux);
    expect(plan.steps).toEqual([
      { kind: "run", argv: ["systemctl", "disable", "--now", "fleetwatch-agent.service"], mayFail: true },
      { kind: "remove", path: "/etc/systemd/system/fleetwatch-agent.service" },
      { kind: "run", argv: ["systemctl", "daemon-reload"] },
    ]);
  });

  it("the unit runs `run` with the options given, words quoted the way systemd reads them", () => {
    const unit = systemdUnit({
      ...linux,
      program: ["/opt/My Agent/fleetwatch-agent"],
      config: "/etc/fw 100%.json",
      stateDir: "/var/lib/$fw",
    });
    expect(unit).toContain('\nExecStart="/opt/My Agent/fleetwatch-agent" run --config "/etc/fw 100%%.json" --state-dir "/var/lib/$$fw"\n');
    expect(unit).toContain("\nRestart=always\n");
    expect(unit).toContain("\nWantedBy=multi-user.target\n");
    expect(systemdWord('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    // The .mjs bundle under node: two words.
    expect(systemdUnit({ ...linux, program: ["/usr/bin/node", "/opt/fleetwatch/fleetwatch-agent.mjs"] })).toContain(
      "\nExecStart=/usr/bin/node /opt/fleetwatch/fleetwatch-agent.mjs run\n",
    );
  });

  it("Windows install: sc.exe create (binPath= the whole command line), description, restart on failure, start", () => {
    const plan = planService("install", windows);
    expect(plan.file).toBeNull();
    expect(plan.steps.map((s) => (s.kind === "run" ? s.argv : s))).toEqual([
      [
        "sc.exe",
        "create",
        "FleetwatchAgent",
        "binPath=",
        '"C:\\Program Files\\Fleetwatch\\fleetwatch-agent.exe" run --state-dir "D:\\Fleetwatch State\\\\"',
        "start=",
        "delayed-auto",
        "DisplayName=",
        "Fleetwatch agent",
      ],
      ["sc.exe", "description", "FleetwatchAgent", "Fleetwatch agent (IBM Storage Protect scheduler logs)"],
      ["sc.exe", "failure", "FleetwatchAgent", "reset=", "86400", "actions=", "restart/10000/restart/10000/restart/60000"],
      ["sc.exe", "start", "FleetwatchAgent"],
    ]);
    // As an administrator types it at cmd.exe (what --dry-run prints).
    expect(commandLine((plan.steps[0] as { argv: string[] }).argv, "win32")).toBe(
      'sc.exe create FleetwatchAgent binPath= "\\"C:\\Program Files\\Fleetwatch\\fleetwatch-agent.exe\\" run --state-dir \\"D:\\Fleetwatch State\\\\\\\\\\"" start= delayed-auto DisplayName= "Fleetwatch agent"',
    );
  });

  it("Windows uninstall and status", () => {
    expect(planService("uninstall", windows).steps).toEqual([
      { kind: "run", argv: ["sc.exe", "stop", "FleetwatchAgent"], mayFail: true },
      { kind: "run", argv: ["sc.exe", "delete", "FleetwatchAgent"] },
    ]);
    expect(planService("status", windows).steps).toEqual([{ kind: "run", argv: ["sc.exe", "query", "FleetwatchAgent"], mayFail: true }]);
  });

  it("quotes Windows words as the C runtime reads them back", () => {
    expect(windowsWord("plain")).toBe("plain");
    expect(windowsWord("")).toBe('""');
    expect(windowsWord("two words")).toBe('"two words"');
    expect(windowsWord('say "hi"')).toBe('"say \\"hi\\""');
    expect(windowsWord("C:\\dir with space\\")).toBe('"C:\\dir with space\\\\"');
    expect(windowsWord('a\\"b')).toBe('"a\\\\\\"b"');
  });

  it("macOS: a LaunchDaemon plist, bootstrapped into the system domain", () => {
    const spec: ServiceSpec = { platform: "darwin", program: ["/usr/local/bin/fleetwatch-agent"], root: "/", config: "/etc/a&b.json" };
    const plan = planService("install", spec);
    expect(plan.file).toBe("/Library/LaunchDaemons/org.fleetwatch.agent.plist");
    expect(plan.steps[1]).toEqual({
      kind: "run",
      argv: ["launchctl", "bootstrap", "system", "/Library/LaunchDaemons/org.fleetwatch.agent.plist"],
    });
    expect(launchdPlist(spec)).toContain(
      "<string>/usr/local/bin/fleetwatch-agent</string>\n    <string>run</string>\n    <string>--config</string>\n    <string>/etc/a&amp;b.json</string>",
    );
    expect(planService("uninstall", spec).steps[0]).toEqual({
      kind: "run",
      argv: ["launchctl", "bootout", "system/org.fleetwatch.agent"],
      mayFail: true,
    });
  });

  it("runs the service manager only on the running system, with systemd as PID 1, unless told which systemctl", () => {
    expect(whyNotRun({ platform: "linux", root: "/", systemdBooted: true })).toBeNull();
    expect(whyNotRun({ platform: "linux", root: "/", systemdBooted: false })).toBe(
      "systemd is not running here (no /run/systemd/system): systemctl not run",
    );
    expect(whyNotRun({ platform: "linux", root: "/tmp/r", systemdBooted: true })).toBe(
      "--root /tmp/r is not the running system: systemctl not run",
    );
    expect(whyNotRun({ platform: "linux", root: "/tmp/r", systemdBooted: false, systemctl: "/tmp/fake" })).toBeNull();
    expect(whyNotRun({ platform: "darwin", root: "/tmp/r", systemdBooted: false })).toBe(
      "--root /tmp/r is not the running system: launchctl not run",
    );
    expect(whyNotRun({ platform: "win32", root: "", systemdBooted: false })).toBeNull();
  });
});
