import { describe, expect, it } from "vitest";
import type { NextScheduled } from "../schemas/event";
import { expectedWindows } from "./expected";
import { inferSchedules } from "./infer";

const next = (schedule: string, windowStart: string): NextScheduled => ({ schedule, action: "Incremental", windowStart });
const nights = (schedule: string, time: string, days: string[]) => days.map((d) => next(schedule, `${d}T${time}`));
const days = (from: number, to: number, month = "2026-01") =>
  Array.from({ length: to - from + 1 }, (_, i) => `${month}-${String(from + i).padStart(2, "0")}`);

describe("inferSchedules", () => {
  it("reads a consistent daily start as a daily schedule with IBM's one-hour window", () => {
    const [s] = inferSchedules(nights("DAILY_INCR", "20:00:00", days(5, 7)), []);
    expect(s?.definition).toMatchObject({
      name: "DAILY_INCR",
      startTime: "20:00:00",
      period: 1,
      periodUnits: "days",
      duration: 1,
      durationUnits: "hours",
      dayOfWeek: "ANY",
      startDate: "2026-01-05",
    });
    expect(s?.confidence).toBe("medium");
    expect(s?.observations).toBe(3);
  });

  it("assumes daily from one window, with low confidence", () => {
    const [s] = inferSchedules([next("NIGHTLY", "2026-01-05T22:00:00")], []);
    expect(s?.definition).toMatchObject({ periodUnits: "days", period: 1, startTime: "22:00:00" });
    expect(s?.confidence).toBe("low");
  });

  it("finds a weekday-only schedule over three weeks with high confidence", () => {
    const weekdays = days(5, 23).filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
    const [s] = inferSchedules(nights("WEEKDAILY_OUCS", "00:00:00", weekdays), []);
    expect(s?.definition.dayOfWeek).toBe("WEEKDAY");
    expect(s?.confidence).toBe("high");
    const windows = expectedWindows(s!.definition, "2026-01-24T00:00:00", "2026-01-27T00:00:00");
    expect(windows.map((w) => w.start)).toEqual(["2026-01-26T00:00:00"]);
  });

  it("keeps every day expected while under two weeks are seen", () => {
    const [s] = inferSchedules(nights("WEEKDAILY_OUCS", "00:00:00", ["2026-01-08", "2026-01-09", "2026-01-12"]), []);
    expect(s?.definition.dayOfWeek).toBe("ANY");
  });

  it("reads starts a week apart as a weekly schedule on that day", () => {
    const [s] = inferSchedules(nights("WEEKLY_FULL", "01:00:00", ["2026-01-04", "2026-01-11", "2026-01-18"]), []);
    expect(s?.definition).toMatchObject({ period: 1, periodUnits: "weeks", dayOfWeek: "SUNDAY" });
  });

  it("reads starts six hours apart as a six-hourly schedule", () => {
    const starts = ["2026-01-05T00:00:00", "2026-01-05T06:00:00", "2026-01-05T18:00:00", "2026-01-06T00:00:00"];
    const [s] = inferSchedules(
      starts.map((t) => next("SIXHOURLY", t)),
      [],
    );
    expect(s?.definition).toMatchObject({ period: 6, periodUnits: "hours", startTime: "00:00:00" });
  });

  it("takes the newest start time when the schedule was moved", () => {
    const [s] = inferSchedules([next("N", "2026-01-05T22:00:00"), next("N", "2026-01-06T21:15:00"), next("N", "2026-01-07T21:15:00")], []);
    expect(s?.definition).toMatchObject({ startTime: "21:15:00", periodUnits: "days" });
  });

  it("uses the window starts past events name, grouped case-insensitively, and ignores events with none", () => {
    const out = inferSchedules(
      [next("NIGHTLY", "2026-01-07T22:00:00")],
      [
        { schedule: "nightly", scheduledStart: "2026-01-05T22:00:00", startedAt: "2026-01-05T22:05:00" },
        { schedule: "NIGHTLY", scheduledStart: "2026-01-06T22:00:00", startedAt: "2026-01-06T22:13:00" },
        { schedule: "ADHOC", scheduledStart: null, startedAt: "2026-01-06T10:00:00" },
      ],
    );
    expect(out).toHaveLength(1);
    expect(out[0]?.observations).toBe(3);
    expect(out[0]?.definition.duration).toBe(1);
  });

  it("widens the window to cover an event that began late into it", () => {
    const [s] = inferSchedules(
      [],
      [
        { schedule: "NIGHTLY", scheduledStart: "2026-01-05T22:00:00", startedAt: "2026-01-05T23:30:00" },
        { schedule: "NIGHTLY", scheduledStart: "2026-01-06T22:00:00", startedAt: "2026-01-06T22:01:00" },
      ],
    );
    expect(s?.definition).toMatchObject({ duration: 2, durationUnits: "hours" });
    expect(s?.reasons.join(" ")).toMatch(/90 minutes/);
  });
});
