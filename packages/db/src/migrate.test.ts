import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checksumOf, matchesChecksum, readMigrations } from "./migrate";

// The file side of the runner, no database needed.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "fleetwatch-migrations-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function migration(name: string, sql: string) {
  await mkdir(path.join(dir, name));
  await writeFile(path.join(dir, name, "migration.sql"), sql);
}

describe("readMigrations", () => {
  it("lists migration folders in name order with the checksum Prisma stores", async () => {
    await migration("20260102000000_second", "SELECT 2;\n");
    await migration("20260101000000_first", "SELECT 1;\n");
    await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');

    const migrations = await readMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual(["20260101000000_first", "20260102000000_second"]);
    // sha256 of "SELECT 1;\n", as `sha256sum` prints it
    expect(migrations[0]?.checksum).toBe("b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd");
  });

  it("refuses a folder without migration.sql, a missing folder, and another provider's migrations", async () => {
    await mkdir(path.join(dir, "20260101000000_empty"));
    await expect(readMigrations(dir)).rejects.toMatchObject({ code: "migration-folder-invalid" });
    await expect(readMigrations(path.join(dir, "nope"))).rejects.toMatchObject({ code: "migration-folder-invalid" });

    await rm(path.join(dir, "20260101000000_empty"), { recursive: true });
    await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "sqlite"\n');
    await expect(readMigrations(dir)).rejects.toThrow(/holds migrations for sqlite, not postgresql/);
  });
});

describe("matchesChecksum", () => {
  it("matches the same script with other line endings, and nothing else", () => {
    const unix = "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n";
    const checksum = checksumOf(unix);
    expect(matchesChecksum(unix.replace(/\n/g, "\r\n"), checksum)).toBe(true);
    expect(matchesChecksum(unix, checksumOf(unix.replace(/\n/g, "\r\n")))).toBe(true);
    expect(matchesChecksum(`${unix}-- edited\n`, checksum)).toBe(false);
  });
});
