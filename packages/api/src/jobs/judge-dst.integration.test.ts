import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callerFor, completedEvent, enrolledAgent, heartbeatAt, testMachine } from "../testing";
import { runJudge } from "./judge";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

const MIN = 60_000;

interface Night {
  /** The local date of the 22:00 NIGHTLY window. */
  date: string;
  /** Minutes east of UTC at 22:00 that night, as the agent computes it for the event. */
  offset: number;
  ran: boolean;
}

/**
 * A node in `timeZone` whose agent behaves as it does live: a heartbeat (naming the zone) every 20
 * minutes through the evening, each night's run (22:03-22:30 local) shipped a minute after it
 * ends, and the judge running every 20 minutes. Returns the windows the judge leaves.
 */
async function liveNights(node: string, timeZone: string, nights: readonly Night[]) {
  const { agentId } = await enrolledAgent(t.db, `m-${node}`);
  // The server's clock is the simulation's: the agent's clock is right, so no skew is read.
  let serverNow = new Date(0);
  const caller = callerFor(t.db, { kind: "agent", agentId, machineRef: null, collector: false }, () => serverNow);
  const machine = testMachine(`m-${node}`);
  const instant = (local: string, offset: number) => Date.parse(`${local}Z`) - offset * MIN;
  type Step = { at: number; ship?: Night };
  const steps: Step[] = [];
  for (const n of nights) {
    const opens = instant(`${n.date}T22:00:00`, n.offset);
    for (let at = opens - 2 * 60 * MIN; at <= opens + 4 * 60 * MIN; at += 20 * MIN) steps.push({ at });
    if (n.ran) steps.push({ at: instant(`${n.date}T22:31:00`, n.offset), ship: n });
  }
  steps.sort((a, b) => a.at - b.at || (a.ship ? -1 : 1));
  /** When the judge first held each MISSED window (by its start): the run after it closed. */
  const firstMissedAt = new Map<string, string>();
  for (const step of steps) {
    const when = new Date(step.at);
    const n = step.ship;
    serverNow = when;
    const events = n
      ? [
          {
            node,
            utcOffsetMinutes: n.offset,
            event: completedEvent({
              schedule: "NIGHTLY",
              scheduledStart: `${n.date}T22:00:00`,
              startedAt: `${n.date}T22:03:00`,
              endedAt: `${n.date}T22:30:00`,
            }),
          },
        ]
      : [];
    await caller.ingest.batch({ machine, events, problems: [], heartbeats: [heartbeatAt(node, when, { timeZone })] });
    if (n) continue;
    await runJudge(t.db, when);
    for (const w of await t.db.window.findMany({ where: { node: { name: node }, outcome: "missed" }, select: { scheduledStart: true } })) {
      const key = w.scheduledStart.toISOString();
      if (!firstMissedAt.has(key)) firstMissedAt.set(key, when.toISOString());
    }
  }
  const windows = await t.db.window.findMany({
    where: { node: { name: node } },
    orderBy: { scheduledStart: "asc" },
    select: { scheduledStart: true, localStart: true, outcome: true },
  });
  return Object.assign(windows, { firstMissedAt });
}

const rows = (ws: Awaited<ReturnType<typeof liveNights>>) =>
  ws.map((w) => `${w.scheduledStart.toISOString().slice(0, 16)}Z ${w.localStart.slice(0, 16)} ${w.outcome}`);

describe("the judge across daylight-saving nights", () => {
  it("London, spring forward: a real miss on the first summer night is MISSED at 21:00Z, not an hour later", async () => {
    const ws = await liveNights("LDN-SPRING", "Europe/London", [
      { date: "2026-03-27", offset: 0, ran: true },
      { date: "2026-03-28", offset: 0, ran: true },
      { date: "2026-03-29", offset: 60, ran: false },
      { date: "2026-03-30", offset: 60, ran: true },
    ]);
    expect(rows(ws)).toEqual([
      "2026-03-27T22:00Z 2026-03-27T22:00 completed",
      "2026-03-28T22:00Z 2026-03-28T22:00 completed",
      "2026-03-29T21:00Z 2026-03-29T22:00 missed",
      "2026-03-30T21:00Z 2026-03-30T22:00 completed",
    ]);
    // Closed once the window (21:00-22:00Z) and the 10-minute grace were over: at the next judge run.
    expect([...ws.firstMissedAt]).toEqual([["2026-03-29T21:00:00.000Z", "2026-03-29T22:20:00.000Z"]]);
  });

  it("London, fall back: no false MISSED on the first winter night while the run is still inside its window", async () => {
    const ws = await liveNights("LDN-AUTUMN", "Europe/London", [
      { date: "2026-10-23", offset: 60, ran: true },
      { date: "2026-10-24", offset: 60, ran: true },
      { date: "2026-10-25", offset: 0, ran: true },
      { date: "2026-10-26", offset: 0, ran: true },
    ]);
    expect(rows(ws)).toEqual([
      "2026-10-23T21:00Z 2026-10-23T22:00 completed",
      "2026-10-24T21:00Z 2026-10-24T22:00 completed",
      "2026-10-25T22:00Z 2026-10-25T22:00 completed",
      "2026-10-26T22:00Z 2026-10-26T22:00 completed",
    ]);
    expect(ws.firstMissedAt.size).toBe(0);
  });

  it("London, fall back: a real miss on the first winter night is MISSED at 22:00Z", async () => {
    const ws = await liveNights("LDN-AUTUMN-MISS", "Europe/London", [
      { date: "2026-10-24", offset: 60, ran: true },
      { date: "2026-10-25", offset: 0, ran: false },
      { date: "2026-10-26", offset: 0, ran: true },
    ]);
    expect(rows(ws)).toEqual([
      "2026-10-24T21:00Z 2026-10-24T22:00 completed",
      "2026-10-25T22:00Z 2026-10-25T22:00 missed",
      "2026-10-26T22:00Z 2026-10-26T22:00 completed",
    ]);
    expect([...ws.firstMissedAt]).toEqual([["2026-10-25T22:00:00.000Z", "2026-10-25T23:20:00.000Z"]]);
  });

  it("New York, spring forward: a real miss on the first EDT night is MISSED at 02:00Z", async () => {
    const ws = await liveNights("NYC-SPRING", "America/New_York", [
      { date: "2026-03-06", offset: -300, ran: true },
      { date: "2026-03-07", offset: -300, ran: true },
      { date: "2026-03-08", offset: -240, ran: false },
      { date: "2026-03-09", offset: -240, ran: true },
    ]);
    expect(rows(ws)).toEqual([
      "2026-03-07T03:00Z 2026-03-06T22:00 completed",
      "2026-03-08T03:00Z 2026-03-07T22:00 completed",
      "2026-03-09T02:00Z 2026-03-08T22:00 missed",
      "2026-03-10T02:00Z 2026-03-09T22:00 completed",
    ]);
    expect([...ws.firstMissedAt]).toEqual([["2026-03-09T02:00:00.000Z", "2026-03-09T03:20:00.000Z"]]);
  });

  it("New York, fall back: no false MISSED on the first EST night", async () => {
    const ws = await liveNights("NYC-AUTUMN", "America/New_York", [
      { date: "2026-10-30", offset: -240, ran: true },
      { date: "2026-10-31", offset: -240, ran: true },
      { date: "2026-11-01", offset: -300, ran: true },
      { date: "2026-11-02", offset: -300, ran: true },
    ]);
    expect(rows(ws)).toEqual([
      "2026-10-31T02:00Z 2026-10-30T22:00 completed",
      "2026-11-01T02:00Z 2026-10-31T22:00 completed",
      "2026-11-02T03:00Z 2026-11-01T22:00 completed",
      "2026-11-03T03:00Z 2026-11-02T22:00 completed",
    ]);
    expect(ws.firstMissedAt.size).toBe(0);
  });

  it("stores the time zone the agent's heartbeats name on the node", async () => {
    await liveNights("LDN-ZONE", "Europe/London", [{ date: "2026-03-27", offset: 0, ran: true }]);
    expect(await t.db.node.findFirstOrThrow({ where: { name: "LDN-ZONE" }, select: { timeZone: true } })).toEqual({
      timeZone: "Europe/London",
    });
  });
});
