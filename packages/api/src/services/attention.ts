import type { Diagnosis } from "@fleetwatch/core/diagnosis";
import { Prisma } from "@fleetwatch/db/client";
import type { Db } from "../context";
import { fromFlagKind } from "./flag-kinds";
import { fromOutcome } from "./ingest";

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

/** The nodes to act on, ranked, each with its primary cause and the first remedy step. */
export async function attentionList(db: Db, args: { limit: number }) {
  const nodes = await db.node.findMany({
    where: { deregisteredAt: null, flags: { some: { clearedAt: null } } },
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
      windows: {
        where: { NOT: { outcome: "completed" }, diagnosis: { not: Prisma.DbNull } },
        orderBy: { scheduledStart: "desc" },
        take: 1,
        select: { diagnosis: true, scheduledStart: true, outcome: true },
      },
    },
  });
  const ranked = nodes.map((n) => {
    const flags = n.flags.map((f) => ({ kind: fromFlagKind(f.kind), raisedAt: f.raisedAt }));
    // A node whose last backup completed is here for a flag (at-risk, stale...), not an old failure.
    const recovered = n.lastOutcome === "completed";
    const diagnosis = recovered ? null : ((n.windows[0]?.diagnosis ?? null) as Diagnosis | null);
    const rank = Math.max(...flags.map((f) => weight[f.kind] ?? 0)) + Math.min(n.missedStreak + n.failedStreak, 20);
    return {
      nodeId: n.id,
      name: n.name,
      os: n.os ?? n.machine?.os ?? null,
      outcome: n.lastOutcome ? fromOutcome(n.lastOutcome) : null,
      cause: diagnosis?.cause ?? (recovered ? null : n.lastCause) ?? flags[0]?.kind ?? null,
      since: flags[0]?.raisedAt ?? null,
      flags,
      firstStep: diagnosis?.remedy[0] ?? "Open the node to see what happened.",
      rank,
    };
  });
  return ranked.sort((a, b) => b.rank - a.rank || a.name.localeCompare(b.name)).slice(0, args.limit);
}
