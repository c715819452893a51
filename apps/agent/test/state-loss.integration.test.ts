import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestDatabase } from "@fleetwatch/db/testing";
import { expect, it } from "vitest";
import { loadConfig } from "../src/config/load";
import { loadCredential } from "../src/credential";
import { Daemon } from "../src/daemon/daemon";
import { nodeFsys } from "../src/fsys";
import { silentLogger } from "../src/log";
import { startTestServer } from "./api-server";
import { AgentFixture, compareWithServer } from "./fixture";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it("the state folder deleted under the running agent: a full resync by itself, the history still exact", async () => {
  const t = await createTestDatabase();
  const server = await startTestServer(t.db);
  const f = await AgentFixture.create({ nodes: [0, 6], nights: 20, seed: 77 });
  try {
    await f.enroll(t.db, server.url);
    await writeFile(join(f.root, "cfg.json"), JSON.stringify(f.config()));
    const { config } = await loadConfig({ configPath: join(f.root, "cfg.json"), env: {} });
    const daemon = new Daemon({
      config: config!,
      credential: (await loadCredential(f.stateDir))!,
      fs: nodeFsys,
      log: silentLogger,
      version: "test",
    });
    await daemon.start();
    const expected = f.expected();
    const windows = () => t.db.window.count({ where: { node: { name: { in: f.nodes.map((n) => n.node) } } } });
    for (let i = 0; i < 15; i++) await f.grow(40);
    await sleep(1500);
    const before = await windows();
    expect(before).toBeGreaterThan(0);

    await rm(f.stateDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 });
    while (await f.grow(40)) await sleep(20);
    const end = Date.now() + 30_000;
    let result = await compareWithServer(t.db, expected);
    while (result.problems.length && Date.now() < end) {
      await sleep(300);
      result = await compareWithServer(t.db, expected);
    }
    await daemon.stop();
    expect(result.problems).toEqual([]);
    const status = JSON.parse(await readFile(join(f.stateDir, "status.json"), "utf8")) as { fullResyncs: number };
    expect(status.fullResyncs).toBe(1);
    // The credential, still in memory, was written back: the agent can start again.
    expect((await stat(join(f.stateDir, "credential.json"))).mode & 0o777).toBe(0o600);
  } finally {
    await server.close();
    await f.cleanup();
    await t.drop();
  }
});
