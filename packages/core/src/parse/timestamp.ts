/**
 * Timestamps as the client's DATEFORMAT/TIMEFORMAT write them. Every supported date format is told
 * apart by its separator and where the four-digit year stands, so `auto` decides per line with no
 * file-wide guess (and so no chunk-dependent state).
 */

export const dateFormats = ["MM/DD/YYYY", "MM/DD/YY", "DD-MM-YYYY", "YYYY-MM-DD", "DD.MM.YYYY", "YYYY.MM.DD"] as const;
export type DateFormat = "auto" | (typeof dateFormats)[number];

const SPACE = 32;
const TAB = 9;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** Reads `<date> <time> [AM|PM] ` at the start of lines; remembers the last prefix (lines share seconds). */
export class StampReader {
  /** The last read time, `YYYY-MM-DDTHH:MM:SS`. */
  at = "";
  /** Where the text after the timestamp starts. */
  textStart = 0;
  private prefix = "";

  constructor(private readonly format: DateFormat = "auto") {}

  /** True when the line starts with a timestamp; sets `at` and `textStart`. */
  read(line: string): boolean {
    if (!isDigit(line.charCodeAt(0))) return false;
    const prefix = this.prefix;
    if (prefix.length > 0 && line.startsWith(prefix)) {
      let i = prefix.length;
      while (isBlank(line.charCodeAt(i))) i++;
      this.textStart = i;
      return true;
    }
    const dateEnd = this.date(line, 0);
    if (dateEnd < 0 || !isBlank(line.charCodeAt(dateEnd))) return false;
    const date = this.scratch;
    let i = dateEnd;
    while (isBlank(line.charCodeAt(i))) i++;
    const timeEnd = readTime(line, i, this.time);
    if (timeEnd < 0) return false;
    i = timeEnd;
    if (i < line.length && !isBlank(line.charCodeAt(i))) return false;
    while (isBlank(line.charCodeAt(i))) i++;
    i = applyMeridiem(line, i, this.time);
    if (i < 0) return false;
    this.at = `${date}T${this.time.text}`;
    this.textStart = i;
    this.prefix = line.slice(0, i);
    return true;
  }

  /** A bare date token (`30-01-2008`) as `YYYY-MM-DD`, or null. */
  parseDate(token: string): string | null {
    const end = this.date(token, 0);
    return end === token.length ? this.scratch : null;
  }

  /** A bare time (`20:00:00`, `8:00:00 PM`) as `HH:MM:SS`, or null. */
  parseTime(text: string): string | null {
    const t = this.time;
    let i = readTime(text, 0, t);
    if (i < 0) return null;
    while (isBlank(text.charCodeAt(i))) i++;
    i = applyMeridiem(text, i, t);
    return i === text.length ? t.text : null;
  }

  private scratch = "";
  private readonly time = { h: 0, m: 0, s: 0, text: "" };

  /** Parses a date at `from`; returns its end, or -1. The date text goes to `scratch`. */
  private date(line: string, from: number): number {
    let i = from;
    const a = readInt(line, i);
    if (a.len === 0) return -1;
    i += a.len;
    const sep = line.charCodeAt(i);
    if (sep !== 47 /* / */ && sep !== 45 /* - */ && sep !== 46 /* . */) return -1;
    const b = readInt(line, ++i);
    if (b.len === 0 || line.charCodeAt(i + b.len) !== sep) return -1;
    i += b.len + 1;
    const c = readInt(line, i);
    if (c.len === 0) return -1;
    i += c.len;
    const fmt = this.format === "auto" ? guessFormat(sep, a.len, c.len) : this.format;
    if (fmt === null || !fits(fmt, sep, a.len, b.len, c.len)) return -1;
    let y: number;
    let m: number;
    let d: number;
    if (fmt.startsWith("YYYY")) [y, m, d] = [a.value, b.value, c.value];
    else if (fmt.startsWith("MM")) [m, d, y] = [a.value, b.value, c.value];
    else [d, m, y] = [a.value, b.value, c.value];
    if (c.len === 2 && fmt === "MM/DD/YY") y += y < 70 ? 2000 : 1900;
    if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
    this.scratch = `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
    return i;
  }
}

function readInt(s: string, from: number): { value: number; len: number } {
  let v = 0;
  let i = from;
  while (i < s.length && i - from < 4 && isDigit(s.charCodeAt(i))) v = v * 10 + s.charCodeAt(i++) - 48;
  if (isDigit(s.charCodeAt(i))) return { value: 0, len: 0 }; // five digits or more: no date part
  return { value: v, len: i - from };
}

function guessFormat(sep: number, aLen: number, cLen: number): Exclude<DateFormat, "auto"> | null {
  if (sep === 47) return cLen === 2 ? "MM/DD/YY" : "MM/DD/YYYY";
  if (sep === 45) return aLen === 4 ? "YYYY-MM-DD" : "DD-MM-YYYY";
  return aLen === 4 ? "YYYY.MM.DD" : "DD.MM.YYYY";
}

function fits(fmt: Exclude<DateFormat, "auto">, sep: number, aLen: number, bLen: number, cLen: number): boolean {
  if (fmt.charCodeAt(2) !== sep && fmt.charCodeAt(4) !== sep) return false;
  const [pa, pb, pc] = fmt.split(/[/.-]/) as [string, string, string];
  const ok = (part: string, len: number) => (part.length === 4 ? len === 4 : len >= 1 && len <= 2);
  return ok(pa, aLen) && ok(pb, bLen) && ok(pc, cLen);
}

/** `H:MM:SS` or `HH.MM.SS` at `from` into `t`; returns its end or -1. */
function readTime(s: string, from: number, t: { h: number; m: number; s: number; text: string }): number {
  let i = from;
  const h = readInt(s, i);
  if (h.len === 0 || h.len > 2) return -1;
  i += h.len;
  const sep = s.charCodeAt(i);
  if (sep !== 58 /* : */ && sep !== 46 /* . */) return -1;
  const m = readInt(s, ++i);
  if (m.len !== 2 || s.charCodeAt(i + 2) !== sep) return -1;
  i += 3;
  const sec = readInt(s, i);
  if (sec.len !== 2) return -1;
  i += 2;
  if (h.value > 23 || m.value > 59 || sec.value > 60) return -1;
  t.h = h.value;
  t.m = m.value;
  t.s = sec.value;
  t.text = `${pad2(t.h)}:${pad2(t.m)}:${pad2(t.s)}`;
  return i;
}

/** An `AM`/`PM` word at `i` turns the time into 24 hours; returns where the text goes on, or -1. */
function applyMeridiem(s: string, i: number, t: { h: number; m: number; s: number; text: string }): number {
  const c = s.charCodeAt(i) | 0x20;
  if ((c !== 0x61 && c !== 0x70) || (s.charCodeAt(i + 1) | 0x20) !== 0x6d) return i;
  const after = s.charCodeAt(i + 2);
  if (i + 2 < s.length && !isBlank(after)) return i; // a word like "Action", not a meridiem
  if (t.h < 1 || t.h > 12) return -1;
  t.h = (t.h % 12) + (c === 0x70 ? 12 : 0);
  t.text = `${pad2(t.h)}:${pad2(t.m)}:${pad2(t.s)}`;
  let j = i + 2;
  while (isBlank(s.charCodeAt(j))) j++;
  return j;
}
