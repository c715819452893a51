import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { seededRandom } from "@fleetwatch/core/demo";
import { parseLogs } from "@fleetwatch/core/parse";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildAgent } from "../build";
import { joinLines } from "../src/testing/demo-logs";
import { startTestServer, type TestServer } from "./api-server";
import { AgentFixture, compareWithServer } from "./fixture";

/** How many times the agent is killed (FLEETWATCH_CRASH_KILLS; the issue asks for 200). */
const KILLS = Number(process.env.FLEETWATCH_CRASH_KILLS ?? 200);
const SEED = Number(process.env.FLEETWATCH_CRASH_SEED ?? 20240320);

let t: TestDatabase;
let server: TestServer;
let f: AgentFixture;
let bundle: string;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestServer(t.db);
  f = await AgentFixture.create({ nodes: [0, 1, 5, 6], nights: 60, seed: SEED });
  await f.enroll(t.db, server.url);
  bundle = await buildAgent(join(f.root, "fleetwatch-agent.mjs"));
});
afterAll(async () => {
  await server?.close();
  await f?.cleanup();
  await t?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startAgent(config: string, stderr: string[]): ChildProcess {
  const child = spawn(process.execPath, [bundle, "run", "--config", config], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env },
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderr.push(d.toString());
    if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
  });
  return child;
}

it(`SIGKILLed at ${KILLS} random moments while the logs grow: the server ends with exactly the expected events`, async () => {
  const started = Date.now();
  const rand = seededRandom(SEED);
  // A beat every second: more batches in flight when the kills land.
  const config = await f.writeConfig({ heartbeatCron: "* * * * * *" });
  const stderr: string[] = [];
  const perNode = Math.max(...f.nodes.map((n) => n.lines.length));

  // The TSM client writing: a few lines at a time over (about) the whole run of kills.
  const steps = Math.ceil(perNode / 4);
  const pace = Math.max(2, Math.floor((KILLS * 480) / steps));
  let writing = true;
  const writer = (async () => {
    while (await f.grow(4)) await sleep(pace * (0.5 + rand()));
    writing = false;
  })();

  let kills = 0;
  for (; kills < KILLS; kills++) {
    const child = startAgent(config, stderr);
    await sleep(20 + Math.floor(rand() * 900));
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  await writer;
  expect(writing).toBe(false);

  // Then left to run: it must catch up, and stop cleanly on SIGTERM.
  const child = startAgent(config, stderr);
  // "Left to run" means running: SIGTERM before the daemon has started would test process start-up.
  const startBy = Date.now() + 60_000;
  while (!stderr.join("").includes("fleetwatch-agent started") && Date.now() < startBy) await sleep(100);
  const expected = f.expected();
  const end = Date.now() + 90_000;
  let result = await compareWithServer(t.db, expected);
  while (result.problems.length && Date.now() < end) {
    await sleep(500);
    result = await compareWithServer(t.db, expected);
  }
  child.kill("SIGTERM");
  const [code] = (await once(child, "exit")) as [number | null];
  if (result.problems.length) console.error(stderr.join(""));
  expect(result.problems).toEqual([]);
  expect(code).toBe(0);

  // Problems (ANS messages outside events): each stored once.
  const names = f.nodes.map((n) => n.node);
  const wantProblems = f.nodes.reduce(
    (sum, n) =>
      sum +
      new Set(
        parseLogs({ sched: joinLines(n.lines, "sched"), error: joinLines(n.lines, "error") }).problems.map(
          (p) => `${p.at}|${p.code}|${p.text}`,
        ),
      ).size,
    0,
  );
  const storedProblems = await t.db.problem.count({ where: { node: { name: { in: names } } } });
  expect(storedProblems).toBe(wantProblems);
  const heartbeats = await t.db.heartbeat.count({ where: { node: { name: { in: names } } } });
  const status = JSON.parse(await readFile(join(f.stateDir, "status.json"), "utf8")) as { fullResyncs: number; spool: { records: number } };
  console.log(
    [
      `crash test (seed ${SEED}): ${kills} SIGKILLs in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      `  windows: ${result.stored} stored, ${result.want} expected (none missing, none twice, none made up)`,
      `  problems: ${storedProblems} stored, ${wantProblems} expected`,
      `  heartbeats stored: ${heartbeats}; HTTP requests: ${server.requests}; full resyncs: ${status.fullResyncs}; spool left: ${status.spool.records}`,
    ].join("\n"),
  );
});
