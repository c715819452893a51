import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../root";
import { batchOf, completedEvent, enrolledAgent, userCaller } from "../../testing";

// Bad filters are the person's mistake: 400 in one line, never a 500 with the query's text
// (issue 12, item 7: each of these answered 500 on 54a3296, and `_` matched every node).

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const { caller } = await enrolledAgent(t.db);
  await caller.ingest.batch(batchOf("m-list", "LAB_PC1", [completedEvent()]));
  const { caller: other } = await enrolledAgent(t.db);
  await other.ingest.batch(batchOf("m-list-2", "LABXPC2", [completedEvent()]));
  const { caller: third } = await enrolledAgent(t.db);
  await third.ingest.batch(batchOf("m-list-3", "DISCOUNT+1", [completedEvent()]));
});
afterAll(async () => t?.drop());

const viewer = async () => (await userCaller(t.db, "viewer")).caller;
const names = async (search: string) => (await (await viewer()).nodes.list({ search })).rows.map((r) => r.name);

async function badRequest(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe("BAD_REQUEST");
  return (error as TRPCError).message;
}

describe("the node list's filters", () => {
  it("search `_` and `%` literally, not as wildcards", async () => {
    expect(await names("_")).toEqual(["LAB_PC1"]);
    // No node name can hold a `%` (TSM's rule), so a literal `%` finds nothing; as a wildcard it found all.
    expect(await names("%")).toEqual([]);
    expect(await names("b_p")).toEqual(["LAB_PC1"]);
    expect((await names("lab")).sort()).toEqual(["LABXPC2", "LAB_PC1"]);
  });

  it("refuse a NUL in a search, and an unknown flag, with one line", async () => {
    const caller = await viewer();
    expect(await badRequest(caller.nodes.list({ search: "\u0000" }))).toBe("search: control characters are not allowed in a search");
    expect(await badRequest(caller.nodes.list({ flag: "' OR 1=1 --" as never }))).toMatch(/^flag: Invalid option: expected one of/);
    expect(await badRequest(caller.nodes.exportCsv({ owner: "a\u0000b" }))).toMatch(/^owner: control characters/);
  });
});

describe("an internal error", () => {
  it("reaches the caller as one line without the driver's text (the server's log has it)", () => {
    const shape = appRouter._def._config.errorFormatter({
      error: new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: 'invalid byte sequence for encoding "UTF8": 0x00 in SELECT "Node"."name"',
      }),
      type: "query",
      path: "nodes.list",
      input: undefined,
      ctx: undefined,
      shape: {
        message: 'invalid byte sequence for encoding "UTF8": 0x00 in SELECT "Node"."name"',
        code: -32603,
        data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500, path: "nodes.list" },
      },
    } as never) as { message: string; data: Record<string, unknown> };
    expect(shape.message).toBe("internal error: the server's log has the details");
    expect(JSON.stringify(shape)).not.toMatch(/SELECT|UTF8/);
  });
});
