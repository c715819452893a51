import type { ScheduleEvent } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ansMessage, batchOf, completedEvent, enrolledAgent, heartbeatAt, userCaller } from "../../testing";

// What the server does with records it cannot store, and with batches that claim a machine that is
// not their agent's. Each of these was a defect found by probing 54a3296 (issue 12, items 1, 2, 8).

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const night = (d: number, overrides: Partial<ScheduleEvent> = {}) =>
  completedEvent({
    scheduledStart: `2008-01-${String(d).padStart(2, "0")}T00:00:00`,
    startedAt: `2008-01-${String(d).padStart(2, "0")}T00:00:09`,
    endedAt: `2008-01-${String(d).padStart(2, "0")}T00:26:04`,
    ...overrides,
  });

/** The tRPC error of a refused call, with its data (what an agent reads from the 422). */
async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const e = error as TRPCError & { cause?: { details?: Record<string, unknown> } };
  return { code: e.code, message: e.message, details: e.cause?.details ?? {} };
}

const windowsOf = (node: string) => t.db.window.findMany({ where: { node: { name: node } }, orderBy: { scheduledStart: "asc" } });

describe("a record the server cannot store", () => {
  it("naming a node TSM cannot have is refused with the rule, and no such node appears (issue 16.10)", async () => {
    const { caller } = await enrolledAgent(t.db, "markup-pc");
    const good = batchOf("m-markup", "LAW-PC005", [night(1)]);
    const bad = batchOf("m-markup", "<SCRIPT>ALERT(1)</SCRIPT>", [night(2)]);
    const odd = batchOf("m-markup", 'ODD"NODE&<B>X</B>', [night(3)]);
    const refused = await refusal(caller.ingest.batch({ ...good, events: [...good.events, ...bad.events, ...odd.events] }));
    expect(refused.code).toBe("UNPROCESSABLE_CONTENT");
    expect(refused.message).toBe(
      "2 of 3 records refused, the rest stored; first: events[1] (node <SCRIPT>ALERT(1)</SCRIPT>): node: not a TSM node name: < > ( ) / cannot be in one (only A-Z, 0-9 and _ . - + &)",
    );
    expect(refused.details.accepted).toEqual({ events: 1, problems: 0, heartbeats: 0 });
    const names = (
      await t.db.node.findMany({ where: { name: { in: ["LAW-PC005", "<SCRIPT>ALERT(1)</SCRIPT>", 'ODD"NODE&<B>X</B>'] } } })
    ).map((n) => n.name);
    expect(names).toEqual(["LAW-PC005"]);
  });

  it("is refused by name (422) while the rest of its batch is stored, recorded for staff", async () => {
    const { agentId, caller } = await enrolledAgent(t.db, "poisoned-pc");
    const batch = batchOf("m-poison", "POISON", [night(1), night(2, { returnCode: 4294967296 }), night(3)]);
    const refused = await refusal(caller.ingest.batch(batch));
    expect(refused.code).toBe("UNPROCESSABLE_CONTENT");
    expect(refused.message).toMatch(
      /^1 of 3 records refused, the rest stored; first: events\[1\] \(node POISON\): event\.returnCode: Too big: expected number to be <=2147483647$/,
    );
    expect(refused.details.rejected).toEqual([
      { kind: "event", index: 1, node: "POISON", reason: expect.stringMatching(/^event\.returnCode/) },
    ]);
    expect(refused.details.accepted).toEqual({ events: 2, problems: 0, heartbeats: 0 });
    expect((await windowsOf("POISON")).map((w) => w.scheduledStart.toISOString().slice(0, 10))).toEqual(["2008-01-01", "2008-01-03"]);

    // Staff see it: "agent poisoned-pc has 1 rejected record".
    const { caller: admin } = await userCaller(t.db, "admin");
    const agent = (await admin.admin.agents()).find((a) => a.id === agentId);
    expect(agent).toMatchObject({ rejectedRecords: 1, lastRejected: { kind: "event", node: "POISON" } });

    // A resend of the same batch (an agent without quarantine) stores nothing twice.
    await refusal(caller.ingest.batch(batch));
    expect(await windowsOf("POISON")).toHaveLength(2);
  });

  it.each([
    [
      "an elapsed time of 2^40 seconds",
      night(4, { stats: { ...night(4).stats!, elapsedSeconds: 2 ** 40 } }),
      /event\.stats\.elapsedSeconds: Too big/,
    ],
    [
      "a message's days of 2^40",
      night(5, { messages: [{ ...ansMessage("ANS2050E", "2008-01-05T00:00:10"), days: 2 ** 40 }] }),
      /messages\.0\.days: Too big/,
    ],
    [
      "200,000 messages",
      night(6, { messages: Array.from({ length: 200_000 }, () => ansMessage("ANS4037E", "2008-01-06T00:00:10")) }),
      /event\.messages: Too big/,
    ],
    ["an unknown key on the event", { ...night(7), huge: "x".repeat(1000) } as ScheduleEvent, /event: Unrecognized key: "huge"/],
    [
      "a stats figure that is not a count",
      night(8, { stats: { ...night(8).stats!, extra: "x".repeat(20_000) } as never }),
      /event\.stats\.extra/,
    ],
    ["13th month and 25th hour", night(9, { scheduledStart: "2024-13-45T25:61:61" }), /event\.scheduledStart: month 13 does not exist/],
    ["year 0000", night(10, { scheduledStart: "0000-01-10T00:00:00" }), /event\.scheduledStart: year 0 is outside 1990-2100/],
    ["year 9999", night(11, { startedAt: "9999-01-11T00:00:09" }), /event\.startedAt: year 9999 is outside 1990-2100/],
    ["31 February", night(12, { scheduledStart: "2024-02-31T00:00:00" }), /event\.scheduledStart: day 31 does not exist in 2024-02/],
  ])("%s is refused at the schema and stores nothing of that record", async (_what, event, reason) => {
    const { caller } = await enrolledAgent(t.db);
    const name = `BOUNDS-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const refused = await refusal(caller.ingest.batch(batchOf(`m-${name}`, name, [night(20), event])));
    expect(refused.code).toBe("UNPROCESSABLE_CONTENT");
    expect(refused.message).toMatch(reason);
    expect(await windowsOf(name)).toHaveLength(1);
  });

  it("keeps a log's NUL characters as U+FFFD instead of failing the batch", async () => {
    const { caller } = await enrolledAgent(t.db);
    const text = "ANS1228E Sending of object '/data/\u0000\u0000' failed";
    await caller.ingest.batch(
      batchOf("m-nul", "NUL", [night(1, { messages: [{ ...ansMessage("ANS1228E", "2008-01-01T00:00:10"), text }] })]),
    );
    const [window] = await t.db.window.findMany({ where: { node: { name: "NUL" } }, include: { messages: true } });
    expect(window?.messages[0]?.text).toBe("ANS1228E Sending of object '/data/\uFFFD\uFFFD' failed");
  });

  it("found by halving when only PostgreSQL refuses it (a bound the schema missed), the rest stored", async () => {
    // A database whose returnCode column is narrower than the schema says: the schema lets 40000 by.
    const narrow = await createTestDatabase();
    try {
      await narrow.db.$executeRawUnsafe(`ALTER TABLE "Window" ALTER COLUMN "returnCode" TYPE smallint`);
      const { caller } = await enrolledAgent(narrow.db);
      const events = [night(1), night(2), night(3, { returnCode: 40000 }), night(4), night(5)];
      const refused = await refusal(
        caller.ingest.batch({
          ...batchOf("m-narrow", "NARROW", events),
          heartbeats: [heartbeatAt("NARROW", new Date("2026-03-01T00:00:00Z"))],
        }),
      );
      expect(refused.code).toBe("UNPROCESSABLE_CONTENT");
      expect(refused.details.rejected).toEqual([
        { kind: "event", index: 2, node: "NARROW", reason: expect.stringMatching(/^the database refused it: .*out of range/) },
      ]);
      expect(refused.details.accepted).toEqual({ events: 4, problems: 0, heartbeats: 1 });
      const stored = await narrow.db.window.findMany({ where: { node: { name: "NARROW" } } });
      expect(stored.map((w) => w.scheduledStart.getUTCDate()).sort()).toEqual([1, 2, 4, 5]);
    } finally {
      await narrow.drop();
    }
  });
});

describe("an agent's machine", () => {
  it("is bound at first contact; a second agent claiming it is refused (403), audited, and writes nothing", async () => {
    const { agentId: first, caller: owner } = await enrolledAgent(t.db, "lab-pc");
    await owner.ingest.batch(batchOf("m-lab", "LAB-PC", [night(1)]));
    const { agentId: intruder, caller: other } = await enrolledAgent(t.db, "impostor");
    const refused = await refusal(other.ingest.batch(batchOf("m-lab", "LAB-PC", [night(2, { returnCode: 12, status: "failed" })])));
    expect(refused).toMatchObject({ code: "FORBIDDEN" });
    expect(refused.message).toBe(
      "machine m-lab is watched by another agent: an admin revokes that agent, or moves this one (Settings > Agents)",
    );
    expect(await windowsOf("LAB-PC")).toHaveLength(1);
    expect((await t.db.agent.findUniqueOrThrow({ where: { id: intruder } })).machineRef).toBeNull();
    expect((await t.db.agent.findUniqueOrThrow({ where: { id: first } })).machineRef).not.toBeNull();
    const audited = await t.db.auditLog.findFirst({ where: { action: "agent.machine-claim-refused", targetId: intruder } });
    expect(audited?.reason).toBe(refused.message);

    // The admin's act: revoke the old agent; the new one then takes the machine over.
    const { caller: admin } = await userCaller(t.db, "admin");
    await admin.admin.revokeAgent({ agentId: first, reason: "machine reinstalled" });
    await other.ingest.batch(batchOf("m-lab", "LAB-PC", [night(2)]));
    expect(await windowsOf("LAB-PC")).toHaveLength(2);
  });

  it("an agent bound to one machine cannot report another until an admin moves it", async () => {
    const { agentId, caller } = await enrolledAgent(t.db, "roamer");
    await caller.ingest.batch(batchOf("m-home", "HOME-PC", [night(1)]));
    const refused = await refusal(caller.ingest.batch(batchOf("m-away", "AWAY-PC", [night(1)])));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.message).toMatch(/^this agent is bound to another machine, not m-away/);
    expect(await windowsOf("AWAY-PC")).toHaveLength(0);

    const { caller: admin } = await userCaller(t.db, "admin");
    await admin.admin.unbindAgent({ agentId, reason: "moved to the new PC" });
    await caller.ingest.batch(batchOf("m-away", "AWAY-PC", [night(1)]));
    expect(await windowsOf("AWAY-PC")).toHaveLength(1);
    expect(await t.db.auditLog.count({ where: { action: "agent.unbind", targetId: agentId } })).toBe(1);
  });
});
