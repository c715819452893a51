import type { ScheduleEvent } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJudge } from "../../jobs/judge";
import { marchAt as at, batchOf, enrolledAgent, nightOn as night } from "../../testing";
import { nodeById } from "../fleet/nodes";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

/** A steady night: about 214,000-230,000 objects, each night a little different. */
const steady = (d: number): ScheduleEvent => {
  const base = night(d);
  return { ...base, stats: { ...base.stats, inspected: 214_000 + ((d * 7) % 20) * 842 } } as ScheduleEvent;
};
const withObjects = (d: number, inspected: number): ScheduleEvent => {
  const base = night(d);
  return { ...base, stats: { ...base.stats, inspected } } as ScheduleEvent;
};

const verdicts = async (node: string) =>
  Object.fromEntries(
    (
      await t.db.window.findMany({
        where: { node: { name: node } },
        orderBy: { scheduledStart: "asc" },
        select: { localStart: true, suspicion: true },
      })
    ).map((w) => [w.localStart.slice(5, 10), w.suspicion]),
  );

describe("suspicious runs", () => {
  it("marks a completed night with a tenth of the usual objects after 20 steady nights, with its reason; a steady night is not", async () => {
    const machine = "m-FS1";
    const { caller } = await enrolledAgent(t.db, machine);
    await caller.ingest.batch(
      batchOf(
        machine,
        "FS1",
        Array.from({ length: 20 }, (_, i) => steady(i + 1)),
      ),
    );
    await runJudge(t.db, at(21, 12));
    await caller.ingest.batch(batchOf(machine, "FS1", [withObjects(21, 21_400)]));
    await runJudge(t.db, at(22, 12));
    const alerts = await t.db.alert.findMany({
      where: { kind: "suspicious-run" },
      select: { severity: true, state: true, title: true, body: true },
    });
    expect(alerts).toEqual([
      {
        severity: "warning",
        state: "open",
        title: "FS1: suspicious run NIGHTLY on 21 Mar",
        body: [
          "Completed, but far fewer objects than usual: a silent failure?",
          "- inspected 21,400 objects, usually 216,000-228,000: a tenth of the usual; was a drive or DOMAIN entry lost?",
        ].join("\n"),
      },
    ]);
    await caller.ingest.batch(batchOf(machine, "FS1", [steady(22)]));
    await runJudge(t.db, at(23, 12));
    // The next night is ordinary again: the alert resolves by itself, and says why.
    const after = await t.db.alert.findMany({ where: { kind: "suspicious-run" }, select: { state: true, resolvedReason: true } });
    expect(after).toEqual([{ state: "resolved", resolvedReason: "a later run looked ordinary" }]);

    const v = await verdicts("FS1");
    expect(v["03-21"]).toEqual({
      reasons: ["too-few-objects"],
      text: ["inspected 21,400 objects, usually 216,000-228,000: a tenth of the usual; was a drive or DOMAIN entry lost?"],
    });
    expect(v["03-22"]).toBeNull();
    // Too little history to call anything: the first nights carry no verdict.
    expect(v["03-01"]).toBeNull();
    expect(Object.values(v).filter(Boolean)).toHaveLength(1);

    // The node's page reads it with the window.
    const { id: nodeId } = await t.db.node.findFirstOrThrow({ where: { name: "FS1" }, select: { id: true } });
    const page = await nodeById(t.db, { nodeId, nights: 5, now: at(23, 12) });
    expect(page.windows.map((w) => [w.localStart.slice(5, 10), w.suspicion?.reasons ?? null])).toEqual([
      ["03-22", null],
      ["03-21", ["too-few-objects"]],
      ["03-20", null],
      ["03-19", null],
      ["03-18", null],
    ]);
  });

  it("judges a night once: a second judge run with no news leaves the verdict and the window's updatedAt alone", async () => {
    const machine = "m-FS2";
    const { caller } = await enrolledAgent(t.db, machine);
    await caller.ingest.batch(batchOf(machine, "FS2", [...Array.from({ length: 12 }, (_, i) => steady(i + 1)), withObjects(13, 10_000)]));
    await runJudge(t.db, at(14, 12));
    const before = await t.db.window.findFirstOrThrow({
      where: { localStart: { startsWith: "2026-03-13" } },
      select: { suspicion: true, updatedAt: true },
    });
    expect((before.suspicion as { reasons: string[] }).reasons).toEqual(["too-few-objects"]);
    await runJudge(t.db, at(14, 13));
    const after = await t.db.window.findFirstOrThrow({
      where: { localStart: { startsWith: "2026-03-13" } },
      select: { suspicion: true, updatedAt: true },
    });
    expect(after).toEqual(before);
  });

  it("a suspicious night that a later report turns into a failure loses its verdict", async () => {
    const machine = "m-FS3";
    const { caller } = await enrolledAgent(t.db, machine);
    await caller.ingest.batch(batchOf(machine, "FS3", [...Array.from({ length: 12 }, (_, i) => steady(i + 1)), withObjects(13, 10_000)]));
    await runJudge(t.db, at(14, 12));
    expect(Object.values(await verdicts("FS3")).filter(Boolean)).toHaveLength(1);
    const failed = night(13, { status: "failed", returnCode: 12, cause: "files-changed", causes: ["files-changed"] });
    await caller.ingest.batch(batchOf(machine, "FS3", [failed]));
    await runJudge(t.db, at(14, 13));
    expect(Object.values(await verdicts("FS3")).filter(Boolean)).toHaveLength(0);
    // The live alert now speaks of the failure; the suspicion's alert resolved.
    const alerts = await t.db.alert.findMany({
      where: { node: { name: "FS3" } },
      select: { kind: true, state: true },
      orderBy: { kind: "asc" },
    });
    expect(alerts).toEqual([
      { kind: "backup", state: "open" },
      { kind: "suspicious-run", state: "resolved" },
    ]);
  });
});
