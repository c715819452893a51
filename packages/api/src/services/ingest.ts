import { createHash } from "node:crypto";
import { type Diagnosis, diagnoseFailure } from "@fleetwatch/core/diagnosis";
import { deriveNodeState } from "@fleetwatch/core/fleet";
import type { EventReport, IngestAck, IngestBatch, MachineIdentity } from "@fleetwatch/core/schemas";
import { localToUtc } from "@fleetwatch/core/windows";
import { Prisma } from "@fleetwatch/db/client";
import type { Db, Tx } from "../context";
import { forbidden } from "../errors";
import { refreshSchedules } from "./schedules";

/**
 * Store one agent batch in one transaction: nothing of a bad batch is half-stored. Idempotent on
 * the window key (node, schedule, scheduled start): a resend changes nothing, a fuller report of
 * the same window (in-progress -> completed) replaces the earlier one.
 */
export async function ingestBatch(
  db: Db,
  args: { agentId: string; machineRef: string | null; batch: IngestBatch; now: Date },
): Promise<IngestAck> {
  const { batch, now } = args;
  return db.$transaction(async (tx) => {
    const machineRef = await bindMachine(tx, args.agentId, args.machineRef, batch.machine, now);
    const names = new Set([...batch.events, ...batch.problems, ...batch.heartbeats, ...batch.announcements].map((r) => r.node));
    const nodeIds = await ownNodes(tx, machineRef, [...names], now);

    let acceptedEvents = 0;
    for (const report of batch.events) {
      if (await upsertWindow(tx, nodeIds.get(report.node) as string, report, batch.machine.os)) acceptedEvents++;
    }
    const acceptedProblems = await storeProblems(tx, nodeIds, batch);
    const acceptedHeartbeats = await storeHeartbeats(tx, nodeIds, batch, machineRef);
    for (const [name, nodeId] of nodeIds) {
      await refreshNodeState(tx, nodeId, name, batch, now);
      const announced = batch.announcements.filter((a) => a.node === name);
      const offset = [...announced, ...batch.events.filter((e) => e.node === name)][0]?.utcOffsetMinutes;
      if (offset !== undefined)
        await refreshSchedules(tx, { nodeId, utcOffsetMinutes: offset, announced: announced.flatMap((a) => a.nextScheduled) });
    }
    return { acceptedEvents, acceptedProblems, acceptedHeartbeats };
  });
}

async function bindMachine(tx: Tx, agentId: string, machineRef: string | null, id: MachineIdentity, now: Date) {
  const facts = {
    hostname: id.hostname,
    os: id.os,
    osVersion: id.osVersion,
    macAddresses: id.macAddresses,
    clientVersion: id.clientVersion,
    lastSeenAt: now,
  };
  const machine = await tx.machine.upsert({
    where: { machineId: id.machineId },
    create: { machineId: id.machineId, ...facts },
    update: facts,
    select: { id: true },
  });
  if (machineRef && machineRef !== machine.id) {
    throw forbidden(`this agent is enrolled for another machine, not ${id.hostname}`);
  }
  await tx.agent.update({ where: { id: agentId }, data: { machineRef: machine.id, lastSeenAt: now } });
  return machine.id;
}

/** An agent may write only the nodes of its own machine; unknown nodes are registered to it. */
async function ownNodes(tx: Tx, machineRef: string, names: string[], now: Date): Promise<Map<string, string>> {
  const existing = await tx.node.findMany({
    where: { server: "", name: { in: names } },
    select: { id: true, name: true, machineRef: true },
  });
  const ids = new Map<string, string>();
  for (const node of existing) {
    if (node.machineRef && node.machineRef !== machineRef) {
      throw forbidden(`node ${node.name} belongs to another machine; reassign or deregister it in the dashboard`);
    }
    if (!node.machineRef) await tx.node.update({ where: { id: node.id }, data: { machineRef } });
    ids.set(node.name, node.id);
  }
  for (const name of names) {
    if (ids.has(name)) continue;
    const node = await tx.node.create({ data: { name, machineRef, lastContactAt: now }, select: { id: true } });
    ids.set(name, node.id);
  }
  return ids;
}

async function upsertWindow(tx: Tx, nodeId: string, report: EventReport, os: string | null): Promise<boolean> {
  const { event, utcOffsetMinutes } = report;
  const localStart = event.scheduledStart ?? event.startedAt;
  if (!localStart) return false;
  const scheduledStart = localToUtc(localStart, utcOffsetMinutes);
  const at = (local: string | null) => (local ? localToUtc(local, utcOffsetMinutes) : null);
  const key = { nodeId_schedule_scheduledStart: { nodeId, schedule: event.schedule, scheduledStart } };
  const current = await tx.window.findUnique({
    where: key,
    select: { id: true, outcome: true, source: true, endedAt: true, returnCode: true, _count: { select: { messages: true } } },
  });
  const endedAt = at(event.endedAt);
  if (current && current.source === "agent") {
    if (current.outcome !== "in_progress" && event.status === "in-progress") return false;
    const same =
      current.outcome === toOutcome(event.status) &&
      current.returnCode === event.returnCode &&
      current.endedAt?.getTime() === endedAt?.getTime() &&
      current._count.messages === event.messages.length;
    if (same) return false;
  }
  const stats = event.stats;
  const data = {
    localStart,
    outcome: toOutcome(event.status),
    returnCode: event.returnCode,
    startedAt: at(event.startedAt),
    endedAt,
    objectsInspected: big(stats?.inspected),
    objectsBackedUp: big(stats?.backedUp),
    objectsFailed: big(stats?.failed),
    bytesTransferred: big(stats?.bytesTransferred),
    elapsedSeconds: stats?.elapsedSeconds ?? null,
    stats: stats ? (stats as Prisma.InputJsonObject) : Prisma.DbNull,
    causes: event.causes,
    cause: event.cause,
    benign: event.benign,
    source: "agent",
    judgedAt: null,
    diagnosis: diagnosisJson(diagnoseFailure(event, { os, utcOffsetMinutes })),
  };
  const window = current
    ? await tx.window.update({ where: { id: current.id }, data, select: { id: true } })
    : await tx.window.create({ data: { nodeId, schedule: event.schedule, scheduledStart, ...data }, select: { id: true } });
  if (current) await tx.eventMessage.deleteMany({ where: { windowId: window.id } });
  if (event.messages.length) {
    await tx.eventMessage.createMany({
      data: event.messages.map((m, ordinal) => ({
        windowId: window.id,
        ordinal,
        code: m.code,
        severity: m.severity,
        at: at(m.at),
        text: m.text,
        cause: m.cause,
        flag: m.flag ?? null,
        days: m.days ?? null,
      })),
    });
  }
  return true;
}

async function storeProblems(tx: Tx, nodeIds: Map<string, string>, batch: IngestBatch): Promise<number> {
  if (!batch.problems.length) return 0;
  const { count } = await tx.problem.createMany({
    skipDuplicates: true,
    data: batch.problems.map(({ node, message: m, utcOffsetMinutes }) => ({
      nodeId: nodeIds.get(node) as string,
      at: m.at ? localToUtc(m.at, utcOffsetMinutes) : null,
      code: m.code,
      severity: m.severity,
      text: m.text,
      textHash: createHash("sha1").update(m.text).digest("hex"),
      cause: m.cause,
      flag: m.flag ?? null,
      days: m.days ?? null,
    })),
  });
  return count;
}

async function storeHeartbeats(tx: Tx, nodeIds: Map<string, string>, batch: IngestBatch, machineRef: string): Promise<number> {
  if (!batch.heartbeats.length) return 0;
  const { count } = await tx.heartbeat.createMany({
    skipDuplicates: true,
    data: batch.heartbeats.map((h) => ({
      nodeId: nodeIds.get(h.node) as string,
      at: new Date(h.at),
      bootedAt: h.bootedAt ? new Date(h.bootedAt) : null,
      clockJumpSeconds: h.clockJumpSeconds,
      serverReachable: h.serverReachable,
      schedulerRunning: h.schedulerRunning,
      spoolBytes: h.spoolBytes === null ? null : BigInt(h.spoolBytes),
      lastError: h.lastError,
    })),
  });
  const booted = batch.heartbeats
    .map((h) => h.bootedAt)
    .filter((b): b is string => b !== null)
    .sort()
    .at(-1);
  if (booted) await tx.machine.update({ where: { id: machineRef }, data: { bootedAt: new Date(booted) } });
  return count;
}

async function refreshNodeState(tx: Tx, nodeId: string, name: string, batch: IngestBatch, now: Date) {
  await refreshDerivedState(tx, nodeId);
  const beats = batch.heartbeats
    .filter((h) => h.node === name)
    .map((h) => h.at)
    .sort();
  const lastBeat = beats.at(-1);
  const offsets = batch.events.filter((e) => e.node === name).map((e) => e.utcOffsetMinutes);
  await tx.node.update({
    where: { id: nodeId },
    data: {
      lastContactAt: now,
      ...(lastBeat ? { lastHeartbeatAt: new Date(lastBeat) } : {}),
      ...(offsets.length ? { utcOffsetMinutes: offsets[offsets.length - 1] } : {}),
    },
  });
}

/** Recompute a node's derived state (last outcome, streaks, last success) from its windows. */
export async function refreshDerivedState(tx: Tx, nodeId: string) {
  const recent = await tx.window.findMany({
    where: { nodeId },
    orderBy: { scheduledStart: "desc" },
    take: 60,
    select: { scheduledStart: true, outcome: true, benign: true, endedAt: true, cause: true, startedAt: true, source: true },
  });
  const state = deriveNodeState(recent.map((w) => ({ ...w, outcome: fromOutcome(w.outcome) })));
  const lastEvent = recent.find((w) => w.source === "agent");
  await tx.node.update({
    where: { id: nodeId },
    data: {
      lastOutcome: state.lastOutcome ? toOutcome(state.lastOutcome) : null,
      lastCause: recent[0]?.cause ?? null,
      lastCompletedAt: state.lastCompletedAt,
      missedStreak: state.missedStreak,
      failedStreak: state.failedStreak,
      lastEventAt: lastEvent ? (lastEvent.startedAt ?? lastEvent.scheduledStart) : null,
    },
  });
}

export const diagnosisJson = (d: Diagnosis | null) => (d ? (d as unknown as Prisma.InputJsonObject) : Prisma.DbNull);

const big = (n: number | null | undefined) => (n === null || n === undefined ? null : BigInt(n));

type DbOutcome = "completed" | "failed" | "severed" | "aborted" | "in_progress" | "missed";
export const toOutcome = (s: string): DbOutcome => (s === "in-progress" ? "in_progress" : (s as DbOutcome));
export const fromOutcome = (s: DbOutcome) => (s === "in_progress" ? "in-progress" : s);
