import { describe, expect, it } from "vitest";
import { deriveNodeState, type JudgedWindow } from "./node-state";

const night = (day: number, outcome: JudgedWindow["outcome"], benign = false): JudgedWindow => ({
  scheduledStart: new Date(Date.UTC(2026, 0, day, 22)),
  outcome,
  benign,
  endedAt: outcome === "missed" ? null : new Date(Date.UTC(2026, 0, day, 23)),
});

describe("deriveNodeState", () => {
  it("counts the misses since the last run", () => {
    const state = deriveNodeState([night(5, "missed"), night(4, "missed"), night(3, "completed")]);
    expect(state).toMatchObject({ lastOutcome: "missed", missedStreak: 2, failedStreak: 0 });
    expect(state.lastCompletedAt?.toISOString()).toBe("2026-01-03T23:00:00.000Z");
  });
  it("treats a benign sign-off-only failure as a success", () => {
    const state = deriveNodeState([night(5, "failed", true), night(4, "severed")]);
    expect(state.failedStreak).toBe(0);
    expect(state.lastCompletedAt?.toISOString()).toBe("2026-01-05T23:00:00.000Z");
  });
  it("skips an in-progress window when counting a failure streak", () => {
    const state = deriveNodeState([night(6, "in-progress"), night(5, "failed"), night(4, "aborted"), night(3, "missed")]);
    expect(state).toMatchObject({ lastOutcome: "in-progress", failedStreak: 2, missedStreak: 0, lastCompletedAt: null });
  });
  it("has nothing to say about a node with no windows", () => {
    expect(deriveNodeState([])).toEqual({ lastOutcome: null, lastCompletedAt: null, missedStreak: 0, failedStreak: 0 });
  });
});
