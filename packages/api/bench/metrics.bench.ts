/**
 * /metrics and badges at fleet scale: how long a scrape takes and how big it is.
 *
 *   pnpm --filter @fleetwatch/api bench:metrics             # 5,000 nodes
 *   pnpm --filter @fleetwatch/api bench:metrics --nodes 20000
 *
 * A throwaway embedded PostgreSQL gets N registered nodes (a mix of protected, at-risk and failing,
 * one open flag on every third, one agent each), then each is timed 5 times, median printed: the
 * exposition with series per node, without them (FLEETWATCH_METRICS_PER_NODE=0), a fleet badge,
 * and as a baseline the bare read of the same node rows. Then ingest counting: 2,000 increments
 * from 16 concurrent writers. A benchmark, not a test: it prints figures and exits 0.
 */
import { availableParallelism, loadavg } from "node:os";
import { Prisma } from "@fleetwatch/db/client";
import { sqlQuery } from "@fleetwatch/db/sql";
import { badgeView } from "../src/services/integrations/badges";
import { addToCounters } from "../src/services/integrations/metric-counters";
import { metricsExposition } from "../src/services/integrations/metrics";
import { hashToken } from "../src/tokens";
import { benchArgs, startDatabase } from "./setup";

const { option } = benchArgs(process.argv.slice(2));
const nodes = option("nodes", 5000);
const log = (line: string) => console.log(`  ${line}`);

/** Median wall-clock and this process's CPU milliseconds of 5 runs (CPU time suffers less on a busy machine). */
async function median(work: () => Promise<unknown>): Promise<string> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await work();
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  const mid = (xs: number[]) => (xs.sort((a, b) => a - b)[2] as number).toFixed(0);
  return `${mid(wall)} ms (${mid(cpu)} ms CPU)`;
}

const database = await startDatabase(log);
try {
  const { db } = database;
  const now = new Date("2026-03-15T12:00:00Z");
  await sqlQuery(
    db,
    Prisma.sql`INSERT INTO "Machine" (id, "machineId", hostname) SELECT gen_random_uuid(), 'm' || i, 'host-' || i FROM generate_series(1, ${nodes}::int) i`,
  );
  await sqlQuery(
    db,
    Prisma.sql`INSERT INTO "Node" (id, name, server, "machineRef", "policyDomain", "lastOutcome", "lastCompletedAt", "lastContactAt", "missedStreak", "failedStreak", "updatedAt")
      SELECT gen_random_uuid(), 'NODE-' || i, 'TSM' || (i % 4), m.id, 'DOMAIN' || (i % 7),
        (CASE WHEN i % 10 = 0 THEN 'missed' WHEN i % 10 = 1 THEN 'failed' ELSE 'completed' END)::"WindowOutcome",
        ${now}::timestamptz - ((i % 48) || ' hours')::interval, ${now}::timestamptz - ((i % 90) || ' minutes')::interval,
        CASE WHEN i % 10 = 0 THEN 3 ELSE 0 END, CASE WHEN i % 10 = 1 THEN 1 ELSE 0 END, now()
      FROM generate_series(1, ${nodes}::int) i JOIN "Machine" m ON m."machineId" = 'm' || i`,
  );
  await sqlQuery(
    db,
    Prisma.sql`INSERT INTO "Flag" (id, "nodeId", kind, "raisedAt", evidence)
      SELECT gen_random_uuid(), id, 'at-risk', ${now}::timestamptz, '{}' FROM "Node" WHERE "missedStreak" > 0 OR name LIKE '%3'`,
  );
  await sqlQuery(
    db,
    Prisma.sql`INSERT INTO "Agent" (id, "machineRef", name, "tokenHash", "lastSeenAt") SELECT gen_random_uuid(), id, hostname, md5(hostname), ${now}::timestamptz FROM "Machine"`,
  );
  const token = "fwb_bench";
  await db.badge.create({ data: { tokenHash: hashToken(token), scope: "fleet", createdBy: "bench" } });

  console.log(`\n/metrics over ${nodes.toLocaleString("en-US")} nodes and agents (median of 5):`);
  const full = await metricsExposition(db, { now, perNode: true });
  const fleet = await metricsExposition(db, { now, perNode: false });
  const samples = (body: string) => body.split("\n").filter((l) => l && !l.startsWith("#")).length;
  const read = await median(() =>
    db.node.findMany({
      where: { deregisteredAt: null },
      select: {
        name: true,
        server: true,
        policyDomain: true,
        lastOutcome: true,
        lastCompletedAt: true,
        missedStreak: true,
        failedStreak: true,
      },
    }),
  );
  log(`baseline, the node rows read alone: ${read}`);
  log(
    `per node:   ${await median(() => metricsExposition(db, { now, perNode: true }))}, ${samples(full.body).toLocaleString("en-US")} samples, ${(full.body.length / 1024 / 1024).toFixed(1)} MiB`,
  );
  log(
    `fleet only: ${await median(() => metricsExposition(db, { now, perNode: false }))}, ${samples(fleet.body)} samples, ${(fleet.body.length / 1024).toFixed(1)} KiB`,
  );
  log(`fleet badge: ${await median(() => badgeView(db, { token, now }))}`);
  log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${availableParallelism()} cores`,
  );

  const writers = 16;
  const each = 125;
  const concurrently = async (work: () => Promise<unknown>) => {
    const t = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < each; i++) await work();
      }),
    );
    return ((performance.now() - t) / (writers * each)) * writers;
  };
  const floor = await concurrently(() => sqlQuery(db, Prisma.sql`SELECT 1`));
  const counting = await concurrently(() => addToCounters(db, { "ingest.batches": 1, "ingest.events": 10 }));
  log(
    `ingest counting, ${writers * each} increments from ${writers} concurrent writers: ${counting.toFixed(2)} ms each (baseline, a SELECT 1 the same way: ${floor.toFixed(2)} ms)`,
  );
} finally {
  await database.stop();
}
