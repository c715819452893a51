import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseLogs } from "@fleetwatch/core/parse";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli-main";
import { startTestServer, type TestServer } from "./api-server";
import { AgentFixture } from "./fixture";

/**
 * `ship` for replays, the real command against the real API over HTTP and a real PostgreSQL: an
 * archived log written with a client's DATEFORMAT / NUMBERFORMAT, and recorded heartbeats.
 */
describe("fleetwatch-agent ship: backfilling from archives", () => {
  let t: TestDatabase;
  let server: TestServer;
  let f: AgentFixture;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startTestServer(t.db);
    f = await AgentFixture.create({ nodes: [], nights: 0, seed: 1 });
    await f.enroll(t.db, server.url);
    dir = await mkdtemp(join(tmpdir(), "fw-ship-replay-"));
  });
  afterAll(async () => {
    await server?.close();
    await f?.cleanup();
    await rm(dir, { recursive: true, force: true });
    await t?.drop();
  });

  async function ship(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(["ship", "--state-dir", f.stateDir, "--utc-offset", "60", ...argv], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    });
    return { code, stdout, stderr };
  }

  // A night from a client with DATEFORMAT 4 (DD.MM.YYYY) and NUMBERFORMAT 5 (1.000,00).
  const dotted = [
    "30.01.2008 00:00:05 --- SCHEDULEREC OBJECT BEGIN WEEKDAILY_OUCS 30.01.2008 00:00:00",
    "30.01.2008 00:26:04 --- SCHEDULEREC STATUS BEGIN",
    "30.01.2008 00:26:04 Total number of objects inspected:  214.391",
    "30.01.2008 00:26:04 Total number of objects failed:        1",
    "30.01.2008 00:26:04 Total number of bytes transferred:  70,20 MB",
    "30.01.2008 00:26:04 Elapsed processing time:        00:02:02",
    "30.01.2008 00:26:04 --- SCHEDULEREC STATUS END",
    "30.01.2008 00:26:04 --- SCHEDULEREC OBJECT END WEEKDAILY_OUCS 30.01.2008 00:00:00",
    "30.01.2008 00:26:04 ANS1512E Scheduled event 'WEEKDAILY_OUCS' failed. Return code =12.",
    "",
  ].join("\n");

  it("passes --date-format and --number-format to the parse: the window lands on its night with its bytes", async () => {
    const log = join(dir, "dsmsched.log");
    await writeFile(log, dotted);

    // The wrong format reads no event: proof the option reaches the parser.
    const wrong = await ship("--node", "dot-node", "--date-format", "MM/DD/YYYY", log);
    expect(wrong).toMatchObject({ code: 0, stderr: "" });
    expect(wrong.stdout).toBe("shipped 0 events and 0 problems for DOT-NODE: 0 new or changed\n");

    const right = await ship("--node", "dot-node", "--date-format", "DD.MM.YYYY", "--number-format", "5", log);
    expect(right).toEqual({ code: 0, stderr: "", stdout: "shipped 1 events and 0 problems for DOT-NODE: 1 new or changed\n" });
    const [expected] = parseLogs({ sched: dotted }, { dateFormat: "DD.MM.YYYY", numberFormat: 5 }).events;
    expect(expected!.stats?.bytesTransferred).toBe(Math.round(70.2 * 2 ** 20));
    const windows = await t.db.window.findMany({
      where: { node: { name: "DOT-NODE" } },
      select: { schedule: true, localStart: true, outcome: true, returnCode: true, bytesTransferred: true },
    });
    expect(windows).toEqual([
      {
        schedule: "WEEKDAILY_OUCS",
        localStart: "2008-01-30T00:00:00",
        outcome: "failed",
        returnCode: 12,
        bytesTransferred: BigInt(expected!.stats!.bytesTransferred!),
      },
    ]);
  });

  it("sends recorded heartbeats (--heartbeats FILE, with or without a log), each stored once however often replayed", async () => {
    const beats = join(dir, "heartbeats.jsonl");
    await writeFile(
      beats,
      [
        // A bare recording: only when the machine was seen; every other fact unknown.
        JSON.stringify({ at: "2026-03-01T21:00:00Z" }),
        "",
        JSON.stringify({
          node: "beat-node",
          at: "2026-03-02T21:00:00Z",
          bootedAt: "2026-03-02T07:00:00Z",
          clockJumpSeconds: 0,
          serverReachable: false,
          schedulerRunning: true,
          nextScheduled: [],
          spoolBytes: 0,
          lastError: null,
        }),
        JSON.stringify({ node: "BEAT-NODE", at: "2026-03-03T21:00:00Z", schedulerRunning: false }),
        "",
      ].join("\n"),
    );
    const first = await ship("--node", "beat-node", "--heartbeats", beats);
    expect(first).toEqual({ code: 0, stderr: "", stdout: "shipped 3 heartbeats for BEAT-NODE: 3 new\n" });
    const stored = await t.db.heartbeat.findMany({
      where: { node: { name: "BEAT-NODE" } },
      orderBy: { at: "asc" },
      select: { at: true, serverReachable: true, schedulerRunning: true, bootedAt: true },
    });
    expect(stored).toEqual([
      { at: new Date("2026-03-01T21:00:00Z"), serverReachable: null, schedulerRunning: null, bootedAt: null },
      { at: new Date("2026-03-02T21:00:00Z"), serverReachable: false, schedulerRunning: true, bootedAt: new Date("2026-03-02T07:00:00Z") },
      { at: new Date("2026-03-03T21:00:00Z"), serverReachable: null, schedulerRunning: false, bootedAt: null },
    ]);

    // Replayed with its log: the log's events arrive, the heartbeats are not stored twice.
    const log = join(dir, "dsmsched-beat.log");
    await writeFile(log, dotted);
    const again = await ship("--node", "beat-node", "--heartbeats", beats, "--date-format", "DD.MM.YYYY", log);
    expect(again).toEqual({
      code: 0,
      stderr: "",
      stdout: "shipped 1 events and 0 problems for BEAT-NODE: 1 new or changed\nshipped 3 heartbeats for BEAT-NODE: 0 new\n",
    });
    expect(await t.db.heartbeat.count({ where: { node: { name: "BEAT-NODE" } } })).toBe(3);
  });

  it.each([
    ["a line that is not JSON", "{not json", /heartbeats-bad\.jsonl line 2: not JSON$/],
    [
      "a heartbeat of another node",
      JSON.stringify({ node: "OTHER", at: "2026-03-01T21:00:00Z" }),
      /line 2: a heartbeat of OTHER, but this ships BAD-NODE$/,
    ],
    ["a heartbeat with no time", JSON.stringify({ serverReachable: true }), /line 2: at: /],
    ["a field of the wrong type", JSON.stringify({ at: "2026-03-01T21:00:00Z", spoolBytes: "lots" }), /line 2: spoolBytes: /],
  ])("refuses %s with one line naming it, and sends nothing", async (_, line, message) => {
    const beats = join(dir, "heartbeats-bad.jsonl");
    await writeFile(beats, `${JSON.stringify({ at: "2026-03-01T20:00:00Z" })}\n${line}\n`);
    const { code, stdout, stderr } = await ship("--node", "bad-node", "--heartbeats", beats);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
    expect(await t.db.node.count({ where: { name: "BAD-NODE" } })).toBe(0);
  });

  it("exits 2 with one line for bad options", async () => {
    for (const argv of [
      ["--node", "X", "--date-format", "DD/MM/YYYY", "log"],
      ["--node", "X", "--number-format", "9", "log"],
      ["--node", "X"],
      ["--node", "X", "--error-log", "e.log", "--heartbeats", "b.jsonl"],
    ]) {
      const { code, stderr } = await ship(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
    }
  });
});
