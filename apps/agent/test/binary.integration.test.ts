import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { createEnrollmentToken } from "@fleetwatch/api";
import { parseLogs } from "@fleetwatch/core/parse";
import { parseResult } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAgentBinaries, pinnedNodeVersion, SEA_FUSE } from "../binaries";
import { agentVersion } from "../build";
import { joinLines } from "../src/testing/demo-logs";
import { startTestServer, type TestServer } from "./api-server";
import { AgentFixture, compareWithServer } from "./fixture";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exec = promisify(execFile);

/**
 * The agent's single executables. The Linux one runs here as on a machine with no Node: PATH is a
 * folder without node (nor anything else), against the real API over HTTP on a real PostgreSQL.
 * The Windows one cannot run here: it is built, and checked to be a PE with the blob injected.
 */
describe("the agent's single executables", () => {
  let t: TestDatabase;
  let server: TestServer;
  let f: AgentFixture;
  let bin: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const [built] = await buildAgentBinaries({ targets: ["linux-x64"] });
    bin = built!.path;
    t = await createTestDatabase();
    server = await startTestServer(t.db);
    f = await AgentFixture.create({ nodes: [1, 5], nights: 10, seed: 77 });
    await f.grow(1e9); // the logs as a TSM client left them
    const empty = join(f.root, "empty-bin");
    await mkdir(empty);
    env = { PATH: empty, HOME: f.root, LANG: "C.UTF-8", TZ: "UTC" };
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    await f?.cleanup();
    await t?.drop();
  });

  const agent = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    exec(bin, args, { env: { ...env, ...extra }, encoding: "utf8" }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    ) as Promise<{ stdout: string; stderr: string; code?: number }>;

  it("is built on the pinned Node, and needs no node on PATH: --version, parse", async () => {
    expect(await agent(["--version"])).toMatchObject({ stdout: `${agentVersion()}\n`, stderr: "" });
    expect(await agent(["-e", "1"])).toMatchObject({
      code: 2,
      stderr: "fleetwatch-agent: unknown command '-e'; run fleetwatch-agent --help\n",
    });
    const node = f.nodes[0]!;
    const hasErrors = existsSync(node.errorLog);
    const { sched, error } = { sched: joinLines(node.lines, "sched"), error: hasErrors ? joinLines(node.lines, "error") : undefined };
    const parsed = await agent(["parse", "--json", ...(hasErrors ? ["--error-log", node.errorLog] : []), node.schedLog]);
    expect(parsed.stderr).toBe("");
    expect(parseResult.parse(JSON.parse(parsed.stdout))).toEqual(parseLogs({ sched, error }));
    // The runtime is the pinned one, not the Node running this test.
    const probe = await readFile(bin);
    expect(probe.includes(`${SEA_FUSE}:1`)).toBe(true);
    expect(probe.includes(`node-v${await pinnedNodeVersion()}`) || probe.includes(`v${await pinnedNodeVersion()}`)).toBe(true);
  });

  it("enrolls, then runs as a daemon that ships every event to the server and stops cleanly on SIGTERM", async () => {
    const { token } = await createEnrollmentToken(t.db, { createdBy: "test", note: null, ttlHours: 1, collector: false, now: new Date() });
    const enrolled = await agent(["enroll", "--server", server.url, "--token", token, "--name", "sea-box", "--state-dir", f.stateDir]);
    expect(enrolled.stderr).toBe("");
    expect(enrolled.stdout).toMatch(/^enrolled as agent \S+; credential saved to .*credential\.json\n$/);

    const config = await f.writeConfig({ logLevel: "info", heartbeatCron: "*/2 * * * * *" });
    const stderr: string[] = [];
    const child: ChildProcess = spawn(bin, ["run", "--config", config], { env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
    try {
      const expected = f.expected();
      const end = Date.now() + 120_000;
      let result = await compareWithServer(t.db, expected);
      while (result.problems.length && Date.now() < end) {
        await sleep(500);
        result = await compareWithServer(t.db, expected);
      }
      if (result.problems.length) console.error(stderr.join(""));
      expect(result.problems).toEqual([]);
      expect(result.stored).toBeGreaterThan(0);
      // Idle: caught up, beating every 2 s. What it holds in memory then, for the README.
      await sleep(8000);
      const status = await readFile(`/proc/${child.pid}/status`, "utf8");
      const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1]);
      const rssKiB = kib("VmRSS");
      const mib = (k: number) => `${(k / 1024).toFixed(1)} MiB`;
      // RssFile: the executable's own pages, mapped from disk (shared, dropped under pressure).
      console.log(
        `single executable (linux-x64): idle RSS ${mib(rssKiB)} (anonymous ${mib(kib("RssAnon"))}, file ${mib(kib("RssFile"))}) after shipping ${result.stored} windows`,
      );
      // The systemd unit it installs caps the service at 256 MiB.
      expect(rssKiB).toBeLessThan(256 * 1024);
      const beats = await t.db.heartbeat.count({ where: { node: { name: { in: f.nodes.map((n) => n.node) } } } });
      expect(beats).toBeGreaterThan(0);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(stderr.join("")).toContain("fleetwatch-agent started");
  });

  it("installs itself as a systemd service in a throwaway root, running systemctl only when told which", async () => {
    const root = join(f.root, "sysroot");
    const unit = join(root, "etc/systemd/system/fleetwatch-agent.service");
    // No systemctl to run against a root folder: the unit is written, the commands printed.
    const plain = await agent(["service", "install", "--root", root, "--state-dir", f.stateDir]);
    expect(plain.stderr).toBe("");
    expect(plain.stdout).toBe(
      `wrote ${unit}\n--root ${root} is not the running system: systemctl not run; run these yourself:\n` +
        "  systemctl daemon-reload\n  systemctl enable --now fleetwatch-agent.service\n",
    );
    const text = await readFile(unit, "utf8");
    // The executable itself, no node: what makes it run on a machine without Node.
    expect(text).toContain(`\nExecStart=${bin} run --state-dir ${f.stateDir}\n`);
    expect(await agent(["service", "status", "--root", root])).toMatchObject({ stdout: expect.stringMatching(/: installed\n/) });

    // A stand-in systemctl that records how it was called.
    const calls = join(f.root, "systemctl.calls");
    const fake = join(f.root, "fake-systemctl");
    await writeFile(fake, `#!/bin/sh\necho "$*" >> ${calls}\n`);
    await chmod(fake, 0o755);
    const withFake = { FLEETWATCH_SYSTEMCTL: fake };
    const installed = await agent(["service", "install", "--root", root], withFake);
    expect(installed.stdout).toBe(`wrote ${unit}\n$ ${fake} daemon-reload\n$ ${fake} enable --now fleetwatch-agent.service\n`);
    expect(installed.stderr).toMatch(
      /^warning: not enrolled yet \(no credential in \S+\): the service fails until fleetwatch-agent enroll is run\n$/,
    );
    const removed = await agent(["service", "uninstall", "--root", root], withFake);
    expect(removed).toMatchObject({ stderr: "" });
    expect(existsSync(unit)).toBe(false);
    expect(await readFile(calls, "utf8")).toBe(
      "daemon-reload\nenable --now fleetwatch-agent.service\ndisable --now fleetwatch-agent.service\ndaemon-reload\n",
    );
    expect(await agent(["service", "status", "--root", root])).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/: not installed\n/),
    });
    expect(await agent(["service", "install", "--platform", "win32"])).toMatchObject({
      code: 2,
      stderr: "fleetwatch-agent service: --platform win32 can only be shown here: add --dry-run\n",
    });
  });

  it("builds the Windows executable: a PE with the same blob injected and its fuse flipped", async () => {
    const [built] = await buildAgentBinaries({ targets: ["win-x64"] });
    const exe = await readFile(built!.path);
    expect(exe.subarray(0, 2).toString("latin1")).toBe("MZ");
    expect(exe.includes(`${SEA_FUSE}:1`)).toBe(true);
    expect(exe.includes(`${SEA_FUSE}:0`)).toBe(false);
    // PE resource names are UTF-16.
    expect(exe.includes(Buffer.from("NODE_SEA_BLOB", "utf16le"))).toBe(true);
    const [linux] = await buildAgentBinaries({ targets: ["linux-x64"] });
    console.log(
      `single executables: linux-x64 ${(linux!.bytes / 2 ** 20).toFixed(1)} MiB, win-x64 ${(built!.bytes / 2 ** 20).toFixed(1)} MiB (Node ${await pinnedNodeVersion()})`,
    );
  });
});
