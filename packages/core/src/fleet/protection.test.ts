import { describe, expect, it } from "vitest";
import { protectionCounts, protectionState } from "./protection";

const now = new Date("2026-12-07T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe("protectionState", () => {
  it("is protected with a completed backup inside the at-risk interval and no streak", () => {
    expect(protectionState({ missedStreak: 0, failedStreak: 0, lastCompletedAt: hoursAgo(23) }, now, 24)).toBe("protected");
  });

  it("is at risk past the interval, or with no completed backup ever", () => {
    expect(protectionState({ missedStreak: 0, failedStreak: 0, lastCompletedAt: hoursAgo(25) }, now, 24)).toBe("at-risk");
    expect(protectionState({ missedStreak: 0, failedStreak: 0, lastCompletedAt: null }, now, 24)).toBe("at-risk");
  });

  it("is failing while the latest windows missed or failed, even with a recent success", () => {
    expect(protectionState({ missedStreak: 1, failedStreak: 0, lastCompletedAt: hoursAgo(2) }, now, 24)).toBe("failing");
    expect(protectionState({ missedStreak: 0, failedStreak: 3, lastCompletedAt: null }, now, 24)).toBe("failing");
  });

  it("counts every state", () => {
    const nodes = [
      { missedStreak: 0, failedStreak: 0, lastCompletedAt: hoursAgo(1) },
      { missedStreak: 0, failedStreak: 0, lastCompletedAt: hoursAgo(1) },
      { missedStreak: 2, failedStreak: 0, lastCompletedAt: hoursAgo(1) },
      { missedStreak: 0, failedStreak: 0, lastCompletedAt: null },
    ];
    expect(protectionCounts(nodes, now, 24)).toEqual({ protected: 2, "at-risk": 1, failing: 1 });
  });
});
