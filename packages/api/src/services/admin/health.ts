import type { Db } from "../../context";

/** Liveness plus a round trip to PostgreSQL: what a load balancer or `curl` asks. */
export async function health(db: Db, now: Date) {
  const started = performance.now();
  await db.$queryRaw`SELECT 1`;
  return { status: "ok" as const, database: "ok" as const, dbLatencyMs: Math.round(performance.now() - started), time: now.toISOString() };
}
