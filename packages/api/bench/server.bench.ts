/**
 * Server throughput, against baselines measured in the same run on the same database.
 *
 *   pnpm --filter @fleetwatch/api bench:server            # ingest ~100k events, judge 20,000 nodes x 365 nights
 *   pnpm --filter @fleetwatch/api bench:server --quick    # ingest ~2,000 events, judge 500 nodes x 30 nights (CI)
 *
 * Options: --nodes N --nights N --concurrency N (ingest); --judge-nodes N --judge-nights N, --cold /
 * --no-cold (also time a judge run with no cursor: on by default only with --quick);
 * --no-ingest, --no-judge; --profile FILE (a V8 CPU profile of the timed ingest pass); --statements
 * (PostgreSQL's costliest statements per pass, from pg_stat_statements).
 *
 * Ingest goes through the real path: undici -> node:http -> tRPC fetch adapter -> createContext
 * (bearer token lookup) -> zod validation -> ingest service -> PostgreSQL, from simulated agents
 * enrolled the real way, shipping the demo fleet's logs as parsed by the real parser. The baseline
 * is the same window rows written by one batched INSERT ... SELECT FROM unnest(...) ON CONFLICT per
 * batch over node-postgres; the floor is the same HTTP path to a procedure that validates the batch
 * and stores nothing (floor.ts). The judge runs over a bulk-loaded fleet history (history.ts,
 * judge-load.ts), timed whole and phase by phase (judge-kept.ts does the same on a database kept
 * between runs). The overview's late list is timed on the judged fleet (late-now.ts).
 * PostgreSQL is a throwaway embedded server with durable settings (fsync on).
 *
 * Besides wall-clock rates it prints CPU time per event (this process, PostgreSQL) and the rate
 * that CPU time allows on this machine's cores: on a busy machine wall-clock figures suffer,
 * CPU-time ones much less. The server and the simulated
 * agents share this process, so its CPU time includes the agents' (small: bodies are serialised
 * up front). The process runs with the server's Node options (src/node-options.ts), as
 * `pnpm start` runs the web server. This is a benchmark, not a test: it prints figures and verdicts and always exits 0.
 */
import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import type { Db } from "@fleetwatch/db/client";
import { SERVER_NODE_OPTIONS, serverNodeOptions } from "../src/node-options";
import { postgresCpuSeconds, processCpuSeconds, profiled } from "./cpu";
import { buildFleetLoad } from "./fleet";
import { floorRouter } from "./floor";
import { baseline, enrollAgents, type Pass, ship } from "./ingest-load";
import { benchJudge } from "./judge-load";
import { benchLateNow } from "./late-now";
import { type BenchDatabase, benchArgs, createPgPool, type PgPool, serveApi, startDatabase, topStatements } from "./setup";

// This process serves the API: it runs with the server's Node options (scripts/launcher.ts gives
// the web server the same), or starts itself again with them.
if (!process.env.NODE_OPTIONS?.includes(SERVER_NODE_OPTIONS)) {
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS) },
  });
  process.exit(again.status ?? 1);
}

const { args, quick, option } = benchArgs(process.argv.slice(2));
const settings = {
  nodes: option("nodes", quick ? 80 : 1000),
  nights: option("nights", quick ? 30 : 120),
  concurrency: option("concurrency", 16),
  judgeNodes: option("judge-nodes", quick ? 500 : 20_000),
  judgeNights: option("judge-nights", quick ? 30 : 365),
  profile: args.includes("--profile") ? (args[args.indexOf("--profile") + 1] ?? null) : null,
  statements: args.includes("--statements"),
  cold: quick ? !args.includes("--no-cold") : args.includes("--cold"),
};
const LAST_NIGHT = "2026-03-15";
const TARGET_EVENTS = 10_000;
const TARGET_JUDGE_SECONDS = 10;
const WARM_UP_AGENTS = 4;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
const log = (line: string) => console.log(`  ${line}`);

interface Measured extends Pass {
  /** CPU seconds: this process, PostgreSQL. */
  cpu: { node: number; pg: number | null };
}

async function measured(database: BenchDatabase, work: () => Promise<Pass>, statements?: PgPool): Promise<Measured> {
  if (statements) await topStatements(statements, 0);
  const [node, pg] = [processCpuSeconds(), postgresCpuSeconds(database.dataDir)];
  const pass = await work();
  const pgAfter = postgresCpuSeconds(database.dataDir);
  if (statements) for (const line of await topStatements(statements, 8)) log(`  ${line}`);
  return { ...pass, cpu: { node: processCpuSeconds() - node, pg: pg === null || pgAfter === null ? null : pgAfter - pg } };
}

const rate = (p: Pass) => p.events / p.seconds;
const cores = availableParallelism();
/**
 * The rate the measured CPU time allows with every core free: this process runs on one thread,
 * PostgreSQL and this process share the cores.
 */
const ceiling = (p: Measured) => {
  const node = p.cpu.node / p.events;
  return Math.min(1 / node, cores / (node + (p.cpu.pg ?? 0) / p.events));
};
/** CPU milliseconds per event, per side. */
const cpuPer = (p: Measured) =>
  `node ${((p.cpu.node * 1000) / p.events).toFixed(3)} + pg ${p.cpu.pg === null ? "?" : ((p.cpu.pg * 1000) / p.events).toFixed(3)} ms`;

async function main() {
  console.log(
    `bench:server${quick ? " --quick" : ""}: ${availableParallelism()} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, NODE_OPTIONS ${process.env.NODE_OPTIONS}`,
  );
  const database = await startDatabase(() => {}, { statements: settings.statements });
  const pg = createPgPool(database.url, settings.concurrency);
  try {
    if (!args.includes("--no-ingest")) await benchIngest(database, pg);
    if (!args.includes("--no-judge")) await benchJudgeRuns(database);
  } finally {
    await pg.end();
    await database.stop();
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
}

async function benchJudgeRuns(database: BenchDatabase) {
  console.log(`\njudge: ${fmt(settings.judgeNodes)} nodes x ${settings.judgeNights} nights of history`);
  // The judge gets a database of its own: the ingest's rows would only muddle the fleet.
  await database.db.$executeRawUnsafe(`TRUNCATE "Machine", "Agent", "Node", "Schedule", "EnrollmentToken", "Setting", "Alert" CASCADE`);
  const judge = await benchJudge(database.db, database.url, {
    nodes: settings.judgeNodes,
    nights: settings.judgeNights,
    lastNight: LAST_NIGHT,
    cold: settings.cold,
    log,
  });
  console.log("by phase (ms):              first run   steady state   a day's work");
  for (const [phase, ms] of judge.phases) {
    const first = judge.firstPhases.find(([p]) => p === phase)?.[1] ?? 0;
    const day = judge.nightPhases.find(([p]) => p === phase)?.[1] ?? 0;
    console.log(`  ${phase.padEnd(24)} ${fmt(first).padStart(10)} ${fmt(ms).padStart(14)} ${fmt(day).padStart(14)}`);
  }
  const s = judge.steady.ms / 1000;
  console.log(
    `judge:   steady state ${s.toFixed(2)} s, a day's work in one run ${(judge.night / 1000).toFixed(2)} s, first run ${(judge.first.ms / 1000).toFixed(2)} s${judge.cold ? `, cold ${(judge.cold.ms / 1000).toFixed(2)} s` : ""}`,
  );
  console.log(`target:  steady state < ${TARGET_JUDGE_SECONDS} s ${verdict(s < TARGET_JUDGE_SECONDS)}`);
  const late = await benchLateNow(database.db, LAST_NIGHT);
  console.log(
    `late list (the overview's): ${late.lateMs.toFixed(1)} ms a load (median of ${late.calls}, ${late.lateWindows} late windows in all); the nodes' read alone ${late.nodesMs.toFixed(1)} ms; ratio ${(late.lateMs / late.nodesMs).toFixed(2)}`,
  );
}

async function benchIngest(database: BenchDatabase, pg: PgPool) {
  const { db } = database;
  console.log(`\ningest: ${settings.nodes} agents x ${settings.nights} nights, ${settings.concurrency} agents at a time`);
  let started = performance.now();
  const loads = buildFleetLoad({ nodes: settings.nodes, nights: settings.nights, lastNight: LAST_NIGHT });
  const events = loads.reduce((n, l) => n + l.backfill.reduce((m, b) => m + b.events, 0), 0);
  const batches = loads.reduce((n, l) => n + l.backfill.length, 0);
  const kib = loads.reduce((n, l) => n + l.backfill.reduce((m, b) => m + b.body.length, 0), 0) / 1024;
  log(`rendered and parsed the logs: ${fmt(events)} events in ${batches} batches, ${fmt(kib)} KiB of JSON (${seconds(started)} s)`);

  const base = await measured(database, () => baseline(pg, loads, settings.concurrency));
  log(`baseline: ${fmt(base.events)} window rows in ${base.seconds.toFixed(2)} s`);

  const api = await serveApi(db);
  try {
    started = performance.now();
    const tokens = await enrollAgents(db, api.url, loads, settings.concurrency);
    log(`enrolled ${tokens.length} agents over HTTP in ${seconds(started)} s`);
    const work = loads.map((l, i) => ({ token: tokens[i]!, batches: l.backfill }));
    // Warm-up, untimed: a few agents one after another (JIT, connection pools, first schedules).
    const warm = await ship(api.url, work.slice(0, WARM_UP_AGENTS), 1);
    log(`warm-up:  ${WARM_UP_AGENTS} agents one at a time, ${fmt(warm.events)} events in ${warm.seconds.toFixed(2)} s`);

    const stats = settings.statements ? pg : undefined;
    const floorApi = await serveApi(db, floorRouter);
    const floor = await measured(database, () => ship(floorApi.url, work.slice(WARM_UP_AGENTS), settings.concurrency)).finally(() =>
      floorApi.close(),
    );
    log(`floor:    the same batches to a procedure that validates and stores nothing, ${floor.seconds.toFixed(2)} s`);
    const backfill = await measured(
      database,
      () => profiled(settings.profile, () => ship(api.url, work.slice(WARM_UP_AGENTS), settings.concurrency)),
      stats,
    );
    log(
      `backfill: ${fmt(backfill.events)} events (${fmt(backfill.accepted)} stored) in ${backfill.batches} batches, ${backfill.seconds.toFixed(2)} s`,
    );

    const before = await windowFacts(db);
    const resend = await measured(database, () => ship(api.url, work, settings.concurrency), stats);
    const after = await windowFacts(db);
    const unchanged = before.count === after.count && before.updatedAt === after.updatedAt && resend.accepted === 0;
    log(
      `resend:   ${fmt(resend.events)} events in ${resend.seconds.toFixed(2)} s; ${resend.accepted} accepted, windows ${unchanged ? "unchanged (rows and updatedAt)" : "CHANGED"}`,
    );

    const nightly = await measured(
      database,
      () =>
        ship(
          api.url,
          loads.map((l, i) => ({ token: tokens[i]!, batches: [l.nightly] })),
          settings.concurrency,
        ),
      stats,
    );
    log(`nightly:  ${nightly.batches} batches of one night each (event + heartbeat) in ${nightly.seconds.toFixed(2)} s`);

    console.log("               events/s   ratio    CPU per event");
    const line = (label: string, p: Measured, ratio: string, note = "") =>
      console.log(`${label.padEnd(10)} ${fmt(rate(p)).padStart(10)} ${ratio.padStart(7)}    ${cpuPer(p)}${note}`);
    line("baseline", base, "1.00", "   (INSERT ... SELECT FROM unnest ON CONFLICT over pg, rows)");
    line("floor", floor, (rate(floor) / rate(base)).toFixed(2), "   (HTTP + tRPC + token + zod, nothing stored)");
    line("backfill", backfill, (rate(backfill) / rate(base)).toFixed(2), "   (tRPC over HTTP, end to end)");
    line("resend", resend, (rate(resend) / rate(base)).toFixed(2));
    line("nightly", nightly, (rate(nightly) / rate(base)).toFixed(2), `   (${fmt(nightly.batches / nightly.seconds)} batches/s)`);
    console.log(
      `CPU allows: backfill ${fmt(ceiling(backfill))} events/s, floor ${fmt(ceiling(floor))}, baseline ${fmt(ceiling(base))} on ${cores} idle cores`,
    );
    console.log(
      `target:  >= ${fmt(TARGET_EVENTS)} events/s end to end ${verdict(rate(backfill) >= TARGET_EVENTS)}; resend changes nothing ${verdict(unchanged)}`,
    );
  } finally {
    await api.close();
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

async function windowFacts(db: Db) {
  const [row] = await db.$queryRaw<
    { count: bigint; updatedAt: Date | null }[]
  >`SELECT count(*) AS count, max("updatedAt") AS "updatedAt" FROM "Window"`;
  return { count: Number(row?.count ?? 0), updatedAt: row?.updatedAt?.getTime() ?? null };
}

await main();
