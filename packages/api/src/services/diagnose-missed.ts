import { diagnoseMissed, type EvidenceMessage } from "@fleetwatch/core/diagnosis";
import type { FlagKind } from "@fleetwatch/core/flags";
import { type DuplicateSuspect, staleness } from "@fleetwatch/core/fleet";
import type { SiteSettings } from "@fleetwatch/core/settings";
import type { Tx } from "../context";
import { fromFlagKind } from "./flag-kinds";
import { diagnosisJson } from "./ingest";

const HOUR = 3_600_000;

/**
 * Diagnose freshly recorded MISSED windows: the guide's section 1 answered from the evidence around
 * each window (flags open then, heartbeats, the client's messages, staleness, a duplicate twin).
 */
export async function diagnoseMissedWindows(
  tx: Tx,
  args: { windowIds: readonly string[]; suspects: readonly DuplicateSuspect[]; settings: SiteSettings; now: Date },
) {
  const deadTwinOf = new Map<string, string>();
  for (const s of args.suspects) {
    if (!s.deadNodeId) continue;
    const live = s.nodeIds[0] === s.deadNodeId ? s.names[1] : s.names[0];
    deadTwinOf.set(s.deadNodeId, live);
  }
  const windows = await tx.window.findMany({
    where: { id: { in: [...args.windowIds] } },
    select: {
      id: true,
      schedule: true,
      scheduledStart: true,
      node: {
        select: {
          id: true,
          name: true,
          os: true,
          createdAt: true,
          registeredAt: true,
          lastHeartbeatAt: true,
          lastAccessAt: true,
          lastEventAt: true,
          lastContactAt: true,
          machine: { select: { os: true } },
          schedules: { select: { schedule: { select: { name: true, durationMinutes: true } } } },
        },
      },
    },
  });
  for (const w of windows) {
    const node = w.node;
    const minutes = node.schedules.find((s) => s.schedule.name.toUpperCase() === w.schedule.toUpperCase())?.schedule.durationMinutes ?? 60;
    const opensAt = w.scheduledStart;
    const closesAt = new Date(opensAt.getTime() + minutes * 60_000);
    const from = new Date(opensAt.getTime() - 24 * HOUR);
    const to = new Date(closesAt.getTime() + args.settings.lateStartHorizonHours * HOUR);
    const [flags, heartbeats, problems, eventMessages, firstBeat] = await Promise.all([
      tx.flag.findMany({
        where: { nodeId: node.id, raisedAt: { lte: opensAt }, OR: [{ clearedAt: null }, { clearedAt: { gt: opensAt } }] },
        select: { kind: true },
      }),
      tx.heartbeat.findMany({
        where: { nodeId: node.id, at: { gte: new Date(opensAt.getTime() - HOUR), lte: to } },
        select: { at: true, bootedAt: true, clockJumpSeconds: true, serverReachable: true, schedulerRunning: true },
      }),
      tx.problem.findMany({
        where: { nodeId: node.id, at: { gte: from, lte: to } },
        select: { code: true, at: true, cause: true, flag: true, days: true },
      }),
      tx.eventMessage.findMany({
        where: { window: { nodeId: node.id }, at: { gte: from, lte: to } },
        select: { code: true, at: true, cause: true, flag: true, days: true },
      }),
      tx.heartbeat.findFirst({ where: { nodeId: node.id }, orderBy: { at: "asc" }, select: { at: true } }),
    ]);
    const contact = {
      lastHeartbeatAt: node.lastHeartbeatAt,
      lastAccessAt: node.lastAccessAt,
      lastEventAt: node.lastEventAt,
      knownSince: node.registeredAt ?? node.createdAt,
    };
    const diagnosis = diagnoseMissed(
      {
        window: { schedule: w.schedule, opensAt, closesAt },
        node: {
          name: node.name,
          os: node.os ?? node.machine?.os ?? null,
          stale: staleness(contact, args.settings, args.now).stale,
          lastContactAt: node.lastContactAt,
          deadTwinOf: deadTwinOf.get(node.id) ?? null,
          agentSince: firstBeat?.at ?? null,
        },
        flagsAtWindow: flags.map((f) => fromFlagKind(f.kind) as FlagKind),
        heartbeats,
        messages: [...problems, ...eventMessages] as EvidenceMessage[],
      },
      args.settings,
    );
    await tx.window.update({
      where: { id: w.id },
      data: { diagnosis: diagnosisJson(diagnosis), cause: diagnosis.cause, causes: [diagnosis.cause] },
    });
  }
  return windows.length;
}
