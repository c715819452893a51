import { type DemoNode, generateDemoFleet, renderDemoLogs } from "@fleetwatch/core/demo";
import { parseLogs } from "@fleetwatch/core/parse";
import type { IngestBatchInput, MachineIdentity } from "@fleetwatch/core/schemas";

/** What one simulated agent ships: its history in agent-sized batches, then one more night. */
export interface AgentLoad {
  name: string;
  machine: MachineIdentity;
  /** The backfill (first ship or a full resync): the history, 500 events a batch, as the agent cuts it. */
  backfill: Batch[];
  /** The next night alone: one event and a heartbeat, the steady state of a healthy fleet. */
  nightly: Batch;
}

export interface Batch {
  events: number;
  /** The request body, serialised once up front: `{"json": batch}` (plain JSON is valid superjson). */
  body: string;
  batch: IngestBatchInput;
}

/** The agent's batch size (apps/agent/src/ship.ts). */
const BATCH_EVENTS = 500;

/**
 * Real dsmsched.log/dsmerror.log text for a demo fleet, parsed by the real parser, cut into the
 * batches the agent would send. Done once, before anything is timed.
 */
export function buildFleetLoad(opts: { nodes: number; nights: number; lastNight: string }): AgentLoad[] {
  // One night more than asked: the newest is held back for the nightly pass.
  const fleet = generateDemoFleet({ nodes: opts.nodes, nights: opts.nights + 1, lastNight: opts.lastNight });
  return fleet.map((node) => agentLoad(node, opts.lastNight));
}

function agentLoad(node: DemoNode, lastNight: string): AgentLoad {
  const machine: MachineIdentity = {
    machineId: node.machineId,
    hostname: node.hostname,
    os: node.os,
    osVersion: null,
    macAddresses: node.macAddresses,
    clientVersion: "8.1.23",
  };
  // As the agent parses (ship and run): with the raw lines around each message.
  const parsed = parseLogs(renderDemoLogs(node, lastNight), { context: true });
  const { utcOffsetMinutes } = node;
  const events = parsed.events.map((event) => ({ node: node.name, utcOffsetMinutes, event }));
  const lastStart = `${lastNight}T`;
  const history = events.filter((e) => !(e.event.scheduledStart ?? e.event.startedAt ?? "").startsWith(lastStart));
  const tonight = events.filter((e) => !history.includes(e));
  const problems = parsed.problems.map((message) => ({ node: node.name, utcOffsetMinutes, message }));
  const announced = parsed.nextScheduled.length ? [{ node: node.name, utcOffsetMinutes, nextScheduled: parsed.nextScheduled }] : [];

  const backfill: Batch[] = [];
  for (let i = 0; i < Math.max(history.length, problems.length, 1); i += BATCH_EVENTS) {
    backfill.push(
      batchOf({
        machine,
        events: history.slice(i, i + BATCH_EVENTS),
        problems: problems.slice(i, i + BATCH_EVENTS),
        heartbeats: [],
        announcements: i === 0 ? announced : [],
      }),
    );
  }
  const beatAt = new Date(Date.parse(`${lastNight}T00:00:00Z`) + (node.startHour + 2) * 3_600_000).toISOString();
  const nightly = batchOf({
    machine,
    events: tonight,
    problems: [],
    heartbeats: [
      {
        node: node.name,
        at: beatAt,
        bootedAt: null,
        clockJumpSeconds: 0,
        serverReachable: true,
        schedulerRunning: true,
        nextScheduled: parsed.nextScheduled.slice(-1),
        spoolBytes: 0,
        lastError: null,
      },
    ],
    announcements: announced.length ? [{ ...announced[0]!, nextScheduled: parsed.nextScheduled.slice(-1) }] : [],
  });
  return { name: node.name, machine, backfill, nightly };
}

function batchOf(batch: IngestBatchInput): Batch {
  return { events: batch.events.length, body: JSON.stringify({ json: batch }), batch };
}
