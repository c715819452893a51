/**
 * SCHEDLOGMAX / ERRORLOGMAX wrapping logs. TSM writes a wrapping log in place: the newest lines end
 * at an `END OF DATA` line, the older lines follow it up to `Continued at beginning of file`, then
 * the writer goes on at offset 0. The reader never hands these lines to the parser: it stops at
 * `END OF DATA` (lines after it are old, or not yet overwritten) and jumps to 0 at `Continued`.
 */
export const Marker = { None: 0, EndOfData: 1, Continued: 2 } as const;
export type Marker = (typeof Marker)[keyof typeof Marker];

const STAMP = /^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s+\d{1,2}[:.]\d{2}([:.]\d{2})?(\s*[AaPp][Mm])?\s+/;
const DECOR = /[-=*#<>[\]\s]+/g;

/** The marker a line (bytes[start, end), without its newline) is, if any. */
export function markerOf(bytes: Uint8Array, start: number, end: number): Marker {
  const length = end - start;
  if (length < 11 || length > 120) return Marker.None;
  // Cheap test first: every marker line holds "OF DATA" or "ontinued at".
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString("latin1");
  if (!text.includes("END OF DATA") && !text.includes("ontinued at beginning of file")) return Marker.None;
  const core = text.replace(STAMP, "").replace(DECOR, " ").trim().replace(/\.$/, "");
  if (core === "END OF DATA") return Marker.EndOfData;
  if (core.toLowerCase() === "continued at beginning of file") return Marker.Continued;
  return Marker.None;
}

/** Line end (exclusive, before \r\n or \n) for a line whose \n is at `nl`. */
export function lineEnd(bytes: Uint8Array, start: number, nl: number): number {
  return nl > start && bytes[nl - 1] === 13 ? nl - 1 : nl;
}

/**
 * The header line a wrapping log may start with: the client rewrites it in place at every write
 * (where it writes next), so it is neither data nor a stable fingerprint. IBM's manuals do not
 * print it; what is known is that it is the first line, undated, and names the log or its limit
 * (e.g. `LOGHEADERREC 0000012345 0000065536 ...`). Anything undated that says none of that is data.
 */
const HEADER = /LOGHEADERREC|SCHEDLOGMAX|ERRORLOGMAX|LOGFILE:/i;

export function isHeaderLine(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 8 || length > 400) return false;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString("latin1");
  return !STAMP.test(text) && HEADER.test(text);
}
