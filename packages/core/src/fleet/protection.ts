/**
 * A node's protection in one word, for badges and /metrics: `failing` while its latest closed
 * windows are missed or failed (a streak, so a benign sign-off-only failure is no failure),
 * else `protected` with a completed backup inside the at-risk interval, else `at-risk` (no
 * completed backup for that long, or never: the at-risk flag's rule).
 */
export const protectionStates = ["protected", "at-risk", "failing"] as const;
export type ProtectionState = (typeof protectionStates)[number];

export const protectionWords: Record<ProtectionState, string> = {
  protected: "protected",
  "at-risk": "at risk",
  failing: "failing",
};

export interface ProtectionFacts {
  missedStreak: number;
  failedStreak: number;
  lastCompletedAt: Date | null;
}

export function protectionState(node: ProtectionFacts, now: Date, atRiskHours: number): ProtectionState {
  if (node.missedStreak > 0 || node.failedStreak > 0) return "failing";
  const since = now.getTime() - atRiskHours * 3_600_000;
  return node.lastCompletedAt && node.lastCompletedAt.getTime() >= since ? "protected" : "at-risk";
}

/** How many nodes are in each state. */
export function protectionCounts(nodes: Iterable<ProtectionFacts>, now: Date, atRiskHours: number): Record<ProtectionState, number> {
  const counts: Record<ProtectionState, number> = { protected: 0, "at-risk": 0, failing: 0 };
  for (const n of nodes) counts[protectionState(n, now, atRiskHours)]++;
  return counts;
}
