import { describe, expect, it } from "vitest";
import { clockSkewWords, slowClockAllowanceMs } from "./clock-skew";
import { expectedWindows } from "./expected";
import { windowsToJudge } from "./judge";
import { scheduleDefinition } from "./schedule";

const nightly = scheduleDefinition.parse({ name: "NIGHTLY", startTime: "22:00" });
const night = expectedWindows(nightly, "2026-01-05T00:00:00", "2026-01-06T00:00:00");
const judgeAt = (now: string, clockSkewSeconds: number | null) =>
  windowsToJudge({ expected: night, recorded: [], utcOffsetMinutes: 0, clockSkewSeconds, now: new Date(now), graceMinutes: 10 });

describe("a client clock off the server's", () => {
  it("40 minutes slow: its window is not closed until its own clock has passed the end and the grace", () => {
    expect(judgeAt("2026-01-05T23:10:00Z", null)).toHaveLength(1);
    expect(judgeAt("2026-01-05T23:10:00Z", -2400)).toEqual([]);
    expect(judgeAt("2026-01-05T23:49:59Z", -2400)).toEqual([]);
    expect(judgeAt("2026-01-05T23:50:00Z", -2400)).toHaveLength(1);
  });

  it("fast, or off by timer noise: judged as a right clock", () => {
    expect(judgeAt("2026-01-05T23:10:00Z", 2400)).toHaveLength(1);
    expect(judgeAt("2026-01-05T23:10:00Z", -120)).toHaveLength(1);
    expect(slowClockAllowanceMs(-120)).toBe(0);
  });

  it("waits at most twelve hours for a clock set to another day", () => {
    expect(slowClockAllowanceMs(-3 * 86_400)).toBe(12 * 3600 * 1000);
  });

  it("is put in words once it is off by more than three minutes", () => {
    expect(clockSkewWords(-2400)).toBe("40 min slow");
    expect(clockSkewWords(7500)).toBe("2 h 5 min fast");
    expect(clockSkewWords(-90_000)).toBe("1 d 1 h slow");
    expect(clockSkewWords(-170)).toBeNull();
    expect(clockSkewWords(null)).toBeNull();
  });
});
