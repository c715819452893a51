import type { ScheduleEvent } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchOf, marchDay as day, enrolledAgent, heartbeatAt, nightOn as night, userCaller } from "../../testing";

// What the set-based ingest must keep doing, beyond ingest.integration.test.ts: messages replaced,
// evidence stored once, derived state and schedules as a reader of the node sees them, a resend
// that touches nothing.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const failed = (d: number, texts: string[]) =>
  night(d, {
    status: "failed",
    returnCode: 12,
    cause: "files-changed",
    causes: ["files-changed"],
    messages: texts.map((text, i) => ({ code: "ANS1228E", severity: "E" as const, at: `${day(d)}T22:1${i}:00`, text, cause: null })),
  });
const running = (d: number) => night(d, { status: "in-progress", endedAt: null, returnCode: null, stats: null });

describe("ingest.batch, set-based", () => {
  it("replaces a window's messages with the fuller report's, however many each has", async () => {
    const { caller } = await enrolledAgent(t.db);
    await caller.ingest.batch(batchOf("m-msg", "MSG", [failed(1, ['a "quoted", {braced} \\ text', "b", "c"])]));
    await caller.ingest.batch(batchOf("m-msg", "MSG", [failed(1, ["only one"])]));
    const messages = await t.db.eventMessage.findMany({ where: { window: { node: { name: "MSG" } } }, orderBy: { ordinal: "asc" } });
    expect(messages.map((m) => [m.ordinal, m.text])).toEqual([[0, "only one"]]);
    await caller.ingest.batch(batchOf("m-msg", "MSG", [failed(1, ["x", "y"])]));
    const again = await t.db.eventMessage.findMany({ where: { window: { node: { name: "MSG" } } }, orderBy: { ordinal: "asc" } });
    expect(again.map((m) => m.text)).toEqual(["x", "y"]);
  });

  it("keeps the raw log lines around each message, and shows them on the node's page", async () => {
    const { caller } = await enrolledAgent(t.db);
    const context = {
      before: ["03/02/2026 22:10:58 Normal File-->  2,048 /var/log/test.log  ** Unsuccessful **"],
      after: ["03/02/2026 22:11:01 Retry # 1"],
    };
    const event = failed(2, ["Sending of object '/var/log/test.log' failed"]);
    await caller.ingest.batch(batchOf("m-ctx", "CTX", [{ ...event, messages: event.messages.map((m) => ({ ...m, context })) }]));
    const node = await t.db.node.findFirstOrThrow({ where: { name: "CTX" } });
    const { caller: viewer } = await userCaller(t.db, "viewer");
    const shown = await viewer.nodes.byId({ nodeId: node.id });
    expect(shown.windows[0]?.messages[0]?.context).toEqual(context);
  });

  it("stores every field of an event and its messages as sent, instants in UTC from the log's offset", async () => {
    const { caller } = await enrolledAgent(t.db);
    const event = {
      ...failed(4, ['a "quoted", {braced} \\ text, \u00e9t\u00e9 \u2014 \ud83d\udcbe']),
      startedAt: `${day(4)}T22:01:07`,
      endedAt: `${day(4)}T23:59:59`,
      causes: ["files-changed", "sign-off-only"] satisfies ScheduleEvent["causes"],
      stats: {
        inspected: 9_007_199_254,
        backedUp: 3,
        updated: 1,
        rebound: 0,
        deleted: 2,
        expired: 0,
        failed: 1,
        bytesTransferred: 5_000_000_000,
        elapsedSeconds: 7_192,
      },
    };
    const message = { ...event.messages[0]!, flag: "password-expiring" as const, days: 7, context: { before: ['line "one"'], after: [] } };
    const batch = batchOf("m-all", "ALL", [{ ...event, messages: [message] }]);
    await caller.ingest.batch({ ...batch, events: batch.events.map((e) => ({ ...e, utcOffsetMinutes: -330 })) });

    const w = await t.db.window.findFirstOrThrow({ where: { node: { name: "ALL" } }, include: { messages: true } });
    expect({
      schedule: w.schedule,
      scheduledStart: w.scheduledStart.toISOString(),
      localStart: w.localStart,
      startedAt: w.startedAt?.toISOString(),
      endedAt: w.endedAt?.toISOString(),
      outcome: w.outcome,
      returnCode: w.returnCode,
      counts: [w.objectsInspected, w.objectsBackedUp, w.objectsFailed, w.bytesTransferred, w.elapsedSeconds],
      stats: w.stats,
      causes: w.causes,
      cause: w.cause,
      benign: w.benign,
      source: w.source,
      diagnosis: (w.diagnosis as { cause?: string } | null)?.cause,
    }).toEqual({
      schedule: event.schedule,
      scheduledStart: `${day(5)}T03:30:00.000Z`,
      localStart: event.scheduledStart,
      startedAt: `${day(5)}T03:31:07.000Z`,
      endedAt: `${day(5)}T05:29:59.000Z`,
      outcome: "failed",
      returnCode: 12,
      counts: [9_007_199_254n, 3n, 1n, 5_000_000_000n, 7_192],
      stats: event.stats,
      causes: event.causes,
      cause: "files-changed",
      benign: false,
      source: "agent",
      diagnosis: "files-changed",
    });
    expect(w.messages.map((m) => ({ ...m, id: undefined, windowId: undefined, at: m.at?.toISOString() }))).toEqual([
      {
        id: undefined,
        windowId: undefined,
        ordinal: 0,
        code: "ANS1228E",
        severity: "E",
        at: `${day(5)}T03:40:00.000Z`,
        text: message.text,
        cause: null,
        flag: "password-expiring",
        days: 7,
        context: message.context,
      },
    ]);
  });

  it("applies reports of one window in batch order, as if sent one after the other", async () => {
    const { caller } = await enrolledAgent(t.db);
    const ack = await caller.ingest.batch(batchOf("m-order", "ORDER", [running(2), night(2), running(2), night(3), night(3)]));
    expect(ack.acceptedEvents).toBe(3);
    const windows = await t.db.window.findMany({ where: { node: { name: "ORDER" } }, orderBy: { scheduledStart: "asc" } });
    expect(windows.map((w) => w.outcome)).toEqual(["completed", "completed"]);
  });

  it("stores problems and heartbeats once, and a resend of the batch changes no window", async () => {
    const { caller } = await enrolledAgent(t.db);
    const beat = { node: "EVIDENCE", at: "2026-03-05T01:00:00Z", bootedAt: "2026-03-04T08:00:00Z", clockJumpSeconds: 0 };
    const batch = {
      ...batchOf("m-evidence", "EVIDENCE", [night(4), failed(5, ["z"])]),
      problems: [
        {
          node: "EVIDENCE",
          utcOffsetMinutes: 0,
          message: { code: "ANS1029E", severity: "E" as const, at: `${day(5)}T23:00:00`, text: "lost", cause: null },
        },
      ],
      heartbeats: [{ ...beat, serverReachable: true, schedulerRunning: true, nextScheduled: [], spoolBytes: 0, lastError: null }],
    };
    expect(await caller.ingest.batch(batch)).toEqual({ acceptedEvents: 2, acceptedProblems: 1, acceptedHeartbeats: 1 });
    const before = await t.db.window.findMany({ where: { node: { name: "EVIDENCE" } }, select: { id: true, updatedAt: true } });
    expect(await caller.ingest.batch(batch)).toEqual({ acceptedEvents: 0, acceptedProblems: 0, acceptedHeartbeats: 0 });
    const after = await t.db.window.findMany({ where: { node: { name: "EVIDENCE" } }, select: { id: true, updatedAt: true } });
    expect(after).toEqual(before);
    const machine = await t.db.machine.findUniqueOrThrow({ where: { machineId: "m-evidence" } });
    expect(machine.bootedAt?.toISOString()).toBe("2026-03-04T08:00:00.000Z");
    const node = await t.db.node.findFirstOrThrow({ where: { name: "EVIDENCE" } });
    expect(node.lastHeartbeatAt?.toISOString()).toBe("2026-03-05T01:00:00.000Z");
  });

  it("keeps a heartbeat's evidence: the scheduler, the client, the DOMAIN check, the spool", async () => {
    const { caller } = await enrolledAgent(t.db);
    const beat = heartbeatAt("BEAT", new Date("2026-03-05T01:00:00Z"), {
      spoolBytes: 512,
      schedulerKind: "dsmcad",
      clientVersion: "8.1.13.0",
      serverAddress: "tsm1.example.edu:1500",
      passwordAccess: "generate",
      domains: [{ name: 'C:\\Documents and "Settings"', ok: false, reason: "no such file system" }],
      spoolGap: { fullSince: null, thinnedHeartbeats: 0 },
      fullResync: null,
      agentVersion: "0.1.0",
    });
    await caller.ingest.batch({ ...batchOf("m-beat", "BEAT", []), heartbeats: [beat] });
    const stored = await t.db.heartbeat.findFirstOrThrow({ where: { node: { name: "BEAT" } } });
    expect(stored).toMatchObject({
      schedulerKind: "dsmcad",
      clientVersion: "8.1.13.0",
      serverAddress: "tsm1.example.edu:1500",
      passwordAccess: "generate",
      domains: beat.domains,
      spoolGap: beat.spoolGap,
      fullResync: null,
      agentVersion: "0.1.0",
    });
  });

  it("keeps the node's derived state: last outcome, streaks, last success, last event", async () => {
    const { caller } = await enrolledAgent(t.db);
    await caller.ingest.batch(batchOf("m-state", "STATE", [night(6), failed(7, ["a"]), failed(8, ["b"])]));
    const node = await t.db.node.findFirstOrThrow({ where: { name: "STATE" } });
    expect(node).toMatchObject({ lastOutcome: "failed", failedStreak: 2, missedStreak: 0, lastCause: "files-changed" });
    expect(node.lastCompletedAt?.toISOString()).toBe(`${day(6)}T22:30:00.000Z`);
    expect(node.lastEventAt?.toISOString()).toBe(`${day(8)}T22:03:00.000Z`);
    // A late report of an older night changes the windows it belongs to, not the newest.
    await caller.ingest.batch(batchOf("m-state", "STATE", [night(5)]));
    expect(await t.db.node.findFirstOrThrow({ where: { name: "STATE" } })).toMatchObject({ lastOutcome: "failed", failedStreak: 2 });
  });

  it("infers the node's schedule, links it, and leaves a schedule from the TSM server alone", async () => {
    await t.db.schedule.create({ data: { server: "", name: "FROM_SERVER", startTime: "01:00:00", source: "collector" } });
    const { caller } = await enrolledAgent(t.db);
    await caller.ingest.batch(
      batchOf("m-sched", "SCHED", [
        night(1),
        night(2),
        night(3),
        night(4, { schedule: "FROM_SERVER", scheduledStart: `${day(4)}T03:00:00` }),
      ]),
    );
    const links = await t.db.nodeSchedule.findMany({ where: { node: { name: "SCHED" } }, include: { schedule: true } });
    expect(links.map((l) => [l.schedule.name, l.schedule.source, l.schedule.startTime]).sort()).toEqual([
      ["FROM_SERVER", "collector", "01:00:00"],
      ["NIGHTLY", "agent", "22:00:00"],
    ]);
    const nightly = await t.db.schedule.findFirstOrThrow({ where: { name: "NIGHTLY" } });
    await caller.ingest.batch(batchOf("m-sched", "SCHED", [night(3)]));
    // Nothing new to learn: the shared row is not written (every agent of the fleet shares it).
    expect((await t.db.schedule.findFirstOrThrow({ where: { name: "NIGHTLY" } })).updatedAt).toEqual(nightly.updatedAt);
  });

  it("takes a batch with nothing in it", async () => {
    const { caller } = await enrolledAgent(t.db);
    expect(await caller.ingest.batch(batchOf("m-empty", "EMPTY", []))).toEqual({
      acceptedEvents: 0,
      acceptedProblems: 0,
      acceptedHeartbeats: 0,
    });
    expect(await t.db.machine.count({ where: { machineId: "m-empty" } })).toBe(1);
  });
});
