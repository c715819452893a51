import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "../config/server-config";
import { runJudge } from "../jobs/judge";
import { createApiKey, revokeApiKey } from "../services/admin/api-keys";
import { batchOf, enrolledAgent, marchAt, nightOn, steadyAndFlaky, userCaller } from "../testing";
import { metricsResponse } from "./metrics";

let t: TestDatabase;
const judgedAt = marchAt(13);

beforeAll(async () => {
  t = await createTestDatabase();
  // STEADY completes every night; FLAKY completes until the 6th, then misses; POISON sends a record
  // the server refuses, and is deregistered.
  await steadyAndFlaky(t.db);
  const poison = await enrolledAgent(t.db, "poison-pc");
  await expect(
    poison.caller.ingest.batch(batchOf("m-poison", "POISON", [nightOn(1), nightOn(2, { returnCode: 4294967296 })])),
  ).rejects.toThrow(/1 of 2 records refused/);
  await t.db.node.update({ where: { server_name: { server: "", name: "STEADY" } }, data: { policyDomain: "STANDARD" } });
  await t.db.node.update({ where: { server_name: { server: "", name: "POISON" } }, data: { deregisteredAt: marchAt(3) } });
  // Never backed up, and named with what the text format must escape.
  await t.db.node.create({ data: { name: 'ODD "PC" \\ 1', server: "TSM\\2" } });
  await runJudge(t.db, judgedAt);
});
afterAll(async () => t?.drop());

const scrape = (overrides: { address?: string | null; authorization?: string; env?: Record<string, string> } = {}) =>
  metricsResponse(t.db, {
    authorization: overrides.authorization ?? null,
    clientAddress: overrides.address === undefined ? "127.0.0.1" : overrides.address,
    config: parseServerEnv(overrides.env ?? {}),
    now: judgedAt,
  });

/** The value of the one sample whose line starts with `series` (name and labels as exposed). */
function sample(body: string, series: string): number | undefined {
  const line = body.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("exposes the fleet, each node, the judge and ingest, and passes promtool check metrics", async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const body = await res.text();

    const steady = 'node="STEADY",server="",domain="STANDARD"';
    const flaky = 'node="FLAKY",server="",domain=""';
    expect(sample(body, `fleetwatch_node_last_success_timestamp_seconds{${steady}}`)).toBe(Date.parse("2026-03-12T22:30:00Z") / 1000);
    expect(sample(body, `fleetwatch_node_last_outcome{${steady},outcome="completed"}`)).toBe(1);
    expect(sample(body, `fleetwatch_node_last_outcome{${steady},outcome="missed"}`)).toBe(0);
    expect(sample(body, `fleetwatch_node_last_outcome{${flaky},outcome="missed"}`)).toBe(1);
    expect(sample(body, `fleetwatch_node_missed_streak{${flaky}}`)).toBeGreaterThanOrEqual(3);
    expect(sample(body, `fleetwatch_node_failed_streak{${flaky}}`)).toBe(0);
    expect(sample(body, `fleetwatch_node_open_flag{${flaky},kind="repeated-misses"}`)).toBe(1);
    expect(sample(body, `fleetwatch_node_state{${flaky},state="failing"}`)).toBe(1);
    expect(sample(body, `fleetwatch_node_state{${steady},state="protected"}`)).toBe(1);
    expect(sample(body, `fleetwatch_node_last_contact_timestamp_seconds{${steady}}`)).toBeGreaterThan(0);
    expect(body).toMatch(
      /^fleetwatch_agent_last_contact_timestamp_seconds\{agent="steady-pc",agent_id="[0-9a-f-]{36}",hostname="m-steady"\} \d+/m,
    );

    expect(sample(body, 'fleetwatch_nodes{state="protected"}')).toBe(1);
    expect(sample(body, 'fleetwatch_nodes{state="failing"}')).toBe(1);
    expect(sample(body, 'fleetwatch_nodes{state="at-risk"}')).toBe(1);
    expect(sample(body, 'fleetwatch_node_state{node="ODD \\"PC\\" \\\\ 1",server="TSM\\\\2",domain="",state="at-risk"}')).toBe(1);
    expect(sample(body, 'fleetwatch_nodes{state="deregistered"}')).toBe(1);
    expect(body).not.toContain('node="POISON"');
    expect(sample(body, 'fleetwatch_open_flags{kind="repeated-misses"}')).toBe(1);
    expect(sample(body, 'fleetwatch_open_flags{kind="locked"}')).toBe(0);
    expect(sample(body, "fleetwatch_agents")).toBe(3);
    expect(sample(body, "fleetwatch_judge_last_run_timestamp_seconds")).toBe(judgedAt.getTime() / 1000);
    expect(sample(body, "fleetwatch_judge_last_run_duration_seconds")).toBeGreaterThan(0);
    expect(sample(body, "fleetwatch_ingest_batches_total")).toBe(3);
    expect(sample(body, "fleetwatch_ingest_events_total")).toBe(12 + 6 + 1);
    expect(sample(body, "fleetwatch_ingest_rejected_records_total")).toBe(1);
    expect(sample(body, "fleetwatch_ingest_errors_total")).toBe(1);
    for (const name of ["fleetwatch_nodes", "fleetwatch_ingest_batches_total", "fleetwatch_node_last_outcome"]) {
      expect(body).toMatch(new RegExp(`^# HELP ${name} \\S`, "m"));
      expect(body).toMatch(new RegExp(`^# TYPE ${name} (gauge|counter)$`, "m"));
    }

    const check = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
    expect(check.error).toBeUndefined();
    expect(`${check.stdout}${check.stderr}`).toBe("");
    expect(check.status).toBe(0);
  });

  it("drops the series per node and agent with FLEETWATCH_METRICS_PER_NODE=0, keeping the fleet's", async () => {
    const body = await (await scrape({ env: { FLEETWATCH_METRICS_PER_NODE: "0" } })).text();
    expect(body).not.toMatch(/^fleetwatch_node_/m);
    expect(body).not.toMatch(/^fleetwatch_agent_last_contact/m);
    expect(sample(body, 'fleetwatch_nodes{state="failing"}')).toBe(1);
    expect(spawnSync("promtool", ["check", "metrics"], { input: body }).status).toBe(0);
  });

  it("answers only addresses on the allow-list, in one line", async () => {
    const outside = await scrape({ address: "10.0.0.5" });
    expect(outside.status).toBe(403);
    expect(await outside.text()).toBe("metrics: 10.0.0.5 is not on FLEETWATCH_METRICS_ALLOW\n");
    expect((await scrape({ address: null })).status).toBe(403);
    expect((await scrape({ address: "10.0.0.5", env: { FLEETWATCH_METRICS_ALLOW: "10.0.0.0/8" } })).status).toBe(200);
    expect((await scrape({ env: { FLEETWATCH_METRICS_ALLOW: "none" } })).status).toBe(403);
    // A bad list stops the server at start (config/server-config.ts), before any scrape.
    expect(() => parseServerEnv({ FLEETWATCH_METRICS_ALLOW: "intranet" })).toThrow(
      /^FLEETWATCH_METRICS_ALLOW has 'intranet', which is not an address or CIDR block[^\n]*$/,
    );
  });

  it("answers a read-only API key from any address; a revoked or made-up key is refused in one line", async () => {
    const { user } = await userCaller(t.db, "admin");
    const admin = { kind: "user" as const, userId: user.id, email: user.email, role: "admin" as const };
    const { key, id } = await createApiKey(t.db, admin, { name: "prometheus", scope: "read", expiresAt: null, now: new Date() });
    const keyed = await scrape({ address: "10.0.0.5", authorization: `Bearer ${key}` });
    expect(keyed.status).toBe(200);
    expect(await keyed.text()).toContain("# TYPE fleetwatch_nodes gauge");
    const madeUp = await scrape({ authorization: "Bearer fw_not-a-key" });
    expect(madeUp.status).toBe(401);
    expect(await madeUp.text()).toBe("metrics: the API key is unknown, revoked or expired (Authorization: Bearer fw_...)\n");
    await revokeApiKey(t.db, admin, { keyId: id, now: new Date() });
    expect((await scrape({ address: "10.0.0.5", authorization: `Bearer ${key}` })).status).toBe(401);
  });
});

// A real Prometheus server scrapes the exposition once (Debian's `prometheus` package).
const prometheusBinary = ["/usr/bin/prometheus"].find(existsSync);

describe.skipIf(!prometheusBinary)("a Prometheus server", () => {
  let server: Server;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fleetwatch-prometheus-"));
    server = createServer((_req, res) => {
      void scrape().then(async (answer) => {
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("scrapes /metrics and stores its series", async () => {
    const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = join(dir, "prometheus.yml");
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: fleetwatch\n    metrics_path: /metrics\n    static_configs:\n      - targets: ["${target}"]\n`,
    );
    const web = await freePort();
    const prometheus = spawn(
      prometheusBinary as string,
      [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${web}`],
      { stdio: "ignore" },
    );
    try {
      const query = async (q: string) => {
        const res = await fetch(`http://127.0.0.1:${web}/api/v1/query?query=${encodeURIComponent(q)}`);
        return (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      };
      let up: string | undefined;
      for (let i = 0; i < 60 && up !== "1"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        up = await query(`up{job="fleetwatch"}`)
          .then((r) => r.data.result[0]?.value[1])
          .catch(() => undefined);
      }
      expect(up).toBe("1");
      const failing = await query('fleetwatch_nodes{state="failing"}');
      expect(failing.data.result[0]?.value[1]).toBe("1");
      const streak = await query('fleetwatch_node_missed_streak{node="FLAKY"}');
      expect(Number(streak.data.result[0]?.value[1])).toBeGreaterThanOrEqual(3);
    } finally {
      prometheus.kill("SIGTERM");
      await new Promise((resolve) => prometheus.once("exit", resolve));
    }
  }, 60_000);
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
