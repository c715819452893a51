/**
 * TSM logs carry wall-clock time with no zone. The agent knows its machine's UTC offset and
 * sends it with each event; the server stores instants. local = utc + offset.
 */
export function localToUtc(local: string, utcOffsetMinutes: number): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new RangeError(`not a local time: ${local}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - utcOffsetMinutes * 60_000);
}

export function utcToLocal(instant: Date, utcOffsetMinutes: number): string {
  return new Date(instant.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
}
