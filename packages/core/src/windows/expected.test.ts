import { describe, expect, it } from "vitest";
import { expectedWindows } from "./expected";
import { type ScheduleDefinitionInput, scheduleDefinition, scheduleFromStored } from "./schedule";

const def = (over: Partial<ScheduleDefinitionInput>) => scheduleDefinition.parse({ name: "WEEKDAILY_OUCS", startTime: "22:00", ...over });
const starts = (s: ReturnType<typeof def>, from: string, to: string) => expectedWindows(s, from, to).map((w) => w.start);

// 2026-01-05 is a Monday.
describe("expectedWindows, classic schedules", () => {
  it("opens a daily window at the start time and closes it an hour later (IBM's defaults)", () => {
    expect(expectedWindows(def({}), "2026-01-05T00:00:00", "2026-01-08T00:00:00")).toEqual([
      { schedule: "WEEKDAILY_OUCS", start: "2026-01-05T22:00:00", end: "2026-01-05T23:00:00" },
      { schedule: "WEEKDAILY_OUCS", start: "2026-01-06T22:00:00", end: "2026-01-06T23:00:00" },
      { schedule: "WEEKDAILY_OUCS", start: "2026-01-07T22:00:00", end: "2026-01-07T23:00:00" },
    ]);
  });

  it("includes a window opening exactly at `from` and excludes one opening at `to`", () => {
    expect(starts(def({}), "2026-01-05T22:00:00", "2026-01-06T22:00:00")).toEqual(["2026-01-05T22:00:00"]);
  });

  it("closes a window past midnight when start + duration crosses it", () => {
    const [w] = expectedWindows(
      def({ startTime: "23:30", duration: 2, durationUnits: "HOURS" }),
      "2026-01-05T00:00:00",
      "2026-01-06T00:00:00",
    );
    expect(w?.end).toBe("2026-01-06T01:30:00");
  });

  it("honours minutes and days as duration units", () => {
    expect(expectedWindows(def({ duration: 45, durationUnits: "Minutes" }), "2026-01-05T00:00:00", "2026-01-06T00:00:00")[0]?.end).toBe(
      "2026-01-05T22:45:00",
    );
    expect(expectedWindows(def({ duration: 2, durationUnits: "days" }), "2026-01-05T00:00:00", "2026-01-06T00:00:00")[0]?.end).toBe(
      "2026-01-07T22:00:00",
    );
  });

  it("leaves a window with INDEFINITE duration open for ever", () => {
    expect(expectedWindows(def({ durationUnits: "INDEFINITE" }), "2026-01-05T00:00:00", "2026-01-06T00:00:00")[0]?.end).toBeNull();
  });

  it("skips Saturday and Sunday for a WEEKDAY schedule", () => {
    expect(starts(def({ startTime: "00:00", dayOfWeek: "WEEKDay" }), "2026-01-08T00:00:00", "2026-01-14T00:00:00")).toEqual([
      "2026-01-08T00:00:00",
      "2026-01-09T00:00:00",
      "2026-01-12T00:00:00",
      "2026-01-13T00:00:00",
    ]);
  });

  it("runs only at weekends for WEEKEND, and on listed days given as IBM's abbreviations", () => {
    expect(starts(def({ dayOfWeek: "weekend" }), "2026-01-05T00:00:00", "2026-01-12T00:00:00")).toEqual([
      "2026-01-10T22:00:00",
      "2026-01-11T22:00:00",
    ]);
    expect(starts(def({ dayOfWeek: "TU,th" }), "2026-01-05T00:00:00", "2026-01-12T00:00:00")).toEqual([
      "2026-01-06T22:00:00",
      "2026-01-08T22:00:00",
    ]);
  });

  it("moves a weekly window to the next allowed day (start date a Monday, DAYOFWEEK=FRIDAY)", () => {
    const weekly = def({ startDate: "2026-01-05", period: 1, periodUnits: "WEEKS", dayOfWeek: "FRIDAY" });
    expect(starts(weekly, "2026-01-01T00:00:00", "2026-01-24T00:00:00")).toEqual([
      "2026-01-09T22:00:00",
      "2026-01-16T22:00:00",
      "2026-01-23T22:00:00",
    ]);
  });

  it("has no window before the start date", () => {
    expect(starts(def({ startDate: "2026-01-07" }), "2026-01-05T00:00:00", "2026-01-09T00:00:00")).toEqual([
      "2026-01-07T22:00:00",
      "2026-01-08T22:00:00",
    ]);
  });

  it("repeats every N hours from the start and keeps to the allowed days", () => {
    const every6 = def({ startDate: "2026-01-01", startTime: "03:00", period: 6, periodUnits: "hours", dayOfWeek: "SATURDAY" });
    expect(starts(every6, "2026-01-09T00:00:00", "2026-01-12T00:00:00")).toEqual([
      "2026-01-10T03:00:00",
      "2026-01-10T09:00:00",
      "2026-01-10T15:00:00",
      "2026-01-10T21:00:00",
    ]);
  });

  it("keeps every window of a long history (a year of nightly windows)", () => {
    expect(expectedWindows(def({ startDate: "2025-01-01" }), "2025-01-01T00:00:00", "2026-01-01T00:00:00")).toHaveLength(365);
  });

  it("counts monthly periods from the start date, clamping the 31st to short months", () => {
    const monthly = def({ startDate: "2026-01-31", period: 1, periodUnits: "months" });
    expect(starts(monthly, "2026-01-01T00:00:00", "2026-05-01T00:00:00")).toEqual([
      "2026-01-31T22:00:00",
      "2026-02-28T22:00:00",
      "2026-03-31T22:00:00",
      "2026-04-30T22:00:00",
    ]);
  });

  it("runs a yearly schedule once a year", () => {
    const yearly = def({ startDate: "2024-06-01", periodUnits: "years" });
    expect(starts(yearly, "2024-01-01T00:00:00", "2027-01-01T00:00:00")).toEqual([
      "2024-06-01T22:00:00",
      "2025-06-01T22:00:00",
      "2026-06-01T22:00:00",
    ]);
  });

  it("runs a ONETIME schedule once", () => {
    expect(starts(def({ startDate: "2026-01-06", periodUnits: "onetime" }), "2026-01-01T00:00:00", "2026-02-01T00:00:00")).toEqual([
      "2026-01-06T22:00:00",
    ]);
  });

  it("opens no window after the schedule's expiration", () => {
    expect(starts(def({ expiration: "2026-01-06T23:59:59" }), "2026-01-05T00:00:00", "2026-01-09T00:00:00")).toEqual([
      "2026-01-05T22:00:00",
      "2026-01-06T22:00:00",
    ]);
  });

  it("returns nothing for an empty or reversed range", () => {
    expect(expectedWindows(def({}), "2026-01-06T00:00:00", "2026-01-05T00:00:00")).toEqual([]);
  });
});

describe("expectedWindows, enhanced schedules", () => {
  const enh = (over: Partial<ScheduleDefinitionInput>) => def({ style: "Enhanced", ...over });

  it("opens on the last Friday of every month", () => {
    expect(starts(enh({ dayOfWeek: "FRIDAY", weekOfMonth: "LAST" }), "2026-01-01T00:00:00", "2026-04-01T00:00:00")).toEqual([
      "2026-01-30T22:00:00",
      "2026-02-27T22:00:00",
      "2026-03-27T22:00:00",
    ]);
  });

  it("opens on the first Monday of January and July only", () => {
    expect(
      starts(enh({ dayOfWeek: "M", weekOfMonth: "FIRST", month: "JANUARY,JULY" }), "2026-01-01T00:00:00", "2027-01-01T00:00:00"),
    ).toEqual(["2026-01-05T22:00:00", "2026-07-06T22:00:00"]);
  });

  it("counts negative days of the month from the end (-1 is the last day)", () => {
    expect(starts(enh({ dayOfMonth: "-1,15" }), "2026-02-01T00:00:00", "2026-04-01T00:00:00")).toEqual([
      "2026-02-15T22:00:00",
      "2026-02-28T22:00:00",
      "2026-03-15T22:00:00",
      "2026-03-31T22:00:00",
    ]);
  });
});

describe("scheduleDefinition", () => {
  it.each([
    [{ dayOfWeek: "FUNDAY" }],
    [{ dayOfWeek: "WEEK" }],
    [{ month: "SMARCH" }],
    [{ dayOfMonth: "32" }],
    [{ weekOfMonth: "FIFTH" }],
    [{ startTime: "24:00" }],
    [{ durationUnits: "fortnights" }],
  ])("refuses %j", (over) => {
    expect(scheduleDefinition.safeParse({ name: "S", startTime: "22:00", ...over }).success).toBe(false);
  });

  it("reads a schedule the database keeps in minutes", () => {
    const daily = scheduleFromStored({ name: "NIGHTLY", startTime: "22:00", durationMinutes: 90, periodMinutes: 1440, dayOfWeek: "ANY" });
    expect(expectedWindows(daily, "2026-01-05T00:00:00", "2026-01-06T00:00:00")).toEqual([
      { schedule: "NIGHTLY", start: "2026-01-05T22:00:00", end: "2026-01-05T23:30:00" },
    ]);
    const weekly = scheduleFromStored({ name: "W", startTime: "01:00", durationMinutes: 60, periodMinutes: 10080, dayOfWeek: "SUNDAY" });
    expect(starts(weekly, "2026-01-05T00:00:00", "2026-01-19T00:00:00")).toEqual(["2026-01-11T01:00:00", "2026-01-18T01:00:00"]);
    expect(() => scheduleFromStored({ name: "X", startTime: "01:00", durationMinutes: 60, periodMinutes: 90, dayOfWeek: "ANY" })).toThrow(
      /whole hours/,
    );
  });
});
