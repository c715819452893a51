import { z } from "zod";
import { localTime } from "../schemas/event";

/**
 * A client schedule as DEFINE SCHEDULE (and the CLIENT_SCHEDULES table) describes it. Defaults are
 * IBM's (shared/reference/tsm-facts.md §2.5): DURATION=1 HOURS, PERIOD=1 DAYS, DAYOFWEEK=ANY,
 * SCHEDSTYLE=CLASSIC. Keywords are case-insensitive and may be abbreviated as IBM allows
 * (`WEEKD`, `TU`, `SA`), so values copied from a server's output parse as they are.
 */

const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : v);

export const durationUnits = z.preprocess(lower, z.enum(["minutes", "hours", "days", "indefinite"]));
export const periodUnits = z.preprocess(lower, z.enum(["hours", "days", "weeks", "months", "years", "onetime"]));

/** [full name, shortest abbreviation IBM accepts], Sunday first as JavaScript counts days. */
const dayWords = [
  ["SUNDAY", 2],
  ["MONDAY", 1],
  ["TUESDAY", 2],
  ["WEDNESDAY", 1],
  ["THURSDAY", 2],
  ["FRIDAY", 1],
  ["SATURDAY", 2],
] as const;
const monthWords = [
  ["JANUARY", 2],
  ["FEBRUARY", 1],
  ["MARCH", 3],
  ["APRIL", 2],
  ["MAY", 1],
  ["JUNE", 3],
  ["JULY", 3],
  ["AUGUST", 2],
  ["SEPTEMBER", 1],
  ["OCTOBER", 1],
  ["NOVEMBER", 1],
  ["DECEMBER", 1],
] as const;
const weekWords = [
  ["FIRST", 2],
  ["SECOND", 1],
  ["THIRD", 2],
  ["FOURTH", 2],
  ["LAST", 1],
] as const;

function tokens(value: string): string[] {
  return value
    .toUpperCase()
    .split(/[\s,]+/)
    .filter((t) => t.length > 0);
}

function matchWord(token: string, words: readonly (readonly [string, number])[]): number {
  const hits = words.flatMap(([word, min], i) => (token.length >= min && word.startsWith(token) ? [i] : []));
  return hits.length === 1 ? (hits[0] as number) : -1;
}

const isAny = (token: string) => token === "ANY";

/** DAYOFWEEK as the set of allowed weekdays (0 = Sunday). Throws on a word it does not know. */
export function parseDaysOfWeek(value: string): ReadonlySet<number> {
  const days = new Set<number>();
  for (const token of tokens(value)) {
    const group = isAny(token)
      ? [0, 1, 2, 3, 4, 5, 6]
      : token.length >= 5 && "WEEKDAY".startsWith(token)
        ? [1, 2, 3, 4, 5]
        : token.length >= 5 && "WEEKEND".startsWith(token)
          ? [0, 6]
          : null;
    if (group) for (const d of group) days.add(d);
    else {
      const day = matchWord(token, dayWords);
      if (day < 0) throw new RangeError(`not a day of the week: ${token}`);
      days.add(day);
    }
  }
  if (days.size === 0) throw new RangeError("no day of the week given");
  return days;
}

/** MONTH (enhanced) as allowed months, 0 = January. */
export function parseMonths(value: string): ReadonlySet<number> {
  const months = new Set<number>();
  for (const token of tokens(value)) {
    if (isAny(token)) for (let m = 0; m < 12; m++) months.add(m);
    else {
      const month = matchWord(token, monthWords);
      if (month < 0) throw new RangeError(`not a month: ${token}`);
      months.add(month);
    }
  }
  if (months.size === 0) throw new RangeError("no month given");
  return months;
}

/** WEEKOFMONTH (enhanced): 1-4 for first..fourth, 5 for last; null means any week. */
export function parseWeeksOfMonth(value: string): ReadonlySet<number> | null {
  const weeks = new Set<number>();
  for (const token of tokens(value)) {
    if (isAny(token)) return null;
    const week = matchWord(token, weekWords);
    if (week < 0) throw new RangeError(`not a week of the month: ${token}`);
    weeks.add(week + 1);
  }
  if (weeks.size === 0) throw new RangeError("no week of the month given");
  return weeks;
}

/** DAYOFMONTH (enhanced): 1..31 from the start, -1..-31 from the end (-1 the last day); null = any. */
export function parseDaysOfMonth(value: string): ReadonlySet<number> | null {
  const days = new Set<number>();
  for (const token of tokens(value)) {
    if (isAny(token)) return null;
    const n = Number(token);
    if (!Number.isInteger(n) || n === 0 || n < -31 || n > 31) throw new RangeError(`not a day of the month: ${token}`);
    days.add(n);
  }
  if (days.size === 0) throw new RangeError("no day of the month given");
  return days;
}

/** A keyword list that must parse with `parse`, reported as a zod issue rather than a throw. */
const keywordList = (parse: (v: string) => unknown) =>
  z
    .string()
    .default("ANY")
    .superRefine((value, ctx) => {
      try {
        parse(value);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
      }
    });

export const scheduleDefinition = z.object({
  name: z.string().min(1).max(128),
  style: z.preprocess(lower, z.enum(["classic", "enhanced"])).default("classic"),
  /** STARTDATE, local `YYYY-MM-DD`: no window before it. Unknown (null): the schedule has always run. */
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
    .nullable()
    .default(null),
  /** STARTTIME, local `HH:MM` or `HH:MM:SS`: when each window opens. */
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, "expected HH:MM or HH:MM:SS"),
  duration: z.number().int().positive().default(1),
  durationUnits: durationUnits.default("hours"),
  period: z.number().int().positive().default(1),
  periodUnits: periodUnits.default("days"),
  dayOfWeek: keywordList(parseDaysOfWeek),
  month: keywordList(parseMonths),
  dayOfMonth: keywordList(parseDaysOfMonth),
  weekOfMonth: keywordList(parseWeeksOfMonth),
  /** EXPIRATION, local time: no window starts after it. */
  expiration: localTime.nullable().default(null),
});

export type ScheduleDefinition = z.output<typeof scheduleDefinition>;
export type ScheduleDefinitionInput = z.input<typeof scheduleDefinition>;

/** How long a window stays open, in minutes; null for DURUNITS=INDEFINITE (it never closes). */
export function windowMinutes(s: Pick<ScheduleDefinition, "duration" | "durationUnits">): number | null {
  switch (s.durationUnits) {
    case "minutes":
      return s.duration;
    case "hours":
      return s.duration * 60;
    case "days":
      return s.duration * 24 * 60;
    case "indefinite":
      return null;
  }
}

/**
 * The schedule as the database keeps it (packages/db `Schedule`: minutes, classic style). A period
 * that is a whole number of weeks or days is written back in those units so the day-of-week rule
 * (move to the next allowed day) applies as it does on the server.
 */
export function scheduleFromStored(row: {
  name: string;
  startTime: string;
  durationMinutes: number;
  periodMinutes: number;
  dayOfWeek: string;
  startDate?: string | null;
}): ScheduleDefinition {
  const p = row.periodMinutes;
  const period =
    p % (7 * 1440) === 0
      ? { period: p / (7 * 1440), periodUnits: "weeks" }
      : p % 1440 === 0
        ? { period: p / 1440, periodUnits: "days" }
        : p % 60 === 0
          ? { period: p / 60, periodUnits: "hours" }
          : null;
  if (!period) throw new RangeError(`a period of ${p} minutes is not whole hours`);
  return scheduleDefinition.parse({
    name: row.name,
    startTime: row.startTime,
    startDate: row.startDate ?? null,
    duration: row.durationMinutes,
    durationUnits: "minutes",
    dayOfWeek: row.dayOfWeek,
    ...period,
  });
}
