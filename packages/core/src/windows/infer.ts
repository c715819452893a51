import type { NextScheduled, ScheduleEvent } from "../schemas/event";
import { DAY_MS, dayOf, HOUR_MS, MINUTE_MS, naiveFromLocal, timeOfDay, weekdayOf } from "./local-time";
import { type ScheduleDefinition, scheduleDefinition } from "./schedule";

export interface InferredSchedule {
  definition: ScheduleDefinition;
  /** Distinct window starts the inference rests on. */
  observations: number;
  /** low: one or two starts; medium: three or more; high: a week or more of starts over two weeks. */
  confidence: "low" | "medium" | "high";
  /** Why the definition looks as it does, in plain words, for the person who confirms it. */
  reasons: string[];
}

type EventFacts = Pick<ScheduleEvent, "schedule" | "scheduledStart" | "startedAt">;

const WEEKDAY_NAMES = ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"];

/**
 * When no server definition exists (no collector), the schedule is inferred from what the client
 * itself saw: the window starts it announced (`nextScheduled`) and the window starts its events
 * name. One definition per schedule name.
 *
 * The duration cannot be seen from the client: it defaults to IBM's own DEFINE SCHEDULE default,
 * one hour (DURATION=1 DURUNITS=HOURS), the value a schedule has unless an administrator changed
 * it. Too short a guess only makes the judge decide sooner; an event that began late is still
 * matched to its window by the start it names. Where an event began later than an hour into its
 * window, the window must be at least that long, so the duration grows to cover it (whole hours).
 */
export function inferSchedules(nextScheduled: readonly NextScheduled[], events: readonly EventFacts[]): InferredSchedule[] {
  const groups = new Map<string, { name: string; starts: Set<number>; delays: number[] }>();
  const group = (name: string) => {
    const key = name.toUpperCase();
    const g = groups.get(key) ?? { name, starts: new Set<number>(), delays: [] };
    groups.set(key, g);
    return g;
  };
  for (const n of nextScheduled) group(n.schedule).starts.add(naiveFromLocal(n.windowStart));
  for (const e of events) {
    if (!e.scheduledStart) continue;
    const g = group(e.schedule);
    const start = naiveFromLocal(e.scheduledStart);
    g.starts.add(start);
    if (e.startedAt) g.delays.push(naiveFromLocal(e.startedAt) - start);
  }
  return [...groups.values()].map((g) =>
    infer(
      g.name,
      [...g.starts].sort((a, b) => a - b),
      g.delays,
    ),
  );
}

function infer(name: string, starts: number[], delays: number[]): InferredSchedule {
  const first = starts[0] as number;
  const last = starts[starts.length - 1] as number;
  const span = last - first;
  const reasons: string[] = [];
  const gaps = starts.slice(1).map((s, i) => s - (starts[i] as number));
  const sameTime = starts.every((s) => s - dayOf(s) === first - dayOf(first));

  let period: Pick<ScheduleDefinition, "period" | "periodUnits">;
  let startTime = timeOfDay(first);
  let dayOfWeek = "ANY";
  const hourly = sameTime ? null : subDailyPeriodHours(gaps);
  if (hourly !== null) {
    period = { period: hourly, periodUnits: "hours" };
    reasons.push(`windows open every ${hourly} hours`);
  } else if (sameTime && gaps.length > 0 && gaps.every((g) => g % (7 * DAY_MS) === 0)) {
    period = { period: 1, periodUnits: "weeks" };
    dayOfWeek = WEEKDAY_NAMES[weekdayOf(first)] as string;
    reasons.push(`windows open a week apart, on ${dayOfWeek.toLowerCase()}s at ${startTime}`);
  } else {
    period = { period: 1, periodUnits: "days" };
    if (!sameTime) {
      // Times of day disagree and no sub-daily period fits: the schedule was moved; the newest wins.
      startTime = timeOfDay(last);
      reasons.push(`the start time changed; the latest, ${startTime}, is used`);
    }
    // A weekday seen nowhere in two weeks of windows is taken as not scheduled. Over a shorter
    // span an unseen day may just be a gap in the log, so every day stays expected.
    if (span >= 14 * DAY_MS) {
      const seen = new Set(starts.map(weekdayOf));
      dayOfWeek = daysKeyword(seen);
      reasons.push(`windows open daily at ${startTime}, on ${dayOfWeek.toLowerCase()} days`);
    } else {
      reasons.push(
        starts.length === 1
          ? `one window seen at ${startTime}; assumed daily, as most client schedules are (IBM's default period)`
          : `windows open daily at ${startTime}; under two weeks seen, so every day is expected`,
      );
    }
  }

  const longestDelay = Math.max(0, ...delays.filter((d) => d < DAY_MS));
  const durationHours = Math.max(1, Math.ceil(longestDelay / HOUR_MS));
  reasons.push(
    durationHours > 1
      ? `a run began ${Math.round(longestDelay / MINUTE_MS)} minutes into its window, so the window is taken as ${durationHours} hours`
      : "window length unseen: IBM's default of one hour",
  );

  return {
    definition: scheduleDefinition.parse({
      name,
      startDate: new Date(first).toISOString().slice(0, 10),
      startTime,
      duration: durationHours,
      durationUnits: "hours",
      ...period,
      dayOfWeek,
    }),
    observations: starts.length,
    confidence: starts.length >= 7 && span >= 14 * DAY_MS ? "high" : starts.length >= 3 ? "medium" : "low",
    reasons,
  };
}

/** A period of whole hours that divides a day and every gap, or null. */
function subDailyPeriodHours(gaps: readonly number[]): number | null {
  if (gaps.length === 0 || gaps.some((g) => g % HOUR_MS !== 0)) return null;
  const g = gaps.map((x) => x / HOUR_MS).reduce(gcd);
  return g < 24 && 24 % g === 0 ? g : null;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function daysKeyword(days: ReadonlySet<number>): string {
  const has = (list: number[]) => list.length === days.size && list.every((d) => days.has(d));
  if (days.size === 7) return "ANY";
  if (has([1, 2, 3, 4, 5])) return "WEEKDAY";
  if (has([0, 6])) return "WEEKEND";
  return [...days]
    .sort()
    .map((d) => WEEKDAY_NAMES[d])
    .join(",");
}
