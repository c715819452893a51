/**
 * The judge alone, on a bulk-loaded fleet kept between invocations: load once (minutes), then time
 * the judge as often as you change it (the full bench:server reloads every time).
 *
 *   tsx bench/judge-kept.ts --data /tmp/fw-judge --judge-nodes 20000 --judge-nights 365 [--runs 3] [--explain]
 *
 * Each invocation puts the fleet back as loaded (flags, alerts and the judge's own writes undone,
 * cursors back), then times a first run and `--runs` steady runs five minutes apart.
 * --migrations DIR applies those instead of prisma/migrations.
 * --explain prints EXPLAIN (ANALYZE, BUFFERS) of every statement slower than 200 ms (auto_explain).
 */
import { existsSync } from "node:fs";
import { createDb } from "@fleetwatch/db/client";
import { ensureDatabase } from "@fleetwatch/db/ensure";
import { runJudge } from "../src/jobs/judge";
import { refreshDerivedStates } from "../src/services/ingest/ingest";
import { loadHistory } from "./history";
import { benchArgs, createPgPool } from "./setup";

const { args, option, text } = benchArgs(process.argv.slice(2));
const dataDir = text("data", "");
if (!dataDir) throw new Error("--data DIR: where the kept database lives");
const nodes = option("judge-nodes", 20_000);
const nights = option("judge-nights", 365);
const runs = option("runs", 2);
const LAST_NIGHT = "2026-03-15";
const MINUTE = 60_000;
const t0 = new Date(Date.parse(`${LAST_NIGHT}T23:30:00Z`));
const previousRun = new Date(t0.getTime() - 5 * MINUTE);
const cursor = new Date(previousRun.getTime() - 10 * MINUTE);

const fresh = !existsSync(dataDir);
const migrationsDir = text("migrations", "") || undefined;
const handle = await ensureDatabase({ env: {}, dataDir, port: option("port", 55_439), migrationsDir, log: (l) => console.log(l) });
const db = createDb(handle.url);
const pg = createPgPool(handle.url, 1);
try {
  const loaded = await pg.query<{ value: unknown }>(`SELECT value FROM "Setting" WHERE key = 'bench.loaded'`);
  const want = `${nodes}x${nights}`;
  if (fresh || loaded.rows[0]?.value !== want) {
    const started = performance.now();
    await pg.query(`TRUNCATE "Machine", "Agent", "Node", "Schedule", "EnrollmentToken", "Setting", "Alert" CASCADE`);
    await loadHistory(db, pg, { nodes, nights, lastNight: LAST_NIGHT, cursor, lastBeat: previousRun, log: (l) => console.log(`  ${l}`) });
    await pg.query(`INSERT INTO "Setting" (key, value) VALUES ('bench.loaded', $1::jsonb)`, [JSON.stringify(want)]);
    console.log(`loaded ${want} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await putBack();
  if (args.includes("--explain")) {
    await pg.query(`ALTER SYSTEM SET session_preload_libraries = 'auto_explain'`);
    await pg.query(`ALTER SYSTEM SET auto_explain.log_min_duration = 200`);
    await pg.query(`ALTER SYSTEM SET auto_explain.log_analyze = on`);
    await pg.query(`ALTER SYSTEM SET auto_explain.log_buffers = on`);
    await pg.query(`SELECT pg_reload_conf()`);
  }
  for (let i = 0; i <= runs; i++) {
    const phases: string[] = [];
    const r = await runJudge(db, new Date(t0.getTime() + i * 5 * MINUTE), { onPhase: (p, ms) => phases.push(`${p} ${ms}`) });
    console.log(
      `${i === 0 ? "first " : "steady"} ${(r.ms / 1000).toFixed(2)} s  nodes ${r.nodesJudged} missed ${r.missed} severed ${r.severed} flags +${r.flagsRaised}/-${r.flagsCleared} alerts ${r.alertsOpened}`,
    );
    console.log(`         ${phases.join(", ")}`);
  }
  const { rows } = await pg.query<{ kind: string; n: number }>(
    `SELECT kind::text, count(*)::int AS n FROM "Flag" WHERE "clearedAt" IS NULL GROUP BY kind ORDER BY kind`,
  );
  console.log(`open flags: ${rows.map((k) => `${k.kind} ${k.n}`).join(", ")}`);
  const alerts = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Alert" WHERE "clearedAt" IS NULL`);
  console.log(`open alerts: ${alerts.rows[0]?.n}`);
} finally {
  if (args.includes("--explain")) {
    await pg.query(`ALTER SYSTEM RESET session_preload_libraries`);
    await pg.query(`SELECT pg_reload_conf()`);
  }
  await pg.end();
  await db.$disconnect();
  await handle.stop();
}

/** The fleet as loaded: the judge's flags, alerts, severed runs and MISSED rows undone, cursors back. */
async function putBack() {
  const { rows } = await pg.query<{ nodeId: string }>(`
    WITH undone AS (
      UPDATE "Window" SET outcome = 'in-progress', cause = NULL, causes = '{}', diagnosis = NULL, "judgedAt" = NULL
       WHERE cause = 'machine-died' RETURNING "nodeId"),
    removed AS (DELETE FROM "Window" WHERE source = 'judge' AND "createdAt" > '2026-06-01' RETURNING "nodeId")
    SELECT "nodeId" FROM undone UNION SELECT "nodeId" FROM removed`);
  await pg.query(`TRUNCATE "AlertDelivery", "Alert", "Flag"`);
  await pg.query(`UPDATE "Node" SET "judgedThrough" = $1`, [cursor.toISOString()]);
  await pg.query(
    `INSERT INTO "Setting" (key, value) VALUES ('judge.lastRunAt', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify(previousRun.toISOString())],
  );
  const ids = rows.map((r) => r.nodeId);
  if (ids.length) await db.$transaction((tx) => refreshDerivedStates(tx, ids, previousRun), { timeout: 10 * MINUTE });
  await pg.query("VACUUM ANALYZE");
}
