import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { connectionError, DbSetupError, describeUrl } from "./errors";
import { defaultMigrationsDir } from "./paths";

export { DbSetupError } from "./errors";

// The Prisma CLI cannot run `migrate` on these machines (its schema engine is a download), so
// this runner applies prisma/migrations itself and keeps `_prisma_migrations` exactly as Prisma
// Migrate does: same table, same checksums, same advisory lock. `prisma migrate deploy` run
// anywhere else then sees an up-to-date history and agrees.

/** Prisma Migrate's own advisory lock key, so this runner and `prisma migrate deploy` exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;
const LOCK_WAIT = "60s";

/** Prisma's DDL for its bookkeeping table, verbatim (schema-engine, postgres flavour). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export interface ApplyMigrationsOptions {
  /** Folder of `<timestamp>_<name>/migration.sql`; defaults to `<repo>/prisma/migrations`. */
  migrationsDir?: string;
  log?: (line: string) => void;
}

export interface LocalMigration {
  name: string;
  script: string;
  checksum: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
}

/** SHA-256 of the script, lowercase hex: what Prisma stores in `checksum`. */
export function checksumOf(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/** Like Prisma, a file that only changed its line endings (git on Windows) still matches. */
export function matchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replace(/\r\n/g, "\n"), script.replace(/\r?\n/g, "\r\n")];
  return variants.some((variant) => checksumOf(variant) === checksum);
}

/** The migration folders in the order Prisma applies them (by name), with their scripts. */
export async function readMigrations(dir: string = defaultMigrationsDir()): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err;
    throw new DbSetupError("migration-folder-invalid", `no migrations folder at ${dir}: check the path`);
  });
  const lock = await readFile(path.join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  const provider = lock?.match(/^\s*provider\s*=\s*"([^"]*)"/m)?.[1];
  if (provider !== undefined && provider !== "postgresql") {
    throw new DbSetupError(
      "migration-folder-invalid",
      `${dir} holds migrations for ${provider}, not postgresql (migration_lock.toml): use the PostgreSQL migrations`,
    );
  }
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      const script = await readFile(file, "utf8").catch(() => {
        throw new DbSetupError("migration-folder-invalid", `${file} is missing: every migration folder needs one`);
      });
      return { name, script, checksum: checksumOf(script) };
    }),
  );
}

/**
 * Applies the migrations the database has not seen yet, each in its own transaction, and
 * returns their names (empty when up to date). Throws DbSetupError for anything a person must fix.
 */
export async function applyMigrations(url: string, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  refuseOtherSchema(url);
  const migrations = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: url });
  // A server that goes away mid-run fails the pending query; without a listener the same
  // event would also crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    throw connectionError(err, url);
  }
  try {
    await takeLock(client, url);
    await ensureHistoryTable(client, url);
    const { rows } = await client.query<MigrationRow>(
      "SELECT migration_name, checksum, finished_at, rolled_back_at, started_at, logs FROM _prisma_migrations ORDER BY started_at",
    );
    refuseBrokenHistory(rows, migrations, url);
    const done = new Set(rows.filter((r) => r.rolled_back_at === null).map((r) => r.migration_name));
    const applied: string[] = [];
    for (const migration of migrations.filter((m) => !done.has(m.name))) {
      await applyOne(client, migration);
      options.log?.(`applied migration ${migration.name}`);
      applied.push(migration.name);
    }
    return applied;
  } finally {
    // Ending the session also releases the advisory lock.
    await client.end().catch(() => {});
  }
}

/**
 * Prisma-style URLs may name a schema (`?schema=x`); node-postgres ignores that, so tables would
 * silently land in "public" while Prisma's CLI looked in x. Only the default schema is supported.
 */
function refuseOtherSchema(url: string): void {
  let schema: string | null = null;
  try {
    schema = new URL(url).searchParams.get("schema");
  } catch {
    return; // not a URL pg can use either; connecting will say so
  }
  if (schema && schema !== "public") {
    throw new DbSetupError(
      "bad-config",
      `${describeUrl(url)} asks for schema "${schema}", but Fleetwatch keeps its tables in "public": remove ?schema=${schema} from DATABASE_URL`,
    );
  }
}

async function takeLock(client: pg.Client, url: string): Promise<void> {
  await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
  } catch (err) {
    if ((err as { code?: string }).code !== "55P03") throw err;
    throw new DbSetupError(
      "migration-lock-timeout",
      `another process has held the migration lock on ${describeUrl(url)} for over ${LOCK_WAIT} (a second start, or a stuck prisma migrate?): stop it and try again`,
    );
  }
  await client.query("RESET lock_timeout");
}

async function ensureHistoryTable(client: pg.Client, url: string): Promise<void> {
  const { rows } = await client.query<{ tables: string[] }>(
    `SELECT coalesce(array_agg(c.relname::text), '{}') AS tables FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')`,
  );
  const tables = rows[0]?.tables ?? [];
  if (tables.includes("_prisma_migrations")) return;
  // Same rule as Prisma (P3005): never start a history on top of tables it did not create.
  if (tables.length > 0) {
    throw new DbSetupError(
      "not-empty",
      `${describeUrl(url)} already has tables (${tables.slice(0, 3).join(", ")}${tables.length > 3 ? ", ..." : ""}) but no Prisma migration history: point DATABASE_URL at an empty database`,
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

function refuseBrokenHistory(rows: MigrationRow[], migrations: LocalMigration[], url: string): void {
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    const lines = failed.logs?.trim().split("\n") ?? [];
    const why = lines.find((l) => l.startsWith("ERROR:")) ?? (lines.at(-1) || "no logs recorded");
    throw new DbSetupError(
      "migration-failed-earlier",
      `migration ${failed.migration_name} failed earlier on ${describeUrl(url)} (${why}) and may be half-applied: repair the database, then mark it rolled back (prisma migrate resolve --rolled-back ${failed.migration_name}, or UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${failed.migration_name}')`,
    );
  }
  const local = new Map(migrations.map((m) => [m.name, m]));
  for (const row of rows) {
    const file = local.get(row.migration_name);
    if (row.rolled_back_at === null && file && !matchesChecksum(file.script, row.checksum)) {
      throw new DbSetupError(
        "migration-modified",
        `migration ${row.migration_name} was changed after it was applied to ${describeUrl(url)} (checksum differs): restore its migration.sql (git checkout) and put the change in a new migration`,
      );
    }
  }
}

async function applyOne(client: pg.Client, migration: LocalMigration): Promise<void> {
  const id = randomUUID();
  try {
    await client.query("BEGIN");
    // clock_timestamp(), not now(): now() is frozen at BEGIN and would make started_at == finished_at.
    await client.query("INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, clock_timestamp(), $3)", [
      id,
      migration.checksum,
      migration.name,
    ]);
    await client.query(migration.script);
    await client.query(
      "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1",
      [id],
    );
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    // Keep the attempt and its error in the history, marked rolled back because PostgreSQL did
    // roll it back: the next start retries it, and `prisma migrate deploy` reads it the same way.
    await client
      .query(
        `INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, logs, rolled_back_at)
         VALUES ($1, $2, clock_timestamp(), $3, $4, clock_timestamp())`,
        [id, migration.checksum, migration.name, prismaStyleLogs(err)],
      )
      .catch(() => {});
    const reason = (err as Error).message.split("\n")[0];
    throw new DbSetupError(
      "migration-failed",
      `migration ${migration.name} failed and nothing of it was applied (${reason}): fix prisma/migrations/${migration.name}/migration.sql and start again`,
      { cause: err },
    );
  }
}

/** The shape of Prisma's `logs` for a failed script, so the row reads the same either way. */
function prismaStyleLogs(err: unknown): string {
  const e = err as { code?: string; message?: string; position?: string };
  const position = e.position ? `\n\nPosition: ${e.position}` : "";
  return `Database error code: ${e.code ?? "unknown"}\n\nDatabase error:\nERROR: ${e.message ?? String(err)}${position}`;
}
