import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createEnrollmentToken, JUDGE_LOCK, serverNodeOptions } from "@fleetwatch/api";
import { conditionsOfCause } from "@fleetwatch/core/alerts";
import { type DemoNode, generateDemoFleet, renderDemoLogs } from "@fleetwatch/core/demo";
import { createDb, type Db } from "@fleetwatch/db/client";
import { type DatabaseHandle, ensureDatabase } from "@fleetwatch/db/ensure";
import { BuildError, buildProduct } from "./build";
import { demoNightOf, lastClosedNight } from "./demo-loader";
import { freePort, repoRoot } from "./launcher";

/**
 * `pnpm test:replicas`: the design's scale-out promise, on real processes. Two `next start` web
 * replicas on one embedded PostgreSQL, background jobs on in both (the real judge, every few
 * seconds), each replica named in its DATABASE_URL (`application_name`) so pg_stat_activity shows
 * which one holds the judge's advisory lock. Built agents enroll and ship a demo fleet's logs to
 * both replicas at once; mid-way, the replica leading a judge run is SIGKILLed while the run has
 * written (uncommitted) work, and its agents send again to the survivor, as behind a load
 * balancer. Then: the survivor takes over within one tick, no window is judged twice, no alert is
 * raised twice, nothing shipped is lost. Fails with one line per problem; always cleans up.
 */

const FLEET = { nodes: Number(process.env.FLEETWATCH_REPLICAS_NODES ?? 64), nights: Number(process.env.FLEETWATCH_REPLICAS_NIGHTS ?? 60) };
/** The judge's tick in both replicas. */
const TICK_SECONDS = 3;
const JUDGE_CRON = `*/${TICK_SECONDS} * * * * *`;
/** A run is caught once it has held the lock this long and written (uncommitted) rows: mid-run. */
const MIN_RUN_MS = 50;
/** Agents shipping at once (the machine has 2 cores, shared). */
const AGENTS_AT_ONCE = 4;
/** The kill is armed once this share of the fleet has shipped (the judge has work, runs measured). */
const ARM_AFTER = 0.25;

const execFileAsync = promisify(execFile);
const agentBin = join(repoRoot, "apps/agent/dist/fleetwatch-agent.mjs");
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`replicas: ${line}`);

interface JudgeLine {
  at: number;
  ms: number;
  text: string;
}

class Replica {
  readonly lines: string[] = [];
  readonly judged: JudgeLine[] = [];
  readonly stderr: string[] = [];
  killedAt: number | null = null;
  private readonly exit: Promise<string>;
  constructor(
    readonly name: string,
    readonly url: string,
    readonly child: ChildProcess,
  ) {
    let partial = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      const at = Date.now();
      const parts = (partial + chunk.toString("utf8")).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) {
        this.lines.push(line);
        if (line.startsWith("judge: ")) {
          this.judged.push({ at, ms: Number(/, (\d+) ms$/.exec(line)?.[1] ?? Number.NaN), text: line });
          if (process.env.FLEETWATCH_VERBOSE) say(`${name}: ${line}`);
        }
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.stderr.push(line);
    });
    this.exit = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)));
  }
  get alive() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  /** The whole process group, as a container or machine dies: nothing of it gets to clean up. */
  kill(signal: NodeJS.Signals) {
    if (!this.alive || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // gone meanwhile
    }
  }
  async stop(): Promise<string> {
    this.kill("SIGTERM");
    const timeout = new Promise<string>((r) => setTimeout(() => r("no exit within 20 s"), 20_000).unref());
    const how = await Promise.race([this.exit, timeout]);
    if (how.startsWith("no exit")) this.kill("SIGKILL");
    return how;
  }
}

function startReplica(name: string, port: number, dbUrl: string, secret: string): Replica {
  const url = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(FLEETWATCH_|DATABASE_URL|NEXTAUTH_|PORT$|TURBO_|VITEST|NODE_ENV$|npm_)/.test(key)) continue;
    env[key] = value;
  }
  const databaseUrl = new URL(dbUrl);
  databaseUrl.searchParams.set("application_name", `fleetwatch-${name}`);
  const child = spawn(process.execPath, [join(repoRoot, "apps/web/node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: join(repoRoot, "apps/web"),
    env: {
      ...env,
      DATABASE_URL: databaseUrl.toString(),
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: secret,
      NODE_ENV: "production",
      NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS),
      FLEETWATCH_JUDGE_CRON: JUDGE_CRON,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.once("error", () => {});
  return new Replica(name, url, child);
}

async function waitForHealth(replica: Replica, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!replica.alive) throw new Error(`${replica.name} ended before it answered: ${replica.stderr.slice(-3).join(" | ")}`);
    const res = await fetch(`${replica.url}/api/trpc/fleet.health`).catch(() => null);
    if (res?.ok) return;
    await sleep(250);
  }
  throw new Error(`${replica.name} did not answer on ${replica.url} within ${timeoutMs / 1000} s`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Build as `pnpm start` does; another engineer's `next build` in the same checkout is waited for. */
async function build(logDir: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await buildProduct({ repoRoot, logDir, print: () => {} });
    } catch (error) {
      const log = existsSync(join(logDir, "build.log"))
        ? readFileSync(join(logDir, "build.log"), "utf8").replace(/\x1b\[[0-9;]*m/g, "")
        : "";
      if (!(error instanceof BuildError) || !log.includes("Another next build process is already running") || attempt >= 20) {
        for (const line of log.split("\n").slice(-30)) console.error(`  ${line}`);
        throw error;
      }
      say("another next build runs in this checkout: waiting for it");
      await sleep(15_000);
    }
  }
}

interface Agent {
  node: DemoNode;
  dir: string;
  home: Replica;
  lastNight: string;
  shippedTo: string[];
  events: number;
}

/** Expected windows of a demo node: what it shipped, what the judge must call MISSED. */
function expectations(agent: Agent) {
  const { node, lastNight } = agent;
  const last = Date.parse(`${lastNight}T00:00:00Z`);
  const at = (n: number) => new Date(last - (node.nights.length - 1 - n) * 86_400_000 + node.startHour * 3_600_000).toISOString();
  const shipped: string[] = [];
  const missed: string[] = [];
  for (let n = node.activeFrom; n < node.nights.length; n++) {
    if (node.nights[n]?.kind !== "missed") shipped.push(at(n));
    // The judge starts a node at its first recorded window: a miss before it is not news.
    else if (shipped.length > 0) missed.push(at(n));
  }
  return { shipped, missed };
}

async function runAgent(args: string[], agent: Agent) {
  const env = {
    ...process.env,
    FLEETWATCH_MACHINE_ID: agent.node.machineId,
    FLEETWATCH_HOSTNAME: agent.node.hostname,
    FLEETWATCH_STATE_DIR: agent.dir,
  };
  return execFileAsync(process.execPath, [agentBin, ...args], { env });
}

const lastLine = (error: unknown) =>
  String((error as { stderr?: string }).stderr ?? "")
    .trim()
    .split("\n")
    .at(-1) || String((error as Error).message).split("\n")[0];

async function main() {
  const parent = mkdtempSync(join(tmpdir(), "fleetwatch-replicas-"));
  // As root, PostgreSQL runs as the postgres user and must reach its data folder inside this one.
  chmodSync(parent, 0o755);
  const problems: string[] = [];
  const numbers: string[] = [];
  let database: DatabaseHandle | null = null;
  let db: Db | null = null;
  const replicas: Replica[] = [];
  try {
    const buildMs = await build(parent);
    say(`built in ${(buildMs / 1000).toFixed(0)} s (${elapsed()} with any wait for another build)`);
    const pgPort = await freePort();
    database = await ensureDatabase({ env: {}, dataDir: join(parent, "pg"), movableDataDir: false, port: pgPort });
    say(`PostgreSQL on port ${pgPort}, pid ${database.pid} (${elapsed()})`);
    const monitorUrl = new URL(database.url);
    monitorUrl.searchParams.set("application_name", "fleetwatch-replicas-test");
    db = createDb(monitorUrl.toString());
    const secret = randomBytes(32).toString("base64url");
    const [portA, portB] = [await freePort(), await freePort()];
    replicas.push(startReplica("replica-a", portA, database.url, secret), startReplica("replica-b", portB, database.url, secret));
    await Promise.all(replicas.map((r) => waitForHealth(r)));
    say(
      `replica-a on ${replicas[0]?.url} (pid ${replicas[0]?.child.pid}), replica-b on ${replicas[1]?.url} (pid ${replicas[1]?.child.pid}), judge "${JUDGE_CRON}" in both (${elapsed()})`,
    );
    await failover(db, replicas as [Replica, Replica], parent, problems, numbers);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    const pids = replicas.map((r) => r.child.pid).filter((p): p is number => p !== undefined);
    for (const r of replicas) {
      const how = await r.stop();
      if (!r.killedAt && !["signal SIGTERM", "exit code 0", "exit code 143"].includes(how))
        problems.push(`${r.name} ended with ${how} on SIGTERM`);
    }
    await db?.$disconnect().catch(() => {});
    const pgPid = database?.pid ?? null;
    await database?.stop().catch((e: unknown) => problems.push(`PostgreSQL did not stop: ${String(e)}`));
    rmSync(parent, { recursive: true, force: true });
    const left = leftovers(pids, pgPid, parent);
    if (left.length) problems.push(`processes left running: ${left.join("; ")}`);
    if (existsSync(parent)) problems.push(`${parent} was not removed`);
  }
  for (const n of numbers) say(n);
  if (problems.length) {
    for (const p of problems) console.error(`replicas: FAILED: ${p}`);
    process.exit(1);
  }
  say(`passed in ${elapsed()}`);
}

interface Holder {
  app: string;
  pid: number;
  wrote: boolean;
  ms: number;
  query: string;
  /** The same replica's other connections in a statement or transaction: agents' batches being stored. */
  busy: number;
}

async function lockHolders(db: Db, key: bigint): Promise<Holder[]> {
  // A bigint advisory key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1.
  const high = Number(key >> 32n);
  const low = Number(key & 0xffffffffn);
  return db.$queryRaw<Holder[]>`
    SELECT a.application_name AS app, a.pid, a.backend_xid IS NOT NULL AS wrote,
           (extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::int AS ms, left(a.query, 60) AS query,
           (SELECT count(*) FROM pg_stat_activity o
             WHERE o.application_name = a.application_name AND o.pid <> a.pid AND o.state <> 'idle')::int AS busy
      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${high}::oid AND l.objid = ${low}::oid AND l.objsubid = 1`;
}

async function failover(db: Db, [a, b]: [Replica, Replica], parent: string, problems: string[], numbers: string[]) {
  const key = JUDGE_LOCK;
  const replicas = [a, b];
  // Each node's history runs up to its own latest closed window, as `pnpm start`'s demo does.
  // Less the demo's retired machine: its log lies before the nights this check counts, and its one
  // alert is the stale ladder's (profiles.e2e and flags.integration test it).
  const fleet = generateDemoFleet({ nodes: FLEET.nodes + 1, nights: FLEET.nights, lastNight: lastClosedNight(0) }).filter(
    (n) => n.retiredDaysAgo === null,
  );
  const agents: Agent[] = fleet.map((node, i) => ({
    node,
    dir: join(parent, "agents", node.name),
    home: replicas[i % 2] as Replica,
    lastNight: demoNightOf(node),
    shippedTo: [],
    events: 0,
  }));
  for (const agent of agents) {
    await mkdir(agent.dir, { recursive: true });
    const logs = renderDemoLogs(agent.node, agent.lastNight);
    await writeFile(join(agent.dir, "dsmsched.log"), logs.sched);
    await writeFile(join(agent.dir, "dsmerror.log"), logs.error);
  }
  const expectedMissed = agents.reduce((s, ag) => s + expectations(ag).missed.length, 0);
  const expectedShipped = agents.reduce((s, ag) => s + expectations(ag).shipped.length, 0);
  say(`${agents.length} nodes x ${FLEET.nights} nights: ${expectedShipped} runs in their logs, ${expectedMissed} nights missed`);

  // As behind a load balancer: an agent's own replica while it lives, else the other one.
  const route = (agent: Agent) =>
    agent.home.alive && !agent.home.killedAt ? agent.home : ((replicas.find((r) => r !== agent.home && r.alive) ?? agent.home) as Replica);
  /** Agents' commands (enroll, ship) under way against each replica. */
  const inFlight = new Map<Replica, number>();
  const against = async <T>(target: Replica, work: () => Promise<T>): Promise<T> => {
    inFlight.set(target, (inFlight.get(target) ?? 0) + 1);
    try {
      return await work();
    } finally {
      inFlight.set(target, (inFlight.get(target) ?? 1) - 1);
    }
  };
  let shippedCount = 0;
  let failovers = 0;
  const shipOne = async (agent: Agent) => {
    const { token } = await createEnrollmentToken(db, { createdBy: "replicas-test", note: agent.node.name, ttlHours: 1, now: new Date() });
    for (let attempt = 0; ; attempt++) {
      const target = route(agent);
      try {
        await against(target, () => runAgent(["enroll", "--server", target.url, "--token", token], agent));
        break;
      } catch (error) {
        if (target.alive && !target.killedAt) throw new Error(`${agent.node.name}: enroll on ${target.name} failed: ${lastLine(error)}`);
        if (attempt > 2) throw error;
      }
    }
    const credential = JSON.parse(await readFile(join(agent.dir, "credential.json"), "utf8")) as { token: string };
    for (let attempt = 0; ; attempt++) {
      const target = route(agent);
      agent.shippedTo.push(target.name);
      try {
        const { stdout } = await against(target, () =>
          runAgent(
            [
              "ship",
              "--server",
              target.url,
              "--token",
              credential.token,
              "--node",
              agent.node.name,
              "--utc-offset",
              String(agent.node.utcOffsetMinutes),
              "--error-log",
              join(agent.dir, "dsmerror.log"),
              join(agent.dir, "dsmsched.log"),
            ],
            agent,
          ),
        );
        agent.events = Number(/shipped (\d+) events/.exec(stdout)?.[1] ?? 0);
        shippedCount++;
        return;
      } catch (error) {
        // Its replica died under it (refused, reset): send again, to the survivor.
        if (target.alive && !target.killedAt) throw new Error(`${agent.node.name}: ship to ${target.name} failed: ${lastLine(error)}`);
        failovers++;
        if (attempt > 2) throw new Error(`${agent.node.name}: ship failed ${attempt + 1} times: ${lastLine(error)}`);
      }
    }
  };

  const shipStarted = Date.now();
  const queue = [...agents];
  let shipError: unknown = null;
  const shipping = Promise.all(
    Array.from({ length: AGENTS_AT_ONCE }, async () => {
      for (let agent = queue.shift(); agent && !shipError; agent = queue.shift()) {
        try {
          await shipOne(agent);
        } catch (error) {
          shipError ??= error;
        }
      }
    }),
  );
  let shippingDone = false;
  void shipping.then(() => {
    shippingDone = true;
  });

  // The kill: once enough has shipped that runs have work, the first leader caught with written,
  // uncommitted work in its judge transaction is SIGKILLed.
  let victim: { replica: Replica; holder: Holder; at: number; agents: number } | null = null;
  let pollCount = 0;
  const leadersSeen = new Set<string>();
  while (!victim) {
    if (shipError) throw shipError;
    if (shippingDone) break;
    const holders = await lockHolders(db, key);
    pollCount++;
    for (const h of holders) leadersSeen.add(h.app);
    const armed = shippedCount >= agents.length * ARM_AFTER && replicas.some((r) => r.judged.length > 0);
    // Best caught storing an agent's batch too, so that agent must send it again; late on, any run.
    const late = shippedCount >= agents.length * 0.8;
    const h = holders[0];
    const leader = replicas.find((r) => `fleetwatch-${r.name}` === h?.app);
    // Its last statement writes judge.lastRunAt: a kill there is at the commit, not mid-run.
    const midRun = h?.wrote && h.ms >= MIN_RUN_MS && !h.query.includes('"Setting"');
    if (armed && midRun && (h.busy > 0 || (leader && (inFlight.get(leader) ?? 0) > 0) || late)) {
      const replica = leader;
      if (!replica) throw new Error(`the judge's lock is held by ${h.app}, not by a replica`);
      replica.killedAt = Date.now();
      replica.kill("SIGKILL");
      victim = { replica, holder: h, at: replica.killedAt, agents: inFlight.get(replica) ?? 0 };
      break;
    }
    await sleep(10);
  }
  if (!victim) {
    const runs = replicas.flatMap((r) => r.judged.map((j) => j.ms));
    throw new Error(
      `no judge run was caught mid-run before shipping ended (${pollCount} polls, ${runs.length} runs of ${Math.min(...runs)}-${Math.max(...runs)} ms): ship a larger fleet`,
    );
  }
  const survivor = victim.replica === a ? b : a;
  const runsBefore = replicas.flatMap((r) => r.judged.filter((j) => j.at < victim.at));
  say(
    `killed ${victim.replica.name} (SIGKILL) ${victim.holder.ms} ms into its judge run, with written uncommitted work, in: ${victim.holder.query.replace(/\s+/g, " ").trim()}; ${victim.agents} agents' commands under way against it (${shippedCount}/${agents.length} nodes shipped, ${elapsed()})`,
  );

  // The dead replica's PostgreSQL backend must let go of the lock (its transaction rolls back).
  let releasedMs: number | null = null;
  let takenOverMs: number | null = null;
  const deadline = Date.now() + (TICK_SECONDS + 30) * 1000;
  while (Date.now() < deadline && (releasedMs === null || takenOverMs === null)) {
    const holders = await lockHolders(db, key);
    const dead = holders.some((h) => h.app === `fleetwatch-${victim.replica.name}`);
    if (!dead && releasedMs === null) releasedMs = Date.now() - victim.at;
    if (holders.some((h) => h.app === `fleetwatch-${survivor.name}`) && takenOverMs === null) takenOverMs = Date.now() - victim.at;
    // A run too short for the polls to see still prints its line: it started `ms` before it.
    const line = survivor.judged.find((j) => j.at > victim.at);
    if (line && takenOverMs === null) takenOverMs = Math.max(0, line.at - line.ms - victim.at);
    await sleep(10);
  }
  const firstAfter = async () => {
    const until = Date.now() + (TICK_SECONDS * 3 + 60) * 1000;
    for (;;) {
      const line = survivor.judged.find((j) => j.at > victim.at);
      if (line) return line;
      if (Date.now() > until) return null;
      await sleep(20);
    }
  };
  const next = await firstAfter();
  const completedS = next ? (next.at - victim.at) / 1000 : null;
  numbers.push(`judge runs before the kill: ${runsBefore.length}, ${describeRuns(runsBefore.map((j) => j.ms))}`);
  numbers.push(`the dead replica's lock released ${releasedMs ?? "never"} ms after the kill`);
  numbers.push(`${survivor.name} took the lock ${takenOverMs ?? "never"} ms after the kill (tick every ${TICK_SECONDS} s)`);
  numbers.push(
    `${survivor.name}'s next judge run completed ${completedS?.toFixed(2) ?? "never"} s after the kill${next ? ` (${next.ms} ms run): ${next.text}` : ""}`,
  );
  if (releasedMs === null)
    problems.push(`the dead replica's backend still held the judge's lock ${deadline - victim.at} ms after the kill`);
  if (takenOverMs === null || takenOverMs > (TICK_SECONDS + 1) * 1000)
    problems.push(
      `${survivor.name} did not take the judge's lock within one tick (${TICK_SECONDS} s) of the kill: ${takenOverMs ?? "never"} ms`,
    );
  if (!next) problems.push(`${survivor.name} printed no judge run after the kill`);
  else if (next.at - next.ms - victim.at > (TICK_SECONDS + 1) * 1000)
    problems.push(
      `${survivor.name}'s first judge run after the kill started ${((next.at - next.ms - victim.at) / 1000).toFixed(1)} s after it: more than one tick`,
    );

  await shipping;
  if (shipError) throw shipError;
  const shippedAt = Date.now();
  say(
    `all ${agents.length} agents shipped in ${((shippedAt - shipStarted) / 1000).toFixed(1)} s; ${failovers} sends went again to ${survivor.name} (${elapsed()})`,
  );
  // Two completed runs after the last shipment: the second started after everything had arrived.
  const settle = Date.now() + 60_000;
  while (survivor.judged.filter((j) => j.at > shippedAt).length < 2) {
    if (Date.now() > settle) throw new Error(`${survivor.name} completed fewer than 2 judge runs in the 60 s after shipping ended`);
    if (!survivor.alive) throw new Error(`${survivor.name} died too`);
    await sleep(100);
  }
  const rerouted = agents.filter((ag) => ag.home === victim.replica && ag.shippedTo.includes(survivor.name)).length;
  numbers.push(
    `agents of ${victim.replica.name} sent to ${survivor.name} after the kill: ${rerouted}, of which ${failovers} had a send cut off by the kill and sent again`,
  );
  const runsAfter = survivor.judged.filter((j) => j.at > victim.at);
  numbers.push(`judge runs after the kill: ${runsAfter.length}, ${describeRuns(runsAfter.map((j) => j.ms))}`);
  numbers.push(`leaders seen holding the lock: ${[...leadersSeen].sort().join(", ")}; ${pollCount} lock polls before the kill`);
  numbers.push(
    `fleet: ${agents.length} nodes, ${FLEET.nights} nights, shipped in ${((shippedAt - shipStarted) / 1000).toFixed(1)} s, ${failovers} sends again after the kill`,
  );
  if (leadersSeen.size === 0) problems.push("no replica was ever seen holding the judge's lock");
  for (const r of replicas)
    for (const line of r.stderr) if (/error|unhandled/i.test(line)) problems.push(`${r.name} printed on stderr: ${line}`);
  for (const r of replicas) for (const j of r.judged) if (j.text.startsWith("judge: failed")) problems.push(`${r.name}: ${j.text}`);
  await checkDatabase(db, agents, numbers, problems);
}

function describeRuns(ms: number[]): string {
  if (!ms.length) return "none";
  const sorted = [...ms].sort((x, y) => x - y);
  return `${sorted[0]}-${sorted.at(-1)} ms (median ${sorted[Math.floor(sorted.length / 2)]} ms)`;
}

async function checkDatabase(db: Db, agents: Agent[], numbers: string[], problems: string[]) {
  const rows = await db.$queryRaw<{ node: string; schedule: string; start: Date; outcome: string; source: string; id: string }[]>`
    SELECT n.name AS node, w.schedule, w."scheduledStart" AS start, w.outcome::text AS outcome, w.source, w.id::text AS id
      FROM "Window" w JOIN "Node" n ON n.id = w."nodeId"`;
  const byNode = new Map<string, typeof rows>();
  for (const r of rows) byNode.set(r.node, [...(byNode.get(r.node) ?? []), r]);
  // No window twice: one row per node and scheduled start (whatever the schedule's spelling).
  const seen = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.node} ${r.start.toISOString()}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  for (const [k, n] of seen) if (n > 1) problems.push(`window ${k} is stored ${n} times`);

  let missedFound = 0;
  let shippedFound = 0;
  for (const agent of agents) {
    const mine = byNode.get(agent.node.name.toUpperCase()) ?? [];
    const { shipped, missed } = expectations(agent);
    const at = (iso: string) => mine.filter((w) => w.start.toISOString() === iso);
    for (const iso of shipped) {
      const found = at(iso);
      if (found.length !== 1 || found[0]?.source !== "agent")
        problems.push(
          `${agent.node.name}: the run of ${iso} was shipped but is stored ${found.length} times (${found.map((w) => `${w.source} ${w.outcome}`).join(", ") || "lost"})`,
        );
      else shippedFound++;
    }
    for (const iso of missed) {
      const found = at(iso).filter((w) => w.outcome === "missed" && w.source === "judge");
      if (found.length !== 1) problems.push(`${agent.node.name}: the night of ${iso} was missed; MISSED windows for it: ${found.length}`);
      else missedFound++;
    }
    // Anything else the judge recorded must be a night that closed after the logs were written.
    const known = new Set([...shipped, ...missed]);
    const lastAt = Date.parse(`${agent.lastNight}T00:00:00Z`) + agent.node.startHour * 3_600_000;
    const end = demoNightOf(agent.node);
    const endAt = Date.parse(`${end}T00:00:00Z`) + agent.node.startHour * 3_600_000;
    for (const w of mine) {
      const t = w.start.getTime();
      if (known.has(w.start.toISOString()) || (t > lastAt && t <= endAt)) continue;
      problems.push(`${agent.node.name}: a window nobody expected: ${w.start.toISOString()} ${w.outcome} (${w.source})`);
    }
    if (agent.events !== shipped.length)
      problems.push(`${agent.node.name}: its agent shipped ${agent.events} events, its log has ${shipped.length} runs`);
  }
  const shippedEvents = agents.reduce((s, ag) => s + ag.events, 0);
  const agentWindows = rows.filter((r) => r.source === "agent").length;
  if (agentWindows !== shippedEvents) problems.push(`${shippedEvents} events were shipped, ${agentWindows} windows came from agents`);
  const expectedMissed = agents.reduce((s, ag) => s + expectations(ag).missed.length, 0);
  numbers.push(
    `windows: ${rows.length} stored; ${shippedFound}/${shippedEvents} shipped events each stored once; ${missedFound}/${expectedMissed} missed nights each MISSED once`,
  );

  // An alert is one problem: a node and a condition (core/alerts). Raised twice = two live alerts
  // (open or acknowledged) for the same node and condition, which two judges racing could make.
  // The alerts that count bad nights: "not backed up", and the standing conditions that take over
  // the nights they caused (a locked node's failures); the stale ladder counts its steps instead.
  const nightCounting = ["backup", ...new Set(Object.values(conditionsOfCause).flat())].filter((c) => c !== "stale");
  const alerts = await db.$queryRaw<{ node: string; kind: string; live: number; all: number }[]>`
    SELECT n.name AS node, a.kind, count(*) FILTER (WHERE a.state <> 'resolved')::int AS live, count(*)::int AS all
      FROM "Alert" a JOIN "Node" n ON n.id = a."nodeId"
     GROUP BY n.name, a.kind`;
  for (const al of alerts) if (al.live > 1) problems.push(`${al.node}: ${al.live} live alerts for one condition (${al.kind})`);
  // And none is missing: a node whose newest closed night is bad (not excused, not waiting for an
  // agent that fell silent) has a live alert saying so, counting every bad night since its last
  // success (alerts are news: all of these arrived within the first run's two days).
  const bad = await db.$queryRaw<{ node: string; start: Date; outcome: string; nights: number; alerted: number | null }[]>`
    WITH recent AS (
      -- The judge reads each node's newest 14 windows (services/flags HISTORY_WINDOWS) outside maintenance.
      SELECT w."nodeId", w."scheduledStart", w.outcome, w.benign,
             row_number() OVER (PARTITION BY w."nodeId" ORDER BY w."scheduledStart" DESC) AS age
        FROM "Window" w WHERE w."maintenanceId" IS NULL),
    closed AS (
      SELECT *, row_number() OVER (PARTITION BY "nodeId" ORDER BY "scheduledStart" DESC) AS rank
        FROM recent WHERE age <= 14 AND outcome <> 'in-progress'),
    success AS (
      SELECT "nodeId", max("scheduledStart") AS at FROM closed
       WHERE outcome = 'completed' OR (outcome = 'failed' AND benign) GROUP BY "nodeId")
    SELECT n.name AS node, c."scheduledStart" AS start, c.outcome::text AS outcome,
           (SELECT count(*)::int FROM closed b
             WHERE b."nodeId" = n.id AND NOT b.benign AND b.outcome IN ('missed', 'failed', 'severed', 'aborted')
               AND b."scheduledStart" > coalesce(s.at, '-infinity')) AS nights,
           (SELECT max(a.occurrences) FROM "Alert" a
             WHERE a."nodeId" = n.id AND a.state <> 'resolved' AND a.kind = ANY(${nightCounting})) AS alerted
      FROM closed c JOIN "Node" n ON n.id = c."nodeId" LEFT JOIN success s ON s."nodeId" = n.id
     WHERE c.rank = 1 AND c.outcome IN ('missed', 'failed', 'severed', 'aborted') AND NOT c.benign
       AND n."deregisteredAt" IS NULL
       AND NOT EXISTS (SELECT 1 FROM "Flag" f WHERE f."nodeId" = n.id AND f.kind = 'agent-silent' AND f."clearedAt" IS NULL)`;
  const unalerted = bad.filter((b) => b.alerted === null);
  const miscounted = bad.filter((b) => b.alerted !== null && b.alerted !== b.nights);
  for (const b of unalerted.slice(0, 20))
    problems.push(`${b.node}: its newest night (${b.outcome}, ${b.start.toISOString()}) is bad and no alert is live`);
  for (const b of miscounted.slice(0, 20))
    problems.push(`${b.node}: its alert counts ${b.alerted} bad nights, ${b.nights} since its last success`);
  const liveAlerts = alerts.reduce((s, al) => s + al.live, 0);
  numbers.push(
    `alerts: ${alerts.reduce((s, al) => s + al.all, 0)} (${liveAlerts} live), none twice; ${bad.length} nodes whose newest night is bad, ${unalerted.length} without a live alert, ${miscounted.length} miscounted`,
  );
}

/** The replicas' process groups, PostgreSQL and its children, anything under the temp folder. */
function leftovers(groups: number[], postmaster: number | null, parent: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const [state, ppid, pgid] = [fields[0], Number(fields[1]), Number(fields[2])];
      if (state === "Z") continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (groups.includes(pgid) || Number(pid) === postmaster || (postmaster !== null && ppid === postmaster) || cmd.includes(parent))
        found.push(`${pid} ${cmd.slice(0, 100)}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

main().catch((error: unknown) => {
  console.error(`replicas: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
