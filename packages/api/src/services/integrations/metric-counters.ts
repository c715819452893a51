import { randomInt } from "node:crypto";
import { Prisma } from "@fleetwatch/db/client";
import { sqlQuery } from "@fleetwatch/db/sql";
import type { Db } from "../../context";

/**
 * Fleet-wide counters kept in PostgreSQL, not in the process: Prometheus usually scrapes /metrics
 * through the load balancer, so each scrape may reach another replica; counters held per process
 * would jump between replicas' values and read as resets. Every replica adds to the same rows and
 * reports the same totals, which also survive restarts.
 */
export const counterNames = ["ingest.batches", "ingest.events", "ingest.rejected_records", "ingest.errors"] as const;
export type CounterName = (typeof counterNames)[number];

/** Rows per counter: concurrent batches add to different rows instead of queueing on one lock. */
const SHARDS = 8;

/** Add to counters in one statement (a no-op when every increment is 0). */
export async function addToCounters(db: Db, increments: Partial<Record<CounterName, number>>): Promise<void> {
  // Sorted names: two statements on the same shard take its rows in the same order (no deadlock).
  const entries = counterNames.flatMap((name) => {
    const n = increments[name] ?? 0;
    return n > 0 ? [[name, n] as const] : [];
  });
  if (!entries.length) return;
  const shard = randomInt(SHARDS);
  const rows = Prisma.join(entries.map(([name, n]) => Prisma.sql`(${name}, ${shard}::int, ${n}::bigint)`));
  await sqlQuery(
    db,
    Prisma.sql`INSERT INTO "MetricCounter" (name, shard, value) VALUES ${rows}
      ON CONFLICT (name, shard) DO UPDATE SET value = "MetricCounter".value + EXCLUDED.value`,
  );
}

/** Every counter's total (0 for one never added to). */
export async function readCounters(db: Db): Promise<Record<CounterName, number>> {
  const rows = await sqlQuery<{ name: string; total: string }>(
    db,
    Prisma.sql`SELECT name, sum(value)::text AS total FROM "MetricCounter" GROUP BY name`,
  );
  const totals = Object.fromEntries(counterNames.map((n) => [n, 0])) as Record<CounterName, number>;
  for (const r of rows) if ((counterNames as readonly string[]).includes(r.name)) totals[r.name as CounterName] = Number(r.total);
  return totals;
}

/**
 * Count one agent batch around its storing: the batch, its stored events, its refused records, and
 * an error when it was refused in whole or in part. Counting never fails the batch it counts.
 */
export async function countedBatch<T extends { acceptedEvents: number }>(db: Db, work: () => Promise<T>): Promise<T> {
  try {
    const ack = await work();
    await count(db, { "ingest.batches": 1, "ingest.events": ack.acceptedEvents });
    return ack;
  } catch (error) {
    const details = (error as { details?: { rejected?: unknown[]; accepted?: { events?: number } } }).details;
    await count(db, {
      "ingest.batches": 1,
      "ingest.errors": 1,
      "ingest.events": details?.accepted?.events ?? 0,
      "ingest.rejected_records": details?.rejected?.length ?? 0,
    });
    throw error;
  }
}

async function count(db: Db, increments: Partial<Record<CounterName, number>>) {
  await addToCounters(db, increments).catch((error: Error) => {
    console.error(`metrics: ingest counters not updated: ${error.message.split("\n")[0]}`);
  });
}
