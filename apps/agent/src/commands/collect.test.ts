import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerRecordsBatchInput } from "@fleetwatch/core/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli-main";
import { FakeDsmadmc } from "../testing/fake-dsmadmc";
import { writeServerTables } from "../testing/server-tables";

const PASSWORD = "s3cret-Admin";
let fake: FakeDsmadmc;
let server: Server;
let url = "";
const received: Array<{ path: string; auth: string | undefined; body: ServerRecordsBatchInput }> = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  fake = await FakeDsmadmc.create(PASSWORD);
  // Just enough of a tRPC server to see what the command sends and to answer as the real one does.
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", auth: req.headers.authorization, body: JSON.parse(text).json });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await fake.cleanup();
  await new Promise((r) => server.close(r));
});

async function collect(collector: Record<string, unknown> | null, args: string[] = ["--once"]) {
  const dir = await mkdtemp(join(tmpdir(), "fw-collect-"));
  const pw = join(dir, "tsm-admin.pw");
  await writeFile(pw, `${PASSWORD}\n`, { mode: 0o600 });
  const config = join(dir, "cfg.json");
  const section = collector && { dsmadmc: fake.path, adminId: "FLEETWATCH", passwordFile: pw, utcOffsetMinutes: 60, ...collector };
  await writeFile(
    config,
    JSON.stringify({
      discover: false,
      stateDir: join(dir, "state"),
      ...(section ? { collector: section } : { nodes: [{ node: "PC1", schedLog: join(dir, "dsmsched.log") }] }),
    }),
  );
  let stdout = "";
  let stderr = "";
  const saved = { ...process.env };
  Object.assign(process.env, { FLEETWATCH_SERVER: url, FLEETWATCH_AGENT_TOKEN: "fwa_test_token_123456" });
  try {
    const code = await runCli(["collect", "--config", config, ...args], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    });
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}

describe("fleetwatch-agent collect --once", () => {
  it("sends the server's records with the agent's token, prints what was sent, and each row it could not send", async () => {
    await writeServerTables(fake, { badNodeRow: true });
    const ack = {
      nodes: 3,
      newNodes: 1,
      schedules: 2,
      associations: 3,
      events: 0,
      skippedSchedules: [{ name: "MONTHLY_FULL", reason: "a period in months" }],
    };
    answer = { status: 200, body: { result: { data: { json: ack } } } };
    received.length = 0;
    const { code, stdout, stderr } = await collect({ serverLabel: "tsm1", stanza: "TSM1" });
    expect(stderr).toBe("warning: NODES row 4 not sent: not a timestamp: yesterday\n");
    expect(code).toBe(0);
    expect(stdout).toBe(
      "sent 3 nodes, 2 schedules, 3 associations, 0 events: 1 new nodes, 0 windows updated; 1 rows not sent (above)\n" +
        "schedule MONTHLY_FULL kept but not expanded into windows: a period in months\n",
    );
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe("/api/trpc/ingest.serverRecords");
    expect(received[0]!.auth).toBe("Bearer fwa_test_token_123456");
    expect(received[0]!.body).toMatchObject({ server: "tsm1", serverName: "TSM1", utcOffsetMinutes: 60 });
    expect(JSON.stringify(received[0]!.body)).not.toContain(PASSWORD);
  });

  it("is one line and exit 1 when dsmadmc cannot get a session, and sends nothing", async () => {
    await fake.down();
    received.length = 0;
    try {
      const { code, stdout, stderr } = await collect({});
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        "fleetwatch-agent collect: select from STATUS: dsmadmc exited with code 206: ANS8023E Unable to establish session with server.\n",
      );
      expect(received).toEqual([]);
    } finally {
      await fake.down(false);
    }
  });

  it("is one line and exit 1 when the server refuses the batch", async () => {
    await writeServerTables(fake);
    answer = { status: 403, body: { error: { json: { message: "forbidden", data: { code: "FORBIDDEN" } } } } };
    const { code, stderr } = await collect({});
    expect(code).toBe(1);
    expect(stderr).toBe(
      "fleetwatch-agent collect: server refused ingest.serverRecords: forbidden (enroll this agent with a collector enrollment token)\n",
    );
  });

  it("refuses a config without a collector section, or a bad one, in one line per problem", async () => {
    const none = await collect(null);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^fleetwatch-agent collect: no "collector" section in .*cfg\.json: see INSTALL\.md/);
    expect(none.stderr.trim().split("\n")).toHaveLength(1);
    const bad = await collect({ intervalMinutes: 0 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/collector\.intervalMinutes: must be whole minutes, 5 to 10080 \(got 0\)/);
  });
});
