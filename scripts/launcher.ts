import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { join, resolve } from "node:path";
import { ensureFirstAdmin, serverNodeOptions } from "@fleetwatch/api";
import { runJudge } from "@fleetwatch/api/jobs";
import { createDb } from "@fleetwatch/db/client";
import { ensureDatabase } from "@fleetwatch/db/ensure";
import { loadDemoFleet } from "./demo-loader";

export const repoRoot = resolve(import.meta.dirname, "..");

export interface LaunchOptions {
  port: number;
  /** Folder for this stack's state: secrets, the admin password, embedded PostgreSQL data. */
  stateDir: string;
  pgPort?: number;
  demo: { nodes: number; nights: number } | null;
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  admin: { email: string; password: string | null };
  demoLoaded: boolean;
  stop(): Promise<void>;
}

/** Start the product: database (embedded unless DATABASE_URL), migrations, admin, web, demo fleet. */
export async function launch(opts: LaunchOptions): Promise<Stack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  await mkdir(opts.stateDir, { recursive: true });
  // FLEETWATCH_PG_DIR (ensureDatabase reads it) wins over the state folder for the data.
  const dataDir = process.env.FLEETWATCH_PG_DIR ? undefined : join(opts.stateDir, "pg");
  const database = await ensureDatabase({ dataDir, port: opts.pgPort });
  log(database.embedded ? `database: embedded PostgreSQL at ${redact(database.url)}` : `database: ${redact(database.url)}`);
  let web: ChildProcess | null = null;
  const stop = async () => {
    if (web && web.exitCode === null) {
      web.kill("SIGTERM");
      await new Promise((r) => web?.once("exit", r));
    }
    await database.stop();
  };
  try {
    const db = createDb(database.url);
    const admin = await adminCredentials(db, opts.stateDir);
    const secret = await persistentSecret(opts.stateDir);
    const url = `http://localhost:${opts.port}`;
    const needsDemo = opts.demo !== null && (await db.node.count()) === 0;
    if (await portTaken(opts.port)) throw new Error(`port ${opts.port} is in use: stop what listens there, or set PORT to another port`);
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
    web.stdout?.on("data", (d: Buffer) => process.env.FLEETWATCH_VERBOSE && process.stdout.write(d));
    web.stderr?.on("data", (d: Buffer) => process.stderr.write(d));
    await waitForHealth(url, web);
    if (needsDemo && opts.demo) {
      const started = Date.now();
      const summary = await loadDemoFleet({ db, url, stateDir: opts.stateDir, ...opts.demo });
      log(
        `demo fleet: ${summary.nodes} nodes, ${summary.events} events shipped through the agent in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    // Judge at once rather than at the next 5-minute tick, so MISSED nights show from the start.
    const verdict = await runJudge(db);
    if (verdict.leader && verdict.missed + verdict.flagsRaised > 0) {
      log(`judge: ${verdict.missed} missed windows, ${verdict.severed} severed, ${verdict.flagsRaised} flags raised in ${verdict.ms} ms`);
    }
    await db.$disconnect();
    return { url, admin, demoLoaded: needsDemo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function adminCredentials(db: ReturnType<typeof createDb>, stateDir: string) {
  const email = process.env.FLEETWATCH_ADMIN_EMAIL ?? "admin@fleetwatch.local";
  const passwordFile = join(stateDir, "admin-password");
  const password = process.env.FLEETWATCH_ADMIN_PASSWORD ?? randomBytes(12).toString("base64url");
  const created = await ensureFirstAdmin(db, { email, password });
  if (created && !process.env.FLEETWATCH_ADMIN_PASSWORD) await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (created) return { email: created.email, password };
  const saved = existsSync(passwordFile) ? (await readFile(passwordFile, "utf8")).trim() : null;
  return { email, password: process.env.FLEETWATCH_ADMIN_PASSWORD ?? saved };
}

async function persistentSecret(stateDir: string): Promise<string> {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = join(stateDir, "session-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function waitForHealth(url: string, web: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (web.exitCode !== null)
      throw new Error(`the web server exited with code ${web.exitCode}; run \`pnpm build\` and look at its output`);
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

function portTaken(port: number): Promise<boolean> {
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
