import type { WindowOutcome } from "../schemas/event";

export interface JudgedWindow {
  scheduledStart: Date;
  outcome: WindowOutcome;
  benign: boolean;
  endedAt: Date | null;
}

export interface NodeState {
  lastOutcome: WindowOutcome | null;
  lastCompletedAt: Date | null;
  missedStreak: number;
  failedStreak: number;
}

const failure = new Set<WindowOutcome>(["failed", "severed", "aborted"]);

/** A benign sign-off-only failure saved the data: it counts as a completed backup. */
export function isSuccess(w: Pick<JudgedWindow, "outcome" | "benign">): boolean {
  return w.outcome === "completed" || (w.outcome === "failed" && w.benign);
}

/**
 * The node's derived state from its windows, newest first. In-progress windows do not break or
 * extend a streak: they have no outcome yet.
 */
export function deriveNodeState(newestFirst: readonly JudgedWindow[]): NodeState {
  const closed = newestFirst.filter((w) => w.outcome !== "in-progress");
  const last = newestFirst[0];
  let missedStreak = 0;
  for (const w of closed) {
    if (w.outcome !== "missed") break;
    missedStreak++;
  }
  let failedStreak = 0;
  for (const w of closed) {
    if (!failure.has(w.outcome) || isSuccess(w)) break;
    failedStreak++;
  }
  const lastSuccess = closed.find(isSuccess);
  return {
    lastOutcome: last ? last.outcome : null,
    lastCompletedAt: lastSuccess ? (lastSuccess.endedAt ?? lastSuccess.scheduledStart) : null,
    missedStreak,
    failedStreak,
  };
}
