/**
 * Schedules are defined in wall-clock time (the TSM server's, which the client follows), so window
 * arithmetic is done on local times as if they were UTC ("naive" milliseconds): a day is always
 * 24 h and 02:00 stays 02:00 across a daylight-saving change. Only `localToUtc` (time.ts) turns a
 * local time into an instant, with the node's offset.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * `YYYY-MM-DDTHH:MM:SS` as naive milliseconds. Read digit by digit rather than by a regular
 * expression: every event, message and window of an ingest passes through here several times.
 */
export function naiveFromLocal(local: string): number {
  if (local.length !== 19 || !separated(local)) throw new RangeError(`not a local time: ${local}`);
  const naive = Date.UTC(
    digits(local, 0, 4),
    digits(local, 5, 2) - 1,
    digits(local, 8, 2),
    digits(local, 11, 2),
    digits(local, 14, 2),
    digits(local, 17, 2),
  );
  if (Number.isNaN(naive)) throw new RangeError(`not a local time: ${local}`);
  return naive;
}

const separated = (s: string) => s[4] === "-" && s[7] === "-" && s[10] === "T" && s[13] === ":" && s[16] === ":";

/** The decimal number in `s` at `from`, `count` digits long; NaN if any is not a digit. */
function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

export function localFromNaive(naive: number): string {
  return new Date(naive).toISOString().slice(0, 19);
}

/** 0 = Sunday ... 6 = Saturday, as JavaScript and the week's names below count. */
export function weekdayOf(naive: number): number {
  return new Date(naive).getUTCDay();
}

/** Midnight of the naive time's day. */
export function dayOf(naive: number): number {
  return Math.floor(naive / DAY_MS) * DAY_MS;
}

/** Seconds since midnight of `HH:MM` or `HH:MM:SS`. */
export function secondsOfDay(time: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) throw new RangeError(`not a time of day: ${time}`);
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) throw new RangeError(`not a time of day: ${time}`);
  return h * 3600 + mi * 60 + s;
}

export function timeOfDay(naive: number): string {
  return new Date(naive).toISOString().slice(11, 19);
}

/** Adds calendar months, clamping the day to the month's last (31 January + 1 month = 28/29 February). */
export function addMonths(naive: number, months: number): number {
  const d = new Date(naive);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

export function daysInMonth(naive: number): number {
  const d = new Date(naive);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}
