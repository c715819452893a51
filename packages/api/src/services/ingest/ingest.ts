import { INT4_MAX, type IngestAck, type IngestBatch } from "@fleetwatch/core/schemas";
import { Prisma } from "@fleetwatch/db/client";
import { prismaSql, type Sql, sqlTransaction } from "@fleetwatch/db/sql";
import type { Db, Tx } from "../../context";
import { DomainError } from "../../errors";
import {
  type CurrentWindow,
  derivedState,
  inferredSchedules,
  type KeyedEvent,
  keyEvents,
  planWindows,
  type RecentWindow,
  recentAfter,
  type ScheduleFacts,
  windowKey,
  writtenWindow,
} from "./ingest-plan";
import { type BatchState, type NodeState, readBatchState, recentWindows } from "./ingest-read";
import { writeBatch, writeDerivedStates, writeSchedules } from "./ingest-write";

/** A batch that claims a machine or node that is not its agent's: refused (403) and audited. */
export class MachineClaimRefused extends DomainError {
  constructor(message: string, details: Record<string, unknown>) {
    super("FORBIDDEN", message, details);
  }
}

/**
 * Store one agent batch in one transaction: nothing of a bad batch is half-stored. Idempotent on
 * the window key (node, schedule, scheduled start): a resend changes nothing (no row, no
 * updatedAt), a fuller report of the same window (in-progress -> completed) replaces the earlier
 * one. An agent may write only the nodes of its own machine.
 *
 * Set-based, whatever the batch's size: one statement reads everything the batch touches
 * (ingest-read.ts), the decisions are plain functions (ingest-plan.ts), one statement writes
 * them (ingest-write.ts). A node's first batch adds one statement to register it, a schedule no
 * one has seen yet one more.
 */
export async function ingestBatch(
  db: Db,
  args: { agentId: string; machineRef: string | null; batch: IngestBatch; now: Date },
): Promise<IngestAck> {
  const { batch, now } = args;
  return sqlTransaction(
    db,
    async (sql) => {
      const names = [...new Set([...batch.events, ...batch.problems, ...batch.heartbeats, ...batch.announcements].map((r) => r.node))];
      // A node's schedules are inferred again when the batch says something of its log: its offset.
      const offsetOf = new Map<string, number>();
      for (const r of [...batch.announcements, ...batch.events]) if (!offsetOf.has(r.node)) offsetOf.set(r.node, r.utcOffsetMinutes);
      const keyed = keyEvents(batch.events);
      const { state, nodes } = await ownNodes(sql, { ...args, names, keyed, inferFor: [...offsetOf.keys()] });

      const current = new Map<string, CurrentWindow>(state.current.map((c) => [windowKey(c.node, c.schedule, c.scheduledStart), c]));
      const windows = planWindows(keyed, current);
      const writtenBy = new Map<string, RecentWindow[]>();
      for (const w of windows) {
        const list = writtenBy.get(w.event.node) ?? [];
        writtenBy.set(w.event.node, list);
        list.push(writtenWindow(w));
      }

      const schedules = inferForNodes(batch, nodes, offsetOf, writtenBy);
      const scheduleIds = schedules.facts.size
        ? await writeSchedules(sql, schedules.facts, state.schedules, now)
        : new Map<string, string>();
      const result = await writeBatch(sql, {
        nodeIds: new Map([...nodes].map(([name, node]) => [name, node.id])),
        windows,
        os: batch.machine.os,
        problems: batch.problems,
        heartbeats: batch.heartbeats,
        now,
        nodes: [...nodes].map(([name, node]) => ({
          id: node.id,
          ...derivedState(recentAfter(node.recent, writtenBy.get(name) ?? [])),
          ...contactFacts(batch, name, now),
        })),
        links: schedules.wanted.flatMap((w) => {
          const scheduleId = scheduleIds.get(w.name) as string;
          return w.linked.includes(scheduleId) ? [] : [{ nodeId: w.nodeId, scheduleId }];
        }),
      });
      const acceptedEvents = windows.reduce((n, w) => n + (result.written.has(w.event.key) ? w.accepted : 0), 0);
      return { acceptedEvents, acceptedProblems: result.problems, acceptedHeartbeats: result.heartbeats };
    },
    // A batch waiting past this (on the judge's locks, say) gives its connection back and is
    // refused; the agent keeps it spooled and sends it again.
    { genericPlans: true, statementTimeoutMs: 30_000 },
  );
}

/**
 * The schedules each node's scheduler implies, from what it announced and its newest windows
 * once the batch's are in. The last word per name wins, as if each node's were written in turn.
 */
function inferForNodes(
  batch: IngestBatch,
  nodes: ReadonlyMap<string, NodeState>,
  offsetOf: ReadonlyMap<string, number>,
  writtenBy: ReadonlyMap<string, RecentWindow[]>,
) {
  const wanted: { nodeId: string; name: string; linked: readonly string[] }[] = [];
  const facts = new Map<string, ScheduleFacts>();
  for (const [name, node] of nodes) {
    const offset = offsetOf.get(name);
    if (offset === undefined) continue;
    const announced = batch.announcements.filter((a) => a.node === name).flatMap((a) => a.nextScheduled);
    for (const s of inferredSchedules(recentAfter(node.agent ?? [], writtenBy.get(name) ?? []), announced, offset)) {
      wanted.push({ nodeId: node.id, name: s.name, linked: node.linked });
      facts.set(s.name, s.facts);
    }
  }
  return { wanted, facts };
}

/**
 * What a batch tells of a node's contact: now, its newest heartbeat, its log's UTC offset and its
 * machine's time zone (null: unchanged).
 */
function contactFacts(batch: IngestBatch, name: string, now: Date) {
  const beats = batch.heartbeats.filter((h) => h.node === name).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const lastBeat = beats[beats.length - 1]?.at;
  return {
    lastContactAt: now,
    lastHeartbeatAt: lastBeat ? new Date(lastBeat) : null,
    utcOffsetMinutes: batch.events.findLast((e) => e.node === name)?.utcOffsetMinutes ?? null,
    timeZone: beats.findLast((h) => h.timeZone)?.timeZone ?? null,
    clockSkewSeconds: clockSkewReading(beats, now),
  };
}

/**
 * The node's clock against ours from this batch: its newest heartbeat's `at` minus now. Only a
 * batch of one or two of its heartbeats is read: many are a spool draining after an outage, whose
 * newest beat may have waited and would make the clock look slow. INT4-bounded.
 */
function clockSkewReading(beats: readonly { at: string }[], now: Date): number | null {
  const newest = beats[beats.length - 1];
  if (!newest || beats.length > 2) return null;
  return Math.max(-INT4_MAX, Math.min(INT4_MAX, Math.round((Date.parse(newest.at) - now.getTime()) / 1000)));
}

/**
 * Read the batch state and make the batch's nodes the agent's: an agent may write only the nodes
 * of its own machine; unknown nodes are registered to it, unclaimed ones claimed. Returns every
 * node of the batch with what the read found of it (nothing, for a node just registered).
 */
async function ownNodes(
  sql: Sql,
  args: {
    agentId: string;
    machineRef: string | null;
    batch: IngestBatch;
    now: Date;
    names: string[];
    keyed: readonly KeyedEvent[];
    inferFor: string[];
  },
): Promise<{ state: BatchState; nodes: Map<string, NodeState> }> {
  const { batch, now, names } = args;
  const bootedAt =
    batch.heartbeats
      .map((h) => h.bootedAt)
      .filter((b): b is string => b !== null)
      .sort()
      .at(-1) ?? null;
  const keys = new Map<string, { node: string; schedule: string; scheduledStart: string }>();
  for (const k of args.keyed) {
    keys.set(k.key, { node: k.node, schedule: k.report.event.schedule, scheduledStart: new Date(k.scheduledStart).toISOString() });
  }
  const scheduleNames = [
    ...new Set([
      ...batch.events.map((e) => e.event.schedule),
      ...batch.announcements.flatMap((a) => a.nextScheduled.map((n) => n.schedule)),
    ]),
  ];
  for (;;) {
    const state = await readBatchState(sql, {
      agentId: args.agentId,
      machine: batch.machine,
      bootedAt: bootedAt === null ? null : new Date(bootedAt).toISOString(),
      now,
      names,
      inferFor: args.inferFor,
      keys: [...keys.values()],
      scheduleNames,
    });
    const bound = state.agentMachineRef ?? args.machineRef;
    if (bound && bound !== state.machineRef) {
      throw new MachineClaimRefused(
        `this agent is bound to another machine, not ${batch.machine.hostname}: an admin can move it (Settings > Agents)`,
        { machineId: batch.machine.machineId, hostname: batch.machine.hostname },
      );
    }
    if (!bound && state.otherAgents > 0) {
      throw new MachineClaimRefused(
        `machine ${batch.machine.hostname} is watched by another agent: an admin revokes that agent, or moves this one (Settings > Agents)`,
        { machineId: batch.machine.machineId, hostname: batch.machine.hostname },
      );
    }
    const nodes = new Map<string, NodeState>();
    const unclaimed: string[] = [];
    for (const node of state.nodes) {
      if (node.machineRef && node.machineRef !== state.machineRef) {
        throw new MachineClaimRefused(`node ${node.name} belongs to another machine; reassign or deregister it in the dashboard`, {
          node: node.name,
          hostname: batch.machine.hostname,
        });
      }
      if (!node.machineRef) unclaimed.push(node.id);
      nodes.set(node.name, node);
    }
    const missing = names.filter((n) => !nodes.has(n));
    if (!unclaimed.length && !missing.length) return { state, nodes };
    const made = await sql.query<{ id: string; name: string }>(
      Prisma.sql`
      WITH claimed AS (
        UPDATE "Node" SET "machineRef" = ${state.machineRef}::uuid, "updatedAt" = ${now.toISOString()}::timestamptz
         WHERE id = ANY(${unclaimed}::uuid[])
      )
      INSERT INTO "Node" (id, name, "machineRef", "lastContactAt")
      SELECT gen_random_uuid(), name, ${state.machineRef}::uuid, ${now}::timestamptz FROM unnest(${missing}::text[]) AS name
      ON CONFLICT (server, name) DO NOTHING
      RETURNING id, name`,
      { prepared: true },
    );
    for (const node of made) nodes.set(node.name, { ...node, machineRef: state.machineRef, recent: [], agent: [], linked: [] });
    if (made.length === missing.length) return { state, nodes };
    // Another batch registered one of these names a moment ago: read again, and check whose it is.
  }
}

/** Recompute nodes' derived state (last outcome, streaks, last success) from their windows: one read and one write whatever their number. */
export async function refreshDerivedStates(tx: Tx, nodeIds: readonly string[], now: Date) {
  if (!nodeIds.length) return;
  const sql = prismaSql(tx);
  const recent = await recentWindows(sql, nodeIds);
  await writeDerivedStates(
    sql,
    nodeIds.map((id) => ({
      id,
      ...derivedState(recent.get(id) ?? []),
      lastContactAt: null,
      lastHeartbeatAt: null,
      utcOffsetMinutes: null,
    })),
    now,
  );
}
