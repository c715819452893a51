import { type DuplicateCandidate, type DuplicateSuspect, findDuplicateSuspects } from "@fleetwatch/core/fleet";
import type { Db, Tx } from "../context";
import { fromOutcome } from "./ingest";

type Reader = Db | Tx;

/** Every active node as a duplicate candidate: identity, owner, when it appeared, when it went quiet. */
async function candidates(db: Reader): Promise<DuplicateCandidate[]> {
  const nodes = await db.node.findMany({
    where: { deregisteredAt: null },
    select: {
      id: true,
      name: true,
      contact: true,
      email: true,
      createdAt: true,
      registeredAt: true,
      lastCompletedAt: true,
      machine: { select: { machineId: true, macAddresses: true, hostname: true } },
    },
  });
  // Per node from the indexes alone: its oldest window, and where its trailing run of MISSED
  // windows begins. Only a node whose newest window is a miss has such a run: there, the run
  // begins after its newest window of any other outcome (one probe per outcome).
  const windowFacts = await db.$queryRaw<{ nodeId: string; first: Date; since: Date | null }[]>`
    SELECT n.id AS "nodeId", e.first,
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
      CROSS JOIN LATERAL (
        SELECT (SELECT "scheduledStart" FROM "Window" WHERE "nodeId" = n.id ORDER BY "scheduledStart" LIMIT 1) AS first,
               (SELECT "scheduledStart" FROM "Window" WHERE "nodeId" = n.id ORDER BY "scheduledStart" DESC LIMIT 1) AS newest,
               (SELECT "scheduledStart" FROM "Window" WHERE "nodeId" = n.id AND outcome = 'missed'
                 ORDER BY "scheduledStart" DESC LIMIT 1) AS "lastMissed") e
     WHERE n."deregisteredAt" IS NULL AND e.first IS NOT NULL`;
  const factsBy = new Map(windowFacts.map((f) => [f.nodeId, f]));
  return nodes.map((n) => ({
    nodeId: n.id,
    name: n.name,
    contact: n.contact ?? n.email,
    identity: n.machine ? { machineIds: [n.machine.machineId], macAddresses: n.machine.macAddresses, hostnames: [n.machine.hostname] } : {},
    currentMachineId: n.machine?.machineId ?? null,
    firstSeenAt: n.registeredAt ?? factsBy.get(n.id)?.first ?? n.createdAt,
    lastCompletedAt: n.lastCompletedAt,
    missingSince: factsBy.get(n.id)?.since ?? null,
  }));
}

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
      lastContactAt: true,
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
        lastOutcome: n.lastOutcome ? fromOutcome(n.lastOutcome) : null,
        lastCompletedAt: n.lastCompletedAt,
        lastContactAt: n.lastContactAt,
        history: n.windows.map((w) => ({ night: w.localStart.slice(0, 10), outcome: fromOutcome(w.outcome) })).reverse(),
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
