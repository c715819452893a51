/**
 * What the nightly rollup's triggers cost a writer of "Window", with and without them, in turns
 * on one throwaway database (so a busy machine slows both alike):
 *
 *   pnpm --filter @fleetwatch/web exec tsx bench/rollup-triggers.bench.ts [--batches N] [--size N]
 *
 * Each batch is one ingest-shaped statement: N new windows (INSERT ... SELECT ... ON CONFLICT), then
 * the same N replaced with a completed report (ON CONFLICT DO UPDATE of outcome, bytes, elapsed),
 * then a judge-shaped one-row diagnosis update (which the update trigger's WHEN skips). Prints
 * milliseconds per batch and microseconds per window for each side, and PostgreSQL's own trigger
 * time from EXPLAIN ANALYZE of one batch.
 */
import { randomUUID } from "node:crypto";
import { createPgPool, startDatabase } from "../../../packages/api/bench/setup";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const BATCHES = option("batches", 300);
const SIZE = option("size", 25);
const ROUNDS = 4;

const insert = (nodeId: string, first: number, outcome: string) => `
  INSERT INTO "Window" (id, "nodeId", schedule, "scheduledStart", "localStart", outcome, "bytesTransferred", "elapsedSeconds", causes, "updatedAt")
  SELECT gen_random_uuid(), '${nodeId}', 'NIGHTLY', s, to_char(s, 'YYYY-MM-DD"T"HH24:MI:SS'), '${outcome}',
         CASE WHEN '${outcome}' = 'completed' THEN 1000 * n END, CASE WHEN '${outcome}' = 'completed' THEN 60 + n END, '{}', now()
    FROM generate_series(${first}, ${first + SIZE - 1}) AS n,
         LATERAL (SELECT timestamptz '2020-01-01T22:00:00Z' + n * interval '1 day' AS s) t
  ON CONFLICT ("nodeId", schedule, "scheduledStart") DO UPDATE
     SET outcome = EXCLUDED.outcome, "bytesTransferred" = EXCLUDED."bytesTransferred", "elapsedSeconds" = EXCLUDED."elapsedSeconds",
         "updatedAt" = EXCLUDED."updatedAt"`;

async function main() {
  const database = await startDatabase(() => {});
  const pg = createPgPool(database.url, 1);
  try {
    const side = async (withTriggers: boolean, round: number) => {
      await pg.query(`ALTER TABLE "Window" ${withTriggers ? "ENABLE" : "DISABLE"} TRIGGER USER`);
      const nodeId = randomUUID();
      await pg.query(`INSERT INTO "Node" (id, name, "updatedAt") VALUES ($1, $2, now())`, [nodeId, `BENCH-${round}-${withTriggers}`]);
      const started = performance.now();
      for (let b = 0; b < BATCHES; b++) {
        await pg.query("BEGIN");
        await pg.query(insert(nodeId, b * SIZE, "in-progress"));
        await pg.query(insert(nodeId, b * SIZE, "completed"));
        await pg.query(`UPDATE "Window" SET diagnosis = '{"cause":"x"}' WHERE id = (SELECT id FROM "Window" WHERE "nodeId" = $1 LIMIT 1)`, [
          nodeId,
        ]);
        await pg.query("COMMIT");
      }
      return performance.now() - started;
    };
    const totals = { on: 0, off: 0 };
    await side(true, -1); // warm-up: plans, the functions' first compile
    await side(false, -1);
    for (let r = 0; r < ROUNDS; r++) {
      totals.on += await side(true, r);
      totals.off += await side(false, r);
    }
    const per = (ms: number) =>
      `${(ms / (ROUNDS * BATCHES)).toFixed(3)} ms per batch, ${((ms * 1000) / (ROUNDS * BATCHES * SIZE * 2)).toFixed(1)} µs per window write`;
    console.log(`rollup triggers: ${BATCHES} batches x ${SIZE} windows (insert, then replace), ${ROUNDS} rounds each side`);
    console.log(`  with triggers:    ${per(totals.on)}`);
    console.log(`  without triggers: ${per(totals.off)}`);
    console.log(`  cost: ${(((totals.on - totals.off) / totals.off) * 100).toFixed(1)}% of these statements' time`);
    await pg.query(`ALTER TABLE "Window" ENABLE TRIGGER USER`);
    const nodeId = randomUUID();
    await pg.query(`INSERT INTO "Node" (id, name, "updatedAt") VALUES ($1, 'BENCH-EXPLAIN', now())`, [nodeId]);
    for (const outcome of ["in-progress", "completed"]) {
      const plan = await pg.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE) ${insert(nodeId, 0, outcome)}`);
      for (const r of plan.rows) if (/Trigger|Execution Time/.test(r["QUERY PLAN"])) console.log(`  ${outcome}: ${r["QUERY PLAN"]}`);
    }
  } finally {
    await pg.end();
    await database.stop();
  }
}

await main();
