import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli-main";
import { resolveSettings } from "./agent-config";
import { resolveCollector } from "./collector-config";

describe("the collector section", () => {
  it("takes the documented keys and fills in the defaults", () => {
    const { collector, problems } = resolveCollector({ adminId: "FLEETWATCH", passwordFile: "/etc/fleetwatch/tsm-admin.pw" });
    expect(problems).toEqual([]);
    expect(collector).toEqual({
      dsmadmc: null,
      stanza: null,
      adminId: "FLEETWATCH",
      passwordFile: "/etc/fleetwatch/tsm-admin.pw",
      passwordEnv: null,
      intervalMinutes: 60,
      serverLabel: "",
      utcOffsetMinutes: null,
      timeoutSeconds: 120,
    });
    const full = resolveCollector({
      dsmadmc: "C:\\Program Files\\Tivoli\\TSM\\baclient\\dsmadmc.exe",
      stanza: "TSM1",
      adminId: "FW",
      passwordEnv: "TSM_ADMIN_PASSWORD",
      intervalMinutes: 15,
      serverLabel: "tsm1",
      utcOffsetMinutes: -300,
      timeoutSeconds: 600,
    });
    expect(full.problems).toEqual([]);
  });

  it("lists every problem at once, and refuses a password written into the config", () => {
    const { collector, problems } = resolveCollector({
      password: "hunter2",
      dsmadmc: "bin/dsmadmc",
      stanza: "TSM 1",
      intervalMinutes: 1,
      utcOffsetMinutes: 61.5,
      serverLable: "x",
    });
    expect(collector).toBeNull();
    expect(problems).toEqual([
      "collector.password: never put the admin password in the config; use passwordFile or passwordEnv",
      'collector: unknown key "serverLable" (a typo?)',
      'collector.dsmadmc: must be an absolute path or a program name on PATH (got "bin/dsmadmc")',
      'collector.stanza: must be a dsm.sys server stanza name (no spaces) (got "TSM 1")',
      "collector.adminId: the TSM administrator id is required",
      "collector: name where the admin password is kept: passwordFile (a file only the agent can read) or passwordEnv",
      "collector.intervalMinutes: must be whole minutes, 5 to 10080 (got 1)",
      "collector.utcOffsetMinutes: must be whole minutes east of UTC, -840 to 840 (e.g. 60 for CET) (got 61.5)",
    ]);
    expect(problems.join("\n")).not.toContain("hunter2");
  });

  it("is a key of the agent config", () => {
    const { settings, problems } = resolveSettings({ collector: { adminId: "FW", passwordEnv: "PW" } }, {});
    expect(problems).toEqual([]);
    expect(settings?.collector?.adminId).toBe("FW");
    expect(resolveSettings({ collector: "yes" }, {}).problems).toEqual(["collector: must be an object"]);
    expect(resolveSettings({}, {}).settings?.collector).toBeNull();
  });
});

describe("fleetwatch-agent validate with a collector", () => {
  async function validate(collector: Record<string, unknown>, env: Record<string, string> = {}) {
    const dir = await mkdtemp(join(tmpdir(), "fw-validate-"));
    const config = join(dir, "cfg.json");
    await writeFile(config, JSON.stringify({ discover: false, stateDir: join(dir, "state"), collector }));
    let stdout = "";
    let stderr = "";
    const saved = { ...process.env };
    Object.assign(process.env, { PATH: dir, ...env });
    try {
      const code = await runCli(["validate", "--config", config], {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
      });
      return { code, stdout, stderr, dir };
    } finally {
      process.env = saved;
    }
  }

  it("accepts a machine that only collects (no backup node of its own) and warns of what it cannot find", async () => {
    const { code, stdout, stderr } = await validate({ adminId: "FW", passwordEnv: "FW_TEST_PW" }, { FW_TEST_PW: "x" });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain('collector: FW@default server every 60 min, label "", dsmadmc dsmadmc');
    expect(stdout).toMatch(/warning: collector: dsmadmc not found/);
  });

  it("fails on a password it cannot read, and warns of a password file others can read", async () => {
    const missing = await validate({ adminId: "FW", passwordFile: "/nonexistent/pw" });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("problem: collector: cannot read the admin password file /nonexistent/pw: no such file");

    const dir = await mkdtemp(join(tmpdir(), "fw-pw-"));
    await writeFile(join(dir, "pw"), "x\n");
    await chmod(join(dir, "pw"), 0o644);
    await writeFile(join(dir, "dsmadmc"), "#!/bin/sh\n");
    await chmod(join(dir, "dsmadmc"), 0o755);
    const open = await validate({ adminId: "FW", passwordFile: join(dir, "pw"), dsmadmc: join(dir, "dsmadmc") });
    expect(open.code).toBe(0);
    expect(open.stdout).toContain(`warning: collector: ${join(dir, "pw")} can be read by other users (mode 644); chmod 600 it`);
    expect(open.stdout).not.toMatch(/dsmadmc not found/);
  });
});
