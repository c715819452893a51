import type { EventReport, ScheduleEvent } from "@fleetwatch/core/schemas";
import { describe, expect, it } from "vitest";
import { completedEvent } from "../../testing";
import { type CurrentWindow, keyEvents, planWindows, RECENT, type RecentWindow, recentAfter } from "./ingest-plan";

const report = (d: number, overrides: Partial<ScheduleEvent> = {}): EventReport => ({
  node: "PC",
  utcOffsetMinutes: 60,
  event: completedEvent({
    scheduledStart: `2026-03-${String(d).padStart(2, "0")}T22:00:00`,
    startedAt: `2026-03-${String(d).padStart(2, "0")}T22:01:00`,
    endedAt: `2026-03-${String(d).padStart(2, "0")}T22:20:00`,
    ...overrides,
  }),
});
const running = (d: number) => report(d, { status: "in-progress", endedAt: null, returnCode: null, stats: null });

describe("planWindows", () => {
  it("keys a window by its start in UTC and skips an event that names no start", () => {
    const keyed = keyEvents([report(1), report(2, { scheduledStart: null, startedAt: null })]);
    expect(keyed.map((k) => new Date(k.scheduledStart).toISOString())).toEqual(["2026-03-01T21:00:00.000Z"]);
  });

  it("takes a fuller report of a window and never goes back to in-progress", () => {
    const [first] = keyEvents([running(1)]);
    const current = new Map<string, CurrentWindow>([
      [first!.key, { id: "w1", outcome: "in-progress", source: "agent", endedAt: null, returnCode: null, messages: 0 }],
    ]);
    const writes = planWindows(keyEvents([running(1), report(1), running(1)]), current);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.event.report.event.status).toBe("completed");
    expect(writes[0]?.accepted).toBe(1);
    expect(writes[0]?.replaces?.id).toBe("w1");
  });

  it("replaces a judged MISSED whatever the report", () => {
    const [k] = keyEvents([running(3)]);
    const missed = new Map<string, CurrentWindow>([
      [k!.key, { id: "w3", outcome: "missed", source: "judge", endedAt: null, returnCode: null, messages: 0 }],
    ]);
    expect(planWindows([k!], missed)).toHaveLength(1);
  });
});

describe("recentAfter", () => {
  const win = (day: number, outcome: RecentWindow["outcome"] = "completed"): RecentWindow => ({
    scheduledStart: Date.UTC(2026, 0, 1) + day * 86_400_000,
    outcome,
    benign: false,
    endedAt: null,
    cause: null,
    startedAt: null,
    source: "agent",
    schedule: "NIGHTLY",
    localStart: "",
  });

  it("is the newest windows of the whole history once the writes are in", () => {
    const history = new Map(Array.from({ length: 100 }, (_, d) => [d, win(d)]));
    const newestFirst = (ws: Iterable<RecentWindow>) => [...ws].sort((a, b) => b.scheduledStart - a.scheduledStart);
    const before = newestFirst(history.values()).slice(0, RECENT);
    // A late report of an old night, a MISSED replaced, a new night.
    const written = new Map([
      [10, win(10, "failed")],
      [95, win(95, "failed")],
      [100, win(100, "failed")],
    ]);
    const after = newestFirst(new Map([...history, ...written]).values()).slice(0, RECENT);
    expect(recentAfter(before, [...written.values()])).toEqual(after);
  });
});
