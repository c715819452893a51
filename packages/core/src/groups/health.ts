/** The last outcomes that mean last night's backup did not happen: what "failing" counts. */
export const failingOutcomes = ["missed", "failed", "severed", "aborted"] as const;

export interface NodeHealthFacts {
  lastCompletedAt: Date | null;
  lastOutcome: string | null;
  /** An open at-risk flag. */
  atRisk: boolean;
}

export interface GroupHealth {
  nodes: number;
  /** Backed up within the at-risk hours: the overview's "protected" card. */
  protected: number;
  /** An open at-risk flag: the overview's "at risk" card. */
  atRisk: number;
  /** Last night missed, failed, severed or aborted: the overview's four last-night cards together. */
  failing: number;
}

/**
 * A group's health in the overview's own terms, so the picker's numbers are the ones the scoped
 * overview shows. The three overlap (a node that failed last night may still be protected).
 */
export function groupHealth(nodes: readonly NodeHealthFacts[], args: { now: Date; atRiskHours: number }): GroupHealth {
  const since = args.now.getTime() - args.atRiskHours * 3_600_000;
  const failing = new Set<string>(failingOutcomes);
  let prot = 0;
  let atRisk = 0;
  let fail = 0;
  for (const n of nodes) {
    if (n.lastCompletedAt && n.lastCompletedAt.getTime() >= since) prot++;
    if (n.atRisk) atRisk++;
    if (n.lastOutcome && failing.has(n.lastOutcome)) fail++;
  }
  return { nodes: nodes.length, protected: prot, atRisk, failing: fail };
}
