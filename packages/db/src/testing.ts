import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "./client";
import { connectionError, DbSetupError } from "./errors";
import { applyMigrations, readMigrations } from "./migrate";

// Real databases for integration tests anywhere in the repo: each test (or file) gets its own,
// migrated, and drops it afterwards. Migrations run once per server into a template database;
// every test database is a `CREATE DATABASE ... TEMPLATE` copy of it, which takes milliseconds.

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  /** Disconnects `db` and drops the database. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** false: an empty database (for testing migrations themselves). Default true. */
  migrate?: boolean;
  migrationsDir?: string;
}

/** Where test databases are made: FLEETWATCH_TEST_PG_URL, else the DATABASE_URL server. */
export function testServerUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.FLEETWATCH_TEST_PG_URL?.trim() || env.DATABASE_URL?.trim();
  if (!url) {
    throw new DbSetupError(
      "no-test-server",
      'no PostgreSQL for tests: add globalSetup: ["@fleetwatch/db/testing-global-setup"] to vitest.config.ts, or set FLEETWATCH_TEST_PG_URL (or DATABASE_URL) to a server where databases can be created',
    );
  }
  return url;
}

export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const name = `fleetwatch_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const template = options.migrate === false ? undefined : await templateFor(serverUrl, options.migrationsDir);
  await withAdmin(serverUrl, (admin) =>
    retryWhileBusy(() => admin.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ""}`)),
  );
  const url = databaseUrl(serverUrl, name);
  const db = createDb(url);
  return {
    name,
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      await withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
    },
  };
}

/** `url` with its database swapped for `database`. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

const TEMPLATE_LOCK_KEY = 72707370; // Prisma Migrate's key + 1: ours, and close enough to find.
const templates = new Map<string, Promise<string>>();

/** The migrated template for this migration set, built once per server (workers wait for it). */
function templateFor(serverUrl: string, migrationsDir?: string): Promise<string> {
  const key = `${serverUrl}\n${migrationsDir ?? ""}`;
  let template = templates.get(key);
  if (!template) {
    template = buildTemplate(serverUrl, migrationsDir);
    template.catch(() => templates.delete(key));
    templates.set(key, template);
  }
  return template;
}

async function buildTemplate(serverUrl: string, migrationsDir?: string): Promise<string> {
  const migrations = await readMigrations(migrationsDir);
  // Named after the migrations' checksums, so changing a migration builds a fresh template.
  const hash = createHash("sha256");
  for (const m of migrations) hash.update(`${m.name}:${m.checksum}\n`);
  const template = `fleetwatch_tpl_${hash.digest("hex").slice(0, 12)}`;
  await withAdmin(serverUrl, async (admin) => {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (rowCount) return;
    // Build under another name and rename when done: a run killed halfway never leaves a
    // template that looks finished.
    const building = `${template}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${ident(building)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${ident(building)}`);
    await applyMigrations(databaseUrl(serverUrl, building), { migrationsDir });
    await retryWhileBusy(() => admin.query(`ALTER DATABASE ${ident(building)} RENAME TO ${ident(template)}`));
  });
  return template;
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    throw connectionError(err, url, "check FLEETWATCH_TEST_PG_URL / DATABASE_URL");
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {}); // Also releases the template lock.
  }
}

/**
 * A backend that just disconnected can linger for a moment, and PostgreSQL refuses to copy or
 * rename a database anyone is connected to (55006); wait for it briefly.
 */
async function retryWhileBusy<T>(action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (err) {
      if ((err as { code?: string }).code !== "55006" || attempt >= 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
