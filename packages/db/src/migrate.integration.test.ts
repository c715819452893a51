import { createHash } from "node:crypto";
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DbSetupError } from "./errors";
import { applyMigrations, readMigrations } from "./migrate";
import { defaultMigrationsDir } from "./paths";
import { createTestDatabase, type TestDatabase } from "./testing";

// Every test gets an empty database and, where it edits migrations, its own copy of the folder.

let scratch: string;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "fleetwatch-migrate-test-"));
});
afterEach(async () => {
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function emptyDatabase(): Promise<TestDatabase> {
  const d = await createTestDatabase({ migrate: false });
  databases.push(d);
  return d;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, "migrations-"));
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function rejection(promise: Promise<unknown>): Promise<DbSetupError> {
  const err = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DbSetupError);
  return err as DbSetupError;
}

describe("applyMigrations", () => {
  it("applies every migration once, and nothing on the next run", async () => {
    const { url } = await emptyDatabase();
    const names = (await readMigrations()).map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);

    expect(await applyMigrations(url)).toEqual(names);
    expect(await applyMigrations(url)).toEqual([]);
    const rows = await query<{ migration_name: string }>(url, "SELECT migration_name FROM _prisma_migrations");
    expect(rows.map((r) => r.migration_name).sort()).toEqual(names);
  });

  it("keeps _prisma_migrations exactly as Prisma Migrate does", async () => {
    const { url } = await emptyDatabase();
    await applyMigrations(url);

    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
       FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", length: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", length: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", length: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", length: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", length: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", length: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", length: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", length: null, is_nullable: "NO", column_default: "0" },
    ]);

    const [migration] = await readMigrations();
    const file = await readFile(path.join(defaultMigrationsDir(), migration?.name ?? "", "migration.sql"));
    const [row] = await query(url, "SELECT * FROM _prisma_migrations");
    expect(row).toMatchObject({
      migration_name: migration?.name,
      checksum: createHash("sha256").update(file).digest("hex"),
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(row?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row?.finished_at.getTime()).toBeGreaterThanOrEqual(row?.started_at.getTime());
  });

  it("lets concurrent starts race without applying anything twice", async () => {
    const { url } = await emptyDatabase();
    const results = await Promise.all(Array.from({ length: 5 }, () => applyMigrations(url)));

    const names = (await readMigrations()).map((m) => m.name);
    expect(results.filter((applied) => applied.length > 0)).toEqual([names]);
    const rows = await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM _prisma_migrations");
    expect(rows[0]?.n).toBe(names.length);
  });

  it("refuses a migration whose file changed after it was applied", async () => {
    const { url } = await emptyDatabase();
    const dir = await copyOfMigrations();
    const [first] = await readMigrations(dir);
    await applyMigrations(url, { migrationsDir: dir });
    await appendFile(path.join(dir, first?.name ?? "", "migration.sql"), "\n-- an edit after the fact\n");

    const err = await rejection(applyMigrations(url, { migrationsDir: dir }));
    expect(err.code).toBe("migration-modified");
    expect(err.message).toContain(first?.name);
    expect(err.message).not.toContain("\n");
  });

  it("accepts the same file with Windows line endings, as Prisma does", async () => {
    const { url } = await emptyDatabase();
    const dir = await copyOfMigrations();
    const [first] = await readMigrations(dir);
    await applyMigrations(url, { migrationsDir: dir });
    const file = path.join(dir, first?.name ?? "", "migration.sql");
    await writeFile(file, (await readFile(file, "utf8")).replace(/\n/g, "\r\n"));

    expect(await applyMigrations(url, { migrationsDir: dir })).toEqual([]);
  });

  it("rolls a failing migration back completely, records it, and applies the fixed one", async () => {
    const { url } = await emptyDatabase();
    const dir = await copyOfMigrations();
    const broken = path.join(dir, "99990101000000_broken");
    await mkdir(broken);
    await writeFile(path.join(broken, "migration.sql"), 'CREATE TABLE "Extra" ("id" INTEGER);\nSELECT no_such_function();\n');

    const err = await rejection(applyMigrations(url, { migrationsDir: dir }));
    expect(err.code).toBe("migration-failed");
    expect(err.message).toMatch(
      /99990101000000_broken failed and nothing of it was applied \(function no_such_function\(\) does not exist\)/,
    );
    const extra = await query(url, `SELECT to_regclass('"Extra"') AS t`);
    expect(extra[0]?.t).toBeNull();
    const [attempt] = await query(url, "SELECT * FROM _prisma_migrations WHERE migration_name = '99990101000000_broken'");
    expect(attempt).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(attempt?.rolled_back_at).toBeInstanceOf(Date);
    expect(attempt?.logs).toContain("Database error code: 42883");

    await writeFile(path.join(broken, "migration.sql"), 'CREATE TABLE "Extra" ("id" INTEGER);\n');
    expect(await applyMigrations(url, { migrationsDir: dir })).toEqual(["99990101000000_broken"]);
  });

  it("refuses to go on after a migration that failed earlier (e.g. under prisma migrate deploy)", async () => {
    const { url } = await emptyDatabase();
    await applyMigrations(url);
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs)
       VALUES ('00000000-0000-4000-8000-000000000000', 'x', '99990101000000_half', 'Database error code: 42P07\n\nDatabase error:\nERROR: relation "Extra" already exists')`,
    );

    const err = await rejection(applyMigrations(url));
    expect(err.code).toBe("migration-failed-earlier");
    expect(err.message).toContain("99990101000000_half failed earlier");
    expect(err.message).toContain('ERROR: relation "Extra" already exists');
    expect(err.message).toContain("rolled_back_at = now()");
    expect(err.message).not.toContain("\n");
  });

  it("will not start a history in a database that already has tables", async () => {
    const { url } = await emptyDatabase();
    await query(url, "CREATE TABLE legacy (id int)");

    const err = await rejection(applyMigrations(url));
    expect(err.code).toBe("not-empty");
    expect(err.message).toContain("legacy");
  });

  it("explains a server it cannot reach in one line", async () => {
    const err = await rejection(applyMigrations("postgresql://postgres:x@127.0.0.1:1/fleetwatch"));
    expect(err.code).toBe("connection-failed");
    expect(err.message).toBe("cannot reach PostgreSQL at 127.0.0.1:1/fleetwatch (ECONNREFUSED): is the server running? check DATABASE_URL");
  });
});
