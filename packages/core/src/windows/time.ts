import { localFromNaive, MINUTE_MS, naiveFromLocal } from "./local-time";

/**
 * TSM logs carry wall-clock time with no zone. The agent knows its machine's UTC offset and
 * sends it with each event; the server stores instants. local = utc + offset.
 */
export function localToUtc(local: string, utcOffsetMinutes: number): Date {
  return new Date(naiveFromLocal(local) - utcOffsetMinutes * MINUTE_MS);
}

export function utcToLocal(instant: Date, utcOffsetMinutes: number): string {
  return localFromNaive(instant.getTime() + utcOffsetMinutes * MINUTE_MS);
}

/**
 * Where a node's wall clock is: its IANA time zone when the agent reported one (the offset then
 * follows daylight saving, window by window), else the one UTC offset last seen in its log.
 */
export interface NodeClock {
  utcOffsetMinutes: number;
  timeZone?: string | null;
}

/**
 * A local time of `clock` as an instant. In a time zone, a time the clocks skipped (01:30 on a
 * spring-forward night in London) is read with the offset before the change, so it lands after the
 * gap (02:30 summer time), and a time that happens twice (01:30 on the autumn night) is the first
 * of the two: JavaScript's Temporal calls this "compatible", and it is how a scheduler waiting on
 * a wall clock sees it.
 */
export function clockLocalToUtc(local: string, clock: NodeClock): Date {
  if (!clock.timeZone) return localToUtc(local, clock.utcOffsetMinutes);
  const naive = naiveFromLocal(local);
  const before = zoneOffsetMinutes(clock.timeZone, naive - DAY_MS);
  const after = zoneOffsetMinutes(clock.timeZone, naive + DAY_MS);
  const fits = [before, after]
    .map((offset) => naive - offset * MINUTE_MS)
    .filter((t) => t + zoneOffsetMinutes(clock.timeZone as string, t) * MINUTE_MS === naive);
  return new Date(fits.length ? Math.min(...fits) : naive - before * MINUTE_MS);
}

export function clockUtcToLocal(instant: Date, clock: NodeClock): string {
  const offset = clock.timeZone ? zoneOffsetMinutes(clock.timeZone, instant.getTime()) : clock.utcOffsetMinutes;
  return localFromNaive(instant.getTime() + offset * MINUTE_MS);
}

const DAY_MS = 24 * 60 * MINUTE_MS;
/** Every real zone changes its offset on a quarter hour: within one, the offset is one number. */
const QUARTER_MS = 15 * MINUTE_MS;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** The zone's offset from UTC at the instant, in minutes (east positive), as Intl's tz data says. */
export function zoneOffsetMinutes(timeZone: string, atMs: number): number {
  const bucket = Math.floor(atMs / QUARTER_MS) * QUARTER_MS;
  const key = `${timeZone} ${bucket}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(bucket))) if (p.type !== "literal") part[p.type] = Number(p.value);
  const wall = Date.UTC(part.year as number, (part.month as number) - 1, part.day, part.hour, part.minute, part.second);
  const offset = Math.round((wall - bucket) / MINUTE_MS);
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}
