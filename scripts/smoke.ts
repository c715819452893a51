import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { type DemoNode, generateDemoFleet, renderDemoLogs } from "@fleetwatch/core/demo";
import { DEMO_FLEET, demoNightOf, lastClosedNight } from "./demo-loader";
import { freePort, repoRoot } from "./launcher";
import { HttpSession } from "./smoke-http";
import { afterStop, type Ended, whileRunning } from "./smoke-mishaps";

/**
 * `pnpm test:smoke`: the README's set-up, as a newcomer runs it. On a fresh copy of this checkout
 * (under a private folder, as a clone in /root is), the README's own start command with the
 * background jobs on, the demo fleet and default settings (but free ports, and a judge every 10 s
 * so the test need not wait 5 minutes for the real job); then, as a user: open the dashboard, sign
 * in with the printed password, read the overview, enroll the built agent and ship a log, watch
 * the judge job close the window the log misses, press Ctrl-C, and check nothing is left running.
 * Then the ordinary mishaps (smoke-mishaps.ts): a second start, a port in use, the web server
 * killed under a later start, a build error.
 * Any error line in the product's output fails it.
 */

const DEMO = DEMO_FLEET;
const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 8 * 60_000;

async function main() {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  const copy = await freshCopy();
  const env = productEnv({ PORT: String(await freePort()), FLEETWATCH_PG_PORT: String(await freePort()) });
  const url = `http://localhost:${env.PORT}`;
  const command = readmeStartCommand();
  console.log(`smoke: ${copy} (a fresh copy of the checkout); running the README's: ${command}`);
  const product = new ProductRun(spawn("bash", ["-c", command], { cwd: copy, env, detached: true, stdio: ["ignore", "pipe", "pipe"] }));
  let movedData: string | undefined;
  const problems: string[] = [];
  try {
    const password = await product.waitFor(/Sign in as \S+ with password (\S+)/, READY_TIMEOUT_MS);
    movedData = product.text().match(/keeps its data in (\S+)/)?.[1];
    const email = product.text().match(/Sign in as (\S+) with password/)?.[1] ?? "";
    const loaded = Date.now();
    await waitForDashboard(url);
    console.log(`smoke: the dashboard answered ${seconds()} s after the start command`);

    const session = await HttpSession.signIn(url, email, password);
    console.log(`smoke: signed in as ${email}`);
    await checkOverview(session, loaded);

    const node = await shipALog(session, copy, url, env);
    console.log(`smoke: ${node.name} shipped: ${node.outcomes.join(", ")}`);
    const judged = await waitForJudgeJob(session, node.id, product);
    console.log(`smoke: the judge job closed the night the log misses: ${judged}`);
    problems.push(...(await whileRunning(copy, env)));
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const exit = await product.interrupt();
  console.log(`smoke: Ctrl-C: the start command ended with ${exit}`);
  movedData ??= product.text().match(/keeps its data in (\S+)/)?.[1];
  const under = [copy, ...(movedData ? [movedData] : [])];
  const left = processesUnder(under);
  if (left.length) problems.push(`processes left running after Ctrl-C: ${left.join("; ")}`);
  const errors = product.errorLines();
  if (errors.length) problems.push(`the product printed error lines:\n  ${errors.join("\n  ")}`);
  if (exit !== "exit code 0") problems.push(`Ctrl-C should end the start command cleanly, not with ${exit}`);

  if (!problems.length) {
    // Then a later start (the web server is killed under it) and a start whose build fails.
    const laterStarted = Date.now();
    const later = new ProductRun(spawn("pnpm", ["start"], { cwd: copy, env, detached: true, stdio: ["ignore", "pipe", "pipe"] }), "  2| ");
    try {
      problems.push(
        ...(await afterStop(copy, env, {
          waitReady: async () => {
            await later.waitFor(/Press Ctrl-C to stop/, 120_000);
            return Date.now() - laterStarted;
          },
          ended: () => later.end(),
        })),
      );
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    await later.interrupt();
    const leftover = processesUnder(under);
    if (leftover.length) problems.push(`processes left running after the mishaps: ${leftover.join("; ")}`);
  }
  await rm(dirname(copy), { recursive: true, force: true });
  if (movedData) await rm(movedData, { recursive: true, force: true });
  if (problems.length) throw new Error(problems.join("\n"));
  console.log(`smoke: passed in ${seconds()} s`);
}

/** The checkout as it stands (tracked and new files, nothing ignored), under a private folder. */
async function freshCopy(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), "fleetwatch-smoke-")); // 0700: private, as /root is
  const copy = join(parent, "fleetwatch");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && existsSync(join(repoRoot, f)));
  for (const file of files) {
    await mkdir(dirname(join(copy, file)), { recursive: true });
    await cp(join(repoRoot, file), join(copy, file), { preserveTimestamps: true });
  }
  return copy;
}

/** The README's set-up command (its first `sh` block), exactly as a user would paste it. */
function readmeStartCommand(): string {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const block = readme.match(/## Set-up[\s\S]*?```sh\n([\s\S]*?)```/)?.[1]?.trim();
  if (!block?.includes("pnpm start")) throw new Error("the README's Set-up has no sh block with `pnpm start`");
  return block;
}

/** A newcomer's environment: none of this process's Fleetwatch or database settings. */
function productEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(FLEETWATCH_|DATABASE_URL|NEXTAUTH_|PORT$|TURBO_|VITEST|NODE_ENV$|npm_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra, FLEETWATCH_JUDGE_CRON: "*/10 * * * * *" };
}

class ProductRun {
  readonly lines: string[] = [];
  /** Everything on stderr: a healthy start prints nothing there. */
  private readonly stderr: string[] = [];
  private readonly ended: Promise<string>;

  constructor(
    private readonly child: ChildProcess,
    private readonly prefix = "  ",
  ) {
    const collect = (prefix: string, also?: string[]) => {
      let partial = "";
      return (chunk: Buffer) => {
        const parts = (partial + chunk.toString("utf8")).split("\n");
        partial = parts.pop() ?? "";
        for (const line of parts) {
          this.lines.push(line);
          if (line.trim()) also?.push(line);
          console.log(`${prefix}${line}`);
        }
      };
    };
    child.stdout?.on("data", collect(`${this.prefix}| `));
    child.stderr?.on("data", collect(`${this.prefix}! `, this.stderr));
    this.ended = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)));
  }

  text = () => this.lines.join("\n");

  /** Its end, with its exit code and every line it printed. */
  async end(): Promise<Ended> {
    await this.ended;
    return { code: this.child.exitCode, lines: this.lines.filter((l) => l.trim()) };
  }

  async waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.text().match(pattern);
      if (match) return match[1] ?? match[0];
      const ended = await Promise.race([this.ended, new Promise<null>((r) => setTimeout(() => r(null), 250))]);
      if (ended) throw new Error(`the start command ended (${ended}) before printing ${pattern}`);
      if (Date.now() > deadline) throw new Error(`nothing matched ${pattern} within ${timeoutMs / 1000} s`);
    }
  }

  /** Count the lines matching `pattern` printed so far. */
  count = (pattern: RegExp) => this.lines.filter((l) => pattern.test(l)).length;

  /** Ctrl-C as a terminal sends it: SIGINT to the whole process group. */
  async interrupt(): Promise<string> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid) {
      try {
        process.kill(-this.child.pid, "SIGINT");
      } catch {
        // already gone
      }
    }
    const timeout = new Promise<string>((r) => setTimeout(() => r("no exit within 60 s"), 60_000).unref());
    return Promise.race([this.ended, timeout]);
  }

  /** What a person would read as something gone wrong: anything on stderr, and error words. */
  errorLines(): string[] {
    const bad = /\b(error|ERR!|ELIFECYCLE|failed|FATAL|PANIC|Unhandled|refused)\b|^\s+at .+:\d+:\d+\)?$/i;
    return [...new Set([...this.stderr, ...this.lines.filter((l) => bad.test(l))])];
  }
}

async function waitForDashboard(url: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${url}/signin`).catch(() => null);
    if (res?.ok && (await res.text()).includes("Fleetwatch")) return;
    if (Date.now() > deadline) throw new Error(`${url}/signin did not answer within 60 s of the start's ready line`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The overview's count of nodes by last outcome equals the demo fleet's mix of last nights. A demo
 * window that closed after the load (the judge would record it MISSED) may move its nodes.
 */
async function checkOverview(session: HttpSession, loadedAt: number) {
  const overview = await session.query<{ counts: { total: number; byOutcome: Record<string, number> } }>("fleet.overview", { nights: 30 });
  const fleet = generateDemoFleet({ ...DEMO, lastNight: lastClosedNight(0, loadedAt) });
  if (overview.counts.total !== fleet.length)
    throw new Error(`the overview counts ${overview.counts.total} nodes, the demo fleet has ${fleet.length}`);
  const expected: Record<string, number> = {};
  let movable = 0;
  for (const node of fleet) {
    const kind = node.nights.at(-1)?.kind ?? "none";
    expected[kind] = (expected[kind] ?? 0) + 1;
    if (demoNightOf(node, Date.now()) !== demoNightOf(node, loadedAt)) movable++;
  }
  const got = overview.counts.byOutcome;
  const kinds = new Set([...Object.keys(expected), ...Object.keys(got)]);
  const off = [...kinds].reduce((sum, k) => sum + Math.abs((got[k] ?? 0) - (expected[k] ?? 0)), 0);
  const show = (m: Record<string, number>) =>
    [...kinds]
      .sort()
      .map((k) => `${k} ${m[k] ?? 0}`)
      .join(", ");
  if (off > 2 * movable) throw new Error(`the overview's outcomes (${show(got)}) are not the demo fleet's (${show(expected)})`);
  console.log(`smoke: the overview shows ${show(got)}; the demo fleet's mix is ${show(expected)}`);
}

/** A node no demo machine has: two completed nights with one missed between them. */
function smokeNode(): DemoNode {
  const done = { kind: "completed" as const, failedObjects: 0 };
  return {
    name: "SMOKE-PC001",
    hostname: "smoke-pc001",
    machineId: "5a0e5a0e5a0e5a0e5a0e5a0e5a0e5a0e",
    os: "linux",
    macAddresses: ["02:00:5a:0e:00:01"],
    contact: "smoke@example.org",
    schedule: "DAILY_INCR",
    startHour: 20,
    utcOffsetMinutes: 0,
    dateFormat: "YYYY-MM-DD",
    nights: [done, { kind: "missed" }, done],
    activeFrom: 0,
    replacedBy: null,
    retiredDaysAgo: null,
  };
}

async function shipALog(session: HttpSession, copy: string, url: string, env: NodeJS.ProcessEnv) {
  const node = smokeNode();
  const dir = join(copy, ".smoke-agent");
  await mkdir(dir, { recursive: true });
  const logs = renderDemoLogs(node, demoNightOf(node));
  await writeFile(join(dir, "dsmsched.log"), logs.sched);
  await writeFile(join(dir, "dsmerror.log"), logs.error);
  const { token } = await session.mutate<{ token: string }>("admin.createEnrollmentToken", { note: "smoke test", ttlHours: 1 });
  const agent = join(copy, "apps/agent/dist/fleetwatch-agent.mjs");
  const agentEnv = { ...env, FLEETWATCH_STATE_DIR: dir, FLEETWATCH_MACHINE_ID: node.machineId, FLEETWATCH_HOSTNAME: node.hostname };
  // Asynchronously: a blocked event loop would keep the session's idle sockets past the server's close.
  const run = async (args: string[]) =>
    (await execFileAsync(process.execPath, [agent, ...args], { env: agentEnv, encoding: "utf8" })).stdout.trim();
  console.log(`smoke: agent: ${await run(["enroll", "--server", url, "--token", token])}`);
  console.log(
    `smoke: agent: ${await run(["ship", "--node", node.name, "--error-log", join(dir, "dsmerror.log"), join(dir, "dsmsched.log")])}`,
  );
  const list = await session.query<{ rows: { id: string; name: string }[] }>("nodes.list", { search: node.name });
  const row = list.rows.find((r) => r.name === node.name);
  if (!row) throw new Error(`${node.name} is not in the node list after its agent shipped`);
  const outcomes = (await windowsOf(session, row.id)).map((w) => w.outcome);
  if (outcomes.filter((o) => o === "completed").length !== 2)
    throw new Error(`${node.name}'s windows are ${outcomes.join(", ")}: two completed nights were shipped`);
  return { id: row.id, name: node.name, outcomes };
}

const windowsOf = async (session: HttpSession, nodeId: string) =>
  (
    await session.query<{ windows: { outcome: string; scheduledStart: string; cause: string | null }[] }>("nodes.byId", {
      nodeId,
      nights: 10,
    })
  ).windows;

/** The real judge job (not the start's own run) records the night the log misses as MISSED. */
async function waitForJudgeJob(session: HttpSession, nodeId: string, product: ProductRun): Promise<string> {
  const before = product.count(/^judge: /);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const missed = (await windowsOf(session, nodeId)).find((w) => w.outcome === "missed");
    if (missed && product.count(/^judge: /) > before) return `${missed.scheduledStart} missed (${missed.cause ?? "no cause"})`;
    if (Date.now() > deadline) throw new Error("no judge job closed the shipped node's missing night within 90 s");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Processes whose command line or working folder is inside one of `dirs`. */
function processesUnder(dirs: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (dirs.some((d) => cmd.includes(d) || cwd.startsWith(d))) found.push(`${pid} ${cmd.slice(0, 120)}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

main().catch((error: unknown) => {
  console.error(`smoke: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
