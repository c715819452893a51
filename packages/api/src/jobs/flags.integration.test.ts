import type { IngestBatchInput, ScheduleEvent, ServerRecordsBatchInput } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ansMessage,
  marchAt as at,
  batchOf,
  marchDay as day,
  enrolledAgent,
  heartbeatAt,
  nightOn as night,
  serverNodeRecord,
  userCaller,
} from "../testing";
import { runJudge } from "./judge";

// Every row of shared/domain.md's flag table, raised from its evidence and cleared by what the
// table names, through the real paths: an agent's batch, the collector's records, the judge.

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.drop());

const failedNight = (d: number) => night(d, { status: "failed", returnCode: 12, cause: "files-changed", causes: ["files-changed"] });

/** An enrolled agent for one node; `send` ships a batch of whatever is given. */
async function agentFor(node: string) {
  const { caller } = await enrolledAgent(t.db, `agent-${node}`);
  return (parts: Partial<Pick<IngestBatchInput, "problems" | "heartbeats">> & { events?: ScheduleEvent[] }) =>
    caller.ingest.batch({
      ...batchOf(`m-${node}`, node, parts.events ?? []),
      problems: parts.problems ?? [],
      heartbeats: parts.heartbeats ?? [],
    });
}
const problem = (node: string, message: ReturnType<typeof ansMessage>) => ({ node, utcOffsetMinutes: 0, message });

async function serverSays(node: string, record: Partial<ServerRecordsBatchInput["nodes"][number]>) {
  const { caller } = await enrolledAgent(t.db, `collector-${Math.random()}`, { collector: true });
  await caller.ingest.serverRecords({
    server: "",
    serverName: "TSM1",
    passwordExpiryDays: 365,
    utcOffsetMinutes: 0,
    collectedAt: new Date().toISOString(),
    nodes: [serverNodeRecord(node, record)],
    schedules: [],
    associations: [],
  });
}

const openFlags = async (node: string) =>
  (await t.db.flag.findMany({ where: { node: { name: node }, clearedAt: null }, select: { kind: true } })).map((f) => f.kind).sort();
const history = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => night(from + i));

describe("the flags of shared/domain.md", () => {
  it("locked: raised by ANS1361E in the client log, cleared by a clean session", async () => {
    const send = await agentFor("LOCK-LOG");
    await send({ events: history(1, 4), problems: [problem("LOCK-LOG", ansMessage("ANS1361E", `${day(5)}T22:00:05`))] });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("LOCK-LOG")).toContain("locked");
    await send({ events: [night(6)] });
    await runJudge(t.db, at(7, 9));
    expect(await openFlags("LOCK-LOG")).not.toContain("locked");
  });

  it("locked: raised by the server's LOCKED=YES, cleared when the server says it is unlocked", async () => {
    const send = await agentFor("LOCK-SRV");
    await send({ events: history(1, 5) });
    await serverSays("LOCK-SRV", { locked: true, lastAccessAt: `${day(5)}T22:00:00` });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("LOCK-SRV")).toContain("locked");
    await serverSays("LOCK-SRV", { locked: false, lastAccessAt: `${day(5)}T22:00:00` });
    await runJudge(t.db, at(6, 10));
    expect(await openFlags("LOCK-SRV")).not.toContain("locked");
  });

  it("password-expired: raised when the password is older than PASSEXP, cleared by a new password date", async () => {
    // The server's word alone: no session since the password expired (a clean one would clear it).
    await serverSays("PASS-OLD", { passwordSetAt: "2025-02-01T10:00:00", lastAccessAt: "2026-01-20T22:00:00" });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("PASS-OLD")).toContain("password_expired");
    await serverSays("PASS-OLD", { passwordSetAt: `${day(6)}T08:00:00` });
    await runJudge(t.db, at(6, 10));
    expect(await openFlags("PASS-OLD")).not.toContain("password_expired");
  });

  it("password-expired: raised by ANS1352E in the client log, cleared by a clean session", async () => {
    const send = await agentFor("PASS-LOG");
    await send({ events: history(1, 4), problems: [problem("PASS-LOG", ansMessage("ANS1352E", `${day(5)}T22:00:05`))] });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("PASS-LOG")).toContain("password_expired");
    await send({ events: [night(6)] });
    await runJudge(t.db, at(7, 9));
    expect(await openFlags("PASS-LOG")).not.toContain("password_expired");
  });

  it("password-expiring: raised within the warning period, cleared when the password is renewed", async () => {
    const send = await agentFor("PASS-SOON");
    await send({ events: history(1, 5) });
    // PASSEXP 365 from the server; set 360 days before March 6: five days left.
    await serverSays("PASS-SOON", { passwordSetAt: "2025-03-11T09:00:00" });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("PASS-SOON")).toContain("password_expiring");
    await serverSays("PASS-SOON", { passwordSetAt: `${day(6)}T08:00:00` });
    await runJudge(t.db, at(6, 10));
    expect(await openFlags("PASS-SOON")).not.toContain("password_expiring");
  });

  it("password-expiring: raised by ANS8004W in the client log, cleared by a new password date", async () => {
    const send = await agentFor("PASS-WARN");
    await send({ events: history(1, 5), problems: [problem("PASS-WARN", ansMessage("ANS8004W", `${day(5)}T22:00:05`, 6))] });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("PASS-WARN")).toContain("password_expiring");
    await serverSays("PASS-WARN", { passwordSetAt: `${day(6)}T08:00:00` });
    await runJudge(t.db, at(6, 10));
    expect(await openFlags("PASS-WARN")).not.toContain("password_expiring");
  });

  it("auth-broken: raised by ANS2050E, cleared by a clean session", async () => {
    const send = await agentFor("AUTH");
    await send({ events: history(1, 4), problems: [problem("AUTH", ansMessage("ANS2050E", `${day(5)}T22:00:05`))] });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("AUTH")).toContain("auth_broken");
    await send({ events: [night(6)] });
    await runJudge(t.db, at(7, 9));
    expect(await openFlags("AUTH")).not.toContain("auth_broken");
  });

  it("repeated-failures: raised after three failed nights in a row, cleared by a completed event", async () => {
    const send = await agentFor("FAILS");
    await send({ events: [...history(1, 3), failedNight(4), failedNight(5), failedNight(6)] });
    await runJudge(t.db, at(7, 9));
    expect(await openFlags("FAILS")).toContain("repeated_failures");
    await send({ events: [night(7)] });
    await runJudge(t.db, at(8, 9));
    expect(await openFlags("FAILS")).not.toContain("repeated_failures");
  });

  it("needs-manual-backup: raised by an aborted run, kept by a completion that failed objects, cleared by a clean one", async () => {
    const send = await agentFor("MANUAL");
    const aborted = night(4, { status: "aborted", returnCode: null, stats: null, cause: "aborted", causes: ["aborted"] });
    await send({ events: [...history(1, 3), aborted] });
    await runJudge(t.db, at(5, 9));
    expect(await openFlags("MANUAL")).toContain("needs_manual_backup");
    const withFailures = night(5);
    await send({ events: [{ ...withFailures, returnCode: 4, stats: { ...withFailures.stats!, failed: 3 } }] });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("MANUAL")).toContain("needs_manual_backup");
    await send({ events: [night(6)] });
    await runJudge(t.db, at(7, 9));
    expect(await openFlags("MANUAL")).not.toContain("needs_manual_backup");
  });

  it("at-risk: raised when no backup completed within 24 hours, cleared by a completed backup", async () => {
    const send = await agentFor("RISK");
    await send({ events: history(1, 3) });
    await runJudge(t.db, at(5, 9));
    expect(await openFlags("RISK")).toContain("at_risk");
    await send({ events: [night(5)] });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("RISK")).not.toContain("at_risk");
  });

  it("duplicate-suspect: raised for a rebuilt machine's twin, cleared when staff deregister the dead one", async () => {
    const old = await agentFor("LAB-PC1");
    await old({ events: history(1, 6) });
    const renamed = await agentFor("LAB-PC1-NEW");
    await renamed({ events: history(7, 13) });
    await runJudge(t.db, at(14, 9));
    expect(await openFlags("LAB-PC1-NEW")).toContain("duplicate_suspect");
    const dead = await t.db.node.findFirstOrThrow({ where: { name: "LAB-PC1" } });
    const { caller: operator } = await userCaller(t.db, "operator");
    await operator.nodes.deregister({ nodeId: dead.id, reason: "the old name of a rebuilt machine" });
    await runJudge(t.db, at(14, 10));
    expect(await openFlags("LAB-PC1-NEW")).not.toContain("duplicate_suspect");
    expect(await openFlags("LAB-PC1")).toEqual([]);
  });

  it("stale: raised after the stale period without contact of any kind, cleared by contact", async () => {
    const send = await agentFor("STALE");
    await send({ events: history(1, 2), heartbeats: [heartbeatAt("STALE", at(2, 23))] });
    await runJudge(t.db, at(31, 9));
    expect(await openFlags("STALE")).toContain("stale");
    await send({ heartbeats: [heartbeatAt("STALE", at(31, 10))] });
    await runJudge(t.db, at(31, 11));
    expect(await openFlags("STALE")).not.toContain("stale");
  });

  it("stale: a machine retired without a word keeps its last event and backup once the judge's MISSED nights outnumber its history, and is one alert", async () => {
    const send = await agentFor("RETIRED");
    await send({ events: history(1, 5) });
    // 66 nights later: more MISSED windows than the derived state reads.
    await runJudge(t.db, new Date("2026-05-10T09:00:00Z"));
    const node = await t.db.node.findFirstOrThrow({ where: { name: "RETIRED" }, select: { lastEventAt: true, lastCompletedAt: true } });
    expect(node.lastEventAt?.toISOString()).toBe(`${day(5)}T22:03:00.000Z`);
    expect(node.lastCompletedAt?.toISOString()).toBe(`${day(5)}T22:30:00.000Z`);
    expect(await openFlags("RETIRED")).toContain("stale");
    const alerts = await t.db.alert.findMany({ where: { node: { name: "RETIRED" }, state: { not: "resolved" } }, select: { kind: true } });
    expect(alerts.map((a) => a.kind)).toEqual(["stale"]);
  });

  it("agent-silent: raised after the silence period without a heartbeat, cleared by a heartbeat", async () => {
    const send = await agentFor("QUIET");
    await send({ events: history(1, 5), heartbeats: [heartbeatAt("QUIET", at(6, 8, 0))] });
    await runJudge(t.db, at(6, 8, 20));
    expect(await openFlags("QUIET")).not.toContain("agent_silent");
    await runJudge(t.db, at(6, 8, 40));
    expect(await openFlags("QUIET")).toContain("agent_silent");
    await send({ heartbeats: [heartbeatAt("QUIET", at(6, 8, 45))] });
    await runJudge(t.db, at(6, 8, 50));
    expect(await openFlags("QUIET")).not.toContain("agent_silent");
  });

  it("config-error: raised by ANS1071E, cleared when the agent sees a DOMAIN that is all file systems", async () => {
    const send = await agentFor("CONFIG");
    await send({ events: history(1, 5), problems: [problem("CONFIG", ansMessage("ANS1071E", `${day(5)}T23:10:00`))] });
    await runJudge(t.db, at(6, 9));
    expect(await openFlags("CONFIG")).toContain("config_error");
    await send({ heartbeats: [heartbeatAt("CONFIG", at(6, 9, 30), { domains: [{ name: "C:", ok: true, reason: null }] })] });
    await runJudge(t.db, at(6, 9, 40));
    expect(await openFlags("CONFIG")).not.toContain("config_error");
  });

  it("config-error: raised by the agent's check of a DOMAIN that is no file system", async () => {
    const send = await agentFor("CONFIG-DOM");
    await send({
      events: history(1, 5),
      heartbeats: [
        heartbeatAt("CONFIG-DOM", at(6, 8), { domains: [{ name: "C:\\Documents and", ok: false, reason: "no such file system" }] }),
      ],
    });
    await runJudge(t.db, at(6, 8, 10));
    expect(await openFlags("CONFIG-DOM")).toContain("config_error");
  });
});
