/**
 * The web app's read paths, timed on the server: what a page costs before the browser gets it.
 *
 *   pnpm bench:web            # 20,000 nodes x 365 nights (set-up takes minutes)
 *   pnpm bench:web --quick    # 1,000 nodes x 30 nights (CI, well under a minute)
 *
 * Options: --nodes N --nights N --samples N --warm-up N; --statements (after each query, its
 * costliest SQL statements per call, from pg_stat_statements, and the generic plan of any that
 * takes over a fifth of the query's target: where a miss spends its time); --explain (after the
 * timings, every statement of each page under EXPLAIN (ANALYZE, BUFFERS): explain.ts).
 *
 * The fleet is the deterministic demo fleet (generateDemoFleet, the one `pnpm start` shows),
 * bulk-loaded by the server bench's loader (packages/api/bench/history.ts: straight SQL, then the
 * real refreshDerivedStates), then judged once by the real runJudge so its flags are raised. Each
 * query goes through the real router (createCaller + createContextInner with an admin user), i.e.
 * zod, middleware, services, Prisma and PostgreSQL, with no HTTP or browser in the way. Warm-up
 * first, then samples one after another; p50 and p95 against targets, and against a baseline
 * measured in the same run over the same Prisma client (SELECT 1; count(*) FROM "Window").
 * PostgreSQL is a throwaway embedded server. A benchmark, not a test: it prints and exits 0.
 */
import { createRequire } from "node:module";
import { availableParallelism, loadavg } from "node:os";
import { createCaller, createContextInner } from "@fleetwatch/api";
import { runJudge } from "@fleetwatch/api/jobs";
import { type Db, PrismaClient } from "@fleetwatch/db/client";
// The server bench's set-up, reused as is (one loader for both benches).
import { loadHistory } from "../../../packages/api/bench/history";
import { benchArgs, createPgPool, startDatabase } from "../../../packages/api/bench/setup";
import { rebuildNightlyOutcomes } from "../../../packages/api/src/services/judge/nightly-rollup";
import { explainPages } from "./explain";

const { args, quick, option } = benchArgs(process.argv.slice(2));
const settings = {
  nodes: option("nodes", quick ? 1000 : 20_000),
  nights: option("nights", quick ? 30 : 365),
  samples: option("samples", 30),
  warmUp: option("warm-up", 5),
  statements: args.includes("--statements"),
  explain: args.includes("--explain"),
};
const LAST_NIGHT = "2026-03-15";
/** The bench's clock: the evening of the last night, every window of it closed. */
const NOW = new Date(`${LAST_NIGHT}T23:30:00Z`);
const CURSOR = new Date(NOW.getTime() - 15 * 60_000);

const log = (line: string) => console.log(`  ${line}`);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

interface Query {
  label: string;
  /** p95 target in ms; null for baselines. */
  target: number | null;
  run: (i: number) => Promise<unknown>;
}

interface Timing {
  q: Query;
  p50: number;
  p95: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  // Nearest rank: with 30 samples, p95 is the 29th.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

async function time(q: Query): Promise<Timing> {
  for (let i = 0; i < settings.warmUp; i++) await q.run(i);
  const ms: number[] = [];
  for (let i = 0; i < settings.samples; i++) {
    const started = performance.now();
    await q.run(i);
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { q, p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms[ms.length - 1] as number };
}

async function main() {
  console.log(
    `bench:web${quick ? " --quick" : ""}: ${settings.nodes.toLocaleString("en-US")} nodes x ${settings.nights} nights, ` +
      `${settings.samples} samples after ${settings.warmUp} warm-up; ${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
  );
  const started = performance.now();
  const database = await startDatabase(() => {}, { statements: settings.statements });
  log(`embedded PostgreSQL up in ${seconds(started)} s`);
  // One connection: the loader keeps a temp table and session settings on it.
  const pg = createPgPool(database.url, 1);
  try {
    const { db } = database;
    // Set-up only: a client whose transactions may run long (the loader refreshes 2,000 nodes'
    // derived state per transaction; with 365 nights that outlasts Prisma's default 5 s). The
    // timed queries use database.db, the client as the app builds it.
    const loader = loaderClient(database.url);
    const loaded = await loadHistory(loader, pg, {
      nodes: settings.nodes,
      nights: settings.nights,
      lastNight: LAST_NIGHT,
      cursor: CURSOR,
      lastBeat: new Date(NOW.getTime() - 5 * 60_000),
      log,
    });
    let step = performance.now();
    // The loader writes windows with triggers off (session_replication_role = replica): count
    // the overview's rollup once, as the migration does for an existing database.
    await rebuildNightlyOutcomes(loader);
    log(`counted the nightly rollup in ${seconds(step)} s`);
    step = performance.now();
    const judged = await runJudge(loader, NOW).finally(() => loader.$disconnect());
    await pg.query("ANALYZE");
    log(`judged once (flags raised: ${judged.flagsRaised}) in ${seconds(step)} s`);
    const { rows: flagKinds } = await pg.query<{ kind: string; n: number }>(
      `SELECT kind::text, count(*)::int AS n FROM "Flag" WHERE "clearedAt" IS NULL GROUP BY kind ORDER BY n DESC`,
    );
    log(`open flags: ${flagKinds.map((k) => `${k.kind} ${k.n}`).join(", ") || "none"}`);
    log(
      `set-up done in ${seconds(started)} s: ${loaded.windows.toLocaleString("en-US")} windows, ${loaded.messages.toLocaleString("en-US")} messages`,
    );

    step = performance.now();
    const queries = await buildQueries(db, pg);
    const timings: Timing[] = [];
    if (settings.statements) await statements(pg, null);
    for (const q of queries) {
      timings.push(await time(q));
      if (settings.statements) await statements(pg, q);
    }
    log(`timed in ${seconds(step)} s`);
    report(timings);
    if (settings.explain) {
      const nodeId = await pg.query<{ id: string }>(`SELECT id FROM "Node" ORDER BY name OFFSET $1 LIMIT 1`, [
        Math.floor(settings.nodes / 2),
      ]);
      await explainPages(
        database.url,
        pg,
        NOW,
        [
          { label: "fleet.overview 30 nights", run: (c) => c.fleet.overview({ nights: 30 }) },
          { label: "fleet.overview 90 nights", run: (c) => c.fleet.overview({ nights: 90 }) },
          { label: "nodes.list page 1", run: (c) => c.nodes.list({}) },
          { label: "nodes.list flag locked", run: (c) => c.nodes.list({ flag: "locked" }) },
          { label: "nodes.byId 90 nights", run: (c) => c.nodes.byId({ nodeId: nodeId.rows[0]?.id as string }) },
        ],
        log,
      );
    }
  } finally {
    await pg.end();
    await database.stop();
  }
}

/** The app's client (adapter-pg, resolved from @fleetwatch/db) with a long interactive-transaction timeout. */
function loaderClient(url: string): Db {
  const require = createRequire(import.meta.resolve("@fleetwatch/db/client"));
  const { PrismaPg } = require("@prisma/adapter-pg") as { PrismaPg: new (config: { connectionString: string }) => unknown };
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url }) as never,
    transactionOptions: { timeout: 30 * 60_000, maxWait: 60_000 },
  });
}

async function buildQueries(db: Db, pg: ReturnType<typeof createPgPool>): Promise<Query[]> {
  const { rows: users } = await pg.query<{ id: string; email: string }>(`SELECT id, email FROM "User" LIMIT 1`).catch(() => ({
    rows: [] as { id: string; email: string }[],
  }));
  const user = users[0] ?? { id: "00000000-0000-4000-8000-000000000000", email: "bench@fleetwatch.invalid" };
  const caller = createCaller(
    createContextInner({ db, caller: { kind: "user", userId: user.id, email: user.email, role: "admin" }, now: () => NOW }),
  );

  // Node detail: a different node each sample, spread over the fleet (not one hot row).
  const { rows: spread } = await pg.query<{ id: string; name: string }>(
    `SELECT id, name FROM (SELECT id, name, row_number() OVER (ORDER BY name) AS r, count(*) OVER () AS n FROM "Node") t
      WHERE r % greatest(n / 64, 1) = 0 ORDER BY r LIMIT 64`,
  );
  const ids = spread.map((r) => r.id);
  // A name search that finds a handful: the middle node's name minus its last character.
  const mid = spread[Math.floor(spread.length / 2)]?.name ?? "node";
  const search = mid.slice(0, Math.max(3, mid.length - 1));
  const { rows: hits } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Node" WHERE name ILIKE $1`, [`%${search}%`]);
  const { rows: lockedRows } = await pg.query<{ n: number }>(
    `SELECT count(DISTINCT "nodeId")::int AS n FROM "Flag" WHERE kind::text = 'locked' AND "clearedAt" IS NULL`,
  );
  const { rows: missedRows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Node" WHERE "lastOutcome"::text = 'missed'`);

  const chem = { kind: "department" as const, value: "CHEM" };
  return [
    { label: "baseline: SELECT 1", target: null, run: () => db.$queryRawUnsafe("SELECT 1") },
    { label: 'baseline: count(*) "Window"', target: null, run: () => db.$queryRawUnsafe(`SELECT count(*) FROM "Window"`) },
    { label: "fleet.overview 30 nights", target: 300, run: () => caller.fleet.overview({ nights: 30 }) },
    { label: "fleet.overview 90 nights", target: 300, run: () => caller.fleet.overview({ nights: 90 }) },
    { label: "nodes.list page 1", target: 300, run: () => caller.nodes.list({}) },
    { label: `nodes.list flag locked (${lockedRows[0]?.n ?? 0})`, target: 300, run: () => caller.nodes.list({ flag: "locked" }) },
    { label: `nodes.list outcome missed (${missedRows[0]?.n ?? 0})`, target: 300, run: () => caller.nodes.list({ outcome: "missed" }) },
    { label: `nodes.list search "${search}" (${hits[0]?.n ?? 0})`, target: 300, run: () => caller.nodes.list({ search }) },
    { label: "nodes.byId 90 nights", target: 150, run: (i) => caller.nodes.byId({ nodeId: ids[i % ids.length] as string }) },
    // Groups (issue 16.7): the picker reads every active node; a department is a twelfth of the demo fleet.
    { label: "groups.list (picker)", target: 300, run: () => caller.groups.list() },
    { label: "nodes.list group department CHEM", target: 300, run: () => caller.nodes.list({ group: chem }) },
    { label: "fleet.overview 30 nights, department CHEM", target: 300, run: () => caller.fleet.overview({ nights: 30, group: chem }) },
  ];
}

function report(timings: Timing[]) {
  const one = timings.find((t) => t.q.label === "baseline: SELECT 1");
  const count = timings.find((t) => t.q.label.startsWith("baseline: count"));
  const width = Math.max(...timings.map((t) => t.q.label.length));
  console.log(
    `\n${"query".padEnd(width)}  ${"p50 ms".padStart(8)}  ${"p95 ms".padStart(8)}  ${"max ms".padStart(8)}  ${"x SELECT 1".padStart(10)}  ${"x count(*)".padStart(10)}  target p95`,
  );
  const missed: string[] = [];
  for (const t of timings) {
    const ratio = (base: Timing | undefined) => (base && base !== t ? (t.p50 / base.p50).toFixed(1) : "1.0");
    const verdict = t.q.target === null ? "" : `< ${t.q.target} ms ${t.p95 < t.q.target ? "met" : "MISSED"}`;
    if (t.q.target !== null && t.p95 >= t.q.target) missed.push(t.q.label);
    console.log(
      `${t.q.label.padEnd(width)}  ${t.p50.toFixed(1).padStart(8)}  ${t.p95.toFixed(1).padStart(8)}  ${t.max.toFixed(1).padStart(8)}  ${ratio(one).padStart(10)}  ${ratio(count).padStart(10)}  ${verdict}`,
    );
  }
  console.log("(ratios: p50 over the baseline's p50, same run, same Prisma client)");
  console.log(missed.length ? `targets MISSED: ${missed.join("; ")}` : "all targets met");
}

/** The statements of the query just timed (pg_stat_statements, then reset); plans of the costly ones. */
async function statements(pg: ReturnType<typeof createPgPool>, q: Query | null) {
  const { rows } = await pg.query<{ calls: string; plan: number; exec: number; query: string }>(
    `SELECT calls, total_plan_time AS plan, total_exec_time AS exec, query FROM pg_stat_statements
      WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_plan_time + total_exec_time DESC LIMIT 5`,
  );
  if (!q) return void (await pg.query("SELECT pg_stat_statements_reset()"));
  for (const r of rows) {
    const per = (r.plan + r.exec) / Number(r.calls);
    log(
      `${q.label}: ${String(r.calls).padStart(4)} calls, plan ${(r.plan / Number(r.calls)).toFixed(2)} + exec ${(r.exec / Number(r.calls)).toFixed(2)} ms  ${r.query.replace(/\s+/g, " ").slice(0, 120)}`,
    );
    if (q.target !== null && per > q.target / 5) {
      const plan = await pg.query<{ "QUERY PLAN": string }>(`EXPLAIN (GENERIC_PLAN) ${r.query}`).catch((err: unknown) => ({
        rows: [{ "QUERY PLAN": `(no generic plan: ${String(err)})` }],
      }));
      for (const line of plan.rows) log(`      ${line["QUERY PLAN"]}`);
    }
  }
  await pg.query("SELECT pg_stat_statements_reset()");
}

await main();
