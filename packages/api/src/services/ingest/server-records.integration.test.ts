import type { ServerRecordsBatchInput } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJudge } from "../../jobs/judge";
import { batchOf, completedEvent, enrolledAgent, serverNodeRecord, userCaller } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const node = (name: string, overrides: Partial<ServerRecordsBatchInput["nodes"][number]> = {}) =>
  serverNodeRecord(name, {
    passwordSetAt: "2026-01-10T09:00:00",
    lastAccessAt: "2026-03-05T22:10:00",
    registeredAt: "2019-04-01T10:00:00",
    contact: "J. Smith",
    platform: "WinNT",
    clientVersion: "8.1.13.0",
    tcpName: name.toLowerCase(),
    tcpAddress: "10.0.0.1",
    domain: "STANDARD",
    ...overrides,
  });

const nightly = {
  domain: "STANDARD",
  action: "INCREMENTAL",
  definition: { name: "NIGHTLY", startTime: "22:00:00", duration: 2, durationUnits: "hours", dayOfWeek: "ANY" },
};

/** A server on UTC+1: its local times are an hour ahead of UTC. */
const records = (overrides: Partial<ServerRecordsBatchInput> = {}): ServerRecordsBatchInput => ({
  server: "",
  serverName: "TSM1",
  passwordExpiryDays: 365,
  utcOffsetMinutes: 60,
  collectedAt: "2026-03-06T08:00:00Z",
  nodes: [node("LAB-PC1", { locked: true }), node("LAB-PC1-OLD", { passwordExpiryDays: 90, lastAccessAt: null })],
  schedules: [nightly],
  associations: [
    { domain: "STANDARD", schedule: "NIGHTLY", node: "LAB-PC1" },
    { domain: "STANDARD", schedule: "NIGHTLY", node: "LAB-PC1-OLD" },
  ],
  events: [
    {
      node: "LAB-PC1-OLD",
      schedule: "NIGHTLY",
      scheduledStart: "2026-03-05T22:00:00",
      actualStart: null,
      completed: null,
      status: "Missed",
      result: null,
      reason: null,
    },
    {
      node: "LAB-PC1",
      schedule: "NIGHTLY",
      scheduledStart: "2026-03-05T22:00:00",
      actualStart: "2026-03-05T22:04:00",
      completed: "2026-03-05T22:50:00",
      status: "Failed",
      result: 12,
      reason: null,
    },
    {
      node: "LAB-PC1",
      schedule: "NIGHTLY",
      scheduledStart: "2026-03-06T22:00:00",
      actualStart: null,
      completed: null,
      status: "Future",
      result: null,
      reason: null,
    },
  ],
  ...overrides,
});

const collector = async () => (await enrolledAgent(t.db, "tsm-collector", { collector: true })).caller;
const nodeByName = (name: string) => t.db.node.findFirstOrThrow({ where: { name } });

describe("ingest.serverRecords", () => {
  it("is refused, in one line, to an agent not enrolled as a collector", async () => {
    const { caller } = await enrolledAgent(t.db, "plain-agent");
    await expect(caller.ingest.serverRecords(records())).rejects.toThrow(
      /^this agent was not enrolled as a TSM server collector; enroll it with a collector token$/,
    );
    expect(await t.db.node.count({ where: { name: "LAB-PC1" } })).toBe(0);
  });

  it("stores the server's nodes, schedule, links and verdicts, in UTC, and a resend changes nothing", async () => {
    const caller = await collector();
    const ack = await caller.ingest.serverRecords(records());
    expect(ack).toEqual({ nodes: 2, newNodes: 2, schedules: 1, associations: 2, events: 2, skippedSchedules: [] });

    const pc = await nodeByName("LAB-PC1");
    expect(pc).toMatchObject({ locked: true, passwordExpiryDays: 365, os: "win32", clientVersion: "8.1.13.0", policyDomain: "STANDARD" });
    expect(pc.passwordSetAt?.toISOString()).toBe("2026-01-10T08:00:00.000Z");
    expect(pc.lastContactAt?.toISOString()).toBe("2026-03-05T21:10:00.000Z");
    const old = await nodeByName("LAB-PC1-OLD");
    expect(old.passwordExpiryDays).toBe(90);
    expect(old.lastContactAt).toBeNull();
    const { caller: viewer } = await userCaller(t.db, "viewer");
    const shown = await viewer.nodes.byId({ nodeId: old.id });
    expect(shown).toMatchObject({ passwordExpiryDays: 90, policyDomain: "STANDARD", tcpName: "lab-pc1-old" });
    expect(shown.passwordExpiresAt?.toISOString()).toBe("2026-04-10T08:00:00.000Z");

    const schedule = await t.db.schedule.findFirstOrThrow({ where: { name: "NIGHTLY" }, include: { nodes: true } });
    expect(schedule).toMatchObject({ source: "collector", startTime: "22:00:00", durationMinutes: 120, periodMinutes: 1440 });
    expect(schedule.nodes.map((n) => n.source)).toEqual(["collector", "collector"]);

    const windows = await t.db.window.findMany({ orderBy: { outcome: "asc" }, include: { node: { select: { name: true } } } });
    expect(windows.map((w) => [w.node.name, w.localStart, w.outcome, w.source, w.scheduledStart.toISOString()])).toEqual([
      ["LAB-PC1", "2026-03-05T22:00:00", "failed", "collector", "2026-03-05T21:00:00.000Z"],
      ["LAB-PC1-OLD", "2026-03-05T22:00:00", "missed", "collector", "2026-03-05T21:00:00.000Z"],
    ]);
    const failed = windows[0]!;
    expect(failed.returnCode).toBe(12);
    const diagnosis = failed.diagnosis as { evidence: { text: string }[]; remedy: string[] };
    expect(diagnosis.evidence[0]?.text).toBe("TSM server event: Failed (result 12)");
    expect(diagnosis.remedy.at(-1)).toMatch(/manual backup/i);
    expect((await nodeByName("LAB-PC1")).lastOutcome).toBe("failed");
    const serverMissed = windows[1]!;
    // Registered in 2019, never accessed since: a retired node, diagnosed as the judge would.
    expect(serverMissed.cause).toBe("node-retired");
    expect((serverMissed.diagnosis as { remedy: string[] }).remedy.join(" ")).toMatch(/deregister/i);

    // No agent watches these nodes: the judge leaves their nights to the server's EVENTS.
    await runJudge(t.db, new Date("2026-03-09T12:00:00Z"));
    expect(await t.db.window.count({ where: { node: { name: { in: ["LAB-PC1", "LAB-PC1-OLD"] } } } })).toBe(2);

    const before = await t.db.node.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: "asc" } });
    const windowsBefore = await t.db.window.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: "asc" } });
    const again = await caller.ingest.serverRecords(records());
    expect(again).toMatchObject({ newNodes: 0, events: 0 });
    expect(await t.db.node.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await t.db.window.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: "asc" } })).toEqual(windowsBefore);
  });

  it("never overwrites an agent's finished report, but settles a run the agent left in progress", async () => {
    const { caller: agent } = await enrolledAgent(t.db, "pc-agent");
    const night = (d: number, status: "completed" | "in-progress") =>
      completedEvent({
        schedule: "NIGHTLY",
        scheduledStart: `2026-03-0${d}T22:00:00`,
        startedAt: `2026-03-0${d}T22:03:00`,
        ...(status === "completed" ? { endedAt: `2026-03-0${d}T22:30:00` } : { status, endedAt: null, returnCode: null, stats: null }),
      });
    const batch = batchOf("m-agent", "AGENT-PC", [night(3, "completed"), night(4, "in-progress")]);
    await agent.ingest.batch({ ...batch, events: batch.events.map((e) => ({ ...e, utcOffsetMinutes: 60 })) });
    const event = (d: number, status: string) => ({
      node: "AGENT-PC",
      schedule: "NIGHTLY",
      scheduledStart: `2026-03-0${d}T22:00:00`,
      actualStart: `2026-03-0${d}T22:03:00`,
      completed: null,
      status,
      result: null,
      reason: "connection lost",
    });
    const ack = await (await collector()).ingest.serverRecords(
      records({ nodes: [node("AGENT-PC")], associations: [], events: [event(3, "Failed"), event(4, "Severed")] }),
    );
    expect(ack.events).toBe(1);
    const windows = await t.db.window.findMany({ where: { node: { name: "AGENT-PC" } }, orderBy: { scheduledStart: "asc" } });
    expect(windows.map((w) => [w.localStart.slice(0, 10), w.outcome, w.source])).toEqual([
      ["2026-03-03", "completed", "agent"],
      ["2026-03-04", "severed", "collector"],
    ]);
  });

  it("drops a link the server no longer has, keeps a schedule staff set, and says which schedules it cannot expand", async () => {
    const caller = await collector();
    await t.db.schedule.create({
      data: { server: "", name: "STAFF_SET", startTime: "01:00:00", durationMinutes: 60, periodMinutes: 1440, source: "staff" },
    });
    const ack = await caller.ingest.serverRecords(
      records({
        nodes: [node("LAB-PC1", { locked: true }), node("LAB-PC1-OLD")],
        schedules: [
          nightly,
          { domain: "STANDARD", action: "INCREMENTAL", definition: { name: "STAFF_SET", startTime: "03:00:00" } },
          { domain: "STANDARD", action: "ARCHIVE", definition: { name: "MONTHLY", startTime: "02:00:00", periodUnits: "months" } },
          { domain: "OTHER", action: "INCREMENTAL", definition: { name: "NIGHTLY", startTime: "23:00:00" } },
        ],
        associations: [{ domain: "STANDARD", schedule: "NIGHTLY", node: "LAB-PC1" }],
        events: [],
      }),
    );
    expect(ack.skippedSchedules).toEqual([
      { name: "MONTHLY", reason: "a period in months" },
      { name: "NIGHTLY", reason: "also defined in policy domain STANDARD; windows name only the schedule" },
    ]);
    expect((await t.db.schedule.findFirstOrThrow({ where: { name: "STAFF_SET" } })).startTime).toBe("01:00:00");
    const links = await t.db.nodeSchedule.findMany({
      where: { schedule: { name: "NIGHTLY" }, source: "collector" },
      include: { node: true },
    });
    expect(links.map((l) => l.node.name).sort()).toEqual(["LAB-PC1"]);
  });

  it("refuses a malformed batch naming the field, and stores none of it", async () => {
    const caller = await collector();
    const bad = records({ nodes: [node("GOOD-PC"), node("BAD-PC", { passwordSetAt: "10 Jan 2026" })] });
    await expect(caller.ingest.serverRecords(bad)).rejects.toThrow(/nodes\.1\.passwordSetAt/);
    expect(await t.db.node.count({ where: { name: "GOOD-PC" } })).toBe(0);
  });
});
