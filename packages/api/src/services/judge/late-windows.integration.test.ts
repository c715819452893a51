import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJudge } from "../../jobs/judge";
import { marchAt as at, batchOf, enrolledAgent, nightOn as night, shipNights } from "../../testing";
import { lateNow } from "./late-windows";

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

describe("late, then missed", () => {
  it("a window open with no run is late (shown, no alert), a run in it ends that, and the grace passed makes it the judge's MISSED", async () => {
    const { caller } = await enrolledAgent(t.db, "m-PC1");
    await caller.ingest.batch(
      batchOf(
        "m-PC1",
        "PC1",
        [1, 2, 3, 4].map((d) => night(d)),
      ),
    );
    await runJudge(t.db, at(5, 22, 20));
    const late = await lateNow(t.db, at(5, 22, 20));
    expect(late.map((w) => [w.name, w.schedule, w.localStart])).toEqual([["PC1", "NIGHTLY", "2026-03-05T22:00:00"]]);
    expect(late[0]?.missedAfter.getTime()).toBeGreaterThan(at(5, 22, 20).getTime());
    expect(await t.db.alert.count()).toBe(0);

    // Past the window and its grace: not late any more, MISSED.
    const after = late[0]?.missedAfter ?? at(6);
    expect(await lateNow(t.db, after)).toEqual([]);
    await runJudge(t.db, after);
    expect(await t.db.window.count({ where: { outcome: "missed" } })).toBe(1);

    // A run reported inside the next window: never late.
    await caller.ingest.batch(batchOf("m-PC1", "PC1", [night(6)]));
    expect(await lateNow(t.db, at(6, 22, 40))).toEqual([]);
  });
});

describe("late, in one group", () => {
  it("lists only the group's nodes when the overview is scoped to it", async () => {
    const nights = [1, 2, 3, 4].map((d) => night(d));
    await shipNights(t.db, { PC1: nights, "CHEM-PC2": nights });
    await runJudge(t.db, at(5, 22, 20));
    expect((await lateNow(t.db, at(5, 22, 20))).map((w) => w.name).sort()).toEqual(["CHEM-PC2", "PC1"]);
    expect((await lateNow(t.db, at(5, 22, 20), { kind: "department", value: "CHEM" })).map((w) => w.name)).toEqual(["CHEM-PC2"]);
    expect(await lateNow(t.db, at(5, 22, 20), { kind: "department", value: "LAW" })).toEqual([]);
  });
});
