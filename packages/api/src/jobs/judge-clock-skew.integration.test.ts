import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callerFor, completedEvent, enrolledAgent, heartbeatAt, testMachine, userCaller } from "../testing";
import { runJudge } from "./judge";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

const MIN = 60_000;
const machineOf = (node: string) => testMachine(`m-${node}`);

/**
 * A node in UTC whose machine clock is `skewMinutes` off the server's (negative: slow). Its
 * scheduler follows its own clock: the NIGHTLY 22:00-23:00 run begins at 22:03 and ends at 22:50
 * by that clock, and the agent ships it a minute later. Heartbeats and the judge every 20 minutes
 * by the server's clock, 20:00-02:00, over the given nights. Returns when the judge first held
 * each MISSED window.
 */
async function nights(node: string, skewMinutes: number, dates: readonly { date: string; ran: boolean }[]) {
  const { agentId } = await enrolledAgent(t.db, `m-${node}`);
  let serverNow = new Date(0);
  const caller = callerFor(t.db, { kind: "agent", agentId, machineRef: null, collector: false }, () => serverNow);
  const skew = skewMinutes * MIN;
  type Step = { at: number; ship?: string };
  const steps: Step[] = [];
  for (const { date, ran } of dates) {
    const evening = Date.parse(`${date}T20:00:00Z`);
    for (let at = evening; at <= evening + 6 * 60 * MIN; at += 20 * MIN) steps.push({ at });
    // Its clock reads 22:51 when the server's reads 22:51 - skew.
    if (ran) steps.push({ at: Date.parse(`${date}T22:51:00Z`) - skew, ship: date });
  }
  steps.sort((a, b) => a.at - b.at || (a.ship ? -1 : 1));
  const firstMissedAt = new Map<string, string>();
  for (const step of steps) {
    serverNow = new Date(step.at);
    const date = step.ship;
    const events = date
      ? [
          {
            node,
            utcOffsetMinutes: 0,
            event: completedEvent({
              schedule: "NIGHTLY",
              scheduledStart: `${date}T22:00:00`,
              startedAt: `${date}T22:03:00`,
              endedAt: `${date}T22:50:00`,
            }),
          },
        ]
      : [];
    const beat = heartbeatAt(node, new Date(step.at + skew));
    await caller.ingest.batch({ machine: machineOf(node), events, problems: [], heartbeats: [beat] });
    if (date) continue;
    await runJudge(t.db, serverNow);
    for (const w of await t.db.window.findMany({ where: { node: { name: node }, outcome: "missed" }, select: { scheduledStart: true } })) {
      const key = w.scheduledStart.toISOString();
      if (!firstMissedAt.has(key)) firstMissedAt.set(key, serverNow.toISOString());
    }
  }
  const outcomes = (
    await t.db.window.findMany({
      where: { node: { name: node } },
      orderBy: { scheduledStart: "asc" },
      select: { localStart: true, outcome: true },
    })
  ).map((w) => `${w.localStart.slice(0, 16)} ${w.outcome}`);
  return { outcomes, firstMissedAt: [...firstMissedAt], caller, setNow: (d: Date) => (serverNow = d) };
}

const nodeFacts = async (name: string) => {
  const { caller } = await userCaller(t.db, "viewer");
  const { id } = await t.db.node.findFirstOrThrow({ where: { name }, select: { id: true } });
  return caller.nodes.byId({ nodeId: id });
};

describe("a client clock off the server's", () => {
  it("is measured from its heartbeats and shown on the node: 40 minutes slow", async () => {
    await nights("PC-SLOW", -40, [{ date: "2026-03-02", ran: true }]);
    const node = await nodeFacts("PC-SLOW");
    expect(node.clockSkewSeconds).toBe(-2400);
    expect(node.clockSkewWords).toBe("40 min slow");
  });

  it("a right clock is shown as right", async () => {
    await nights("PC-RIGHT", 0, [{ date: "2026-03-02", ran: true }]);
    const node = await nodeFacts("PC-RIGHT");
    expect(node.clockSkewSeconds).toBe(0);
    expect(node.clockSkewWords).toBeNull();
  });

  it("40 minutes slow: its runs, which end after the server's window and grace, are never held MISSED", async () => {
    const { outcomes, firstMissedAt } = await nights("PC-SLOW2", -40, [
      { date: "2026-03-02", ran: true },
      { date: "2026-03-03", ran: true },
      { date: "2026-03-04", ran: true },
    ]);
    expect(outcomes).toEqual(["2026-03-02T22:00 completed", "2026-03-03T22:00 completed", "2026-03-04T22:00 completed"]);
    expect(firstMissedAt).toEqual([]);
    // No window alert (the simulation's daytime gap in heartbeats raises flags of its own).
    const alerts = await t.db.alert.findMany({
      where: { node: { name: "PC-SLOW2" }, kind: { startsWith: "window:" } },
      select: { kind: true },
    });
    expect(alerts).toEqual([]);
  });

  it("40 minutes slow: a real miss is still MISSED, once its own clock has passed the window and the grace", async () => {
    const { outcomes, firstMissedAt } = await nights("PC-SLOW3", -40, [
      { date: "2026-03-02", ran: true },
      { date: "2026-03-03", ran: false },
      { date: "2026-03-04", ran: true },
    ]);
    expect(outcomes).toEqual(["2026-03-02T22:00 completed", "2026-03-03T22:00 missed", "2026-03-04T22:00 completed"]);
    // 23:00 + 10 minutes' grace + 40 minutes: the judge run at 00:00.
    expect(firstMissedAt).toEqual([["2026-03-03T22:00:00.000Z", "2026-03-04T00:00:00.000Z"]]);
  });

  it("a spool draining old heartbeats does not make a right clock look slow", async () => {
    const { caller, setNow } = await nights("PC-DRAIN", 0, [{ date: "2026-03-02", ran: true }]);
    const now = new Date("2026-03-05T08:00:00Z");
    setNow(now);
    // Two days of heartbeats that waited in the spool, then the fresh one.
    const beats = Array.from({ length: 12 }, (_, i) => heartbeatAt("PC-DRAIN", new Date(now.getTime() - (2 * 1440 - i * 5) * MIN)));
    await caller.ingest.batch({ machine: machineOf("PC-DRAIN"), events: [], problems: [], heartbeats: beats });
    expect((await nodeFacts("PC-DRAIN")).clockSkewWords).toBeNull();
    await caller.ingest.batch({ machine: machineOf("PC-DRAIN"), events: [], problems: [], heartbeats: [heartbeatAt("PC-DRAIN", now)] });
    const node = await nodeFacts("PC-DRAIN");
    expect(node.clockSkewSeconds).toBe(0);
    expect(node.clockSkewWords).toBeNull();
  });
});
