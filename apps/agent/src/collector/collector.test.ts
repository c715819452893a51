import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminSql } from "@fleetwatch/core/collector";
import type { ServerRecordsBatchInput } from "@fleetwatch/core/schemas";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CollectorSettings, collectorDefaults } from "../config/collector-config";
import { nodeFsys } from "../fsys";
import { type ServerClient, ServerError } from "../http";
import { FakeDsmadmc } from "../testing/fake-dsmadmc";
import { writeServerTables } from "../testing/server-tables";
import { collectServerRecords } from "./collect";
import { runCollection } from "./collection";
import { nodeExec } from "./dsmadmc";
import { readAdminPassword } from "./password";

const PASSWORD = 'pa55 w0rd,"x"';
const now = () => new Date("2026-11-21T08:00:00Z");
let fake: FakeDsmadmc;
beforeEach(async () => {
  fake = await FakeDsmadmc.create(PASSWORD);
});
afterEach(() => fake.cleanup());

const login = (over: Partial<{ password: string; dsmadmc: string; stanza: string | null; timeoutMs: number }> = {}) => ({
  dsmadmc: fake.path,
  stanza: "TSM1",
  adminId: "FLEETWATCH",
  password: PASSWORD,
  timeoutMs: 10_000,
  ...over,
});
const collect = (over: Parameters<typeof login>[0] = {}) =>
  collectServerRecords({ exec: nodeExec, login: login(over), serverLabel: "main", utcOffsetMinutes: 60, now });

describe("collecting with dsmadmc", () => {
  it("runs one SELECT per table with the documented options and builds the batch", async () => {
    await writeServerTables(fake);
    const got = await collect();
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.rejected).toEqual([]);
    const b = got.batch;
    expect(b).toMatchObject({ server: "main", serverName: "TSM1", passwordExpiryDays: 365, utcOffsetMinutes: 60 });
    expect(b.collectedAt).toBe("2026-11-21T08:00:00.000Z");
    expect(b.nodes.map((n) => [n.name, n.locked, n.passwordSetAt])).toEqual([
      ["ENG-PC031", true, "2024-02-01T09:15:00"],
      ["CHEM-SRV001", false, "2026-10-01T08:00:00"],
      ["NEW-LAPTOP", false, null],
    ]);
    expect(b.schedules.map((s) => s.definition.name)).toEqual(["WEEKDAILY_OUCS", "MONTHLY_FULL"]);
    expect(b.associations).toContainEqual({ domain: "STANDARD", schedule: "WEEKDAILY_OUCS", node: "CHEM-SRV001" });
    // EVENTS has no file: the fake answers ANR2034E and exit 11, an empty table and no error.
    expect(b.events).toEqual([]);
    const calls = await fake.calls();
    expect(calls.map((c) => c.at(-1))).toEqual(
      (["status", "nodes", "schedules", "associations", "events"] as const).map((n) => adminSql(n)),
    );
    expect(calls[0]).toEqual([
      "-SERVERName=TSM1",
      "-ID=FLEETWATCH",
      "-PAssword=***",
      "-DATAONLY=YES",
      "-COMMAdelimited",
      adminSql("status"),
    ]);
  });

  it("leaves -SERVERName out when no stanza is configured", async () => {
    await writeServerTables(fake);
    await collect({ stanza: null });
    expect((await fake.calls())[0]![0]).toBe("-ID=FLEETWATCH");
  });

  it("reports a row it cannot read with its table and row number and sends the rest", async () => {
    await writeServerTables(fake, { badNodeRow: true });
    const got = await collect();
    expect(got.ok && got.rejected).toEqual([{ table: "NODES", row: 4, reason: "not a timestamp: yesterday" }]);
    expect(got.ok && got.batch.nodes.map((n) => n.name)).not.toContain("BROKEN-PC");
  });

  it.each([
    [
      "a wrong password",
      () => collect({ password: "wrong" }),
      /^select from STATUS: dsmadmc exited with code 206: ANS1025E Session rejected/,
    ],
    [
      "no session",
      () => fake.down().then(() => collect()),
      /^select from STATUS: dsmadmc exited with code 206: ANS8023E Unable to establish session/,
    ],
    ["no dsmadmc", () => collect({ dsmadmc: "/nonexistent/dsmadmc" }), /^select from STATUS: dsmadmc not found \(\/nonexistent\/dsmadmc\)/],
  ])("%s is one line, sends nothing, and stops at the first SELECT", async (_, run, message) => {
    await writeServerTables(fake);
    const got = await run();
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect(got.error).toMatch(message);
    expect(got.error).not.toContain("\n");
    expect(got.error).not.toContain(PASSWORD);
    expect((await fake.calls()).length).toBeLessThanOrEqual(1);
  });

  it("ends a dsmadmc that hangs at its deadline", async () => {
    const slow = join(fake.dir, "slow");
    await writeFile(slow, "#!/bin/sh\nsleep 30\n");
    await chmod(slow, 0o755);
    const started = Date.now();
    const got = await collect({ dsmadmc: slow, timeoutMs: 300 });
    expect(got).toEqual({ ok: false, error: "select from STATUS: dsmadmc did not finish within 0.3 s (collector.timeoutSeconds)" });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("the admin password", () => {
  it("comes from a file without its final newline, or from the named variable", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "fw-pw-")), "pw");
    await writeFile(file, "s3cret\n");
    expect(await readAdminPassword({ passwordFile: file, passwordEnv: null }, {}, nodeFsys)).toBe("s3cret");
    expect(await readAdminPassword({ passwordFile: null, passwordEnv: "TSM_PW" }, { TSM_PW: "x y" }, nodeFsys)).toBe("x y");
  });

  it("that cannot be read is one line naming where it was looked for", async () => {
    await expect(readAdminPassword({ passwordFile: "/nonexistent/pw", passwordEnv: null }, {}, nodeFsys)).rejects.toThrow(
      "cannot read the admin password file /nonexistent/pw: no such file",
    );
    await expect(readAdminPassword({ passwordFile: null, passwordEnv: "TSM_PW" }, {}, nodeFsys)).rejects.toThrow(
      "the environment variable TSM_PW (collector.passwordEnv) is not set",
    );
  });
});

describe("a collection", () => {
  const settings = (): CollectorSettings => ({ ...collectorDefaults, dsmadmc: fake.path, adminId: "FLEETWATCH", passwordEnv: "TSM_PW" });
  const client = (answer: (batch: ServerRecordsBatchInput) => unknown) => {
    const sent: ServerRecordsBatchInput[] = [];
    const c: ServerClient = {
      mutation: async <T>(path: string, input: unknown) => {
        expect(path).toBe("ingest.serverRecords");
        sent.push(input as ServerRecordsBatchInput);
        return answer(input as ServerRecordsBatchInput) as T;
      },
      query: async () => {
        throw new Error("unused");
      },
      close: async () => {},
    };
    return { c, sent };
  };
  const deps = (c: ServerClient, env: NodeJS.ProcessEnv = { TSM_PW: PASSWORD }) => ({
    settings: settings(),
    client: c,
    fs: nodeFsys,
    env,
    platform: process.platform,
    now,
  });

  it("ships the batch through ingest.serverRecords, in this machine's offset by default", async () => {
    await writeServerTables(fake, { badNodeRow: true });
    const ack = { nodes: 3, newNodes: 1, schedules: 2, associations: 3, events: 0, skippedSchedules: [] };
    const { c, sent } = client(() => ack);
    const got = await runCollection(deps(c));
    expect(got).toMatchObject({ ok: true, ack, sent: { nodes: 3, schedules: 2, associations: 3, events: 0 } });
    expect(got.rejected).toHaveLength(1);
    expect(sent[0]!.utcOffsetMinutes).toBe(-now().getTimezoneOffset());
  });

  it("says what to do when the server refuses an agent not enrolled as a collector", async () => {
    await writeServerTables(fake);
    const { c } = client(() => {
      throw new ServerError("server refused ingest.serverRecords: forbidden", 403, null, "FORBIDDEN");
    });
    const got = await runCollection(deps(c));
    expect(got).toMatchObject({
      ok: false,
      error: expect.stringMatching(/forbidden \(enroll this agent with a collector enrollment token\)$/),
    });
  });

  it("sends nothing without the password", async () => {
    const { c, sent } = client(() => ({}));
    expect(await runCollection(deps(c, {}))).toEqual({
      ok: false,
      error: "the environment variable TSM_PW (collector.passwordEnv) is not set",
      rejected: [],
    });
    expect(sent).toEqual([]);
    expect(await fake.calls()).toEqual([]);
  });
});
