import { isDeepStrictEqual } from "node:util";
import type { Db } from "@fleetwatch/db/client";
import { refreshDerivedState, refreshDerivedStates } from "../src/services/ingest";
import type { PgPool } from "./setup";

// The judge's whole-table reads, each next to a proposed replacement that reads only what it
// needs through an index, timed on the same data and checked to return the same rows. The
// "current" SQL is copied from the judge's services (flags.ts, duplicates.ts, judge.ts,
// alert-raise.ts): keep in step. Proposals that need an index create it in a transaction that
// is rolled back, so the database is left as the migrations made it.

export interface QueryComparison {
  name: string;
  currentMs: number;
  proposedMs: number;
  same: boolean;
  proposal: string;
}

const HISTORY_WINDOWS = 14;

export async function compareJudgeQueries(db: Db, pg: PgPool, now: Date): Promise<QueryComparison[]> {
  const since = new Date(now.getTime() - 60 * 86_400_000);
  const out: QueryComparison[] = [];
  /** `index`: DDL for the proposal, made in a transaction rolled back afterwards (its build is not timed). */
  const compare = async (
    name: string,
    proposal: string,
    current: () => Promise<unknown[]>,
    proposed: () => Promise<unknown[]>,
    index?: string,
  ) => {
    let started = performance.now();
    const a = await current();
    const currentMs = performance.now() - started;
    if (index) {
      await pg.query("BEGIN");
      await pg.query(index);
      await pg.query("ANALYZE");
    }
    started = performance.now();
    const b = await proposed().finally(() => (index ? pg.query("ROLLBACK") : undefined));
    const proposedMs = performance.now() - started;
    const key = (rows: unknown[]) => rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? String(v) : v))).sort();
    out.push({ name, currentMs, proposedMs, same: isDeepStrictEqual(key(a), key(b)), proposal });
  };

  await compare(
    "judge.ts: first window of every node",
    "only nodes without a cursor need it; one index probe each (LATERAL ... ORDER BY LIMIT 1)",
    async () =>
      (
        await db.node.findMany({
          where: { deregisteredAt: null, schedules: { some: {} } },
          select: { id: true, windows: { orderBy: { scheduledStart: "asc" }, take: 1, select: { scheduledStart: true } } },
        })
      ).map((n) => [n.id, n.windows[0]?.scheduledStart.getTime() ?? null]),
    async () =>
      (
        await pg.query<{ id: string; first: Date | null }>(`
          SELECT n.id, (SELECT w."scheduledStart" FROM "Window" w WHERE w."nodeId" = n.id ORDER BY w."scheduledStart" LIMIT 1) AS first
            FROM "Node" n WHERE n."deregisteredAt" IS NULL AND EXISTS (SELECT 1 FROM "NodeSchedule" s WHERE s."nodeId" = n.id)`)
      ).rows.map((r) => [r.id, r.first?.getTime() ?? null]),
  );

  await compare(
    "flags.ts: newest 14 windows of every node",
    "LATERAL (... WHERE nodeId = n.id ORDER BY scheduledStart DESC LIMIT 14) instead of row_number() over the whole table",
    async () =>
      (
        await pg.query(
          `SELECT "nodeId", "scheduledStart", outcome::text AS outcome, benign, "startedAt", "endedAt", "objectsFailed", "returnCode", causes
             FROM (SELECT *, row_number() OVER (PARTITION BY "nodeId" ORDER BY "scheduledStart" DESC) AS rn FROM "Window") w
            WHERE rn <= $1`,
          [HISTORY_WINDOWS],
        )
      ).rows,
    async () =>
      (
        await pg.query(
          `SELECT n.id AS "nodeId", w.* FROM "Node" n CROSS JOIN LATERAL (
             SELECT "scheduledStart", outcome::text AS outcome, benign, "startedAt", "endedAt", "objectsFailed", "returnCode", causes
               FROM "Window" WHERE "nodeId" = n.id ORDER BY "scheduledStart" DESC LIMIT $1) w`,
          [HISTORY_WINDOWS],
        )
      ).rows,
  );

  const messagesSql = `
    SELECT w."nodeId", m.code, m.at, m.cause, m.flag, m.days
      FROM "EventMessage" m JOIN "Window" w ON w.id = m."windowId"
     WHERE m.at >= $1 AND (m.cause IS NOT NULL OR m.flag IS NOT NULL OR m.severity IN ('E', 'S'))`;
  await compare(
    "flags.ts: the last 60 days' messages",
    'an index on "EventMessage"(at) does not help: the time goes to carrying every row to JS; fetch less',
    async () => (await pg.query(messagesSql, [since])).rows,
    async () => (await pg.query(messagesSql, [since])).rows,
    `CREATE INDEX ON "EventMessage" (at)`,
  );

  await compare(
    "duplicates.ts: first window and trailing MISSED run of every node",
    "per node through the (nodeId, scheduledStart) index: the oldest window; the newest non-missed one, and the misses after it",
    async () => {
      const firsts = (await pg.query(`SELECT "nodeId", min("scheduledStart") AS first FROM "Window" GROUP BY "nodeId"`)).rows;
      const missing = (
        await pg.query(`
          SELECT w."nodeId", min(w."scheduledStart") AS since
            FROM "Window" w
            LEFT JOIN (SELECT "nodeId", max("scheduledStart") AS last FROM "Window" WHERE outcome <> 'missed' GROUP BY "nodeId") ok ON ok."nodeId" = w."nodeId"
           WHERE w.outcome = 'missed' AND (ok.last IS NULL OR w."scheduledStart" > ok.last)
           GROUP BY w."nodeId"`)
      ).rows;
      return [...firsts.map((r) => ["first", r.nodeId, r.first]), ...missing.map((r) => ["missing", r.nodeId, r.since])];
    },
    async () => {
      const rows = (
        await pg.query(`
          SELECT n.id AS "nodeId", f.first, (
                   SELECT min(w."scheduledStart") FROM "Window" w
                    WHERE w."nodeId" = n.id AND w.outcome = 'missed'
                      AND w."scheduledStart" > coalesce((SELECT x."scheduledStart" FROM "Window" x WHERE x."nodeId" = n.id AND x.outcome <> 'missed'
                                                          ORDER BY x."scheduledStart" DESC LIMIT 1), '-infinity')) AS since
            FROM "Node" n
            CROSS JOIN LATERAL (SELECT w."scheduledStart" AS first FROM "Window" w WHERE w."nodeId" = n.id ORDER BY w."scheduledStart" LIMIT 1) f`)
      ).rows;
      return [
        ...rows.map((r) => ["first", r.nodeId, r.first]),
        ...rows.filter((r) => r.since !== null).map((r) => ["missing", r.nodeId, r.since]),
      ];
    },
  );

  const badSql = `
    SELECT w.id FROM "Window" w JOIN "Node" n ON n.id = w."nodeId"
     WHERE w."updatedAt" > $1 AND w.outcome IN ('missed', 'failed', 'severed', 'aborted') AND NOT w.benign AND n."deregisteredAt" IS NULL`;
  const lastRun = new Date(now.getTime() - 5 * 60_000);
  await compare(
    "alert-raise.ts: windows gone bad since the last run",
    'an index on "Window"("updatedAt") (a migration); the query stays as it is',
    async () => (await pg.query(badSql, [lastRun])).rows,
    async () => (await pg.query(badSql, [lastRun])).rows,
    `CREATE INDEX ON "Window" ("updatedAt")`,
  );
  const nodeIds = (await pg.query<{ id: string }>(`SELECT id FROM "Node" ORDER BY id LIMIT 2000`)).rows.map((r) => r.id);
  const derived = async () =>
    (
      await pg.query(
        `SELECT id, "lastOutcome", "lastCompletedAt", "missedStreak", "failedStreak", "lastEventAt" FROM "Node" WHERE id = ANY($1)`,
        [nodeIds],
      )
    ).rows;
  await compare(
    `judge.ts: derived state of ${nodeIds.length.toLocaleString("en-US")} touched nodes, one by one`,
    "refreshDerivedStates(tx, ids) (ingest.ts): one read and one write for all of them",
    async () => {
      await db.$transaction(async (tx) => {
        for (const id of nodeIds) await refreshDerivedState(tx, id);
      });
      return derived();
    },
    async () => {
      await db.$transaction((tx) => refreshDerivedStates(tx, nodeIds));
      return derived();
    },
  );
  return out;
}
