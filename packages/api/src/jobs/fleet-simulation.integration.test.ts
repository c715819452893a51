import { conditionOfFlag } from "@fleetwatch/core/alerts";
import type { FlagKind } from "@fleetwatch/core/flags";
import type { FailureCause, Heartbeat, IngestBatchInput, ScheduleEvent } from "@fleetwatch/core/schemas";
import { createTestDatabase, type TestDatabase } from "@fleetwatch/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "../context";
import { fromFlagKind } from "../services/judge/flag-kinds";
import { callerFor, completedEvent, enrolledAgent, heartbeatAt, testMachine } from "../testing";
import { runJudge } from "./judge";

// A live fleet, simulated: agents ship as things really arrive (a laptop asleep reports at 07:55,
// a machine off until the next day, a spool drained after an outage), the judge runs four times
// a day on the simulated clock through all of March 2026 (both DST changes: New York on the 8th,
// London on the 29th), and what staff would have been told is checked against what happened.

const MIN = 60_000;
const _HOUR = 60 * MIN;
const DAYS = 31;
const _pad = (n: number) => String(n).padStart(2, "0");
/** The local date of night `d` of March (d <= 0: the end of February). */
const dateOf = (d: number) => new Date(Date.UTC(2026, 2, d)).toISOString().slice(0, 10);
const utc = (d: number, hh: number, mm = 0) => Date.UTC(2026, 2, d, hh, mm);

function offsetMinutes(tz: string, at: number): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
    .formatToParts(new Date(at))
    .find((p) => p.type === "timeZoneName")?.value;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name ?? "");
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}
/** The instant of local wall time `HH:MM` on night `d` in `tz`. */
function localInstant(tz: string, d: number, hhmm: string): number {
  const naive = Date.parse(`${dateOf(d)}T${hhmm}:00Z`);
  return naive - offsetMinutes(tz, naive - offsetMinutes(tz, naive) * MIN) * MIN;
}

type MachineState = "on" | "asleep" | "off";
interface Run {
  status: "completed" | "failed";
  cause?: FailureCause;
}
interface NodeModel {
  name: string;
  tz: string;
  /** What its NIGHTLY run (21:00-23:00 local) did, or null when it did not run. */
  night(d: number): Run | null;
  state(at: number): MachineState;
  /** Can the agent reach Fleetwatch (else it spools)? */
  reachable(at: number): boolean;
  /**
   * The conditions staff should hear about, each with its alerts: one per episode, episodes closer
   * than the re-open horizon (7 days) being one.
   */
  expected: Record<string, number>;
}

// The shared events of the month.
const TSM_DOWN_NIGHT = 16;
const MAINTENANCE = { from: utc(20, 20), to: utc(21, 6) };
const inMaintenance = (at: number) => at >= MAINTENANCE.from && at < MAINTENANCE.to;

const always = () => "on" as const;
const reachable = () => true;
/** The night's run as the month's shared events shape it: none in maintenance, a refusal when the TSM server is down. */
function shared(model: Pick<NodeModel, "tz">, d: number, own: Run | null): Run | null {
  if (own === null) return null;
  if (inMaintenance(localInstant(model.tz, d, "21:00"))) return null;
  if (d === TSM_DOWN_NIGHT) return { status: "failed", cause: "server-refused" };
  return own;
}

const SLEEPY_NIGHTS = new Set([3, 10, 17]);
const models: NodeModel[] = [
  { name: "STEADY-PC", tz: "UTC", night: () => ({ status: "completed" }), state: always, reachable, expected: {} },
  {
    // A laptop shut at 21:50 on three nights, opened at 07:55: it misses, and says so at 07:55.
    name: "SLEEPY-LAPTOP",
    tz: "Europe/London",
    night: (d) => (SLEEPY_NIGHTS.has(d) ? null : { status: "completed" }),
    state(at) {
      for (const d of SLEEPY_NIGHTS)
        if (at >= localInstant(this.tz, d, "20:50") && at < localInstant(this.tz, d + 1, "07:55")) return "asleep";
      return "on";
    },
    reachable,
    expected: { backup: 1 },
  },
  {
    // Switched off on the 5th at 18:00, back on at noon the next day.
    name: "OFF-PC",
    tz: "UTC",
    night: (d) => (d === 5 ? null : { status: "completed" }),
    state: (at) => (at >= utc(5, 18) && at < utc(6, 12) ? "off" : "on"),
    reachable,
    // The night it was off, and ten days later the night the TSM server was down: two episodes.
    expected: { backup: 2 },
  },
  {
    // Backs up every night, but cannot reach Fleetwatch from the 12th 19:00 to the 14th 09:30: its spool drains then.
    name: "SPOOL-PC",
    tz: "UTC",
    night: () => ({ status: "completed" }),
    state: always,
    reachable: (at) => !(at >= utc(12, 19) && at < utc(14, 9, 30)),
    expected: { "agent-silent": 1 },
  },
  {
    name: "FAILING-PC",
    tz: "UTC",
    night: (d) => (d >= 8 ? { status: "failed", cause: "server-out-of-space" } : { status: "completed" }),
    state: always,
    reachable,
    expected: { backup: 1 },
  },
  {
    // Fails on the 6th-9th, recovers, fails on the 13th-14th again, recovers for good.
    name: "RECOVER-PC",
    tz: "UTC",
    night: (d) =>
      (d >= 6 && d <= 9) || d === 13 || d === 14 ? { status: "failed", cause: "communication-lost" } : { status: "completed" },
    state: always,
    reachable,
    expected: { backup: 1 },
  },
  { name: "NY-PC", tz: "America/New_York", night: () => ({ status: "completed" }), state: always, reachable, expected: {} },
  { name: "LONDON-SRV", tz: "Europe/London", night: () => ({ status: "completed" }), state: always, reachable, expected: {} },
];
// The night the TSM server is down, every node that runs fails: each is told (one alert each, re-opened where one exists).
for (const m of models) m.expected.backup ??= 1;

function eventOf(m: NodeModel, d: number, run: Run): { node: string; utcOffsetMinutes: number; event: ScheduleEvent } {
  const date = dateOf(d);
  const failed = run.status === "failed";
  const base = completedEvent();
  return {
    node: m.name,
    utcOffsetMinutes: offsetMinutes(m.tz, localInstant(m.tz, d, "21:00")),
    event: completedEvent({
      schedule: "NIGHTLY",
      scheduledStart: `${date}T21:00:00`,
      startedAt: `${date}T21:02:00`,
      endedAt: `${date}T21:40:00`,
      ...(failed
        ? {
            status: "failed",
            returnCode: 12,
            cause: run.cause ?? "unknown",
            causes: [run.cause ?? "unknown"],
            stats: base.stats ? { ...base.stats, failed: 7 } : null,
          }
        : {}),
    }),
  };
}

interface Known {
  at: number;
  heartbeat?: Heartbeat;
  event?: ReturnType<typeof eventOf>;
}

/** Everything the node's agent learns, in order: a heartbeat every 5 minutes while on, each run when it ends. */
function agentRecords(m: NodeModel, fromDay: number): Known[] {
  const out: Known[] = [];
  let lastBeat: number | null = null;
  let lastState: MachineState = "on";
  for (let at = utc(fromDay, 0); at < utc(DAYS + 1, 12); at += 5 * MIN) {
    const state = m.state(at);
    if (state === "on") {
      const extra: Partial<Heartbeat> = {
        timeZone: m.tz,
        serverReachable: !(at >= utc(TSM_DOWN_NIGHT, 20) && at < utc(TSM_DOWN_NIGHT + 1, 2)),
      };
      if (lastState === "asleep" && lastBeat !== null) extra.clockJumpSeconds = Math.round((at - lastBeat) / 1000) - 300;
      if (lastState === "off") extra.bootedAt = new Date(at - 2 * MIN).toISOString();
      out.push({ at, heartbeat: heartbeatAt(m.name, new Date(at), extra) });
      lastBeat = at;
    }
    lastState = state;
  }
  for (let d = fromDay; d <= DAYS; d++) {
    const run = shared(m, d, m.night(d));
    if (run) out.push({ at: localInstant(m.tz, d, "21:40"), event: eventOf(m, d, run) });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** When the judge runs (UTC): after the evening windows close, after laptops wake, midday and evening. */
function judgeTimes(): number[] {
  const out: number[] = [];
  for (let d = 1; d <= DAYS + 1; d++) out.push(utc(d, 8, 5), utc(d, 13), utc(d, 18), utc(d, 23, 30));
  return out.filter((t) => t <= utc(DAYS + 1, 13));
}

interface Shipment {
  node: NodeModel;
  at: number;
  batch: IngestBatchInput;
}

/** The batches each agent sends at each ship time (a minute before each judge run), as they would arrive. */
function shipments(): Shipment[] {
  const out: Shipment[] = [];
  for (const m of models) {
    // A week of history first, so the judge knows the NIGHTLY schedule.
    const records = agentRecords(m, -6);
    let next = 0;
    for (const judgeAt of [utc(1, 8, 0), ...judgeTimes()]) {
      const at = judgeAt - MIN;
      if (m.state(at) !== "on" || !m.reachable(at)) continue;
      const due: Known[] = [];
      while (next < records.length && (records[next] as Known).at <= at) due.push(records[next++] as Known);
      const heartbeats = due.flatMap((r) => (r.heartbeat ? [r.heartbeat] : []));
      const events = due.flatMap((r) => (r.event ? [r.event] : []));
      // The agent keeps only a day of heartbeats in a batch's worth at a time: chunks of 400.
      for (let i = 0; i === 0 || i < heartbeats.length; i += 400) {
        out.push({
          node: m,
          at,
          batch: {
            machine: testMachine(`m-${m.name}`),
            events: i === 0 ? events : [],
            problems: [],
            heartbeats: heartbeats.slice(i, i + 400),
          },
        });
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

async function agents(db: Db) {
  let clock = new Date(0);
  const callers = new Map<string, ReturnType<typeof callerFor>>();
  for (const m of models) {
    const { agentId } = await enrolledAgent(db, `m-${m.name}`);
    callers.set(
      m.name,
      callerFor(db, { kind: "agent", agentId, machineRef: null, collector: false }, () => clock),
    );
  }
  return async (s: Shipment) => {
    clock = new Date(s.at);
    await callers.get(s.node.name)?.ingest.batch(s.batch);
  };
}

async function defineMaintenance(db: Db) {
  await db.maintenanceWindow.create({
    data: { name: "TSM server patching", scope: "fleet", startsAt: new Date(MAINTENANCE.from), endsAt: new Date(MAINTENANCE.to) },
  });
}

/** The node problems true now, as the database holds them: open flags by condition, and bad newest nights. */
async function openProblems(db: Db): Promise<number> {
  const flags = await db.flag.findMany({
    where: { clearedAt: null, node: { deregisteredAt: null } },
    select: { nodeId: true, kind: true },
  });
  const bad = await db.node.findMany({ where: { lastOutcome: { in: ["missed", "failed", "severed", "aborted"] } }, select: { id: true } });
  const keys = new Set([
    ...flags.map((f) => `${f.nodeId}:${conditionOfFlag[fromFlagKind(f.kind) as FlagKind]}`),
    ...bad.map((n) => `${n.id}:backup`),
  ]);
  return keys.size;
}

describe("a live fleet through March 2026", () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of dbs) await t.drop();
  });

  it("raises one alert per condition, resolves and re-opens it as evidence comes, never inside maintenance, and ends with the after-the-fact causes", async () => {
    const live = await createTestDatabase();
    dbs.push(live);
    await defineMaintenance(live.db);
    const ship = await agents(live.db);
    const plan = shipments();
    let shipped = 0;
    let maxOver = 0;
    for (const judgeAt of judgeTimes()) {
      while (shipped < plan.length && (plan[shipped] as Shipment).at < judgeAt) await ship(plan[shipped++] as Shipment);
      await runJudge(live.db, new Date(judgeAt));
      const alertsLive = await live.db.alert.count({ where: { state: { in: ["open", "acknowledged"] }, nodeId: { not: null } } });
      maxOver = Math.max(maxOver, alertsLive - (await openProblems(live.db)));
    }

    const nodes = await live.db.node.findMany({ select: { id: true, name: true } });
    const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
    const alerts = await live.db.alert.findMany({
      where: { kind: { not: "digest" } },
      select: {
        id: true,
        nodeId: true,
        kind: true,
        state: true,
        title: true,
        incidentId: true,
        events: { orderBy: { seq: "asc" }, select: { kind: true, at: true } },
      },
    });
    // The night the TSM server was down is one incident listing every node; each node's own alert points to it.
    const incidents = alerts.filter((a) => a.kind === "incident");
    expect(incidents.map((i) => [i.title, i.state])).toEqual([
      [
        `The TSM server: ${models.length} of ${models.length} nodes without a backup on ${TSM_DOWN_NIGHT} Mar (TSM server refused the session)`,
        "resolved",
      ],
    ]);
    const pointing = alerts.filter((a) => a.incidentId === incidents[0]?.id).map((a) => nameOf.get(a.nodeId ?? ""));
    expect(pointing.sort()).toEqual(models.map((m) => m.name).sort());
    const key = (a: { nodeId: string | null; kind: string }) => `${nameOf.get(a.nodeId ?? "")}:${a.kind}`;
    const expected = new Map<string, number>(
      models.flatMap((m) => Object.entries(m.expected).map(([c, n]) => [`${m.name}:${c}`, n] as const)),
    );
    const perCondition = new Map<string, number>();
    for (const a of alerts.filter((x) => x.kind !== "incident")) perCondition.set(key(a), (perCondition.get(key(a)) ?? 0) + 1);
    const falseAlerts = [...perCondition.keys()].filter((k) => !expected.has(k));
    const unheard = [...expected.keys()].filter((k) => !perCondition.has(k));

    // Each condition is exactly one alert, and every one staff should hear of was raised.
    expect(falseAlerts).toEqual([]);
    expect(unheard).toEqual([]);
    expect([...perCondition].filter(([k, n]) => n !== expected.get(k))).toEqual([]);
    expect(maxOver).toBeLessThanOrEqual(0);

    // Alerts resolve when their condition clears and re-open when it returns.
    const recover = alerts.find((a) => key(a) === "RECOVER-PC:backup");
    expect(recover?.events.map((e) => e.kind).filter((k) => k === "opened" || k === "resolved" || k === "reopened")).toEqual([
      "opened",
      "resolved",
      "reopened",
      "resolved",
      "reopened",
      "resolved",
    ]);
    const sleepy = alerts.find((a) => key(a) === "SLEEPY-LAPTOP:backup");
    expect(sleepy?.events.filter((e) => e.kind === "reopened").length).toBeGreaterThanOrEqual(2);
    // At the end only the node that keeps failing has a live alert.
    const stillLive = alerts.filter((a) => a.state !== "resolved" && a.kind !== "incident");
    expect(stillLive.map(key)).toEqual(["FAILING-PC:backup"]);
    expect(stillLive[0]?.title).toMatch(/^FAILING-PC: failed at least 14 nights in a row since \d+ Mar: run a manual backup$/);

    // Nothing alerts inside maintenance, and its nights are kept, marked.
    const openedInside = alerts
      .flatMap((a) => a.events)
      .filter((e) => (e.kind === "opened" || e.kind === "reopened") && inMaintenance(e.at.getTime()));
    expect(openedInside).toEqual([]);
    expect(await live.db.window.count({ where: { maintenanceId: { not: null } } })).toBe(models.length);

    // The same data judged after the fact: every window's outcome and cause the same.
    const after = await createTestDatabase();
    dbs.push(after);
    await defineMaintenance(after.db);
    const replay = await agents(after.db);
    for (const s of plan) if (s.at < utc(DAYS + 1, 13)) await replay(s);
    await runJudge(after.db, new Date(utc(DAYS + 1, 13)));
    const verdicts = async (db: Db) =>
      new Map(
        (
          await db.window.findMany({
            select: { scheduledStart: true, outcome: true, cause: true, maintenanceId: true, node: { select: { name: true } } },
          })
        ).map((w) => [
          `${w.node.name} ${w.scheduledStart.toISOString()}`,
          `${w.outcome} ${w.cause ?? "-"}${w.maintenanceId ? " (maintenance)" : ""}`,
        ]),
      );
    const liveVerdicts = await verdicts(live.db);
    const afterVerdicts = await verdicts(after.db);
    const differing = [...afterVerdicts]
      .filter(([k, v]) => liveVerdicts.get(k) !== v)
      .map(([k, v]) => `${k}: live ${liveVerdicts.get(k)}, after ${v}`);
    expect(differing).toEqual([]);
    expect(liveVerdicts.size).toBe(afterVerdicts.size);

    const raised = alerts.length - incidents.length;
    const reopened = alerts.reduce((n, a) => n + a.events.filter((e) => e.kind === "reopened").length, 0);
    console.log(
      [
        `fleet simulation: ${models.length} nodes, ${DAYS} days, ${judgeTimes().length} judge runs, ${plan.length} batches`,
        `conditions: ${[...expected.values()].reduce((a, b) => a + b, 0)} (of ${expected.size} kinds on a node); alerts raised: ${raised} (re-opened ${reopened} times); alerts per condition: ${raised / [...expected.values()].reduce((a, b) => a + b, 0)}`,
        `incidents: ${incidents.length} (the TSM server down: ${pointing.length} nodes' alerts point to it)`,
        `false alerts: ${falseAlerts.length}; conditions never alerted: ${unheard.length}; live alerts over open problems at worst: ${maxOver}`,
        `causes matching the after-the-fact verdicts: ${afterVerdicts.size - differing.length} of ${afterVerdicts.size} windows`,
      ].join("\n"),
    );
  }, 600_000);
});
