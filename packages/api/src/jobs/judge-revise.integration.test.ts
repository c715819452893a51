import type { Heartbeat, IngestBatchInput, ScheduleEvent } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REVISION_HORIZON_HOURS } from "../services/judge/diagnose-missed";
import { batchOf, callerFor, marchDay as day, enrolledAgent, heartbeatAt, nightOn as night, marchAt as utc } from "../testing";
import { runJudge } from "./judge";

// Verdicts follow evidence (shared/domain.md): the judge closes a night's window minutes after it
// ends (the grace, 10 minutes), before the morning's evidence exists; when that evidence arrives, within the revision
// horizon, the cause and its alert follow it. Agents ship on the simulated clock, as they would live.

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

/** An enrolled agent for one node whose batches arrive at the time `send` is given. */
async function agentFor(node: string) {
  const { agentId } = await enrolledAgent(t.db, `agent-${node}`);
  let clock = new Date();
  const caller = callerFor(t.db, { kind: "agent", agentId, machineRef: null, collector: false }, () => clock);
  return (at: Date, parts: { events?: ScheduleEvent[]; heartbeats?: Heartbeat[] }) => {
    clock = at;
    const batch: IngestBatchInput = { ...batchOf(`m-${node}`, node, parts.events ?? []), heartbeats: parts.heartbeats ?? [] };
    return caller.ingest.batch(batch);
  };
}

/** Heartbeats every five minutes from `from` to `to`, as the daemon sends them. */
function beats(node: string, from: Date, to: Date, extra: Partial<Heartbeat> = {}): Heartbeat[] {
  const out: Heartbeat[] = [];
  for (let at = from.getTime(); at <= to.getTime(); at += 5 * 60_000) out.push(heartbeatAt(node, new Date(at), extra));
  return out;
}

/** The NIGHTLY window of March `d` (22:00-23:00 UTC), its verdict, and the line its node's backup alert has for it. */
async function verdictOf(node: string, d: number) {
  const w = await t.db.window.findFirstOrThrow({
    where: { node: { name: node }, localStart: `${day(d)}T22:00:00` },
    select: { id: true, nodeId: true, outcome: true, cause: true, judgedAt: true },
  });
  const alert = await t.db.alert.findUnique({ where: { dedupeKey: `backup:${w.nodeId}` }, select: { body: true, state: true } });
  const line = alert?.body.split("\n").find((l) => l.includes(`${day(d)} 22:00`));
  return { ...w, alert: alert && { ...alert, line } };
}

describe("verdicts that follow evidence", () => {
  it("a laptop asleep through its window: the judge's first guess at 23:15 is machine-off, held without an alert; the 07:55 wake heartbeat revises it to machine-asleep, and its alert says so", async () => {
    const send = await agentFor("SLEEPY-LAPTOP");
    await send(utc(5, 9), { events: [1, 2, 3, 4].map((d) => night(d)), heartbeats: beats("SLEEPY-LAPTOP", utc(5, 8), utc(5, 9)) });
    // The lid closes at 21:52: the last beat is 21:50, shipped at once.
    await send(utc(5, 21, 51), { heartbeats: beats("SLEEPY-LAPTOP", utc(5, 20), utc(5, 21, 50)) });

    await runJudge(t.db, utc(5, 23, 15));
    const first = await verdictOf("SLEEPY-LAPTOP", 5);
    expect(first.outcome).toBe("missed");
    expect(first.cause).toBe("machine-off");
    // The agent is silent since 21:50 and nothing else is seen of the node: no news of the night
    // yet, so nothing to alert on (a laptop asleep is not a problem until its night is known).
    expect(first.alert).toBeNull();

    // A run with no news changes nothing.
    await runJudge(t.db, utc(6, 3));
    expect((await verdictOf("SLEEPY-LAPTOP", 5)).judgedAt).toEqual(first.judgedAt);

    // 07:55: the laptop wakes; its first beat says the clock jumped across the ten hours it slept.
    await send(utc(6, 7, 56), { heartbeats: [heartbeatAt("SLEEPY-LAPTOP", utc(6, 7, 55), { clockJumpSeconds: 10 * 3600 })] });
    await runJudge(t.db, utc(6, 8));
    const revised = await verdictOf("SLEEPY-LAPTOP", 5);
    expect(revised.cause).toBe("machine-asleep");
    expect(revised.judgedAt).toEqual(utc(6, 8));
    expect(revised.alert?.line).toMatch(/asleep/i);
    expect(revised.alert?.body).not.toMatch(/switched off/);
    expect(revised.alert?.state).toBe("open");
    expect(await t.db.alert.count({ where: { node: { name: "SLEEPY-LAPTOP" }, kind: "backup" } })).toBe(1);

    // The day goes on: ordinary heartbeats are news of the node, none of the night: the verdict stands.
    await send(utc(6, 9, 1), { heartbeats: beats("SLEEPY-LAPTOP", utc(6, 8), utc(6, 9)) });
    await runJudge(t.db, utc(6, 9, 5));
    expect(await verdictOf("SLEEPY-LAPTOP", 5)).toMatchObject({ cause: "machine-asleep", judgedAt: utc(6, 8) });
  });

  it("a spool drained after a two-day outage: a window inside the horizon takes the batch's evidence, one past it keeps its verdict", async () => {
    const node = "SPOOLED-PC";
    const send = await agentFor(node);
    await send(utc(5, 21, 0), { events: [1, 2, 3, 4].map((d) => night(d)), heartbeats: beats(node, utc(5, 20), utc(5, 21)) });
    // Fleetwatch's server is unreachable from 21:00 on March 5 to March 9 morning: the judge sees
    // no beat after 21:00 and calls the nights of March 5 and 8 machine-off.
    await runJudge(t.db, utc(5, 23, 15));
    await runJudge(t.db, utc(8, 23, 15));
    expect((await verdictOf(node, 5)).cause).toBe("machine-off");
    expect((await verdictOf(node, 8)).cause).toBe("machine-off");

    // March 9, 08:00: the spool drains. The machine was on through both windows, the TSM server
    // reachable, the scheduler not running. March 8's window closed 9 h ago; March 5's 81 h ago.
    const drainedAt = utc(9, 8);
    expect(drainedAt.getTime() - utc(5, 23).getTime()).toBeGreaterThan(REVISION_HORIZON_HOURS * 3_600_000);
    await send(drainedAt, {
      heartbeats: [
        ...beats(node, utc(5, 21, 5), utc(5, 23, 30), { schedulerRunning: false }),
        ...beats(node, utc(8, 21, 5), utc(8, 23, 30), { schedulerRunning: false }),
      ],
    });
    await runJudge(t.db, utc(9, 8, 5));
    const inside = await verdictOf(node, 8);
    expect(inside.cause).toBe("scheduler-not-running");
    expect(inside.alert?.line).toMatch(/scheduler was not running/i);
    expect(inside.alert?.line).not.toMatch(/switched off/);
    expect((await verdictOf(node, 5)).alert?.line).toMatch(/switched off/);
    const past = await verdictOf(node, 5);
    expect(past.cause).toBe("machine-off");
    expect(past.judgedAt).toEqual(utc(5, 23, 15));
  });

  it("an open flag's evidence says what is true now: agent-silent's minutes grow with each run, and its alert's once the silence is news", async () => {
    const send = await agentFor("QUIET");
    await send(utc(6, 8, 1), { events: [1, 2, 3, 4, 5].map((d) => night(d)), heartbeats: [heartbeatAt("QUIET", utc(6, 8))] });
    await runJudge(t.db, utc(6, 8, 40));
    const raised = await t.db.flag.findFirstOrThrow({ where: { node: { name: "QUIET" }, kind: "agent_silent", clearedAt: null } });
    expect(raised.detail).toBe("no heartbeat for 40 minutes");

    await runJudge(t.db, utc(6, 21, 15));
    const kept = await t.db.flag.findFirstOrThrow({ where: { node: { name: "QUIET" }, kind: "agent_silent", clearedAt: null } });
    expect(kept.id).toBe(raised.id);
    expect(kept.raisedAt).toEqual(raised.raisedAt);
    expect(kept.detail).toBe("no heartbeat for 795 minutes");
    // Thirteen hours of silence with nothing else seen of the node is a machine off: no alert yet.
    expect(await t.db.alert.count({ where: { node: { name: "QUIET" } } })).toBe(0);
    // A day of it is news; the alert's words then follow the flag's, run after run: one alert.
    await runJudge(t.db, utc(7, 9));
    await runJudge(t.db, utc(7, 10));
    const alerts = await t.db.alert.findMany({ where: { node: { name: "QUIET" }, kind: "agent-silent" } });
    expect(alerts.map((a) => [a.title, a.body.split("\n")[0], a.state])).toEqual([
      ["QUIET: no news for 26 h", "no heartbeat for 1560 minutes", "open"],
    ]);
  });
});
