import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@fleetwatch/db/client";
import { type DatabaseHandle, ensureDatabase } from "@fleetwatch/db/ensure";
import type { AnyTRPCRouter } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "../src/context";
import { appRouter } from "../src/root";

// The bench's own world: a throwaway embedded PostgreSQL with the durable settings `pnpm start`
// uses (fsync on: commits cost what they cost in production), and the API served over node:http
// the way Next.js serves it (a Fetch Request in, a Fetch Response out).

export interface BenchDatabase {
  url: string;
  dataDir: string;
  db: Db;
  stop(): Promise<void>;
}

export async function startDatabase(log: (line: string) => void, opts: { statements?: boolean } = {}): Promise<BenchDatabase> {
  const base = await mkdtemp(path.join(os.tmpdir(), "fleetwatch-bench-pg-"));
  // mkdtemp makes it private; as root, PostgreSQL runs as user postgres and must get in.
  await chmod(base, 0o755);
  try {
    const dataDir = path.join(base, "data");
    const port = await freePort();
    // env: {} so a DATABASE_URL in the shell never points the bench at real data.
    let handle = await ensureDatabase({ env: {}, dataDir, port, log });
    if (opts.statements) handle = await withStatementStats(handle, () => ensureDatabase({ env: {}, dataDir, port, log }));
    const db = createDb(handle.url);
    return {
      url: handle.url,
      dataDir,
      db,
      stop: async () => {
        await db.$disconnect();
        await handle.stop();
        await rm(base, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(base, { recursive: true, force: true });
    throw err;
  }
}

/** Restart with pg_stat_statements loaded (planning time included), for --statements. */
async function withStatementStats(handle: DatabaseHandle, restart: () => Promise<DatabaseHandle>): Promise<DatabaseHandle> {
  const pg = createPgPool(handle.url, 1);
  await pg.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
  await pg.query("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
  await pg.end();
  await handle.stop();
  const restarted = await restart();
  const again = createPgPool(restarted.url, 1);
  await again.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await again.end();
  return restarted;
}

/** The statements that took the most time since the last reset, then reset (needs --statements). */
export async function topStatements(pg: PgPool, limit: number): Promise<string[]> {
  const { rows } = await pg.query<{ calls: string; plan: number; exec: number; query: string }>(
    `SELECT calls, total_plan_time AS plan, total_exec_time AS exec, query FROM pg_stat_statements
      ORDER BY total_plan_time + total_exec_time DESC LIMIT $1`,
    [limit],
  );
  await pg.query("SELECT pg_stat_statements_reset()");
  return rows.map(
    (r) =>
      `${String(r.calls).padStart(7)} calls  plan ${(r.plan / Number(r.calls)).toFixed(3)} ms  exec ${(r.exec / Number(r.calls)).toFixed(3)} ms  ${r.query.replace(/\s+/g, " ").slice(0, 110)}`,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface BenchServer {
  /** Base URL of the tRPC endpoint, e.g. http://127.0.0.1:1234/api/trpc */
  url: string;
  close(): Promise<void>;
}

/**
 * appRouter (or another router, for the transport floor) at /api/trpc behind node:http, with the
 * request context the web app builds for agents.
 */
export async function serveApi(db: Db, router: AnyTRPCRouter = appRouter): Promise<BenchServer> {
  const server = createServer((req, res) => {
    handle(db, router, req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/trpc`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function handle(db: Db, router: AnyTRPCRouter, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
  });
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router,
    createContext: () => createContext({ db, authorization: request.headers.get("authorization"), user: null }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`trpc ${path ?? "?"}: ${error.message}`);
    },
  });
  res.statusCode = response.status;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** The slice of node-postgres the bench uses (baseline and bulk set-up). */
export interface PgPool {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
  end(): Promise<void>;
  on(event: "error", listener: (err: Error) => void): void;
}

/**
 * node-postgres, for the raw-SQL baseline and the judge's bulk set-up. It is @fleetwatch/db's
 * dependency, not ours: resolved from there until packages/api lists `pg` as a dev dependency.
 */
export function createPgPool(url: string, max: number): PgPool {
  const require = createRequire(import.meta.resolve("@fleetwatch/db/ensure"));
  const pg = require("pg") as { Pool: new (config: { connectionString: string; max: number; idleTimeoutMillis: number }) => PgPool };
  // Connections stay open while idle: the judge's loader keeps a temp table on its one connection.
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 0 });
  // pool.end() resolves before its connections have closed; one still closing when the server
  // stops reports it as an error on the pool. Not news.
  pool.on("error", () => {});
  return pool;
}

/** A bench's command line: `--quick` (the CI size), `--name N` whole-number options and `--name TEXT` ones. */
export function benchArgs(args: string[]) {
  const text = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
  };
  const option = (name: string, fallback: number) => {
    const value = args.includes(`--${name}`) ? Number(text(name, "")) : fallback;
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive whole number`);
    return value;
  };
  return { args, quick: args.includes("--quick"), option, text };
}
