import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, Prisma } from "./client";
import { prismaSql, sqlQuery, sqlTransaction } from "./sql";
import { createTestDatabase, type TestDatabase } from "./testing";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const settingCount = async () =>
  Number((await sqlQuery<{ n: number }>(database.db, Prisma.sql`SELECT count(*)::int AS n FROM "Setting"`))[0]?.n);

describe("sqlTransaction", () => {
  it("commits what the work wrote when it returns, and Prisma reads it", async () => {
    const answer = await sqlTransaction(database.db, async (sql) => {
      await sql.query(Prisma.sql`INSERT INTO "Setting" (key, value) VALUES (${"a"}, ${JSON.stringify(1)}::jsonb)`);
      const [row] = await sql.query<{ key: string }>(Prisma.sql`SELECT key FROM "Setting" WHERE key = ${"a"}`, { prepared: true });
      return row?.key;
    });
    expect(answer).toBe("a");
    expect(await database.db.setting.findUnique({ where: { key: "a" } })).not.toBeNull();
  });

  it("rolls everything back when the work throws, and hands the error on", async () => {
    const before = await settingCount();
    await expect(
      sqlTransaction(database.db, async (sql) => {
        await sql.query(Prisma.sql`INSERT INTO "Setting" (key, value) VALUES (${"b"}, ${JSON.stringify(2)}::jsonb)`);
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await settingCount()).toBe(before);
  });

  it("rolls back a statement PostgreSQL refuses, and the pool stays usable", async () => {
    const before = await settingCount();
    await expect(
      sqlTransaction(database.db, async (sql) => {
        await sql.query(Prisma.sql`INSERT INTO "Setting" (key, value) VALUES (${"c"}, ${JSON.stringify(3)}::jsonb)`);
        await sql.query(Prisma.sql`INSERT INTO "Setting" (key, value) VALUES (${"c"}, ${JSON.stringify(4)}::jsonb)`);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await settingCount()).toBe(before);
    // More transactions than the pool has connections: none was left broken or checked out.
    for (let i = 0; i < 25; i++) await sqlTransaction(database.db, (sql) => sql.query(Prisma.sql`SELECT 1`, { prepared: true }));
  });

  it("cancels a statement past the transaction's timeout, and rolls back", async () => {
    const before = await settingCount();
    await expect(
      sqlTransaction(
        database.db,
        async (sql) => {
          await sql.query(Prisma.sql`INSERT INTO "Setting" (key, value) VALUES (${"d"}, ${JSON.stringify(5)}::jsonb)`);
          await sql.query(Prisma.sql`SELECT pg_sleep(5)`);
        },
        { statementTimeoutMs: 100 },
      ),
    ).rejects.toThrow(/statement timeout/);
    expect(await settingCount()).toBe(before);
  });
});

describe("prepared statements", () => {
  it("reuse one server-side statement per text, whatever the values", async () => {
    const statement = (n: number) => Prisma.sql`SELECT ${n}::int + 1 AS n, pg_backend_pid() AS pid`;
    const answers = await sqlTransaction(database.db, async (sql) => {
      const rows = [];
      for (const n of [1, 2, 3]) rows.push(...(await sql.query<{ n: number }>(statement(n), { prepared: true })));
      const [prepared] = await sql.query<{ count: number }>(
        Prisma.sql`SELECT count(*)::int AS count FROM pg_prepared_statements WHERE statement LIKE ${"%::int + 1 AS n%"}`,
      );
      return { rows: rows.map((r) => r.n), prepared: prepared?.count };
    });
    expect(answers).toEqual({ rows: [2, 3, 4], prepared: 1 });
  });
});

describe("prismaSql", () => {
  it("runs the same statements inside a Prisma transaction", async () => {
    const [row] = await database.db.$transaction((tx) => prismaSql(tx).query<{ n: number }>(Prisma.sql`SELECT ${41}::int + 1 AS n`));
    expect(row?.n).toBe(42);
  });
});

describe("the pool", () => {
  it("survives the server closing its idle connections: the next query opens a new one", async () => {
    // A client Prisma has not used yet: Prisma's adapter listens to the pool only once it connects.
    const db = createDb(database.url);
    await sqlQuery(db, Prisma.sql`SELECT 1`);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const { rows } = await admin.query(
      "SELECT pg_terminate_backend(pid) AS gone FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    await admin.end();
    expect(rows.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [row] = await sqlQuery<{ n: number }>(db, Prisma.sql`SELECT 1 AS n`);
    expect(row?.n).toBe(1);
    await db.$disconnect();
  });
});
