import { builtInProfiles } from "@fleetwatch/core/profiles";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJudge } from "../../jobs/judge";
import { marchAt as at, batchOf, enrolledAgent, nightOn as night, userCaller } from "../../testing";
import { lateNow } from "./late-windows";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

/** Three machines backed up on March 1-5, then silent: a server, a Mac laptop, a plain PC. */
async function threeNodes() {
  for (const name of ["CHEM-SRV001", "LAW-MAC002", "PC3"]) {
    const { caller } = await enrolledAgent(t.db, `m-${name}`);
    await caller.ingest.batch(
      batchOf(
        `m-${name}`,
        name,
        [1, 2, 3, 4, 5].map((d) => night(d)),
      ),
    );
  }
}

const openFlags = async (name: string) =>
  (await t.db.flag.findMany({ where: { node: { name }, clearedAt: null }, select: { kind: true } })).map((f) => f.kind).sort();
const liveAlerts = async (name: string) =>
  t.db.alert.findMany({ where: { node: { name }, state: { not: "resolved" } }, select: { kind: true, severity: true } });

describe("the built-in profiles", () => {
  it("are in a new site's database from its migrations, as core has them", async () => {
    const rows = await t.db.profile.findMany({
      select: { name: true, description: true, isDefault: true, position: true, rules: true, policy: true },
      orderBy: { position: "asc" },
    });
    expect(rows).toEqual([...builtInProfiles].sort((a, b) => a.position - b.position));
  });
});

describe("profiles and exceptions", () => {
  it("each node is judged by its profile: a server's one miss is critical, a laptop's two are quiet, a PC takes the site's rules", async () => {
    await threeNodes();
    await runJudge(t.db, at(8, 9));
    const { caller: viewer } = await userCaller(t.db, "viewer");
    const listed = (await viewer.profiles.list()).profiles;
    expect(listed.map((p) => [p.name, p.nodes])).toEqual([
      ["server", 1],
      ["laptop", 1],
      ["workstation", 1],
    ]);

    // Two missed nights (6 and 7 March) each.
    expect(await openFlags("CHEM-SRV001")).toEqual(["at_risk", "repeated_misses"]);
    expect(await liveAlerts("CHEM-SRV001")).toEqual([{ kind: "backup", severity: "critical" }]);
    // The laptop: 5 in a row before repeated-misses, at risk only after 96 h (58 h since its last backup).
    expect(await openFlags("LAW-MAC002")).toEqual([]);
    expect(await liveAlerts("LAW-MAC002")).toEqual([{ kind: "backup", severity: "info" }]);
    expect(await openFlags("PC3")).toEqual(["at_risk"]);
    expect(await liveAlerts("PC3")).toEqual([{ kind: "backup", severity: "warning" }]);

    const server = await t.db.node.findFirstOrThrow({ where: { name: "CHEM-SRV001" }, select: { id: true } });
    const mine = await viewer.profiles.ofNode({ nodeId: server.id });
    expect([mine.profile?.name, mine.how, mine.effective.settings.missesInARow]).toEqual(["server", "by rule: name *-SRV*", 1]);
  });

  it("a bypassed node is watched (flags, verdicts) and never alerted; its open alerts resolve saying why", async () => {
    await threeNodes();
    await runJudge(t.db, at(8, 9));
    const { caller: operator } = await userCaller(t.db, "operator");
    const pc = await t.db.node.findFirstOrThrow({ where: { name: "PC3" }, select: { id: true } });
    await operator.profiles.setNodeOverride({ nodeId: pc.id, override: { bypass: true } });
    await runJudge(t.db, at(9, 9));
    expect(await liveAlerts("PC3")).toEqual([]);
    // Watched: the third missed night makes its streak, as for any node.
    expect(await openFlags("PC3")).toEqual(["at_risk", "repeated_misses"]);
    const resolved = await t.db.alert.findFirstOrThrow({ where: { node: { name: "PC3" } }, select: { state: true, resolvedReason: true } });
    expect(resolved).toEqual({ state: "resolved", resolvedReason: "the node was bypassed: watched, never alerted" });
    // Another bad night while bypassed: still nothing.
    await runJudge(t.db, at(10, 9));
    expect(await liveAlerts("PC3")).toEqual([]);

    // Back to normal (an empty override): the condition alerts again.
    await operator.profiles.setNodeOverride({ nodeId: pc.id, override: {} });
    await runJudge(t.db, at(10, 10));
    expect((await liveAlerts("PC3")).map((a) => a.kind)).toEqual(["backup"]);
    const audit = await t.db.auditLog.findMany({ where: { targetId: pc.id }, orderBy: { at: "asc" }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(["node.bypass", "node.override"]);
  });

  it("by hand wins over the rules, a new profile's rule moves nodes at once, and a bad policy is refused in one line", async () => {
    await threeNodes();
    await runJudge(t.db, at(8, 9));
    const { caller: admin } = await userCaller(t.db, "admin");
    const server = await t.db.node.findFirstOrThrow({ where: { name: "CHEM-SRV001" }, select: { id: true } });
    const laptop = (await admin.profiles.list()).profiles.find((p) => p.name === "laptop");
    await admin.profiles.setNodeProfile({ nodeId: server.id, profileId: laptop?.id ?? null });
    expect(await admin.profiles.ofNode({ nodeId: server.id })).toMatchObject({ profile: { name: "laptop" }, how: "set by hand" });
    await runJudge(t.db, at(8, 10));
    expect(await openFlags("CHEM-SRV001")).toEqual([]);

    await admin.profiles.create({
      name: "law-lab",
      description: "The law faculty's lab",
      position: 5,
      rules: [{ namePattern: "LAW-*" }],
      policy: { missesInARow: 2 },
    });
    const after = (await admin.profiles.list()).profiles;
    expect(after.map((p) => [p.name, p.nodes])).toEqual([
      ["law-lab", 1],
      ["server", 0],
      ["laptop", 1],
      ["workstation", 1],
    ]);
    await runJudge(t.db, at(8, 11));
    expect(await openFlags("LAW-MAC002")).toEqual(["at_risk", "repeated_misses"]);

    await expect(admin.profiles.create({ name: "odd", policy: { staleDays: 400 } })).rejects.toThrow(
      "profile odd: the stale ladder must climb: staleDays < staleAgainDays <= staleRemovalDays - 7",
    );
    const workstation = after.find((p) => p.name === "workstation");
    await expect(admin.profiles.delete({ id: workstation?.id ?? "" })).rejects.toThrow(/the default profile cannot be deleted/);
    const { caller: operator } = await userCaller(t.db, "operator");
    await expect(operator.profiles.create({ name: "mine" })).rejects.toThrow(/admin/);
  });

  it("a laptop's longer grace keeps its window late while a PC's is already MISSED", async () => {
    await threeNodes();
    await runJudge(t.db, at(5, 23, 59));
    const late = await lateNow(t.db, at(6, 22, 20));
    const pcMissedAfter = late.find((w) => w.name === "PC3")?.missedAfter;
    const laptopMissedAfter = late.find((w) => w.name === "LAW-MAC002")?.missedAfter;
    expect(pcMissedAfter && laptopMissedAfter && laptopMissedAfter.getTime() - pcMissedAfter.getTime()).toBe(50 * 60_000);
    // Between the two: the PC's night is MISSED, the laptop's still late.
    const between = new Date((pcMissedAfter as Date).getTime() + 60_000);
    await runJudge(t.db, between);
    const missed = await t.db.window.findMany({ where: { outcome: "missed" }, select: { node: { select: { name: true } } } });
    expect(missed.map((w) => w.node.name).sort()).toEqual(["CHEM-SRV001", "PC3"]);
    expect((await lateNow(t.db, between)).map((w) => w.name)).toEqual(["LAW-MAC002"]);
  });
});
