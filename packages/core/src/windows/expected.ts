import {
  addMonths,
  DAY_MS,
  dayOf,
  daysInMonth,
  HOUR_MS,
  localFromNaive,
  MINUTE_MS,
  naiveFromLocal,
  secondsOfDay,
  weekdayOf,
} from "./local-time";
import { parseDaysOfMonth, parseDaysOfWeek, parseMonths, parseWeeksOfMonth, type ScheduleDefinition, windowMinutes } from "./schedule";

/** One expected run of a schedule, in local time. `end` is start + duration; null if it never closes. */
export interface ExpectedWindow {
  schedule: string;
  start: string;
  end: string | null;
}

/** A node's windows over a year of hourly periods stay well below this; more means a caller's bug. */
const MAX_WINDOWS = 100_000;

/**
 * The windows of `schedule` that open in [fromLocal, toLocal), oldest first. Both bounds are
 * local times `YYYY-MM-DDTHH:MM:SS`.
 *
 * Classic style: the first window opens at STARTDATE STARTTIME, then one every PERIOD PERUNITS. A
 * window that would open on a day DAYOFWEEK does not allow moves to the next allowed day at the
 * same time of day (the server's rule for classic schedules); two windows that land on the same
 * start are one. Enhanced style: a window opens at STARTTIME on every day that MONTH, DAYOFMONTH,
 * WEEKOFMONTH and DAYOFWEEK all allow.
 */
export function expectedWindows(schedule: ScheduleDefinition, fromLocal: string, toLocal: string): ExpectedWindow[] {
  const from = naiveFromLocal(fromLocal);
  const to = naiveFromLocal(toLocal);
  if (to <= from) return [];
  const starts = schedule.style === "enhanced" ? enhancedStarts(schedule, from, to) : classicStarts(schedule, from, to);
  const minutes = windowMinutes(schedule);
  const expiresAt = schedule.expiration ? naiveFromLocal(schedule.expiration) : Number.POSITIVE_INFINITY;
  return starts
    .filter((s) => s >= from && s < to && s <= expiresAt)
    .map((s) => ({
      schedule: schedule.name,
      start: localFromNaive(s),
      end: minutes === null ? null : localFromNaive(s + minutes * MINUTE_MS),
    }));
}

/** The first window's opening, in naive ms; with no STARTDATE, the day `from` falls on. */
function anchorOf(schedule: ScheduleDefinition, from: number): number {
  const day = schedule.startDate ? naiveFromLocal(`${schedule.startDate}T00:00:00`) : dayOf(from);
  return day + secondsOfDay(schedule.startTime) * 1000;
}

function classicStarts(schedule: ScheduleDefinition, from: number, to: number): number[] {
  const anchor = anchorOf(schedule, from);
  const allowed = parseDaysOfWeek(schedule.dayOfWeek);
  const moveToAllowedDay = (t: number) => {
    for (let i = 0; i < 7; i++, t += DAY_MS) if (allowed.has(weekdayOf(t))) return t;
    return t;
  };
  if (schedule.periodUnits === "onetime") return [moveToAllowedDay(anchor)];

  const out: number[] = [];
  const push = (t: number) => {
    if (out[out.length - 1] !== t) out.push(t);
    if (out.length > MAX_WINDOWS) throw new RangeError(`more than ${MAX_WINDOWS} windows asked of ${schedule.name}`);
  };
  // A candidate can move forward up to six days, so start looking a week before `from`.
  const earliest = from - 7 * DAY_MS;
  if (schedule.periodUnits === "months" || schedule.periodUnits === "years") {
    const step = schedule.period * (schedule.periodUnits === "years" ? 12 : 1);
    const a = new Date(anchor);
    const e = new Date(earliest);
    const monthsBetween = (e.getUTCFullYear() - a.getUTCFullYear()) * 12 + e.getUTCMonth() - a.getUTCMonth();
    // Always from the anchor (never from the previous window), so 31 January stays the 31st in March.
    for (let k = Math.max(0, Math.floor(monthsBetween / step) - 1); ; k++) {
      const t = addMonths(anchor, k * step);
      if (t >= to) break;
      if (t >= earliest) push(moveToAllowedDay(t));
    }
    return out;
  }
  const unitMs = { hours: HOUR_MS, days: DAY_MS, weeks: 7 * DAY_MS }[schedule.periodUnits];
  const periodMs = schedule.period * unitMs;
  for (let k = Math.max(0, Math.floor((earliest - anchor) / periodMs)); ; k++) {
    const t = anchor + k * periodMs;
    if (t >= to) break;
    if (t >= earliest) push(moveToAllowedDay(t));
  }
  // Moving can reorder windows of a sub-day period (Saturday's move lands after Sunday's); keep order.
  return [...new Set(out)].sort((x, y) => x - y);
}

function enhancedStarts(schedule: ScheduleDefinition, from: number, to: number): number[] {
  const days = parseDaysOfWeek(schedule.dayOfWeek);
  const months = parseMonths(schedule.month);
  const daysOfMonth = parseDaysOfMonth(schedule.dayOfMonth);
  const weeks = parseWeeksOfMonth(schedule.weekOfMonth);
  const startDay = schedule.startDate ? naiveFromLocal(`${schedule.startDate}T00:00:00`) : Number.NEGATIVE_INFINITY;
  const time = secondsOfDay(schedule.startTime) * 1000;
  const out: number[] = [];
  for (let day = dayOf(from); day < to; day += DAY_MS) {
    if (day < startDay) continue;
    const d = new Date(day);
    const date = d.getUTCDate();
    const length = daysInMonth(day);
    if (!months.has(d.getUTCMonth()) || !days.has(d.getUTCDay())) continue;
    if (daysOfMonth && !daysOfMonth.has(date) && !daysOfMonth.has(date - length - 1)) continue;
    // First..fourth are days 1-7, 8-14, 15-21, 22-28; "last" is the month's last seven days.
    const week = date <= 28 ? Math.ceil(date / 7) : null;
    if (weeks && !(week !== null && weeks.has(week)) && !(weeks.has(5) && date > length - 7)) continue;
    out.push(day + time);
    if (out.length > MAX_WINDOWS) throw new RangeError(`more than ${MAX_WINDOWS} windows asked of ${schedule.name}`);
  }
  return out;
}
