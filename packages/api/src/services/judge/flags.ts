import type { EvidenceMessage } from "@fleetwatch/core/diagnosis";
import { diffFlags, evaluateFlags, FLAG_MESSAGES, type HistoryWindow, type NodeFacts, type WantedFlag } from "@fleetwatch/core/flags";
import type { DuplicateSuspect } from "@fleetwatch/core/fleet";
import type { NodePolicy } from "@fleetwatch/core/profiles";
import type { FailureCause } from "@fleetwatch/core/schemas";
import type { SiteSettings } from "@fleetwatch/core/settings";
import { Prisma } from "@fleetwatch/db/client";
import { list, texts } from "@fleetwatch/db/sql";
import type { Tx } from "../../context";
import { groupByNode } from "../fleet/group-by-node";
import { fromStoredOutcome } from "../window-outcome";
import { fromFlagKind } from "./flag-kinds";

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
export async function reconcileFlags(
  tx: Tx,
  args: { suspects: readonly DuplicateSuspect[]; settings: SiteSettings; policies?: ReadonlyMap<string, NodePolicy>; now: Date },
) {
  const since = new Date(args.now.getTime() - MESSAGE_DAYS * 86_400_000);
  const nodes = await tx.node.findMany({
    select: {
      id: true,
      name: true,
      deregisteredAt: true,
      locked: true,
      passwordSetAt: true,
      passwordExpiryDays: true,
      serverRecordAt: true,
      lastAccessAt: true,
      lastHeartbeatAt: true,
      lastEventAt: true,
      registeredAt: true,
      createdAt: true,
      lastCompletedAt: true,
      os: true,
      server: true,
    },
  });
  const history = await recentHistory(tx);
  // Only the messages a flag rule reads: the fleet's other messages (most of them) change no flag.
  const codes = texts(FLAG_MESSAGES.codes);
  const causes = texts(FLAG_MESSAGES.causes);
  const flagged = texts(FLAG_MESSAGES.flags);
  const messages = await tx.$queryRaw<
    { nodeId: string; code: string; at: Date | null; cause: string | null; flag: string | null; days: number | null }[]
  >`
    SELECT p."nodeId", p.code, p.at, p.cause, p.flag, p.days
      FROM "Problem" p
     WHERE p.at >= ${since} AND (p.code = ANY(${codes}::text[]) OR p.cause = ANY(${causes}::text[]) OR p.flag = ANY(${flagged}::text[]))
    UNION ALL
    SELECT w."nodeId", m.code, m.at, m.cause, m.flag, m.days
      FROM "EventMessage" m JOIN "Window" w ON w.id = m."windowId"
     WHERE m.at >= ${since} AND (m.code = ANY(${codes}::text[]) OR m.cause = ANY(${causes}::text[]) OR m.flag = ANY(${flagged}::text[]))`;
  const domainChecks = await latestDomainChecks(tx);
  const open = await tx.flag.findMany({
    where: { clearedAt: null },
    select: { id: true, nodeId: true, kind: true, detail: true, evidence: true },
  });
  const messagesBy = groupByNode(messages);
  const openBy = groupByNode(open.map((f) => ({ ...f, kind: fromFlagKind(f.kind) })));
  const duplicateBy = new Map<string, NodeFacts["duplicate"]>();
  for (const s of args.suspects) {
    const [a, b] = s.nodeIds;
    const evidence = s.evidence.map((e) => e.detail);
    duplicateBy.set(a, { otherName: s.names[1], score: s.score, evidence, since: null });
    duplicateBy.set(b, { otherName: s.names[0], score: s.score, evidence, since: null });
  }

  const raised: FlagChange[] = [];
  const cleared: FlagChange[] = [];
  const toCreate: (WantedFlag & { nodeId: string })[] = [];
  const toClear: string[] = [];
  const toRefresh: { id: string; detail: string; evidence: string }[] = [];
  /** Every node in service with the flags now open on it and its newest windows: what alerts are made of. */
  const standing: StandingNode[] = [];
  for (const node of nodes) {
    const facts: NodeFacts = {
      name: node.name,
      deregistered: node.deregisteredAt !== null,
      // Only a node the collector has read has a lock state from the server.
      locked: node.serverRecordAt ? node.locked : null,
      serverCheckedAt: node.serverRecordAt,
      passwordSetAt: node.passwordSetAt,
      passwordExpiryDays: node.passwordExpiryDays,
      contact: {
        lastHeartbeatAt: node.lastHeartbeatAt,
        lastAccessAt: node.lastAccessAt,
        lastEventAt: node.lastEventAt,
        knownSince: node.registeredAt ?? node.createdAt,
      },
      lastCompletedAt: node.lastCompletedAt,
      duplicate: duplicateBy.get(node.id) ?? null,
      domainCheck: domainChecks.get(node.id) ?? null,
    };
    const windows = history.get(node.id) ?? [];
    const messages = (messagesBy.get(node.id) ?? []) as unknown as EvidenceMessage[];
    const policy = args.policies?.get(node.id);
    const wanted = evaluateFlags(facts, windows, { messages }, policy?.settings ?? args.settings, args.now, {
      skippedCountsAsFailure: policy?.skippedCountsAsFailure ?? false,
    });
    const { raise, clear, keep } = diffFlags(openBy.get(node.id) ?? [], wanted);
    if (!facts.deregistered) {
      const elsewhere = [node.lastAccessAt, node.lastEventAt].filter((d): d is Date => d !== null).map((d) => d.getTime());
      standing.push({
        id: node.id,
        name: node.name,
        server: node.server,
        os: node.os,
        flags: wanted,
        history: windows,
        contact: { lastHeartbeatAt: node.lastHeartbeatAt, lastSeenElsewhereAt: elsewhere.length ? new Date(Math.max(...elsewhere)) : null },
      });
    }
    for (const w of raise) {
      toCreate.push({ ...w, nodeId: node.id });
      raised.push({ nodeId: node.id, nodeName: node.name, kind: w.kind, detail: w.detail });
    }
    for (const c of clear) {
      toClear.push(c.id);
      cleared.push({ nodeId: node.id, nodeName: node.name, kind: c.kind, detail: c.detail ?? "" });
    }
    // A flag kept open says what is true now, not what was on the day it was raised.
    for (const { open, wanted } of keep) {
      const evidence = canonicalJson(wanted.evidence);
      if (open.detail !== wanted.detail || canonicalJson(open.evidence) !== evidence) {
        toRefresh.push({ id: open.id, detail: wanted.detail, evidence });
      }
    }
  }
  if (toCreate.length) {
    await tx.$executeRaw`
      INSERT INTO "Flag" (id, "nodeId", kind, "raisedAt", detail, evidence)
      SELECT gen_random_uuid(), f.node, f.kind, f.raised, f.detail, f.evidence
        FROM unnest(${list(toCreate.map((f) => f.nodeId))}::uuid[], ${list(toCreate.map((f) => f.kind))}::"FlagKind"[],
                    ${list(toCreate.map((f) => f.since.toISOString()))}::timestamptz[], ${texts(toCreate.map((f) => f.detail))}::text[],
                    ${texts(toCreate.map((f) => JSON.stringify(f.evidence)))}::jsonb[]) AS f(node, kind, raised, detail, evidence)`;
  }
  if (toClear.length) {
    await tx.$executeRaw`UPDATE "Flag" SET "clearedAt" = ${args.now} WHERE id = ANY(${list(toClear)}::uuid[])`;
  }
  if (toRefresh.length) {
    await tx.$executeRaw`
      UPDATE "Flag" f SET detail = r.detail, evidence = r.evidence
        FROM unnest(${list(toRefresh.map((r) => r.id))}::uuid[], ${texts(toRefresh.map((r) => r.detail))}::text[],
                    ${texts(toRefresh.map((r) => r.evidence))}::jsonb[]) AS r(id, detail, evidence)
       WHERE f.id = r.id`;
  }
  return { raised, cleared, standing };
}

/** A node in service as the judge left it: its open flags and newest windows. */
export interface StandingNode {
  id: string;
  name: string;
  server: string;
  os: string | null;
  flags: WantedFlag[];
  history: RecentWindow[];
  contact: { lastHeartbeatAt: Date | null; lastSeenElsewhereAt: Date | null };
}

/** A window of the recent history, with what alerts name it by. */
export type RecentWindow = HistoryWindow & { localStart: string; schedule: string; cause: string | null; suspicious: boolean };

/** JSON with object keys sorted: a value read back from jsonb (which orders keys its own way) compares equal to the one written. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

type HistoryRow = [
  number,
  string,
  boolean,
  number | null,
  number | null,
  number | null,
  number | null,
  FailureCause[],
  string,
  string,
  string | null,
  boolean,
];

/**
 * The newest windows of every node in service, one index range each (a deregistered node is off
 * every check: it needs none). Each node's windows travel as one JSON array, instants as epoch
 * milliseconds: far fewer rows and values to decode than one row per window.
 */
async function recentHistory(tx: Tx): Promise<Map<string, RecentWindow[]>> {
  const rows = await tx.$queryRaw<{ id: string; history: HistoryRow[] }[]>(recentHistorySql);
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return new Map(
    rows.map((r) => [
      r.id,
      r.history.map(
        ([
          scheduledStart,
          outcome,
          benign,
          startedAt,
          endedAt,
          failedObjects,
          returnCode,
          causes,
          localStart,
          schedule,
          cause,
          suspicious,
        ]) => ({
          scheduledStart: new Date(scheduledStart),
          outcome: fromStoredOutcome(outcome as never),
          benign,
          startedAt: date(startedAt),
          endedAt: date(endedAt),
          failedObjects,
          returnCode,
          causes,
          localStart,
          schedule,
          cause,
          suspicious,
        }),
      ),
    ]),
  );
}

/** recentHistory's read. */
const recentHistorySql = Prisma.sql`
    SELECT n.id, h.history
      FROM "Node" n
      CROSS JOIN LATERAL (
        SELECT json_agg(json_build_array((extract(epoch FROM w."scheduledStart") * 1000)::bigint, w.outcome, w.benign,
                                         (extract(epoch FROM w."startedAt") * 1000)::bigint, (extract(epoch FROM w."endedAt") * 1000)::bigint,
                                         w."objectsFailed", w."returnCode", w.causes, w."localStart", w.schedule, w.cause,
                                         w.suspicion IS NOT NULL)) AS history
          FROM (SELECT "scheduledStart", outcome, benign, "startedAt", "endedAt", "objectsFailed", "returnCode", causes,
                       "localStart", schedule, cause, suspicion
                  FROM "Window" WHERE "nodeId" = n.id AND "maintenanceId" IS NULL
                 ORDER BY "scheduledStart" DESC LIMIT ${HISTORY_WINDOWS}) w) h
     WHERE n."deregisteredAt" IS NULL AND h.history IS NOT NULL`;

/**
 * Each node's newest DOMAIN check from its agent's heartbeats: when, and the entries that are no
 * file system. One pass over the heartbeats that carry a check: walking each node's heartbeats
 * newest first reads every beat of a node whose agent sends no checks (older agents), a heap page
 * each, which costs far more.
 */
async function latestDomainChecks(tx: Tx): Promise<Map<string, NodeFacts["domainCheck"]>> {
  const rows = await tx.$queryRaw<{ nodeId: string; at: Date; invalid: string[] }[]>`
    SELECT DISTINCT ON (h."nodeId") h."nodeId", h.at,
           coalesce((SELECT array_agg(d->>'name') FROM jsonb_array_elements(h.domains) d WHERE d->>'ok' = 'false'), '{}') AS invalid
      FROM "Heartbeat" h
      JOIN "Node" n ON n.id = h."nodeId" AND n."deregisteredAt" IS NULL
     WHERE h.domains IS NOT NULL
     ORDER BY h."nodeId", h.at DESC`;
  return new Map(rows.map((r) => [r.nodeId, { at: r.at, invalid: r.invalid }]));
}
