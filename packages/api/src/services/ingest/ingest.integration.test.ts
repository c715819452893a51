import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../../rate-limit";
import { batchOf, callerFor, completedEvent, enrolledAgent, userCaller } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe("ingest.batch", () => {
  it("stores an agent's event as its node's window and answers with what it accepted", async () => {
    const { caller } = await enrolledAgent(t.db);
    const ack = await caller.ingest.batch(batchOf("m-store", "oucs-pc1", [completedEvent()]));
    expect(ack).toEqual({ acceptedEvents: 1, acceptedProblems: 0, acceptedHeartbeats: 0 });
    const node = await t.db.node.findFirstOrThrow({ where: { name: "OUCS-PC1" }, include: { windows: true } });
    expect(node.lastOutcome).toBe("completed");
    expect(node.windows).toHaveLength(1);
    expect(node.windows[0]?.scheduledStart.toISOString()).toBe("2008-01-30T00:00:00.000Z");
    expect(node.windows[0]?.objectsInspected).toBe(214391n);
  });

  it("stamps what it writes with the request's clock, which the judge reads as changed since its last run", async () => {
    const { agentId } = await enrolledAgent(t.db, "agent-clock");
    const clock = new Date("2031-05-04T03:02:01.000Z");
    const caller = callerFor(t.db, { kind: "agent", agentId, machineRef: null, collector: false }, () => clock);
    await caller.ingest.batch(batchOf("m-clock", "clock-pc1", [completedEvent()]));
    const node = await t.db.node.findFirstOrThrow({ where: { name: "CLOCK-PC1" }, include: { windows: true } });
    expect(node.updatedAt).toEqual(clock);
    expect(node.lastContactAt).toEqual(clock);
    expect(node.windows.map((w) => w.updatedAt)).toEqual([clock]);
  });

  it("refuses an agent past its rate limit in one line and stores nothing of that batch", async () => {
    const { agentId } = await enrolledAgent(t.db);
    const limiter = new RateLimiter({ perMinute: 60, burst: 2 });
    const caller = callerFor(
      t.db,
      { kind: "agent", agentId, machineRef: null, collector: false },
      () => new Date("2026-03-01T00:00:00Z"),
      limiter,
    );
    const night = (d: number) =>
      completedEvent({ scheduledStart: `2008-01-0${d}T00:00:00`, startedAt: `2008-01-0${d}T00:00:09`, endedAt: `2008-01-0${d}T00:26:04` });
    await caller.ingest.batch(batchOf("m-rate", "RATE", [night(1)]));
    await caller.ingest.batch(batchOf("m-rate", "RATE", [night(2)]));
    await expect(caller.ingest.batch(batchOf("m-rate", "RATE", [night(3)]))).rejects.toThrow(
      /^too many requests from this agent \(limit 60 per minute\); retry in 1 s$/,
    );
    expect(await t.db.window.count({ where: { node: { name: "RATE" } } })).toBe(2);
  });

  it("is idempotent: the same batch three times, in any order, gives the same history", async () => {
    const { caller } = await enrolledAgent(t.db);
    const nights = [28, 29, 30].map((d) =>
      completedEvent({ scheduledStart: `2008-01-${d}T00:00:00`, startedAt: `2008-01-${d}T00:00:09`, endedAt: `2008-01-${d}T00:26:04` }),
    );
    const first = await caller.ingest.batch(batchOf("m-idem", "IDEM", nights));
    const again = await caller.ingest.batch(batchOf("m-idem", "IDEM", [...nights].reverse()));
    await caller.ingest.batch(batchOf("m-idem", "IDEM", nights));
    expect(first.acceptedEvents).toBe(3);
    expect(again.acceptedEvents).toBe(0);
    expect(await t.db.window.count({ where: { node: { name: "IDEM" } } })).toBe(3);
  });

  it("lets a fuller report of the same window replace an in-progress one, never the reverse", async () => {
    const { caller } = await enrolledAgent(t.db);
    const running = completedEvent({ status: "in-progress", endedAt: null, returnCode: null, stats: null });
    await caller.ingest.batch(batchOf("m-full", "FULL", [running]));
    await caller.ingest.batch(batchOf("m-full", "FULL", [completedEvent()]));
    await caller.ingest.batch(batchOf("m-full", "FULL", [running]));
    const w = await t.db.window.findFirstOrThrow({ where: { node: { name: "FULL" } } });
    expect(w.outcome).toBe("completed");
  });

  it("refuses an agent writing another machine's node, and stores nothing of that batch", async () => {
    const a = await enrolledAgent(t.db, "agent-a");
    const b = await enrolledAgent(t.db, "agent-b");
    await a.caller.ingest.batch(batchOf("m-a", "OWNED", [completedEvent()]));
    const sneaky = batchOf("m-b", "OWNED", [completedEvent({ scheduledStart: "2008-01-31T00:00:00" })]);
    await expect(b.caller.ingest.batch(sneaky)).rejects.toThrow(/belongs to another machine/);
    expect(await t.db.window.count({ where: { node: { name: "OWNED" } } })).toBe(1);
    expect(await t.db.machine.count({ where: { machineId: "m-b" } })).toBe(0);
  });

  it("names the bad field of an invalid batch", async () => {
    const { caller } = await enrolledAgent(t.db);
    const bad = batchOf("m-bad", "BAD", [completedEvent({ status: "exploded" as never })]);
    await expect(caller.ingest.batch(bad)).rejects.toThrow(/events\[0\] \(node BAD\): event\.status: Invalid option/);
  });

  it("is closed to users and anonymous callers", async () => {
    const { caller } = await userCaller(t.db, "admin");
    await expect(caller.ingest.batch(batchOf("m-user", "USER", []))).rejects.toThrow(/agent token/);
  });
});

describe("enrollment", () => {
  it("trades a token once", async () => {
    const { caller } = await userCaller(t.db, "admin");
    const { token } = await caller.admin.createEnrollmentToken({ note: "lab", ttlHours: 1 });
    const anon = (await import("../../testing")).callerFor(t.db, { kind: "anonymous" });
    const enrolled = await anon.ingest.enroll({ enrollmentToken: token, name: "lab-pc" });
    expect(enrolled.token).toMatch(/^fwa_/);
    await expect(anon.ingest.enroll({ enrollmentToken: token, name: "lab-pc" })).rejects.toThrow(/used or expired/);
  });

  it("is for admins only", async () => {
    const { caller } = await userCaller(t.db, "viewer");
    await expect(caller.admin.createEnrollmentToken({ note: null, ttlHours: 1 })).rejects.toThrow(/admin role/);
  });
});
