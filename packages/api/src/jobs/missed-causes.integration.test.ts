import type { Heartbeat } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ansMessage, batchOf, marchDay as day, enrolledAgent, heartbeatAt, nightOn as night, marchAt as utc } from "../testing";
import { runJudge } from "./judge";

// The MISSED causes of shared/domain.md that judge.integration.test.ts does not reach, each from
// its own evidence as an agent ships it: a night (March 5, 22:00-23:00 UTC) with no event.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

/** Heartbeats every five minutes from `from` to `to`, as the daemon sends them. */
function beats(node: string, from: Date, to: Date, extra: Partial<Heartbeat> = {}): Heartbeat[] {
  const out: Heartbeat[] = [];
  for (let at = from.getTime(); at <= to.getTime(); at += 5 * 60_000) {
    out.push(heartbeatAt(node, new Date(at), extra));
  }
  return out;
}

/** Four good nights, then whatever evidence the night of March 5 left; judged the next morning. */
async function missedNightOf(node: string, evidence: { heartbeats?: Heartbeat[]; problems?: ReturnType<typeof ansMessage>[] }) {
  const { caller } = await enrolledAgent(t.db, `agent-${node}`);
  await caller.ingest.batch({
    ...batchOf(
      `m-${node}`,
      node,
      [1, 2, 3, 4].map((d) => night(d)),
    ),
    heartbeats: evidence.heartbeats ?? [],
    problems: (evidence.problems ?? []).map((message) => ({ node, utcOffsetMinutes: 0, message })),
  });
  await runJudge(t.db, utc(6, 9));
  const w = await t.db.window.findFirstOrThrow({ where: { node: { name: node }, localStart: `${day(5)}T22:00:00` } });
  expect(w.outcome).toBe("missed");
  return { cause: w.cause, diagnosis: w.diagnosis as { evidence: { kind: string; text: string }[]; remedy: string[] } };
}

describe("a MISSED night's cause, from its evidence", () => {
  it("node-locked: ANS1361E before the window", async () => {
    const { cause, diagnosis } = await missedNightOf("LOCKED-PC", { problems: [ansMessage("ANS1361E", `${day(5)}T21:40:00`)] });
    expect(cause).toBe("node-locked");
    expect(diagnosis.evidence.map((e) => e.kind)).toContain("message");
  });

  it("password-expired: ANS1352E before the window", async () => {
    const { cause } = await missedNightOf("EXPIRED-PC", { problems: [ansMessage("ANS1352E", `${day(5)}T21:40:00`)] });
    expect(cause).toBe("password-expired");
  });

  it("machine-asleep: the heartbeats stop before the window and the next one says the clock jumped across it", async () => {
    const { cause, diagnosis } = await missedNightOf("SLEEPY-PC", {
      heartbeats: [
        ...beats("SLEEPY-PC", utc(5, 20), utc(5, 21, 50)),
        ...beats("SLEEPY-PC", utc(6, 7), utc(6, 7), { clockJumpSeconds: 9 * 3600 }),
      ],
    });
    expect(cause).toBe("machine-asleep");
    expect(diagnosis.evidence[0]?.kind).toBe("clock-jump");
    expect(diagnosis.remedy.at(-1)).toMatch(/manual backup/i);
  });

  it("scheduler-not-running: heartbeats all through the window, the server reachable, no scheduler", async () => {
    const { cause } = await missedNightOf("NOSCHED-PC", {
      heartbeats: beats("NOSCHED-PC", utc(5, 21), utc(5, 23, 30), { schedulerRunning: false }),
    });
    expect(cause).toBe("scheduler-not-running");
  });

  it("started-too-late: ANS1814E after the window closed", async () => {
    const { cause } = await missedNightOf("LATE-PC", {
      heartbeats: [...beats("LATE-PC", utc(5, 20), utc(5, 21)), ...beats("LATE-PC", utc(6, 7), utc(6, 7, 30))],
      problems: [ansMessage("ANS1814E", `${day(6)}T07:05:00`)],
    });
    expect(cause).toBe("started-too-late");
  });
});
