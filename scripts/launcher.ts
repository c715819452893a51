import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { join, resolve } from "node:path";
import { ensureFirstAdmin, serverNodeOptions } from "@fleetwatch/api";
import { type ServerConfig, serverConfig } from "@fleetwatch/api/config";
import { runJudge } from "@fleetwatch/api/jobs";
import { createDb } from "@fleetwatch/db/client";
import { ensureDatabase } from "@fleetwatch/db/ensure";
import { lastClosedNight, loadDemoFleet, stageDemoExceptions } from "./demo-loader";

export const repoRoot = resolve(import.meta.dirname, "..");

export interface LaunchOptions {
  port: number;
  /** Folder for this stack's state: secrets, the admin password, embedded PostgreSQL data. */
  stateDir: string;
  pgPort?: number;
  demo: { nodes: number; nights: number } | null;
  log?: (line: string) => void;
  /** Ctrl-C during the start: stop what has started so far and reject with the signal's reason. */
  signal?: AbortSignal;
  /** Called with the pids as they start, so a lock file can name them (start-lock.ts). */
  onStarted?: (pids: { web?: number; postgres?: number }) => void | Promise<void>;
}

export interface Stack {
  url: string;
  admin: { email: string; password: string | null };
  demoLoaded: boolean;
  /** Resolves if the web server or PostgreSQL stops on its own (killed, out of memory): one line. */
  died: Promise<string>;
  stop(): Promise<void>;
}

/** Lines of the web server's output a person running the product wants: what the jobs did. */
const JOB_LINE = /^(judge|deliveries|collector|jobs?):/;

/** Start the product: database (embedded unless DATABASE_URL), migrations, admin, web, demo fleet. */
export async function launch(opts: LaunchOptions): Promise<Stack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const config = serverConfig();
  await mkdir(opts.stateDir, { recursive: true });
  if (await portTaken(opts.port)) throw new Error(`port ${opts.port} is in use: stop what listens there, or set PORT to another port`);
  // FLEETWATCH_PG_DIR wins over the state folder for the data.
  const database = await ensureDatabase({
    env: { DATABASE_URL: config.DATABASE_URL ?? undefined },
    dataDir: config.FLEETWATCH_PG_DIR ?? join(opts.stateDir, "pg"),
    movableDataDir: !config.FLEETWATCH_PG_DIR,
    port: opts.pgPort ?? config.FLEETWATCH_PG_PORT,
    log: (line) => !line.startsWith("started PostgreSQL") && log(`database: ${line}`),
  });
  log(database.embedded ? `database: embedded PostgreSQL at ${redact(database.url)}` : `database: ${redact(database.url)}`);
  await opts.onStarted?.({ postgres: database.pid ?? undefined });
  const checkpoint = () => opts.signal?.throwIfAborted();
  let web: ChildProcess | null = null;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (web && web.exitCode === null && web.signalCode === null) {
      const exited = new Promise((r) => web?.once("exit", r));
      web.kill("SIGTERM");
      await exited;
    }
    await database.stop();
  };
  try {
    checkpoint();
    const db = createDb(database.url);
    const admin = await adminCredentials(db, opts.stateDir, config);
    const secret = await persistentSecret(opts.stateDir, config);
    const url = `http://localhost:${opts.port}`;
    // A demo load that was cut short (Ctrl-C, a crash) is finished by the next start: shipping is
    // idempotent, so the nodes it already stored are not stored twice.
    const demoMarks = { started: join(opts.stateDir, "demo", "started"), loaded: join(opts.stateDir, "demo", "loaded") };
    const needsDemo =
      opts.demo !== null && !existsSync(demoMarks.loaded) && (existsSync(demoMarks.started) || (await db.node.count()) === 0);
    web = spawn(process.execPath, [join(repoRoot, "apps/web/node_modules/next/dist/bin/next"), "start", "-p", String(opts.port)], {
      cwd: join(repoRoot, "apps/web"),
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        NEXTAUTH_URL: url,
        NEXTAUTH_SECRET: secret,
        NODE_ENV: "production",
        NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    web.once("error", () => {}); // a failed spawn also ends in "exit", which waitForHealth reports
    web.stdout?.on("data", (d: Buffer) => {
      if (config.FLEETWATCH_VERBOSE) process.stdout.write(d);
      else for (const line of d.toString("utf8").split("\n")) if (JOB_LINE.test(line)) log(line);
    });
    web.stderr?.on("data", (d: Buffer) => process.stderr.write(d));
    const webProcess = web;
    const webDied = new Promise<string>((resolve) =>
      webProcess.once("exit", (code, signal) => {
        if (!stopping) resolve(`the web server ${howItEnded(code, signal)}`);
      }),
    );
    const died = Promise.race([webDied, database.exited.then((how) => `PostgreSQL ${how}`)]);
    await opts.onStarted?.({ web: web.pid, postgres: database.pid ?? undefined });
    await waitForHealth(url, web, opts.signal);
    if (needsDemo && opts.demo) {
      const started = Date.now();
      await mkdir(join(opts.stateDir, "demo"), { recursive: true });
      await writeFile(demoMarks.started, `${new Date().toISOString()}\n`);
      const summary = await loadDemoFleet({ db, url, stateDir: opts.stateDir, signal: opts.signal, ...opts.demo });
      await stageDemoExceptions(db, admin.email, lastClosedNight(0));
      await writeFile(demoMarks.loaded, `${new Date().toISOString()}\n`);
      log(
        `demo fleet: ${summary.nodes} nodes, ${summary.events} events shipped through the agent in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    checkpoint();
    // Judge at once rather than at the next 5-minute tick, so MISSED nights show from the start.
    const verdict = await runJudge(db);
    if (verdict.leader && verdict.missed + verdict.flagsRaised > 0) {
      log(`judge: ${verdict.missed} missed windows, ${verdict.severed} severed, ${verdict.flagsRaised} flags raised in ${verdict.ms} ms`);
    }
    await db.$disconnect();
    return { url, admin, demoLoaded: needsDemo, died, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function adminCredentials(db: ReturnType<typeof createDb>, stateDir: string, config: ServerConfig) {
  const email = config.FLEETWATCH_ADMIN_EMAIL;
  const passwordFile = join(stateDir, "admin-password");
  const password = config.FLEETWATCH_ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  const created = await ensureFirstAdmin(db, { email, password });
  if (created && !config.FLEETWATCH_ADMIN_PASSWORD) await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (created) return { email: created.email, password };
  const saved = existsSync(passwordFile) ? (await readFile(passwordFile, "utf8")).trim() : null;
  return { email, password: config.FLEETWATCH_ADMIN_PASSWORD ?? saved };
}

async function persistentSecret(stateDir: string, config: ServerConfig): Promise<string> {
  if (config.NEXTAUTH_SECRET) return config.NEXTAUTH_SECRET;
  const file = join(stateDir, "session-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** How a child process ended, in words a person can act on. */
export function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === "SIGKILL") return "was killed (SIGKILL: the system ran out of memory, or someone ran kill -9)";
  if (signal === "SIGABRT" || code === 134) return "crashed (abort: usually out of memory; its last output is above)";
  if (signal) return `was stopped by ${signal}`;
  return `exited with code ${code} (its last output is above)`;
}

async function waitForHealth(url: string, web: ChildProcess, signal?: AbortSignal, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (web.exitCode !== null || web.signalCode !== null)
      throw new Error(`the web server ${howItEnded(web.exitCode, web.signalCode)} before it answered on ${url}`);
    try {
      const res = await fetch(`${url}/api/trpc/fleet.health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server did not answer on ${url} within ${timeoutMs / 1000} s`);
}

export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer()
      .once("error", () => resolvePort(true))
      .once("listening", () => probe.close(() => resolvePort(false)))
      .listen(port);
  });
}

/** A port nobody listens on, for a stack of its own (tests). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
      .once("error", reject)
      .listen(0, () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolvePort(port));
      });
  });
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
