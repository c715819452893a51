import { describe, expect, it } from "vitest";
import { expectedWindows } from "./expected";
import { windowsToJudge } from "./judge";
import { scheduleDefinition } from "./schedule";
import { clockLocalToUtc, clockUtcToLocal, type NodeClock } from "./time";

// 2026's daylight-saving nights: London springs forward on 29 March at 01:00Z and falls back on
// 25 October at 01:00Z; New York on 8 March at 07:00Z and 1 November at 06:00Z.
const london = { utcOffsetMinutes: 0, timeZone: "Europe/London" };
const newYork = { utcOffsetMinutes: -300, timeZone: "America/New_York" };
const utc = (local: string, clock: NodeClock) => clockLocalToUtc(local, clock).toISOString().slice(0, 16);
const nightly = scheduleDefinition.parse({ name: "NIGHTLY", startTime: "22:00", duration: 2, durationUnits: "hours" });

describe("local time in a time zone, across daylight saving", () => {
  it("gives each London night the offset of that night", () => {
    expect(utc("2026-03-28T22:00:00", london)).toBe("2026-03-28T22:00");
    expect(utc("2026-03-29T22:00:00", london)).toBe("2026-03-29T21:00");
    expect(utc("2026-10-24T22:00:00", london)).toBe("2026-10-24T21:00");
    expect(utc("2026-10-25T22:00:00", london)).toBe("2026-10-25T22:00");
  });

  it("gives each New York night the offset of that night", () => {
    expect(utc("2026-03-07T22:00:00", newYork)).toBe("2026-03-08T03:00");
    expect(utc("2026-03-08T22:00:00", newYork)).toBe("2026-03-09T02:00");
    expect(utc("2026-10-31T22:00:00", newYork)).toBe("2026-11-01T02:00");
    expect(utc("2026-11-01T22:00:00", newYork)).toBe("2026-11-02T03:00");
  });

  it("reads a time the clocks skipped after the gap, and a time that happens twice as the first", () => {
    expect(utc("2026-03-29T01:30:00", london)).toBe("2026-03-29T01:30"); // 02:30 summer time
    expect(utc("2026-10-25T01:30:00", london)).toBe("2026-10-25T00:30"); // the first 01:30, summer time
    expect(utc("2026-03-08T02:30:00", newYork)).toBe("2026-03-08T07:30"); // 03:30 EDT
    expect(utc("2026-11-01T01:30:00", newYork)).toBe("2026-11-01T05:30"); // the first 01:30, EDT
  });

  it("turns instants back into the zone's wall clock", () => {
    expect(clockUtcToLocal(new Date("2026-03-29T21:00:00Z"), london)).toBe("2026-03-29T22:00:00");
    expect(clockUtcToLocal(new Date("2026-10-25T00:30:00Z"), london)).toBe("2026-10-25T01:30:00");
    expect(clockUtcToLocal(new Date("2026-10-25T01:30:00Z"), london)).toBe("2026-10-25T01:30:00");
    expect(clockUtcToLocal(new Date("2026-11-02T03:00:00Z"), newYork)).toBe("2026-11-01T22:00:00");
  });

  it("keeps the one offset when no time zone is known", () => {
    expect(utc("2026-03-29T22:00:00", { utcOffsetMinutes: 0, timeZone: null })).toBe("2026-03-29T22:00");
    expect(clockUtcToLocal(new Date("2026-03-29T21:00:00Z"), { utcOffsetMinutes: 60 })).toBe("2026-03-29T22:00:00");
  });
});

describe("windows across the daylight-saving nights", () => {
  it("keep opening at 22:00 local, one a night, none doubled or dropped", () => {
    for (const [from, to] of [
      ["2026-03-27T00:00:00", "2026-03-31T00:00:00"],
      ["2026-10-23T00:00:00", "2026-10-27T00:00:00"],
      ["2026-03-06T00:00:00", "2026-03-10T00:00:00"],
      ["2026-10-30T00:00:00", "2026-11-03T00:00:00"],
    ] as const) {
      const w = expectedWindows(nightly, from, to);
      expect(w.map((x) => x.start.slice(11))).toEqual(["22:00:00", "22:00:00", "22:00:00", "22:00:00"]);
    }
  });

  const judgeLondon = (from: string, to: string, recorded: { schedule: string; scheduledStart: Date }[], now: string) =>
    windowsToJudge({ expected: expectedWindows(nightly, from, to), recorded, ...london, now: new Date(now), graceMinutes: 10 });

  it("place London's spring and autumn nights at their own instants", () => {
    const spring = judgeLondon("2026-03-28T00:00:00", "2026-03-30T00:00:00", [], "2026-03-31T00:00:00Z");
    expect(spring.map((w) => [w.opensAt.toISOString(), w.closesAt.toISOString()])).toEqual([
      ["2026-03-28T22:00:00.000Z", "2026-03-29T00:00:00.000Z"],
      ["2026-03-29T21:00:00.000Z", "2026-03-29T23:00:00.000Z"],
    ]);
    const autumn = judgeLondon("2026-10-24T00:00:00", "2026-10-26T00:00:00", [], "2026-10-27T00:00:00Z");
    expect(autumn.map((w) => w.opensAt.toISOString())).toEqual(["2026-10-24T21:00:00.000Z", "2026-10-25T22:00:00.000Z"]);
  });

  it("count the run the agent reported at the night's own offset, and still close the night with none", () => {
    // The agent sends 22:00 with offset +60 on the first summer night: 21:00Z.
    const ran = judgeLondon(
      "2026-03-29T00:00:00",
      "2026-03-30T00:00:00",
      [{ schedule: "NIGHTLY", scheduledStart: new Date("2026-03-29T21:00:00Z") }],
      "2026-03-30T00:00:00Z",
    );
    expect(ran).toEqual([]);
    // No run: MISSED once the window (21:00-23:00Z) and the grace are over, not an hour later.
    expect(judgeLondon("2026-03-29T00:00:00", "2026-03-30T00:00:00", [], "2026-03-29T23:09:00Z")).toEqual([]);
    expect(judgeLondon("2026-03-29T00:00:00", "2026-03-30T00:00:00", [], "2026-03-29T23:10:00Z")).toHaveLength(1);
    // Autumn: the window is 22:00-00:00Z; a run begun at 22:05Z is not yet late at 23:30Z.
    expect(judgeLondon("2026-10-25T00:00:00", "2026-10-26T00:00:00", [], "2026-10-25T23:30:00Z")).toEqual([]);
  });

  it("give a window across the change its full duration of elapsed time", () => {
    const early = scheduleDefinition.parse({ name: "EARLY", startTime: "00:30", duration: 2, durationUnits: "hours" });
    const [w] = windowsToJudge({
      expected: expectedWindows(early, "2026-03-29T00:00:00", "2026-03-30T00:00:00"),
      recorded: [],
      ...london,
      now: new Date("2026-03-30T00:00:00Z"),
      graceMinutes: 0,
    });
    expect([w?.opensAt.toISOString(), w?.closesAt.toISOString()]).toEqual(["2026-03-29T00:30:00.000Z", "2026-03-29T02:30:00.000Z"]);
  });
});
