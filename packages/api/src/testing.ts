import { lookupAns } from "@fleetwatch/core/catalogue";
import type { Heartbeat, IngestBatchInput, ScheduleEvent, ServerRecordsBatchInput } from "@fleetwatch/core/schemas";
import type { Caller } from "./caller";
import type { Db } from "./context";
import { createContextInner } from "./context";
import type { RateLimiter } from "./rate-limit";
import { createCaller } from "./root";
import { createUser } from "./services/admin/users";
import { createEnrollmentToken, enrollAgent } from "./services/ingest/agents";

/** A tRPC caller as the given caller, against a real database: what router tests drive. */
export function callerFor(db: Db, caller: Caller, now?: () => Date, agentLimiter?: RateLimiter) {
  return createCaller(createContextInner({ db, caller, now, agentLimiter }));
}

/** Enroll an agent the real way and return a caller acting as it. */
export async function enrolledAgent(db: Db, name = "test-agent", opts: { collector?: boolean } = {}) {
  const { token } = await createEnrollmentToken(db, {
    createdBy: "test",
    note: null,
    ttlHours: 1,
    collector: opts.collector,
    now: new Date(),
  });
  const { agentId, collector } = await enrollAgent(db, { enrollmentToken: token, name, now: new Date() });
  return { agentId, caller: callerFor(db, { kind: "agent", agentId, machineRef: null, collector }) };
}

export async function userCaller(db: Db, role: "viewer" | "operator" | "admin") {
  const user = await createUser(db, {
    email: `${role}-${Math.random().toString(36).slice(2)}@example.org`,
    password: "correct horse battery",
    role,
  });
  return { user, caller: callerFor(db, { kind: "user", userId: user.id, email: user.email, role }) };
}

export function completedEvent(overrides: Partial<ScheduleEvent> = {}): ScheduleEvent {
  return {
    schedule: "WEEKDAILY_OUCS",
    scheduledStart: "2008-01-30T00:00:00",
    startedAt: "2008-01-30T00:00:09",
    endedAt: "2008-01-30T00:26:04",
    status: "completed",
    returnCode: 0,
    stats: {
      inspected: 214391,
      backedUp: 16,
      updated: 0,
      rebound: 0,
      deleted: 0,
      expired: 0,
      failed: 0,
      bytesTransferred: 73610035,
      elapsedSeconds: 122,
    },
    messages: [],
    causes: [],
    cause: null,
    benign: false,
    ...overrides,
  };
}

/** The machine identity the tests' agents report: a Linux box named after its id. */
export const testMachine = (machineId: string) => ({
  machineId,
  hostname: machineId.toLowerCase(),
  os: "linux",
  osVersion: "6.1",
  macAddresses: [],
  clientVersion: "8.1.13",
});

export function batchOf(machineId: string, node: string, events: ScheduleEvent[]): IngestBatchInput {
  return {
    machine: testMachine(machineId),
    events: events.map((event) => ({ node, utcOffsetMinutes: 0, event })),
    problems: [],
    heartbeats: [],
  };
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The integration tests' calendar: March 2026, day `d`, as `YYYY-MM-DD`. */
export const marchDay = (d: number) => `2026-03-${pad2(d)}`;

/** `hh:mm` UTC on March `d`: when a test's judge runs. */
export const marchAt = (d: number, hh = 12, mm = 0) => new Date(`${marchDay(d)}T${pad2(hh)}:${pad2(mm)}:00Z`);

/** The NIGHTLY run on March `d`: scheduled 22:00 local, began 22:03, completed 22:30. */
export const nightOn = (d: number, overrides: Partial<ScheduleEvent> = {}) =>
  completedEvent({
    schedule: "NIGHTLY",
    scheduledStart: `${marchDay(d)}T22:00:00`,
    startedAt: `${marchDay(d)}T22:03:00`,
    endedAt: `${marchDay(d)}T22:30:00`,
    ...overrides,
  });

/** The NIGHTLY run on March `d` severed: the connection to the server was lost (a manual backup is advised). */
export const severedOn = (d: number) =>
  nightOn(d, { status: "severed", returnCode: null, stats: null, cause: "communication-lost", causes: ["communication-lost"] });

/** Each node's runs shipped by its own agent (machine `m-<node>`), enrolled the real way; in the order given. */
export async function shipNights(db: Db, nights: Record<string, ScheduleEvent[]>) {
  for (const [node, events] of Object.entries(nights)) {
    const { caller } = await enrolledAgent(db, `m-${node}`);
    await caller.ingest.batch(batchOf(`m-${node}`, node, events));
  }
}

/** An ANS message as the parser reports it: severity, cause and flag from the catalogue. */
export function ansMessage(code: string, local: string, days?: number) {
  const entry = lookupAns(code);
  if (!entry) throw new Error(`${code} is not in the catalogue`);
  return {
    code,
    severity: entry.severity,
    at: local,
    text: entry.meaning,
    cause: entry.cause,
    ...(entry.flag ? { flag: entry.flag } : {}),
    ...(days === undefined ? {} : { days }),
  };
}

/** A heartbeat of a healthy agent at `when`: machine on, server reachable, scheduler running. */
export function heartbeatAt(node: string, when: Date, extra: Partial<Heartbeat> = {}): Heartbeat {
  return {
    node,
    at: when.toISOString(),
    bootedAt: null,
    clockJumpSeconds: 0,
    serverReachable: true,
    schedulerRunning: true,
    nextScheduled: [],
    spoolBytes: 0,
    lastError: null,
    ...extra,
  };
}

/** A NODES row as the collector sends it: nothing known but the name, unless given. */
export function serverNodeRecord(
  name: string,
  known: Partial<ServerRecordsBatchInput["nodes"][number]> = {},
): ServerRecordsBatchInput["nodes"][number] {
  return {
    name,
    locked: false,
    passwordSetAt: null,
    passwordExpiryDays: null,
    lastAccessAt: null,
    registeredAt: null,
    contact: null,
    email: null,
    platform: null,
    osLevel: null,
    clientVersion: null,
    tcpName: null,
    tcpAddress: null,
    guid: null,
    domain: null,
    ...known,
  };
}

/** Two nodes: STEADY completes every night of March 1-12; FLAKY completes until the 6th, then misses. */
export async function steadyAndFlaky(db: Db) {
  const steady = await enrolledAgent(db, "steady-pc");
  await steady.caller.ingest.batch(
    batchOf(
      "m-steady",
      "STEADY",
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((d) => nightOn(d)),
    ),
  );
  const flaky = await enrolledAgent(db, "flaky-pc");
  await flaky.caller.ingest.batch(
    batchOf(
      "m-flaky",
      "FLAKY",
      [1, 2, 3, 4, 5, 6].map((d) => nightOn(d)),
    ),
  );
}
