import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { forgetPerProcess } from "./per-process";
import { createTestDatabase, type TestDatabase } from "./testing";

// Next.js bundles our packages into several server chunks, each with its own copy of every module.
// vi.resetModules() between imports gives the same: two instances of client.ts and sql.ts in one
// process. The first start with jobs on failed exactly here: the instrumentation chunk made the
// client, and a route handler's copy could not find its pool.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  forgetPerProcess("db.client");
});
afterAll(async () => {
  const { getDb } = await import("./client");
  await getDb(database.url).$disconnect();
  forgetPerProcess("db.client");
  await database.drop();
});

async function freshCopy() {
  vi.resetModules();
  const client = await import("./client");
  const sql = await import("./sql");
  return { ...client, ...sql };
}

describe("the process's database client, across bundled copies of the module", () => {
  it("is one client, whose pool every copy finds and queries through", async () => {
    const chunkA = await freshCopy();
    const chunkB = await freshCopy();
    expect(chunkA.getDb).not.toBe(chunkB.getDb);

    const made = chunkA.getDb(database.url);
    expect(chunkB.getDb(database.url)).toBe(made);
    expect(chunkB.poolOf(made)).toBe(chunkA.poolOf(made));
    const rows = await chunkB.sqlQuery<{ one: number }>(made, chunkB.Prisma.sql`SELECT 1 AS one`, { prepared: true });
    expect(rows).toEqual([{ one: 1 }]);
  });

  it("says so in one line when a client was not made by createDb", async () => {
    const { poolOf, PrismaClient } = await freshCopy();
    expect(() => poolOf({} as InstanceType<typeof PrismaClient>)).toThrow(/not made by createDb/);
  });
});
