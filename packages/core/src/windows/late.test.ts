import { describe, expect, it } from "vitest";
import { lateWindows } from "./judge";

const night = [{ schedule: "NIGHTLY", start: "2026-03-05T21:00:00", end: "2026-03-05T23:00:00" }];
const late = (now: string, recorded: { schedule: string; scheduledStart: Date }[] = []) =>
  lateWindows({ expected: night, recorded, utcOffsetMinutes: 0, now: new Date(now), graceMinutes: 10 });

describe("late windows", () => {
  it("a window open with no run yet is late until its end and grace, then it is the judge's", () => {
    expect(late("2026-03-05T20:59:00Z")).toEqual([]);
    const [w] = late("2026-03-05T21:30:00Z");
    expect(w?.missedAfter.toISOString()).toBe("2026-03-05T23:10:00.000Z");
    expect(late("2026-03-05T23:05:00Z")).toHaveLength(1);
    expect(late("2026-03-05T23:10:00Z")).toEqual([]);
  });

  it("a run reported in the window is not late", () => {
    expect(late("2026-03-05T21:30:00Z", [{ schedule: "nightly", scheduledStart: new Date("2026-03-05T21:00:00Z") }])).toEqual([]);
  });
});
