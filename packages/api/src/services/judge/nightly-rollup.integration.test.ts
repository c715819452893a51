import type { IngestBatchInput, ScheduleEvent } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJudge } from "../../jobs/judge";
import { marchAt as at, batchOf, enrolledAgent, nightOn as night, userCaller } from "../../testing";
import { nightlyOutcomes } from "../fleet/overview";
import { foldNightlyDeltas, nightOutcomeSums } from "./nightly-rollup";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

const failed = (d: number) => night(d, { status: "failed", returnCode: 12, cause: "files-changed", causes: ["files-changed"] });
const noStats = (d: number) => night(d, { stats: null });

/** A batch from a machine whose clock is `offset` minutes off UTC: its nights straddle UTC hours and dates. */
const offsetBatch = (machine: string, node: string, offset: number, events: ScheduleEvent[]): IngestBatchInput => ({
  ...batchOf(machine, node, events),
  events: events.map((event) => ({ node, utcOffsetMinutes: offset, event })),
});

/** The overview's query before the rollup: every window counted straight from "Window". */
async function direct(since: Date) {
  const rows = await t.db.$queryRaw<{ night: string; outcome: string; n: bigint; bytes: bigint | null; elapsed: number | null }[]>`
    SELECT substr(w."localStart", 1, 10) AS night, w.outcome::text AS outcome, count(*) AS n,
           sum(w."bytesTransferred")::bigint AS bytes, avg(w."elapsedSeconds")::float8 AS elapsed
      FROM "Window" w JOIN "Node" n ON n.id = w."nodeId"
     WHERE w."scheduledStart" >= ${since} AND n."deregisteredAt" IS NULL
     GROUP BY 1, 2
     ORDER BY 1, 2`;
  return rows.map((r) => ({
    night: r.night,
    outcome: r.outcome,
    windows: Number(r.n),
    bytes: Number(r.bytes ?? 0),
    avgElapsed: r.elapsed,
  }));
}

/** The rollup agrees with a direct count for every cut-off from `from` over a day, folded or not. */
async function expectExact(from: Date) {
  for (let m = 0; m < 24 * 60; m += 30) {
    const since = new Date(from.getTime() + m * 60_000);
    expect(await nightOutcomeSums(t.db, since), `since ${since.toISOString()}`).toEqual(await direct(since));
  }
  await foldNightlyDeltas(t.db);
  expect(await t.db.nightlyOutcomeDelta.count()).toBe(0);
  for (let m = 0; m < 24 * 60; m += 90) {
    const since = new Date(from.getTime() + m * 60_000);
    expect(await nightOutcomeSums(t.db, since)).toEqual(await direct(since));
  }
}

describe("the nightly outcome rollup", () => {
  it("equals a direct count through ingest, the judge, a late report, deregistration and restore", async () => {
    const { caller: agent } = await enrolledAgent(t.db, "m-roll");
    await agent.ingest.batch(
      batchOf(
        "m-roll",
        "ROLL-1",
        [1, 2, 3, 4, 5, 6].map((d) => (d % 3 ? night(d) : failed(d))),
      ),
    );
    await agent.ingest.batch(
      offsetBatch("m-roll", "ROLL-IST", 330, [night(1), noStats(2), night(3), night(4), failed(5), night(6, { stats: null })]),
    );
    await agent.ingest.batch(
      offsetBatch(
        "m-roll",
        "ROLL-WEST",
        -420,
        [1, 2, 3, 4, 5, 6].map((d) => night(d, { status: "in-progress", endedAt: null, stats: null })),
      ),
    );
    // in-progress -> completed: a row changes its outcome and gains bytes.
    await agent.ingest.batch(offsetBatch("m-roll", "ROLL-WEST", -420, [night(5), night(6)]));
    await expectExact(at(1, 0));

    // The judge closes nights 7..9 as MISSED (and severs what stayed in progress).
    await runJudge(t.db, at(10, 9));
    expect(await t.db.window.count({ where: { outcome: "missed" } })).toBeGreaterThan(0);
    await expectExact(at(1, 0));

    // A late report replaces a MISSED with what really happened.
    const missed = await t.db.window.findFirstOrThrow({ where: { outcome: "missed", node: { name: "ROLL-1" } } });
    const d = Number(missed.localStart.slice(8, 10));
    await agent.ingest.batch(batchOf("m-roll", "ROLL-1", [night(d)]));
    expect(await t.db.window.findUniqueOrThrow({ where: { id: missed.id }, select: { outcome: true } })).toEqual({ outcome: "completed" });
    await expectExact(at(1, 0));

    const { caller: operator } = await userCaller(t.db, "operator");
    const ist = await t.db.node.findFirstOrThrow({ where: { name: "ROLL-IST" } });
    await operator.nodes.deregister({ nodeId: ist.id, reason: "rollup test" });
    await expectExact(at(1, 0));
    await operator.nodes.restore({ nodeId: ist.id, reason: null });
    await expectExact(at(1, 0));

    // A deleted node takes its windows with it (a cascade: the delete trigger sees them).
    await t.db.node.delete({ where: { id: ist.id } });
    await expectExact(at(1, 0));
  });

  it("stays exact when readers fold while an agent writes", async () => {
    const { caller: agent } = await enrolledAgent(t.db, "m-fold");
    await Promise.all([
      agent.ingest.batch(
        batchOf(
          "m-fold",
          "FOLD-1",
          [1, 2, 3].map((d) => night(d)),
        ),
      ),
      ...[1, 2, 3, 4].map(() => foldNightlyDeltas(t.db)),
      agent.ingest.batch(
        batchOf(
          "m-fold",
          "FOLD-2",
          [2, 3, 4].map((d) => failed(d)),
        ),
      ),
      ...[1, 2, 3, 4].map(() => foldNightlyDeltas(t.db)),
    ]);
    await expectExact(at(1, 0));
  });

  it("gives the overview the nights it gave before, night by night", async () => {
    const now = at(10, 9);
    for (const nights of [30, 90] as const) {
      const since = new Date(now.getTime() - nights * 86_400_000);
      const rows = await direct(since);
      const expected = new Map<string, { counts: Record<string, number>; bytes: number; sum: number; n: number }>();
      for (const r of rows) {
        const row = expected.get(r.night) ?? {
          counts: { completed: 0, failed: 0, severed: 0, aborted: 0, "in-progress": 0, missed: 0 },
          bytes: 0,
          sum: 0,
          n: 0,
        };
        expected.set(r.night, row);
        row.counts[r.outcome] = r.windows;
        row.bytes += r.bytes;
        if (r.avgElapsed !== null && r.outcome !== "missed") {
          row.sum += r.avgElapsed * r.windows;
          row.n += r.windows;
        }
      }
      expect(await nightlyOutcomes(t.db, { nights, now })).toEqual(
        [...expected].map(([night, r]) => ({
          night,
          counts: r.counts,
          bytes: r.bytes,
          avgElapsedSeconds: r.n ? Math.round(r.sum / r.n) : null,
        })),
      );
    }
  });
});
