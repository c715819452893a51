import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded";
import { connectionError, DbSetupError } from "./errors";
import { applyMigrations } from "./migrate";
import { repoRoot } from "./paths";

export { DbSetupError } from "./errors";

export const DEFAULT_PG_PORT = 54329;
const DATABASE = "fleetwatch";

export interface EnsureDatabaseOptions {
  /** Environment to read DATABASE_URL, FLEETWATCH_PG_PORT and FLEETWATCH_PG_DIR from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Embedded server's data folder (default: FLEETWATCH_PG_DIR, else `<repo>/.fleetwatch/pg`). */
  dataDir?: string;
  /**
   * `dataDir` is a default, not the person's choice: as root behind a private folder, PostgreSQL
   * may keep its data where the postgres user can reach it instead (postgres-place.ts).
   */
  movableDataDir?: boolean;
  /** Embedded server's port (default: FLEETWATCH_PG_PORT, else 54329). */
  port?: number;
  migrationsDir?: string;
  /** Progress lines ("starting PostgreSQL ...", "applied migration ..."). */
  log?: (line: string) => void;
}

export interface DatabaseHandle {
  url: string;
  /** True when this call started PostgreSQL, false when DATABASE_URL pointed elsewhere. */
  embedded: boolean;
  /** Migrations this call applied. */
  applied: string[];
  /** Stops the embedded server (a no-op for DATABASE_URL). Safe to call twice. */
  stop(): Promise<void>;
  /** The embedded server's process id (null for DATABASE_URL). */
  pid: number | null;
  /** Resolves when the embedded server exits without stop(), saying how; never for DATABASE_URL. */
  exited: Promise<string>;
}

/**
 * A migrated database, ready to use. With DATABASE_URL set it only migrates that database;
 * otherwise it starts the embedded PostgreSQL (data kept between runs), creates the
 * `fleetwatch` database when missing and migrates it. Failures a person can fix are
 * DbSetupError with a one-line message.
 */
export async function ensureDatabase(options: EnsureDatabaseOptions = {}): Promise<DatabaseHandle> {
  const env = options.env ?? process.env;
  const migrate = (url: string) => applyMigrations(url, { migrationsDir: options.migrationsDir, log: options.log });

  const external = env.DATABASE_URL?.trim();
  if (external) {
    const never = new Promise<string>(() => {});
    return { url: external, embedded: false, applied: await migrate(external), stop: async () => {}, pid: null, exited: never };
  }

  const port = options.port ?? parsePort(env.FLEETWATCH_PG_PORT, "FLEETWATCH_PG_PORT", DEFAULT_PG_PORT);
  const chosen = options.dataDir ?? env.FLEETWATCH_PG_DIR;
  const dataDir = path.resolve(chosen ?? path.join(repoRoot(), ".fleetwatch", "pg"));
  const movable = options.movableDataDir ?? chosen === undefined;
  const server = await startEmbeddedPostgres({ dataDir, port, movable, log: options.log });
  options.log?.(`started PostgreSQL on port ${port} (data in ${server.dataDir})`);
  try {
    await createDatabaseIfMissing(server.url("postgres"), DATABASE);
    const url = server.url(DATABASE);
    return { url, embedded: true, applied: await migrate(url), stop: server.stop, pid: server.pid, exited: server.exited };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

export interface StopOnSignalsOptions {
  /** The app's own shutdown (close servers, flush), run before the database stops. */
  before?: () => unknown;
  signals?: NodeJS.Signals[];
  /** Exit with 128+signal once stopped (default true), so nothing left open keeps the process alive. */
  exit?: boolean;
}

/**
 * On SIGINT/SIGTERM: run `before`, stop the database, then exit. A second signal while that
 * runs exits at once (the exit hook still sends postgres its shutdown signal).
 * Returns a function that removes the handlers.
 */
export function stopOnSignals(handle: Pick<DatabaseHandle, "stop">, options: StopOnSignalsOptions = {}): () => void {
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1);
    if (stopping) process.exit(code);
    stopping = true;
    void (async () => {
      try {
        await options.before?.();
      } finally {
        await handle.stop();
      }
    })()
      .catch((err: unknown) => console.error(err instanceof DbSetupError ? err.message : err))
      .finally(() => {
        if (options.exit ?? true) process.exit(code);
      });
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
}

/** A port setting (`PORT`, `FLEETWATCH_PG_PORT`): unset is `fallback`; anything else must be a port. */
export function parsePort(value: string | undefined, setting: string, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DbSetupError("bad-config", `${setting} must be a port number (1-65535), not "${value}": fix or unset it`);
  }
  return port;
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    throw connectionError(err, adminUrl, "the embedded server did not accept connections");
  }
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end().catch(() => {});
  }
}
