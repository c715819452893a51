import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ScheduleEvent } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shipCommand } from "../src/commands/ship";
import { statusCommand } from "../src/commands/status";
import { loadConfig } from "../src/config/load";
import { loadCredential } from "../src/credential";
import { Daemon } from "../src/daemon/daemon";
import { nodeFsys } from "../src/fsys";
import { silentLogger } from "../src/log";
import { joinLines } from "../src/testing/demo-logs";
import { startTestServer, type TestServer } from "./api-server";
import { AgentFixture, compareWithServer } from "./fixture";

const POISON = 4294967296;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** A night whose run ends `Return code = 4294967296.`: more than the column holds. */
function poisonSecondFailure(f: AgentFixture): void {
  const n = f.nodes[0]!;
  let seen = 0;
  n.lines = n.lines.map((l) =>
    l.file === "sched" && l.text.includes("Return code = 12.") && ++seen === 2
      ? { ...l, text: l.text.replace("= 12.", `= ${POISON}.`) }
      : l,
  );
  expect(seen).toBeGreaterThan(2);
}

/** What the server must hold: every run but the poisoned one. */
function expectedWithoutPoison(f: AgentFixture): Map<string, ScheduleEvent[]> {
  const all = f.expected();
  for (const [node, events] of all)
    all.set(
      node,
      events.filter((e) => e.returnCode !== POISON),
    );
  expect([...f.expected().values()].flat().filter((e) => e.returnCode === POISON)).toHaveLength(1);
  return all;
}

/**
 * The server's windows against every run but the poisoned one. The poisoned night may stand as
 * the snapshot the agent sent while it ran (in progress, no return code): never as the poison.
 */
async function compareOthers(f: AgentFixture): Promise<string[]> {
  const poisoned = [...f.expected().values()].flat().find((e) => e.returnCode === POISON)!;
  const key = `${poisoned.schedule} ${poisoned.scheduledStart}`;
  const { problems } = await compareWithServer(t.db, expectedWithoutPoison(f));
  const stored = await t.db.window.findMany({
    where: { node: { name: f.nodes[0]!.node }, schedule: poisoned.schedule, localStart: poisoned.scheduledStart! },
    select: { outcome: true, returnCode: true },
  });
  const wrong = stored
    .filter((w) => w.outcome !== "in_progress" || w.returnCode !== null)
    .map((w) => `poisoned night stored as ${w.outcome}/${w.returnCode}`);
  return [...problems.filter((p) => !p.endsWith(`unexpected window ${key}`)), ...wrong];
}

const output = () => {
  const text: string[] = [];
  return { text, out: { write: (s: string) => text.push(s) } };
};

const quarantine = async (f: AgentFixture) =>
  (await readFile(join(f.stateDir, "rejected.jsonl"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; node: string; reason: string; record: { event: { returnCode: number } } });

let t: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestServer(t.db);
});
afterAll(async () => {
  await server?.close();
  await t?.drop();
});

describe("a record the real server refuses (422)", () => {
  it("daemon: the poisoned run is quarantined and shown in status, every other run reaches the server", async () => {
    const f = await AgentFixture.create({ nodes: [5, 0], nights: 10, seed: 4242 });
    try {
      poisonSecondFailure(f);
      await f.enroll(t.db, server.url);
      const path = await f.writeConfig();
      const { config } = await loadConfig({ configPath: path, env: {} });
      const credential = (await loadCredential(f.stateDir))!;
      const daemon = new Daemon({ config: config!, credential, fs: nodeFsys, log: silentLogger, version: "test" });
      await daemon.start();
      try {
        while (await f.grow(60)) await sleep(5);
        await until("every other run on the server", async () => (await compareOthers(f)).length === 0, 60_000);
      } finally {
        await daemon.stop();
      }
      expect(await compareOthers(f)).toEqual([]);

      const kept = await quarantine(f);
      expect(kept.map((k) => [k.kind, k.node, k.record.event.returnCode])).toEqual([["event", f.nodes[0]!.node, POISON]]);
      expect(kept[0]!.reason).toMatch(/returnCode/);
      const status = JSON.parse(await readFile(join(f.stateDir, "status.json"), "utf8")) as { spool: { records: number } };
      expect(status.spool.records).toBe(0);
      const out = output();
      await statusCommand.run(["--state-dir", f.stateDir], { stdout: out.out, stderr: out.out });
      expect(out.text.join("")).toContain(
        `1 rejected records in quarantine: ${join(f.stateDir, "rejected.jsonl")} (newest: ${kept[0]!.reason})`,
      );
      // The server keeps its own account for the dashboard ("agent X has N rejected records").
      const { agentId } = JSON.parse(await readFile(join(f.stateDir, "credential.json"), "utf8")) as { agentId: string };
      expect(await t.db.rejectedRecord.count({ where: { agentId } })).toBeGreaterThanOrEqual(1);
    } finally {
      await f.cleanup();
    }
  });

  it("one-shot ship: the rest is stored, exit 1 names the quarantine; a second ship keeps the record once", async () => {
    const f = await AgentFixture.create({ nodes: [5], nights: 6, seed: 77 });
    try {
      poisonSecondFailure(f);
      await f.enroll(t.db, server.url);
      const n = f.nodes[0]!;
      await writeFile(n.schedLog, joinLines(n.lines, "sched"));
      await writeFile(n.errorLog, joinLines(n.lines, "error"));
      // Another agent on this test machine: the first one's machine is bound to it.
      process.env.FLEETWATCH_MACHINE_ID = "poison-one-shot";
      const args = ["--state-dir", f.stateDir, "--node", n.node, "--utc-offset", "0", "--error-log", n.errorLog, n.schedLog];
      for (let round = 0; round < 2; round++) {
        const out = output();
        const err = output();
        expect(await shipCommand.run(args, { stdout: out.out, stderr: err.out })).toBe(1);
        expect(err.text.join("")).toMatch(/the server refused 1 records \(the rest was stored\); kept in .*rejected\.jsonl/);
      }
      expect(await compareOthers(f)).toEqual([]);
      expect((await quarantine(f)).map((k) => k.record.event.returnCode)).toEqual([POISON]);
    } finally {
      delete process.env.FLEETWATCH_MACHINE_ID;
      await f.cleanup();
    }
  });
});
