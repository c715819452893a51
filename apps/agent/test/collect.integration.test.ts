import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli-main";
import { FakeDsmadmc } from "../src/testing/fake-dsmadmc";
import { writeServerTables } from "../src/testing/server-tables";
import { startTestServer, type TestServer } from "./api-server";
import { AgentFixture } from "./fixture";

const PASSWORD = 'Coll3ctor pw, with "quotes"';

/**
 * `fleetwatch-agent collect --once`, the real command, with a fake dsmadmc that answers from
 * canned tables, against the real API over HTTP and a real PostgreSQL: what the TSM server said
 * is what Fleetwatch stores.
 */
describe("fleetwatch-agent collect --once against the server", () => {
  let t: TestDatabase;
  let server: TestServer;
  let fake: FakeDsmadmc;
  const agents: AgentFixture[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startTestServer(t.db);
    fake = await FakeDsmadmc.create(PASSWORD);
    await writeServerTables(fake, {
      badNodeRow: true,
      events: [
        {
          SCHEDULED_START: "2026-11-20 21:00:00.000000",
          DOMAIN_NAME: "STANDARD",
          SCHEDULE_NAME: "WEEKDAILY_OUCS",
          NODE_NAME: "ENG-PC031",
          STATUS: "Missed",
        },
      ],
    });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.cleanup();
    for (const a of agents) await a.cleanup();
    await t?.drop();
  });

  /** An enrolled agent with a collector section in its config, on a machine with no node of its own. */
  async function agent(opts: { collector: boolean }) {
    const f = await AgentFixture.create({ nodes: [], nights: 0, seed: 1 });
    agents.push(f);
    await f.enroll(t.db, server.url, opts);
    const pw = join(f.root, "tsm-admin.pw");
    await writeFile(pw, `${PASSWORD}\n`, { mode: 0o600 });
    await mkdir(f.root, { recursive: true });
    const config = join(f.root, "cfg.json");
    await writeFile(
      config,
      JSON.stringify({
        discover: false,
        stateDir: f.stateDir,
        requestTimeoutSeconds: 30,
        collector: { dsmadmc: fake.path, stanza: "TSM1", adminId: "FLEETWATCH", passwordFile: pw, utcOffsetMinutes: 60 },
      }),
    );
    return async () => {
      let stdout = "";
      let stderr = "";
      const code = await runCli(["collect", "--once", "--config", config], {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
      });
      return { code, stdout, stderr };
    };
  }

  it("stores the server's nodes (lock, password date), schedules, links and verdicts, and reports the row it could not read", async () => {
    const collect = await agent({ collector: true });
    const { code, stdout, stderr } = await collect();
    expect(stderr).toBe("warning: NODES row 4 not sent: not a timestamp: yesterday\n");
    expect(code).toBe(0);
    expect(stdout).toBe(
      "sent 3 nodes, 2 schedules, 3 associations, 1 events: 3 new nodes, 1 windows updated; 1 rows not sent (above)\n" +
        "schedule MONTHLY_FULL kept but not expanded into windows: a period in months\n",
    );

    const nodes = await t.db.node.findMany({
      select: { name: true, locked: true, passwordSetAt: true, passwordExpiryDays: true, policyDomain: true },
      orderBy: { name: "asc" },
    });
    // Server-local times at UTC+1, stored in UTC.
    expect(nodes).toEqual([
      {
        name: "CHEM-SRV001",
        locked: false,
        passwordSetAt: new Date("2026-10-01T07:00:00Z"),
        passwordExpiryDays: 0,
        policyDomain: "STANDARD",
      },
      {
        name: "ENG-PC031",
        locked: true,
        passwordSetAt: new Date("2024-02-01T08:15:00Z"),
        passwordExpiryDays: 365,
        policyDomain: "STANDARD",
      },
      { name: "NEW-LAPTOP", locked: false, passwordSetAt: null, passwordExpiryDays: 365, policyDomain: "STANDARD" },
    ]);

    const schedules = await t.db.schedule.findMany({
      select: {
        name: true,
        source: true,
        startTime: true,
        durationMinutes: true,
        periodMinutes: true,
        dayOfWeek: true,
        nodes: { select: { node: { select: { name: true } } } },
      },
    });
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({
      name: "WEEKDAILY_OUCS",
      source: "collector",
      startTime: "21:00:00",
      durationMinutes: 180,
      periodMinutes: 1440,
      dayOfWeek: "WEEKDAY",
    });
    expect(schedules[0]!.nodes.map((n) => n.node.name).sort()).toEqual(["CHEM-SRV001", "ENG-PC031"]);

    const windows = await t.db.window.findMany({
      select: { schedule: true, localStart: true, outcome: true, source: true, node: { select: { name: true } } },
    });
    expect(windows).toEqual([
      {
        schedule: "WEEKDAILY_OUCS",
        localStart: "2026-11-20T21:00:00",
        outcome: "missed",
        source: "collector",
        node: { name: "ENG-PC031" },
      },
    ]);

    // The password went to dsmadmc, never to the Fleetwatch server.
    const calls = await fake.calls();
    expect(calls).toHaveLength(5);
    expect(calls.every((c) => c.includes("-PAssword=***") && c.includes("-SERVERName=TSM1"))).toBe(true);

    // A resend of the same tables changes nothing.
    const again = await collect();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^sent 3 nodes, .*: 0 new nodes, 0 windows updated;/);
  });

  it("a TSM server that does not answer is one line, exit 1, and nothing changes", async () => {
    const collect = await agent({ collector: true });
    const before = await t.db.node.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: "asc" } });
    await fake.down();
    try {
      const { code, stdout, stderr } = await collect();
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(
        /^fleetwatch-agent collect: select from STATUS: dsmadmc exited with code \d+: ANS8023E Unable to establish session with server\.\n$/,
      );
    } finally {
      await fake.down(false);
    }
    expect(await t.db.node.findMany({ select: { id: true, updatedAt: true }, orderBy: { id: "asc" } })).toEqual(before);
  });

  it("an agent enrolled with an ordinary token is refused in one line", async () => {
    const collect = await agent({ collector: false });
    const { code, stderr } = await collect();
    expect(code).toBe(1);
    expect(stderr).toBe(
      "warning: NODES row 4 not sent: not a timestamp: yesterday\n" +
        "fleetwatch-agent collect: server refused ingest.serverRecords: this agent was not enrolled as a TSM server collector; enroll it with a collector token\n",
    );
  });
});
