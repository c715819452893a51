import { forgetPerProcess } from "@fleetwatch/db/per-process";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The web server's chunks each get their own copy of these modules (see db/per-process.ts); what
// must exist once per process has to be one however many copies ask for it.

let database: TestDatabase;
const saved = { url: process.env.DATABASE_URL, limit: process.env.FLEETWATCH_AGENT_REQUESTS_PER_MINUTE };

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.FLEETWATCH_AGENT_REQUESTS_PER_MINUTE = "60";
  for (const name of ["db.client", "api.server-config", "api.agent-limiter", "api.server-jobs"]) forgetPerProcess(name);
});
afterAll(async () => {
  const { getDb } = await import("@fleetwatch/db/client");
  await getDb(database.url).$disconnect();
  for (const name of ["db.client", "api.server-config", "api.agent-limiter", "api.server-jobs"]) forgetPerProcess(name);
  process.env.DATABASE_URL = saved.url;
  process.env.FLEETWATCH_AGENT_REQUESTS_PER_MINUTE = saved.limit;
  await database.drop();
});

async function freshCopy() {
  vi.resetModules();
  return { ...(await import("./server")), ...(await import("./server-jobs")) };
}

describe("an app process's state, across bundled copies of the api", () => {
  it("one agent rate limiter, so the limit is per process and not per route", async () => {
    const [a, b] = [await freshCopy(), await freshCopy()];
    expect(a.createRequestContext).not.toBe(b.createRequestContext);
    const limiterA = (await a.createRequestContext({ authorization: null, user: null })).agentLimiter;
    const limiterB = (await b.createRequestContext({ authorization: null, user: null })).agentLimiter;
    expect(limiterA).toBeDefined();
    expect(limiterB).toBe(limiterA);
  });

  it("the background jobs start once, and a request in another copy reaches the same database", async () => {
    const [a, b] = [await freshCopy(), await freshCopy()];
    const jobs = a.startServerJobs();
    try {
      expect(b.startServerJobs()).toBe(jobs);
      // What the first start with jobs on broke: the jobs' copy made the client, a route's copy used it.
      // An agent's token is looked up on the hot path (db/sql.ts, on the client's own pool).
      const ctx = await b.createRequestContext({ authorization: "Bearer fwa_unknown", user: null });
      expect(ctx.caller).toEqual({ kind: "anonymous" });
    } finally {
      jobs.stop();
    }
  });
});
