import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load";
import { nodeFsys } from "../fsys";
import type { ServerClient } from "../http";
import { createLogger } from "../log";
import { FakeDsmadmc } from "../testing/fake-dsmadmc";
import { writeServerTables } from "../testing/server-tables";
import { Daemon } from "./daemon";

const ack = { nodes: 3, newNodes: 0, schedules: 2, associations: 3, events: 0, skippedSchedules: [] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("the daemon with a collector section", () => {
  let fake: FakeDsmadmc;
  let dir: string;
  let lines: string;
  const calls: string[] = [];
  const client: ServerClient = {
    mutation: async <T>(path: string) => {
      calls.push(path);
      return (path === "ingest.serverRecords" ? ack : {}) as T;
    },
    query: async <T>() => ({}) as T,
    close: async () => {},
  };

  beforeEach(async () => {
    fake = await FakeDsmadmc.create("Daemon-Pw-42");
    await writeServerTables(fake);
    dir = await mkdtemp(join(tmpdir(), "fw-daemon-collect-"));
    lines = "";
    calls.length = 0;
    process.env.FW_DAEMON_TEST_PW = "Daemon-Pw-42";
  });
  afterEach(() => fake.cleanup());

  async function daemon(collector: Record<string, unknown> | null) {
    const file = join(dir, "cfg.json");
    const section = collector && { dsmadmc: fake.path, adminId: "FW", passwordEnv: "FW_DAEMON_TEST_PW", ...collector };
    await writeFile(
      file,
      JSON.stringify({
        discover: false,
        stateDir: join(dir, "state"),
        startupJitterSeconds: 0,
        heartbeatCron: "0 0 1 1 *",
        ...(section ? { collector: section } : { nodes: [{ node: "PC1", schedLog: join(dir, "dsmsched.log") }] }),
      }),
    );
    const { config, problems } = await loadConfig({ configPath: file, env: { FW_DAEMON_TEST_PW: "Daemon-Pw-42" } });
    expect(problems).toEqual([]);
    const d = new Daemon({
      config: config!,
      credential: { server: "http://127.0.0.1:9", token: "t", agentId: "a" },
      fs: nodeFsys,
      log: createLogger({ write: (t: string) => (lines += t) }),
      version: "test",
      client,
      random: () => 0,
    });
    return { d, file };
  }

  it("collects at start on a machine with no node of its own, and stops cleanly", async () => {
    const { d } = await daemon({});
    await d.start();
    await until("a collection", () => calls.includes("ingest.serverRecords"));
    await d.stop();
    expect(calls.filter((c) => c === "ingest.serverRecords")).toHaveLength(1);
    expect(lines).toMatch(/INFO {2}server records sent nodes=3/);
    expect((await fake.calls()).length).toBe(5);
  });

  it("keeps running when dsmadmc fails, with one line saying why", async () => {
    await fake.down();
    const { d } = await daemon({});
    await d.start();
    await until("the failure logged", () => lines.includes("server records not collected"));
    expect(lines).toMatch(/ERROR server records not collected; trying again next interval error="select from STATUS: .*ANS8023E/);
    expect(lines).not.toContain("Daemon-Pw-42");
    await d.stop();
    expect(calls).not.toContain("ingest.serverRecords");
  });

  it("starts and stops the collector when a reload adds or removes the section", async () => {
    const { d, file } = await daemon(null);
    await d.start();
    await sleep(100);
    expect(await fake.calls()).toEqual([]);
    const withCollector = JSON.parse(await import("node:fs/promises").then((fs) => fs.readFile(file, "utf8")));
    withCollector.collector = { dsmadmc: fake.path, adminId: "FW", passwordEnv: "FW_DAEMON_TEST_PW" };
    await writeFile(file, JSON.stringify(withCollector));
    await d.reload((await loadConfig({ configPath: file, env: { FW_DAEMON_TEST_PW: "Daemon-Pw-42" } })).config!);
    await until("a collection after the reload", () => calls.includes("ingest.serverRecords"));
    delete withCollector.collector;
    await writeFile(file, JSON.stringify(withCollector));
    await d.reload((await loadConfig({ configPath: file, env: { FW_DAEMON_TEST_PW: "Daemon-Pw-42" } })).config!);
    await d.stop();
  });
});
