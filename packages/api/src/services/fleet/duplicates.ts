import { type DuplicateCandidate, type DuplicateSuspect, findDuplicateSuspects, lastContact } from "@fleetwatch/core/fleet";
import { Prisma } from "@fleetwatch/db/client";
import type { Db, Tx } from "../../context";
import { fromStoredOutcome } from "../window-outcome";

type Reader = Db | Tx;

interface CandidateRow {
  id: string;
  name: string;
  contact: string | null;
  createdAt: Date;
  registeredAt: Date | null;
  lastCompletedAt: Date | null;
  machineId: string | null;
  macAddresses: string[] | null;
  hostname: string | null;
  first: Date | null;
  since: Date | null;
}

/**
 * Every active node as a duplicate candidate: identity, owner, when it appeared, when it went
 * quiet. One statement; the window facts come from the indexes alone: a node's oldest window, and
 * where its trailing run of MISSED windows begins. Only a node whose newest window is a miss has
 * such a run: there, it begins after the node's newest window of any other outcome (one probe per
 * outcome).
 */
async function candidates(db: Reader): Promise<DuplicateCandidate[]> {
  const rows = await db.$queryRaw<CandidateRow[]>(candidatesSql);
  return rows.map((n) => ({
    nodeId: n.id,
    name: n.name,
    contact: n.contact,
    identity: n.machineId !== null ? { machineIds: [n.machineId], macAddresses: n.macAddresses ?? [], hostnames: [n.hostname ?? ""] } : {},
    currentMachineId: n.machineId,
    firstSeenAt: n.registeredAt ?? n.first ?? n.createdAt,
    lastCompletedAt: n.lastCompletedAt,
    missingSince: n.since,
  }));
}

/** candidates' read. */
const candidatesSql = Prisma.sql`
    SELECT n.id, n.name, coalesce(n.contact, n.email) AS contact, n."createdAt", n."registeredAt", n."lastCompletedAt",
           m."machineId", m."macAddresses", m.hostname, e.first,
           CASE WHEN e.newest = e."lastMissed" THEN (
             SELECT min(w."scheduledStart") FROM "Window" w
              WHERE w."nodeId" = n.id
                AND w."scheduledStart" > coalesce((
                      SELECT max(l."scheduledStart")
                        FROM unnest(enum_range(NULL::"WindowOutcome")) AS o(outcome)
                        CROSS JOIN LATERAL (SELECT x."scheduledStart" FROM "Window" x WHERE x."nodeId" = n.id AND x.outcome = o.outcome
                                             ORDER BY x."scheduledStart" DESC LIMIT 1) l
                       WHERE o.outcome <> 'missed'), '-infinity')) END AS since
      FROM "Node" n
      LEFT JOIN "Machine" m ON m.id = n."machineRef"
      CROSS JOIN LATERAL (
        SELECT (SELECT "scheduledStart" FROM "Window" WHERE "nodeId" = n.id ORDER BY "scheduledStart" LIMIT 1) AS first,
               (SELECT "scheduledStart" FROM "Window" WHERE "nodeId" = n.id ORDER BY "scheduledStart" DESC LIMIT 1) AS newest,
               (SELECT "scheduledStart" FROM "Window" WHERE "nodeId" = n.id AND outcome = 'missed'
                 ORDER BY "scheduledStart" DESC LIMIT 1) AS "lastMissed") e
     WHERE n."deregisteredAt" IS NULL`;

export async function dismissedPairs(db: Reader): Promise<[string, string][]> {
  const row = await db.setting.findUnique({ where: { key: "dismissed-duplicates" }, select: { value: true } });
  return Array.isArray(row?.value) ? (row.value as [string, string][]) : [];
}

export async function duplicateSuspects(db: Reader): Promise<DuplicateSuspect[]> {
  return findDuplicateSuspects(await candidates(db), { dismissedPairs: await dismissedPairs(db) });
}

/** The duplicates review: each suspected pair side by side, with the evidence and both histories. */
export async function duplicatePairs(db: Db, args: { nights: number }) {
  const suspects = await duplicateSuspects(db);
  const ids = [...new Set(suspects.flatMap((s) => s.nodeIds))];
  const nodes = await db.node.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      name: true,
      lastOutcome: true,
      lastCompletedAt: true,
      lastHeartbeatAt: true,
      lastAccessAt: true,
      lastEventAt: true,
      machine: { select: { hostname: true } },
      windows: { orderBy: { scheduledStart: "desc" }, take: args.nights, select: { localStart: true, outcome: true } },
    },
  });
  const byId = new Map(
    nodes.map((n) => [
      n.id,
      {
        id: n.id,
        name: n.name,
        hostname: n.machine?.hostname ?? null,
        lastOutcome: n.lastOutcome ? fromStoredOutcome(n.lastOutcome) : null,
        lastCompletedAt: n.lastCompletedAt,
        // Heard from the node itself (a heartbeat, a server sign-on, an event of its own), as the judge
        // counts staleness: a batch that merely names the node (an old log shipped again) is no contact.
        lastContactAt: lastContact({ ...n, knownSince: null }),
        history: n.windows.map((w) => ({ night: w.localStart.slice(0, 10), outcome: fromStoredOutcome(w.outcome) })).reverse(),
      },
    ]),
  );
  return {
    pairs: suspects.flatMap((s) => {
      const a = byId.get(s.nodeIds[0]);
      const b = byId.get(s.nodeIds[1]);
      return a && b ? [{ a, b, score: s.score, evidence: s.evidence.map((e) => e.detail), deadNodeId: s.deadNodeId }] : [];
    }),
  };
}
