import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJudge } from "../../jobs/judge";
import { marchAt as at, batchOf, enrolledAgent, nightOn as night, userCaller } from "../../testing";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

/** Nodes backed up on March 1-5, their missed nights judged from then on. */
async function backedUpUntilThe5th(...names: string[]) {
  for (const name of names) {
    const { caller: agent } = await enrolledAgent(t.db, `m-${name}`);
    await agent.ingest.batch(
      batchOf(
        `m-${name}`,
        name,
        [1, 2, 3, 4, 5].map((d) => night(d)),
      ),
    );
  }
  await runJudge(t.db, at(5, 23, 59));
}

/** Each missed night as [node, the maintenance window that excused it or null]. */
async function missedNights() {
  const missed = await t.db.window.findMany({
    where: { outcome: "missed" },
    select: { node: { select: { name: true } }, maintenance: { select: { name: true } } },
    orderBy: { node: { name: "asc" } },
  });
  return missed.map((w) => [w.node.name, w.maintenance?.name ?? null]);
}

describe("maintenance windows", () => {
  it("bad nights inside one are kept, marked and never alerted; the first night after it alerts as one night", async () => {
    const { caller: agent } = await enrolledAgent(t.db, "m-PC1");
    await agent.ingest.batch(
      batchOf(
        "m-PC1",
        "PC1",
        [1, 2, 3, 4, 5].map((d) => night(d)),
      ),
    );
    const { caller: operator } = await userCaller(t.db, "operator");
    // The server room moves: every node of the default server is off from the 6th 20:00 to the 8th 08:00.
    await operator.maintenance.create({
      name: "Server room move",
      scope: "fleet",
      startsAt: at(6, 20),
      endsAt: at(8, 8),
    });
    await runJudge(t.db, at(8, 9));
    const nights = await t.db.window.findMany({
      where: { node: { name: "PC1" }, outcome: "missed" },
      orderBy: { scheduledStart: "asc" },
      select: { localStart: true, maintenance: { select: { name: true } } },
    });
    expect(nights.map((w) => [w.localStart.slice(5, 10), w.maintenance?.name])).toEqual([
      ["03-06", "Server room move"],
      ["03-07", "Server room move"],
    ]);
    expect(await t.db.alert.findMany({ where: { node: { name: "PC1" } }, select: { title: true, body: true } })).toEqual([]);
    // The node is at risk (no backup for 58 h) and says so, but the nights are excused: no alert,
    // and no repeated-misses either.
    const flags = await t.db.flag.findMany({ where: { node: { name: "PC1" }, clearedAt: null }, select: { kind: true } });
    expect(flags.map((f) => f.kind)).toEqual(["at_risk"]);

    await runJudge(t.db, at(9, 9));
    const alerts = await t.db.alert.findMany({ where: { node: { name: "PC1" } }, select: { kind: true, title: true } });
    expect(alerts).toEqual([{ kind: "backup", title: "PC1: missed 1 night since 8 Mar" }]);

    const listed = await operator.maintenance.list();
    expect(listed.map((m) => [m.name, m.suppressedNights])).toEqual([["Server room move", 2]]);
  });

  it("one profile's maintenance covers its nodes only", async () => {
    await backedUpUntilThe5th("LAW-MAC001", "LAW-PC002");
    const { caller: operator } = await userCaller(t.db, "operator");
    await expect(
      operator.maintenance.create({ name: "x", scope: "profile", target: "tablets", startsAt: at(6), endsAt: at(7) }),
    ).rejects.toThrow("no profile named tablets");
    await operator.maintenance.create({
      name: "Laptops recalled",
      scope: "profile",
      target: "Laptop",
      startsAt: at(6, 20),
      endsAt: at(7, 8),
    });
    await runJudge(t.db, at(7, 9));
    expect(await missedNights()).toEqual([
      ["LAW-MAC001", "Laptops recalled"],
      ["LAW-PC002", null],
    ]);
    expect((await operator.maintenance.list()).map((m) => [m.scope, m.target])).toEqual([["profile", "laptop"]]);
  });

  it("one group's maintenance (a department) covers its nodes only; a group that is none is refused in one line", async () => {
    await backedUpUntilThe5th("CHEM-PC001", "LAW-PC002");
    const { caller: operator } = await userCaller(t.db, "operator");
    await expect(
      operator.maintenance.create({ name: "x", scope: "group", target: "colour:blue", startsAt: at(6), endsAt: at(7) }),
    ).rejects.toThrow(/"colour:blue" is no group/);
    await operator.maintenance.create({
      name: "Chemistry rewiring",
      scope: "group",
      target: "department:chem",
      startsAt: at(6, 20),
      endsAt: at(7, 8),
    });
    await runJudge(t.db, at(7, 9));
    expect(await missedNights()).toEqual([
      ["CHEM-PC001", "Chemistry rewiring"],
      ["LAW-PC002", null],
    ]);
    expect((await operator.maintenance.list()).map((m) => [m.scope, m.target])).toEqual([["group", "department:CHEM"]]);
  });

  it("several groups' maintenance, of several kinds, each covers its own group's nodes", async () => {
    await backedUpUntilThe5th("CHEM-PC001", "LAW-PC002", "LAW-SRV003", "PC4");
    const lab = await t.db.node.findFirstOrThrow({ where: { name: "LAW-PC002" }, select: { id: true } });
    await t.db.nodeTag.create({ data: { nodeId: lab.id, tag: "lab", createdBy: "test" } });
    const { caller: operator } = await userCaller(t.db, "operator");
    for (const [name, target] of [
      ["Chemistry rewiring", "department:CHEM"],
      ["Lab move", "tag:lab"],
      ["Server patching", "profile:server"],
      ["Nobody's", "contact:nobody@uni.test"],
    ] as const)
      await operator.maintenance.create({ name, scope: "group", target, startsAt: at(6, 20), endsAt: at(7, 8) });
    await runJudge(t.db, at(7, 9));
    expect(await missedNights()).toEqual([
      ["CHEM-PC001", "Chemistry rewiring"],
      ["LAW-PC002", "Lab move"],
      ["LAW-SRV003", "Server patching"],
      ["PC4", null],
    ]);
  });

  it("refuses a definition it cannot use with one line, and audits what staff make and remove", async () => {
    const { caller: operator } = await userCaller(t.db, "operator");
    await expect(
      operator.maintenance.create({
        name: "Patching",
        scope: "fleet",
        cron: "0 25 * * 6",
        timeZone: "Europe/London",
        durationMinutes: 240,
      }),
    ).rejects.toThrow(/the cron expression "0 25 \* \* 6" is not valid/);
    await expect(
      operator.maintenance.create({ name: "Lab", scope: "node", target: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toThrow(/needs a start and an end|no such node/);
    const made = await operator.maintenance.create({
      name: "Patching",
      scope: "fleet",
      cron: "0 20 * * 6",
      timeZone: "Europe/London",
      durationMinutes: 240,
    });
    await operator.maintenance.delete({ id: made.id });
    const actions = await t.db.auditLog.findMany({ where: { targetId: made.id }, orderBy: { at: "asc" }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(["maintenance.create", "maintenance.delete"]);
  });
});
