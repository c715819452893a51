import { diagnoseMissed, type EvidenceMessage, type HeartbeatEvidence } from "@fleetwatch/core/diagnosis";
import type { FlagKind } from "@fleetwatch/core/flags";
import { type DuplicateSuspect, staleness } from "@fleetwatch/core/fleet";
import type { SiteSettings } from "@fleetwatch/core/settings";
import type { FlagKind as DbFlagKind } from "@fleetwatch/db/client";
import { list, texts } from "@fleetwatch/db/sql";
import type { Tx } from "../../context";
import { groupByNode } from "../fleet/group-by-node";
import { fromFlagKind } from "./flag-kinds";

const HOUR = 3_600_000;

/** How long after a MISSED window closed its cause is still judged again as late evidence arrives. */
export const REVISION_HORIZON_HOURS = 72;
/** Longer than any schedule's duration: how far before the horizon a window may open and still close inside it. */
const LONGEST_WINDOW_HOURS = 24;
/** Longer than any ingest transaction (its statements time out at 30 s): a contact stamped before a run may commit after it. */
const LATE_COMMIT_MS = 2 * 60_000;

type Timed = { at: Date };
type Message = EvidenceMessage & { nodeId: string; at: Date };

type DiagnoseArgs = { suspects: readonly DuplicateSuspect[]; settings: SiteSettings; now: Date };

/**
 * Diagnose freshly recorded MISSED windows: the guide's section 1 answered from the evidence around
 * each window (flags open then, heartbeats, the client's messages, staleness, a duplicate twin).
 */
export async function diagnoseMissedWindows(tx: Tx, args: DiagnoseArgs & { windowIds: readonly string[] }) {
  const diagnosed = await diagnose(tx, args.windowIds, args);
  await writeDiagnoses(tx, diagnosed, null, args.now);
  return diagnosed.length;
}

/**
 * Judge again the MISSED windows that closed within the revision horizon on nodes that sent
 * evidence since the last run (an agent's batch: a wake or boot heartbeat, a spool drained after an
 * outage; or a changed record from the collector): the first verdict, made minutes after the
 * window closed, is a guess the morning's evidence may overturn. Only a changed verdict is written,
 * with judgedAt = now (when it was last revised) and a fresh updatedAt, so the window's alert is
 * re-opened with the new words. Returns how many verdicts changed.
 */
export async function reviseMissedDiagnoses(tx: Tx, args: DiagnoseArgs & { since: Date; fresh: readonly string[] }) {
  const horizon = new Date(args.now.getTime() - REVISION_HORIZON_HOURS * HOUR);
  const contactSince = new Date(args.since.getTime() - LATE_COMMIT_MS);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT w.id
      FROM "Node" n
      JOIN "Window" w ON w."nodeId" = n.id AND w.outcome = 'missed'
                     AND w."scheduledStart" >= ${new Date(horizon.getTime() - LONGEST_WINDOW_HOURS * HOUR)}
     WHERE n."deregisteredAt" IS NULL AND (n."lastContactAt" > ${contactSince} OR n."serverRecordAt" > ${contactSince})`;
  const fresh = new Set(args.fresh);
  const ids = rows.map((r) => r.id).filter((id) => !fresh.has(id));
  const diagnosed = (await diagnose(tx, ids, args)).filter((d) => d.closesAt >= horizon);
  return writeDiagnoses(tx, diagnosed, args.now, args.now);
}

/**
 * Write diagnoses; with `revisedAt`, only those that differ from the stored one, stamped as revised
 * then. Returns how many rows changed.
 */
async function writeDiagnoses(tx: Tx, diagnosed: readonly Diagnosed[], revisedAt: Date | null, now: Date) {
  if (diagnosed.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE "Window" w SET diagnosis = d.diagnosis, cause = d.cause, causes = ARRAY[d.cause], "updatedAt" = ${now},
                          "judgedAt" = coalesce(${revisedAt}::timestamptz, w."judgedAt")
      FROM unnest(${list(diagnosed.map((d) => d.id))}::uuid[], ${texts(diagnosed.map((d) => d.cause))}::text[],
                  ${texts(diagnosed.map((d) => d.diagnosis))}::jsonb[]) AS d(id, cause, diagnosis)
     WHERE w.id = d.id AND (${revisedAt}::timestamptz IS NULL OR w.diagnosis IS DISTINCT FROM d.diagnosis OR w.cause IS DISTINCT FROM d.cause)`;
}

type Diagnosed = { id: string; cause: string; diagnosis: string; closesAt: Date };

/**
 * Each window's diagnosis from the evidence around it. The evidence is read once for all the
 * windows (each node's span of them), then cut per window.
 */
async function diagnose(tx: Tx, windowIds: readonly string[], args: DiagnoseArgs): Promise<Diagnosed[]> {
  if (windowIds.length === 0) return [];
  const deadTwinOf = new Map<string, string>();
  for (const s of args.suspects) {
    if (!s.deadNodeId) continue;
    const live = s.nodeIds[0] === s.deadNodeId ? s.names[1] : s.names[0];
    deadTwinOf.set(s.deadNodeId, live);
  }
  const windows = await tx.window.findMany({
    where: { id: { in: [...windowIds] } },
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
          machine: { select: { os: true } },
          schedules: { select: { schedule: { select: { name: true, durationMinutes: true } } } },
        },
      },
    },
  });
  const spans = windows.map((w) => {
    const minutes =
      w.node.schedules.find((s) => s.schedule.name.toUpperCase() === w.schedule.toUpperCase())?.schedule.durationMinutes ?? 60;
    const opensAt = w.scheduledStart;
    const closesAt = new Date(opensAt.getTime() + minutes * 60_000);
    return {
      w,
      opensAt,
      closesAt,
      from: new Date(opensAt.getTime() - 24 * HOUR),
      to: new Date(closesAt.getTime() + args.settings.lateStartHorizonHours * HOUR),
    };
  });
  const evidence = await readEvidence(
    tx,
    spans.map((s) => ({ nodeId: s.w.node.id, from: s.from, to: s.to })),
  );

  const diagnosed: Diagnosed[] = [];
  for (const { w, opensAt, closesAt, from, to } of spans) {
    const node = w.node;
    const flags = (evidence.flags.get(node.id) ?? []).filter(
      (f) => f.raisedAt.getTime() <= opensAt.getTime() && (f.clearedAt === null || f.clearedAt.getTime() > opensAt.getTime()),
    );
    const problems = between(evidence.problems.get(node.id), from, to);
    const eventMessages = between(evidence.eventMessages.get(node.id), from, to);
    const contact = {
      lastHeartbeatAt: node.lastHeartbeatAt,
      lastAccessAt: node.lastAccessAt,
      lastEventAt: node.lastEventAt,
      knownSince: node.registeredAt ?? node.createdAt,
    };
    const silence = staleness(contact, args.settings, args.now);
    const diagnosis = diagnoseMissed(
      {
        window: { schedule: w.schedule, opensAt, closesAt },
        node: {
          name: node.name,
          os: node.os ?? node.machine?.os ?? null,
          stale: silence.stale,
          // The contact staleness was judged from, not Node.lastContactAt (which moves with every
          // batch that names the node): a verdict judged again must not change with no news.
          lastContactAt: silence.lastContactAt,
          deadTwinOf: deadTwinOf.get(node.id) ?? null,
          agentSince: evidence.firstBeat.get(node.id) ?? null,
        },
        flagsAtWindow: flags.map((f) => fromFlagKind(f.kind) as FlagKind),
        heartbeats: between(evidence.heartbeats.get(node.id), new Date(opensAt.getTime() - HOUR), to),
        messages: [...problems, ...eventMessages],
      },
      args.settings,
    );
    diagnosed.push({ id: w.id, cause: diagnosis.cause, diagnosis: JSON.stringify(diagnosis), closesAt });
  }
  return diagnosed;
}

/**
 * Everything the windows' diagnoses may look at, per node, over the span from its earliest window's
 * evidence to its latest's: flags open then, heartbeats, problems, event messages (each list
 * sorted by time), and the node's first heartbeat ever.
 */
async function readEvidence(tx: Tx, spans: readonly { nodeId: string; from: Date; to: Date }[]) {
  const byNode = new Map<string, { from: number; to: number }>();
  for (const s of spans) {
    const span = byNode.get(s.nodeId);
    byNode.set(s.nodeId, {
      from: Math.min(span?.from ?? Number.POSITIVE_INFINITY, s.from.getTime()),
      to: Math.max(span?.to ?? Number.NEGATIVE_INFINITY, s.to.getTime()),
    });
  }
  const nodes = [...byNode];
  const ids = list(nodes.map(([id]) => id));
  const froms = list(nodes.map(([, s]) => new Date(s.from).toISOString()));
  const tos = list(nodes.map(([, s]) => new Date(s.to).toISOString()));
  const lo = new Date(Math.min(...nodes.map(([, s]) => s.from)));
  const hi = new Date(Math.max(...nodes.map(([, s]) => s.to)));
  // One statement at a time: a transaction's connection runs its queries in turn anyway.
  const flags = await tx.$queryRaw<{ nodeId: string; kind: DbFlagKind; raisedAt: Date; clearedAt: Date | null }[]>`
    SELECT f."nodeId", f.kind, f."raisedAt", f."clearedAt"
      FROM unnest(${ids}::uuid[], ${froms}::timestamptz[], ${tos}::timestamptz[]) AS k(id, lo, hi)
      JOIN "Flag" f ON f."nodeId" = k.id AND f."raisedAt" <= k.hi AND (f."clearedAt" IS NULL OR f."clearedAt" > k.lo)`;
  const heartbeats = await tx.$queryRaw<(HeartbeatEvidence & { nodeId: string })[]>`
    SELECT h."nodeId", h.at, h."bootedAt", h."clockJumpSeconds", h."serverReachable", h."schedulerRunning"
      FROM unnest(${ids}::uuid[], ${froms}::timestamptz[], ${tos}::timestamptz[]) AS k(id, lo, hi)
      JOIN "Heartbeat" h ON h."nodeId" = k.id AND h.at BETWEEN k.lo AND k.hi
     ORDER BY h."nodeId", h.at`;
  const problems = await tx.$queryRaw<Message[]>`
    SELECT p."nodeId", p.code, p.at, p.cause, p.flag, p.days
      FROM unnest(${ids}::uuid[], ${froms}::timestamptz[], ${tos}::timestamptz[]) AS k(id, lo, hi)
      JOIN "Problem" p ON p."nodeId" = k.id AND p.at BETWEEN k.lo AND k.hi
     ORDER BY p."nodeId", p.at`;
  const eventMessages = await tx.$queryRaw<Message[]>`
    SELECT w."nodeId", m.code, m.at, m.cause, m.flag, m.days
      FROM "EventMessage" m
      JOIN "Window" w ON w.id = m."windowId"
      JOIN unnest(${ids}::uuid[], ${froms}::timestamptz[], ${tos}::timestamptz[]) AS k(id, lo, hi)
        ON k.id = w."nodeId" AND m.at BETWEEN k.lo AND k.hi
     WHERE m.at BETWEEN ${lo} AND ${hi}
     ORDER BY w."nodeId", m.at`;
  const firstBeats = await tx.$queryRaw<{ nodeId: string; at: Date }[]>`
    SELECT k.id AS "nodeId", h.at
      FROM unnest(${ids}::uuid[]) AS k(id)
      CROSS JOIN LATERAL (SELECT at FROM "Heartbeat" WHERE "nodeId" = k.id ORDER BY at LIMIT 1) h`;
  return {
    flags: groupByNode(flags),
    heartbeats: groupByNode(heartbeats),
    problems: groupByNode(problems),
    eventMessages: groupByNode(eventMessages),
    firstBeat: new Map(firstBeats.map((b) => [b.nodeId, b.at])),
  };
}

/** The rows of a time-sorted list within [from, to], by binary search: a node may miss many nights. */
function between<T extends Timed>(sorted: readonly T[] | undefined, from: Date, to: Date): T[] {
  if (!sorted) return [];
  const first = (t: number) => {
    let a = 0;
    let b = sorted.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((sorted[mid] as T).at.getTime() < t) a = mid + 1;
      else b = mid;
    }
    return a;
  };
  return sorted.slice(first(from.getTime()), first(to.getTime() + 1));
}
