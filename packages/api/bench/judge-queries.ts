import { isDeepStrictEqual } from "node:util";
import { candidatesSql } from "../src/services/fleet/duplicates";
import { recentHistorySql } from "../src/services/judge/flags";
import type { PgPool } from "./setup";

// The judge's whole-table reads as they were before issue 6, each next to the services' read that
// replaced it (flags.ts, duplicates.ts), timed on the same data and checked to return the same
// rows: the record that the faster reads changed nothing. Opt-in (--judge-queries): the "before"
// reads take tens of seconds.

export interface QueryComparison {
  name: string;
  beforeMs: number;
  nowMs: number;
  same: boolean;
  change: string;
}

const HISTORY_WINDOWS = 14;

export async function compareJudgeQueries(pg: PgPool): Promise<QueryComparison[]> {
  const out: QueryComparison[] = [];
  const compare = async (name: string, change: string, before: () => Promise<unknown[]>, now: () => Promise<unknown[]>) => {
    let started = performance.now();
    const a = await before();
    const beforeMs = performance.now() - started;
    started = performance.now();
    const b = await now();
    const nowMs = performance.now() - started;
    const key = (rows: unknown[]) => rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? String(v) : v))).sort();
    out.push({ name, beforeMs, nowMs, same: isDeepStrictEqual(key(a), key(b)), change });
  };
  await pg.query("SET jit = off");

  await compare(
    "flags.ts: newest 14 windows of every node",
    "per node through the (nodeId, scheduledStart) index, one JSON array per node, instead of row_number() over the whole table",
    async () =>
      (
        await pg.query<{ nodeId: string; scheduledStart: Date; outcome: string; startedAt: Date | null; endedAt: Date | null }>(
          `SELECT "nodeId", "scheduledStart", outcome::text AS outcome, benign, "startedAt", "endedAt", "objectsFailed", "returnCode", causes
             FROM (SELECT *, row_number() OVER (PARTITION BY "nodeId" ORDER BY "scheduledStart" DESC) AS rn FROM "Window") w
            WHERE rn <= $1`,
          [HISTORY_WINDOWS],
        )
      ).rows.map((r) => [r.nodeId, r.scheduledStart.getTime(), r.outcome, r.startedAt?.getTime() ?? null, r.endedAt?.getTime() ?? null]),
    async () =>
      (
        await pg.query<{ id: string; history: [number, string, boolean, number | null, number | null][] }>(
          recentHistorySql.text,
          recentHistorySql.values,
        )
      ).rows.flatMap((r) => r.history.map(([start, outcome, , startedAt, endedAt]) => [r.id, start, outcome, startedAt, endedAt])),
  );

  await compare(
    "duplicates.ts: first window and trailing MISSED run of every node",
    "index-only probes per node; the run's start only where the newest window is a miss (new index nodeId, outcome, scheduledStart)",
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
        await pg.query<{ id: string; first: Date | null; since: Date | null }>(candidatesSql.text, candidatesSql.values)
      ).rows.filter((r) => r.first !== null);
      return [...rows.map((r) => ["first", r.id, r.first]), ...rows.filter((r) => r.since !== null).map((r) => ["missing", r.id, r.since])];
    },
  );
  await pg.query("RESET jit");
  return out;
}
