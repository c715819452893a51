import { describe, expect, it } from "vitest";
import { type ExpectedWindow, expectedWindows } from "./expected";
import { type WindowsToJudgeArgs, windowsToJudge } from "./judge";
import { scheduleDefinition } from "./schedule";

const nightly = scheduleDefinition.parse({ name: "NIGHTLY", startTime: "22:00" });
const threeNights: ExpectedWindow[] = expectedWindows(nightly, "2026-01-05T00:00:00", "2026-01-08T00:00:00");
const at = (iso: string) => new Date(iso);

const judge = (over: Partial<WindowsToJudgeArgs>) =>
  windowsToJudge({ expected: threeNights, recorded: [], utcOffsetMinutes: 0, now: at("2026-01-08T12:00:00Z"), graceMinutes: 10, ...over });

describe("windowsToJudge", () => {
  it("returns every closed window that has no outcome, with its instants", () => {
    const out = judge({});
    expect(out.map((w) => w.start)).toEqual(["2026-01-05T22:00:00", "2026-01-06T22:00:00", "2026-01-07T22:00:00"]);
    expect(out[0]).toMatchObject({ opensAt: at("2026-01-05T22:00:00Z"), closesAt: at("2026-01-05T23:00:00Z"), schedule: "NIGHTLY" });
  });

  it("leaves out a window whose event names its start", () => {
    const out = judge({ recorded: [{ schedule: "NIGHTLY", scheduledStart: at("2026-01-06T22:00:00Z") }] });
    expect(out.map((w) => w.start)).toEqual(["2026-01-05T22:00:00", "2026-01-07T22:00:00"]);
  });

  it("matches schedule names whatever their case, and a start anywhere inside the window", () => {
    const out = judge({
      recorded: [
        { schedule: "nightly", scheduledStart: at("2026-01-05T22:00:00Z") },
        { schedule: "NIGHTLY", scheduledStart: at("2026-01-06T23:00:00Z") },
      ],
    });
    expect(out.map((w) => w.start)).toEqual(["2026-01-07T22:00:00"]);
  });

  it("does not count another schedule's event, or one outside the window", () => {
    const out = judge({
      recorded: [
        { schedule: "WEEKLY_FULL", scheduledStart: at("2026-01-05T22:00:00Z") },
        { schedule: "NIGHTLY", scheduledStart: at("2026-01-06T23:00:01Z") },
      ],
    });
    expect(out).toHaveLength(3);
  });

  it("waits for the window to close and the grace to pass", () => {
    const last = [threeNights[2] as ExpectedWindow];
    expect(judge({ expected: last, now: at("2026-01-07T22:30:00Z") })).toEqual([]);
    expect(judge({ expected: last, now: at("2026-01-07T23:09:59Z") })).toEqual([]);
    expect(judge({ expected: last, now: at("2026-01-07T23:10:00Z") })).toHaveLength(1);
    expect(judge({ expected: last, now: at("2026-01-07T23:00:00Z"), graceMinutes: 0 })).toHaveLength(1);
  });

  it("turns the node's local windows into instants with its UTC offset", () => {
    const last = [threeNights[2] as ExpectedWindow];
    // Local 22:00-23:00 at UTC+1 closes at 22:00Z.
    expect(judge({ expected: last, utcOffsetMinutes: 60, graceMinutes: 0, now: at("2026-01-07T21:59:00Z") })).toEqual([]);
    const [w] = judge({ expected: last, utcOffsetMinutes: 60, graceMinutes: 0, now: at("2026-01-07T22:00:00Z") });
    expect(w?.opensAt).toEqual(at("2026-01-07T21:00:00Z"));
  });

  it("never judges a window that does not close", () => {
    expect(judge({ expected: [{ schedule: "NIGHTLY", start: "2026-01-05T22:00:00", end: null }] })).toEqual([]);
  });

  it("sorts what it returns oldest first whatever the input order", () => {
    const out = judge({ expected: [...threeNights].reverse() });
    expect(out.map((w) => w.start)).toEqual(threeNights.map((w) => w.start));
  });
});
