import type { ScheduleEvent } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { marchAt as at, batchOf, marchDay as day, enrolledAgent, nightOn as night, severedOn } from "../testing";
import { runJudge } from "./judge";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

async function ship(node: string, events: ScheduleEvent[], machine = `m-${node}`) {
  const { caller } = await enrolledAgent(t.db, machine);
  await caller.ingest.batch(batchOf(machine, node, events));
  return caller;
}

const outcomes = async (node: string) =>
  (
    await t.db.window.findMany({
      where: { node: { name: node } },
      orderBy: { scheduledStart: "asc" },
      select: { localStart: true, outcome: true, cause: true },
    })
  ).map((w) => `${w.localStart.slice(5, 10)} ${w.outcome}`);
const openFlags = async (node: string) =>
  (await t.db.flag.findMany({ where: { node: { name: node }, clearedAt: null }, select: { kind: true } })).map((f) => f.kind).sort();

describe("the judge", () => {
  it("closes every passed window with no event as MISSED, once, and diagnoses it", async () => {
    await ship(
      "PC1",
      [1, 2, 3, 4, 5].map((d) => night(d)),
    );
    const first = await runJudge(t.db, at(9));
    expect(first.leader).toBe(true);
    expect(await outcomes("PC1")).toEqual([
      "03-01 completed",
      "03-02 completed",
      "03-03 completed",
      "03-04 completed",
      "03-05 completed",
      "03-06 missed",
      "03-07 missed",
      "03-08 missed",
    ]);
    const missed = await t.db.window.findFirstOrThrow({ where: { outcome: "missed" }, select: { diagnosis: true, cause: true } });
    expect(missed.cause).toBeTruthy();
    expect((missed.diagnosis as { remedy: string[] }).remedy.at(-1)).toMatch(/manual backup/i);
    const again = await runJudge(t.db, at(9, 13));
    expect(again.missed).toBe(0);
    expect(await t.db.window.count({ where: { outcome: "missed" } })).toBe(3);
  });

  it("judges every window exactly once when two judges run at the same time", async () => {
    await ship(
      "PC2",
      [1, 2, 3].map((d) => night(d)),
    );
    const [a, b] = await Promise.all([runJudge(t.db, at(7)), runJudge(t.db, at(7))]);
    expect([a.leader, b.leader].sort()).toEqual([false, true]);
    expect(await t.db.window.count({ where: { outcome: "missed" } })).toBe(3);
  });

  it("lets a late report replace a MISSED with what really happened", async () => {
    const caller = await ship(
      "PC3",
      [1, 2, 3].map((d) => night(d)),
    );
    await runJudge(t.db, at(5));
    expect(await outcomes("PC3")).toContain("03-04 missed");
    await caller.ingest.batch(batchOf("m-PC3", "PC3", [night(4)]));
    expect(await outcomes("PC3")).toEqual(["03-01 completed", "03-02 completed", "03-03 completed", "03-04 completed"]);
    expect(await t.db.window.count({ where: { outcome: "missed" } })).toBe(0);
  });

  it("raises repeated-misses after three misses in a row and clears it on the next completed backup", async () => {
    const caller = await ship(
      "PC4",
      [1, 2, 3, 4, 5].map((d) => night(d)),
    );
    await runJudge(t.db, at(9));
    expect(await openFlags("PC4")).toContain("repeated_misses");
    await caller.ingest.batch(batchOf("m-PC4", "PC4", [night(9)]));
    await runJudge(t.db, at(10));
    expect(await openFlags("PC4")).not.toContain("repeated_misses");
  });

  it("flags a severed backup as needing a manual backup, and not a benign sign-off-only failure", async () => {
    await ship("PC5", [...[1, 2, 3, 4].map((d) => night(d)), severedOn(5)]);
    const signOff = night(5, { status: "failed", returnCode: 12, cause: "sign-off-only", causes: ["sign-off-only"], benign: true });
    await ship("PC6", [...[1, 2, 3, 4].map((d) => night(d)), signOff]);
    await runJudge(t.db, at(6, 8));
    expect(await openFlags("PC5")).toContain("needs_manual_backup");
    expect(await openFlags("PC6")).toEqual([]);
  });

  it("raises the alert of a failed night whose batch committed just after a judge run had read", async () => {
    const agent = await ship(
      "PC9",
      [1, 2].map((d) => night(d)),
    );
    await runJudge(t.db, at(3, 22, 40));
    // An agent's batch began (stamping the window at 22:39) before that 22:40 run and committed only
    // after the run had looked for news: the next run must still see it.
    const failed = night(3, { status: "failed", returnCode: 12, cause: "files-changed", causes: ["files-changed"] });
    await agent.ingest.batch(batchOf("m-PC9", "PC9", [failed]));
    await t.db.window.updateMany({
      where: { node: { name: "PC9" }, localStart: { startsWith: day(3) } },
      data: { updatedAt: at(3, 22, 39) },
    });
    await runJudge(t.db, at(3, 22, 45));
    await runJudge(t.db, at(3, 22, 50));
    const alerts = await t.db.alert.findMany({ where: { node: { name: "PC9" } } });
    expect(alerts.map((a) => `${a.kind} ${a.state} ${a.title}`)).toEqual([
      "backup open PC9: failed 1 night since 3 Mar: run a manual backup",
    ]);
  });

  it("keeps one alert for the night, whose words follow a late report (MISSED, then FAILED)", async () => {
    const agent = await ship(
      "PC10",
      [1, 2, 3].map((d) => night(d)),
    );
    await runJudge(t.db, at(5, 8));
    const failed = night(4, { status: "failed", returnCode: 12, cause: "files-changed", causes: ["files-changed"] });
    const missed = await t.db.alert.findMany({ where: { node: { name: "PC10" } }, select: { kind: true, title: true } });
    expect(missed).toEqual([{ kind: "backup", title: "PC10: missed 1 night since 4 Mar" }]);
    await agent.ingest.batch(batchOf("m-PC10", "PC10", [failed]));
    await runJudge(t.db, at(5, 8, 5));
    const alerts = await t.db.alert.findMany({ where: { node: { name: "PC10" } } });
    expect(alerts.map((a) => `${a.kind} ${a.state} ${a.title}`)).toEqual([
      "backup open PC10: failed 1 night since 4 Mar: run a manual backup",
    ]);
    expect(alerts[0]?.body).toMatch(new RegExp(`^FAILED NIGHTLY on ${day(4)} 22:00: Files changed while being backed up$`, "m"));
  });

  it("severs an in-progress run whose agent fell silent past its window", async () => {
    const running = night(5, { status: "in-progress", endedAt: null, returnCode: null, stats: null });
    await ship("PC7", [...[1, 2, 3, 4].map((d) => night(d)), running]);
    await t.db.node.update({
      where: { server_name: { server: "", name: "PC7" } },
      data: { lastContactAt: at(5, 22), lastHeartbeatAt: at(5, 22) },
    });
    await runJudge(t.db, at(6, 9));
    const w = await t.db.window.findFirstOrThrow({ where: { node: { name: "PC7" }, localStart: `${day(5)}T22:00:00` } });
    expect(w.outcome).toBe("severed");
    expect(w.cause).toBe("machine-died");
  });

  it("suspects the dead twin of a rebuilt machine and diagnoses its misses as a retired node", async () => {
    await ship(
      "LAB-PC1",
      [1, 2, 3, 4, 5, 6].map((d) => night(d)),
      "m-old",
    );
    await ship(
      "LAB-PC1-NEW",
      [7, 8, 9, 10, 11, 12, 13].map((d) => night(d)),
      "m-new",
    );
    await runJudge(t.db, at(14));
    expect(await openFlags("LAB-PC1")).toContain("duplicate_suspect");
    const last = await t.db.window.findFirstOrThrow({ where: { node: { name: "LAB-PC1" } }, orderBy: { scheduledStart: "desc" } });
    expect(last.outcome).toBe("missed");
    expect(last.cause).toBe("node-retired");
  });

  it("diagnoses every missed night of every node from that night's own evidence, all in one run", async () => {
    await ship(
      "PC8",
      [1, 2, 3].map((d) => night(d)),
    );
    await ship(
      "PC9",
      [1, 2, 3].map((d) => night(d)),
    );
    const idOf = async (name: string) => (await t.db.node.findFirstOrThrow({ where: { name }, select: { id: true } })).id;
    // PC8 was on through night 4 but could not reach the TSM server; on night 5 it sent nothing.
    const pc8 = await idOf("PC8");
    await t.db.heartbeat.createMany({
      data: ["21:30", "22:00", "22:20", "22:40", "23:00"].map((hm) => ({
        nodeId: pc8,
        at: new Date(`${day(4)}T${hm}:00Z`),
        serverReachable: false,
        schedulerRunning: true,
      })),
    });
    // PC9's pre-schedule command failed on night 4; night 5 left no evidence at all.
    await t.db.problem.create({
      data: {
        nodeId: await idOf("PC9"),
        at: new Date(`${day(4)}T22:00:05Z`),
        code: "ANS1902E",
        severity: "E",
        text: "ANS1902E The PRESCHEDULECMD failed",
        textHash: "ans1902e-night-4",
        cause: "pre-command-failed",
      },
    });
    await runJudge(t.db, at(6, 8));
    const causes = async (node: string) =>
      (
        await t.db.window.findMany({
          where: { node: { name: node }, outcome: "missed" },
          orderBy: { scheduledStart: "asc" },
          select: { localStart: true, cause: true },
        })
      ).map((w) => `${w.localStart.slice(5, 10)} ${w.cause}`);
    expect(await causes("PC8")).toEqual(["03-04 off-network", "03-05 machine-off"]);
    expect(await causes("PC9")).toEqual(["03-04 pre-command-failed", "03-05 unknown"]);
  });
});
