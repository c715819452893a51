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
