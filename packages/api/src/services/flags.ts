import type { EvidenceMessage } from "@fleetwatch/core/diagnosis";
import { diffFlags, evaluateFlags, type HistoryWindow, type NodeFacts, type WantedFlag } from "@fleetwatch/core/flags";
import type { DuplicateSuspect } from "@fleetwatch/core/fleet";
import type { FailureCause } from "@fleetwatch/core/schemas";
import type { SiteSettings } from "@fleetwatch/core/settings";
import type { Prisma } from "@fleetwatch/db/client";
import type { Tx } from "../context";
import { fromFlagKind, toFlagKind } from "./flag-kinds";
import { fromOutcome } from "./ingest";

/** Enough windows for every history rule (M of the last K, streaks); older success is in lastCompletedAt. */
const HISTORY_WINDOWS = 14;
const MESSAGE_DAYS = 60;

export interface FlagChange {
  nodeId: string;
  nodeName: string;
  kind: string;
  detail: string;
}

/**
 * Bring every node's open flags in line with the domain's rules: raise what should be open, clear
 * what no longer should, refresh the evidence of the rest. Returns what changed, for alerts.
 */
export async function reconcileFlags(tx: Tx, args: { suspects: readonly DuplicateSuspect[]; settings: SiteSettings; now: Date }) {
  const since = new Date(args.now.getTime() - MESSAGE_DAYS * 86_400_000);
  const [nodes, history, problems, eventMessages, open] = await Promise.all([
    tx.node.findMany({
      select: {
        id: true,
        name: true,
        deregisteredAt: true,
        locked: true,
        passwordSetAt: true,
        lastAccessAt: true,
        lastHeartbeatAt: true,
        lastEventAt: true,
        registeredAt: true,
        createdAt: true,
        lastCompletedAt: true,
      },
    }),
    tx.$queryRaw<
      {
        nodeId: string;
        scheduledStart: Date;
        outcome: string;
        benign: boolean;
        startedAt: Date | null;
        endedAt: Date | null;
        objectsFailed: bigint | null;
        returnCode: number | null;
        causes: string[];
      }[]
    >`SELECT "nodeId", "scheduledStart", outcome::text AS outcome, benign, "startedAt", "endedAt", "objectsFailed", "returnCode", causes
        FROM (SELECT *, row_number() OVER (PARTITION BY "nodeId" ORDER BY "scheduledStart" DESC) AS rn FROM "Window") w
       WHERE rn <= ${HISTORY_WINDOWS}`,
    tx.problem.findMany({
      where: { at: { gte: since } },
      select: { nodeId: true, code: true, at: true, cause: true, flag: true, days: true },
    }),
    tx.$queryRaw<{ nodeId: string; code: string; at: Date | null; cause: string | null; flag: string | null; days: number | null }[]>`
      SELECT w."nodeId", m.code, m.at, m.cause, m.flag, m.days
        FROM "EventMessage" m JOIN "Window" w ON w.id = m."windowId"
       WHERE m.at >= ${since} AND (m.cause IS NOT NULL OR m.flag IS NOT NULL OR m.severity IN ('E', 'S'))`,
    tx.flag.findMany({ where: { clearedAt: null }, select: { id: true, nodeId: true, kind: true, detail: true } }),
  ]);
  const group = <T extends { nodeId: string }>(rows: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) (m.get(r.nodeId) ?? m.set(r.nodeId, []).get(r.nodeId))?.push(r);
    return m;
  };
  const historyBy = group(history);
  const messagesBy = group([...problems, ...eventMessages]);
  const openBy = group(open.map((f) => ({ ...f, kind: fromFlagKind(f.kind) })));
  const duplicateBy = new Map<string, NodeFacts["duplicate"]>();
  for (const s of args.suspects) {
    const [a, b] = s.nodeIds;
    const evidence = s.evidence.map((e) => e.detail);
    duplicateBy.set(a, { otherName: s.names[1], score: s.score, evidence, since: null });
    duplicateBy.set(b, { otherName: s.names[0], score: s.score, evidence, since: null });
  }

  const raised: FlagChange[] = [];
  const cleared: FlagChange[] = [];
  const toCreate: Prisma.FlagCreateManyInput[] = [];
  const toClear: string[] = [];
  for (const node of nodes) {
    const facts: NodeFacts = {
      name: node.name,
      deregistered: node.deregisteredAt !== null,
      locked: null,
      serverCheckedAt: null,
      passwordSetAt: node.passwordSetAt,
      passwordExpiryDays: null,
      contact: {
        lastHeartbeatAt: node.lastHeartbeatAt,
        lastAccessAt: node.lastAccessAt,
        lastEventAt: node.lastEventAt,
        knownSince: node.registeredAt ?? node.createdAt,
      },
      lastCompletedAt: node.lastCompletedAt,
      duplicate: duplicateBy.get(node.id) ?? null,
      domainCheck: null,
    };
    const windows: HistoryWindow[] = (historyBy.get(node.id) ?? []).map((w) => ({
      scheduledStart: w.scheduledStart,
      outcome: fromOutcome(w.outcome as never),
      benign: w.benign,
      startedAt: w.startedAt,
      endedAt: w.endedAt,
      failedObjects: w.objectsFailed === null ? null : Number(w.objectsFailed),
      returnCode: w.returnCode,
      causes: w.causes as FailureCause[],
    }));
    const messages = (messagesBy.get(node.id) ?? []) as unknown as EvidenceMessage[];
    const wanted = evaluateFlags(facts, windows, { messages }, args.settings, args.now);
    const { raise, clear } = diffFlags(openBy.get(node.id) ?? [], wanted);
    for (const w of raise) {
      toCreate.push(flagRow(node.id, w));
      raised.push({ nodeId: node.id, nodeName: node.name, kind: w.kind, detail: w.detail });
    }
    for (const c of clear) {
      toClear.push(c.id);
      cleared.push({ nodeId: node.id, nodeName: node.name, kind: c.kind, detail: c.detail ?? "" });
    }
  }
  if (toCreate.length) await tx.flag.createMany({ data: toCreate });
  if (toClear.length) await tx.flag.updateMany({ where: { id: { in: toClear } }, data: { clearedAt: args.now } });
  return { raised, cleared };
}

function flagRow(nodeId: string, w: WantedFlag): Prisma.FlagCreateManyInput {
  return {
    nodeId,
    kind: toFlagKind(w.kind),
    raisedAt: w.since,
    detail: w.detail,
    evidence: w.evidence as unknown as Prisma.InputJsonArray,
  };
}
