import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJudge } from "../jobs/judge";
import { batchOf, completedEvent, enrolledAgent, userCaller } from "../testing";

// Each test has its own database and makes its own pair: none relies on another's data or order.
let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

const night = (d: number) =>
  completedEvent({
    schedule: "NIGHTLY",
    scheduledStart: `2026-04-${String(d).padStart(2, "0")}T22:00:00`,
    startedAt: `2026-04-${String(d).padStart(2, "0")}T22:05:00`,
    endedAt: `2026-04-${String(d).padStart(2, "0")}T22:40:00`,
  });

/** A rebuilt machine: ART-PC7 backed up six nights, then ART-PC7-NEW took over; judged the day after. */
async function rebuiltPair(): Promise<void> {
  for (const [node, days] of [
    ["ART-PC7", [1, 2, 3, 4, 5, 6]],
    ["ART-PC7-NEW", [7, 8, 9, 10, 11, 12]],
  ] as const) {
    const { caller } = await enrolledAgent(t.db, node);
    await caller.ingest.batch(batchOf(`m-${node}`, node, days.map(night)));
  }
  await runJudge(t.db, new Date("2026-04-13T12:00:00Z"));
}

describe("fleet router", () => {
  it("shows a rebuilt machine's pair side by side, marks the dead twin, and counts it in the overview", async () => {
    await rebuiltPair();
    const { caller: viewer } = await userCaller(t.db, "viewer");
    const { pairs } = await viewer.fleet.duplicates({ nights: 30 });
    expect(pairs).toHaveLength(1);
    const [pair] = pairs;
    const dead = [pair?.a, pair?.b].find((n) => n?.id === pair?.deadNodeId);
    expect(dead?.name).toBe("ART-PC7");
    expect(dead?.history.at(-1)?.outcome).toBe("missed");
    expect(pair?.evidence.length).toBeGreaterThan(0);

    const overview = await viewer.fleet.overview({ nights: 30 });
    expect(overview.counts.total).toBe(2);
    expect(overview.counts.duplicateSuspects).toBe(2);
    expect(overview.attention.map((a) => a.name)).toContain("ART-PC7");
  });

  it("lists nodes with filters and refuses a viewer's deregistration", async () => {
    await rebuiltPair();
    const { caller: viewer } = await userCaller(t.db, "viewer");
    const list = await viewer.nodes.list({
      flag: "duplicate-suspect",
      sort: "name",
      dir: "asc",
      page: 1,
      pageSize: 10,
      deregistered: false,
    });
    expect(list.rows.map((r) => r.name)).toEqual(["ART-PC7", "ART-PC7-NEW"]);
    await expect(viewer.nodes.deregister({ nodeId: list.rows[0]?.id as string, reason: "dead twin" })).rejects.toThrow(/operator role/);
    expect(await t.db.node.count({ where: { deregisteredAt: null } })).toBe(2);
  });

  it("deregisters and restores with an audit trail", async () => {
    await rebuiltPair();
    const { caller: operator } = await userCaller(t.db, "operator");
    const node = await t.db.node.findFirstOrThrow({ where: { name: "ART-PC7" } });
    // The duplicate-suspect flag is live before: the count below proves deregistering cleared it.
    expect(await t.db.flag.count({ where: { nodeId: node.id, clearedAt: null } })).toBeGreaterThan(0);
    await operator.nodes.deregister({ nodeId: node.id, reason: "replaced by ART-PC7-NEW" });
    expect(
      (await operator.nodes.list({ page: 1, pageSize: 10, sort: "name", dir: "asc", deregistered: false })).rows.map((r) => r.name),
    ).toEqual(["ART-PC7-NEW"]);
    expect(await t.db.flag.count({ where: { nodeId: node.id, clearedAt: null } })).toBe(0);
    await operator.nodes.restore({ nodeId: node.id, reason: null });
    const { caller: admin } = await userCaller(t.db, "admin");
    const log = await admin.admin.auditLog({ page: 1, pageSize: 10 });
    expect(log.rows.map((r) => r.action).slice(0, 2)).toEqual(["node.restore", "node.deregister"]);
  });
});
