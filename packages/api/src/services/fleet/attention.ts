import type { Diagnosis } from "@fleetwatch/core/diagnosis";
import { Prisma } from "@fleetwatch/db/client";
import { list } from "@fleetwatch/db/sql";
import type { Db } from "../../context";
import { fromFlagKind } from "../judge/flag-kinds";
import { fromStoredOutcome } from "../window-outcome";

/**
 * How urgent a flag is, for "needs attention now": data not protected first (a severed or aborted
 * backup, a node that cannot sign on), then repeated trouble, then what merely deserves a look.
 */
const weight: Record<string, number> = {
  "needs-manual-backup": 100,
  locked: 90,
  "password-expired": 90,
  "auth-broken": 85,
  "repeated-misses": 70,
  "repeated-failures": 70,
  "config-error": 60,
  "at-risk": 50,
  "agent-silent": 40,
  "password-expiring": 30,
  "duplicate-suspect": 20,
  stale: 10,
};

/**
 * The nodes to act on, ranked, each with its primary cause and the first remedy step. PostgreSQL
 * ranks every flagged node and returns only the top `limit` and whoever ties with the last of
 * them (names are ordered here, by the same localeCompare as always); only those are read in full.
 */
export async function attentionList(db: Db, args: { limit: number; nodeIds?: string[] }) {
  const top = await topRanked(db, args.limit, args.nodeIds);
  if (!top.length) return [];
  const nodes = await db.node.findMany({
    where: { id: { in: top.map((t) => t.id) }, deregisteredAt: null },
    select: {
      id: true,
      name: true,
      os: true,
      lastOutcome: true,
      lastCause: true,
      missedStreak: true,
      failedStreak: true,
      machine: { select: { os: true } },
      flags: { where: { clearedAt: null }, select: { kind: true, raisedAt: true }, orderBy: { raisedAt: "asc" } },
    },
  });
  // A node whose last backup completed is here for a flag (at-risk, stale...), not an old failure.
  const diagnoses = await latestDiagnoses(
    db,
    nodes.filter((n) => n.lastOutcome !== "completed").map((n) => n.id),
  );
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ranked = top.flatMap(({ id }) => {
    const n = byId.get(id);
    // Deregistered or cleared since the ranking read: left out, as the next load would.
    if (!n?.flags.length) return [];
    const flags = n.flags.map((f) => ({ kind: fromFlagKind(f.kind), raisedAt: f.raisedAt }));
    const recovered = n.lastOutcome === "completed";
    const diagnosis = recovered ? null : (diagnoses.get(n.id) ?? null);
    return [
      {
        nodeId: n.id,
        name: n.name,
        os: n.os ?? n.machine?.os ?? null,
        outcome: n.lastOutcome ? fromStoredOutcome(n.lastOutcome) : null,
        cause: diagnosis?.cause ?? (recovered ? null : n.lastCause) ?? flags[0]?.kind ?? null,
        since: flags[0]?.raisedAt ?? null,
        flags,
        firstStep: diagnosis?.remedy[0] ?? "Open the node to see what happened.",
        rank: rankOf(
          flags.map((f) => f.kind),
          n.missedStreak + n.failedStreak,
        ),
      },
    ];
  });
  return ranked.sort(byRankThenName);
}

const byRankThenName = (a: { rank: number; name: string }, b: { rank: number; name: string }) =>
  b.rank - a.rank || a.name.localeCompare(b.name);

const rankOf = (kinds: string[], streak: number) => Math.max(...kinds.map((k) => weight[k] ?? 0)) + Math.min(streak, 20);

/** The ids of the top `limit` flagged active nodes by rank, then name; ties at the cut-off all fetched, then cut here. */
async function topRanked(db: Db, limit: number, nodeIds?: string[]) {
  // One group's nodes only (issue 16.7), when the overview is scoped to a group.
  const inScope = nodeIds ? Prisma.sql`AND n.id = ANY(${list(nodeIds)}::uuid[])` : Prisma.empty;
  const weights = Prisma.join(Object.entries(weight).map(([kind, w]) => Prisma.sql`(${kind}, ${w}::int)`));
  const rows = await db.$queryRaw<{ id: string; name: string; rank: number }[]>`
    WITH ranked AS (
      SELECT n.id, n.name, max(coalesce(k.w, 0)) + least(n."missedStreak" + n."failedStreak", 20) AS rank
        FROM "Flag" f
        JOIN "Node" n ON n.id = f."nodeId"
        LEFT JOIN (VALUES ${weights}) AS k(kind, w) ON k.kind = f.kind::text
       WHERE f."clearedAt" IS NULL AND n."deregisteredAt" IS NULL ${inScope}
       GROUP BY n.id)
    SELECT id, name, rank::int AS rank FROM ranked
     WHERE rank >= coalesce((SELECT rank FROM ranked ORDER BY rank DESC OFFSET ${limit - 1} LIMIT 1), -1)`;
  return rows.sort(byRankThenName).slice(0, limit);
}

/**
 * Each node's newest diagnosed window that did not complete. One index walk per node
 * (nodeId, scheduledStart DESC) with LIMIT 1; Prisma's nested `take` would number every window of
 * every node first.
 */
async function latestDiagnoses(db: Db, nodeIds: string[]): Promise<Map<string, Diagnosis>> {
  if (!nodeIds.length) return new Map();
  const rows = await db.$queryRaw<{ id: string; diagnosis: Diagnosis }[]>`
    SELECT n.id, w.diagnosis
      FROM unnest(${nodeIds}::uuid[]) AS n(id)
      CROSS JOIN LATERAL (
        SELECT diagnosis FROM "Window"
         WHERE "nodeId" = n.id AND outcome <> 'completed' AND diagnosis IS NOT NULL
         ORDER BY "scheduledStart" DESC LIMIT 1) w`;
  return new Map(rows.map((r) => [r.id, r.diagnosis]));
}
