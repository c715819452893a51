import { realDateTime } from "../schemas/limits";

/**
 * Timestamps as the client's DATEFORMAT/TIMEFORMAT write them. Every supported date format is told
 * apart by its separator and where the four-digit year stands, so `auto` decides per line with no
 * file-wide guess (and so no chunk-dependent state).
 */

export const dateFormats = ["MM/DD/YYYY", "MM/DD/YY", "DD-MM-YYYY", "YYYY-MM-DD", "DD.MM.YYYY", "YYYY.MM.DD"] as const;
export type DateFormat = "auto" | (typeof dateFormats)[number];

const SPACE = 32;
const PREFIX_MAX = 64;
const TAB = 9;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `line.startsWith(start)`, which V8 runs slowly on sliced strings. */
function sameStart(line: string, start: string): boolean {
  if (line.length < start.length) return false;
  for (let k = start.length - 1; k >= 0; k--) if (line.charCodeAt(k) !== start.charCodeAt(k)) return false;
  return true;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

type Fixed = Exclude<DateFormat, "auto">;
type Layout = { sep: number; order: "ymd" | "mdy" | "dmy"; yearDigits: 2 | 4 };
const LAYOUTS: Record<Fixed, Layout> = {
  "MM/DD/YYYY": { sep: 47, order: "mdy", yearDigits: 4 },
  "MM/DD/YY": { sep: 47, order: "mdy", yearDigits: 2 },
  "DD-MM-YYYY": { sep: 45, order: "dmy", yearDigits: 4 },
  "YYYY-MM-DD": { sep: 45, order: "ymd", yearDigits: 4 },
  "DD.MM.YYYY": { sep: 46, order: "dmy", yearDigits: 4 },
  "YYYY.MM.DD": { sep: 46, order: "ymd", yearDigits: 4 },
};

/** Digits read by readInt: value and count (module state, so the hot path allocates nothing). */
let intValue = 0;
let intLen = 0;

/** Up to four digits at `from`; intLen 0 when there are none or more than four. */
function readInt(s: string, from: number): void {
  let v = 0;
  let i = from;
  while (i - from < 4 && isDigit(s.charCodeAt(i))) v = v * 10 + s.charCodeAt(i++) - 48;
  intValue = v;
  intLen = isDigit(s.charCodeAt(i)) ? 0 : i - from;
}

const TWO_DIGITS = Array.from({ length: 61 }, (_, n) => pad2(n));

let digitsLength = 0;
/** Up to four digits at bytes[from] (as readInt); their count goes to digitsLength, 0 if none or more. */
function digitsAt(bytes: Uint8Array, from: number, end: number): number {
  let v = 0;
  let i = from;
  while (i < end && i - from < 4 && bytes[i]! >= 48 && bytes[i]! <= 57) v = v * 10 + bytes[i++]! - 48;
  digitsLength = i < end && bytes[i]! >= 48 && bytes[i]! <= 57 ? 0 : i - from;
  return v;
}

type Time = { h: number; m: number; s: number; text: string };

/** Reads `<date> <time> [AM|PM] ` at the start of lines. Lines share seconds and days: both are cached. */
export class StampReader {
  /** The last read time, `YYYY-MM-DDTHH:MM:SS`. */
  at = "";
  /** Where the text after the timestamp starts. */
  textStart = 0;
  private prefix = "";
  private datePrefix = "";
  private dateIso = "";
  private readonly time: Time = { h: 0, m: 0, s: 0, text: "" };

  constructor(private readonly format: DateFormat = "auto") {}

  /** True when the line starts with a timestamp; sets `at` and `textStart`. */
  read(line: string): boolean {
    if (!isDigit(line.charCodeAt(0))) return false;
    const prefix = this.prefix;
    if (prefix.length > 0 && sameStart(line, prefix)) {
      let i = prefix.length;
      while (isBlank(line.charCodeAt(i))) i++;
      this.textStart = i;
      return true;
    }
    return this.parse(line);
  }

  /** The full read, for a line that does not repeat the last timestamp. */
  private parse(line: string): boolean {
    let i: number;
    let date: string;
    const dp = this.datePrefix;
    if (dp.length > 0 && sameStart(line, dp) && isBlank(line.charCodeAt(dp.length))) {
      i = dp.length;
      date = this.dateIso;
    } else {
      const end = this.date(line, 0);
      if (end < 0 || !isBlank(line.charCodeAt(end))) return false;
      date = this.dateIso = this.scratch;
      this.datePrefix = line.slice(0, end);
      i = end;
    }
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

  /**
   * Same as read(), on bytes[start, end): `textStart` is then a byte index. Most lines repeat the
   * previous line's timestamp, so the bytes are compared with it first; only a new second is parsed.
   */
  readBytes(bytes: Uint8Array, start: number, end: number): boolean {
    const b0 = bytes[start]!;
    if (b0 < 48 || b0 > 57) return false;
    const p = this.prefixBytes;
    const n = this.prefixLength;
    if (n > 0 && end - start >= n) {
      // Four bytes a step, from the end (the seconds change first); odd bytes past the last word first.
      let k = n - 1;
      const whole = n & ~3;
      while (k >= whole && bytes[start + k] === p[k]) k--;
      if (k < whole) {
        const view = this.viewOf(bytes);
        const words = this.prefixWords;
        let w = (whole >>> 2) - 1;
        while (w >= 0 && view.getInt32(start + (w << 2), true) === words[w]) w--;
        k = w < 0 ? -1 : 0;
      }
      if (k < 0) {
        let i = start + n;
        while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
        this.textStart = i;
        return true;
      }
    }
    // Most new seconds fall on the last line's date: only the time is read, from the bytes.
    if (this.dateLength > 0 && this.sameDateNewTime(bytes, start, end)) return true;
    // A timestamp is ASCII, so a Latin-1 view of the line's head has the same offsets.
    let headEnd = Math.min(end, start + 64);
    let head = String.fromCharCode.apply(null, bytes.subarray(start, headEnd) as unknown as number[]);
    if (!this.parse(head)) return false;
    if (this.textStart === head.length && headEnd < end) {
      headEnd = end; // an unusual run of blanks: read the whole line
      head = String.fromCharCode.apply(null, bytes.subarray(start, headEnd) as unknown as number[]);
      if (!this.parse(head)) return false;
    }
    const length = Math.min(this.prefix.length, PREFIX_MAX);
    this.prefixBytes.set(bytes.subarray(start, start + length));
    this.setPrefixLength(length);
    this.dateLength = Math.min(this.datePrefix.length, length);
    this.bytesDateIso = this.dateIso;
    this.textStart += start;
    return true;
  }

  /**
   * readBytes() for a line whose date bytes are the last line's and whose time is a plain 24-hour
   * `H:MM:SS` (or `HH.MM.SS`): the same answer as parse() without making the head's text. Anything
   * else (AM/PM, an odd layout) returns false and takes the full read.
   */
  private sameDateNewTime(bytes: Uint8Array, start: number, end: number): boolean {
    const p = this.prefixBytes;
    const dn = this.dateLength;
    if (end - start <= dn) return false;
    for (let k = dn - 1; k >= 0; k--) if (bytes[start + k] !== p[k]) return false;
    let i = start + dn;
    if (bytes[i] !== SPACE && bytes[i] !== TAB) return false;
    while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
    // parse() reads a 64-byte head: a time past it is left to the full read, which decides as before.
    if (i + 10 > start + 64) return false;
    const h = digitsAt(bytes, i, end);
    const hLen = digitsLength;
    if (hLen === 0 || hLen > 2) return false;
    i += hLen;
    const sep = bytes[i];
    if (sep !== 58 && sep !== 46) return false;
    const m = digitsAt(bytes, i + 1, end);
    if (digitsLength !== 2 || bytes[i + 3] !== sep) return false;
    const sec = digitsAt(bytes, i + 4, end);
    if (digitsLength !== 2) return false;
    i += 6;
    if (h > 23 || m > 59 || sec > 60) return false;
    if (i < end && bytes[i] !== SPACE && bytes[i] !== TAB) return false;
    while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
    const c = bytes[i]! | 0x20;
    if ((c === 0x61 || c === 0x70) && (bytes[i + 1]! | 0x20) === 0x6d) return false; // AM/PM: the full read
    const length = Math.min(i - start, PREFIX_MAX);
    for (let k = 0; k < length; k++) p[k] = bytes[start + k]!;
    this.setPrefixLength(length);
    this.prefix = ""; // the text cache (read()) no longer matches the last line
    this.at = `${this.bytesDateIso}T${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[sec]}`;
    this.textStart = i;
    return true;
  }

  /** How many of prefixBytes' first bytes are the date, and that date as `YYYY-MM-DD`. */
  private dateLength = 0;
  private bytesDateIso = "";

  // The last timestamp's bytes, in a buffer kept for good: a new second allocates nothing here.
  private readonly prefixBytes = new Uint8Array(PREFIX_MAX);
  private prefixLength = 0;
  /** prefixBytes as little-endian 32-bit words, as a DataView reads them from a line. */
  private readonly prefixWords = new Int32Array(PREFIX_MAX / 4);
  private view: DataView | null = null;
  private viewBytes: Uint8Array | null = null;

  private setPrefixLength(length: number): void {
    const p = this.prefixBytes;
    for (let w = 0; w < length >>> 2; w++) {
      const k = w << 2;
      this.prefixWords[w] = p[k]! | (p[k + 1]! << 8) | (p[k + 2]! << 16) | (p[k + 3]! << 24);
    }
    this.prefixLength = length;
  }

  /** A view of the caller's chunk for word reads, made once per chunk. */
  private viewOf(bytes: Uint8Array): DataView {
    if (bytes !== this.viewBytes || this.view === null) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.viewBytes = bytes;
    }
    return this.view;
  }

  /** A bare date token (`30-01-2008`) as `YYYY-MM-DD`, or null. */
  parseDate(token: string): string | null {
    // Announcements and OBJECT lines repeat the same day run after run.
    if (token === this.lastDateToken) return this.lastDate;
    const end = this.date(token, 0);
    this.lastDateToken = token;
    this.lastDate = end === token.length ? this.scratch : null;
    return this.lastDate;
  }

  private lastDateToken = "";
  private lastDate: string | null = null;

  /** A bare time (`20:00:00`, `8:00:00 PM`) as `HH:MM:SS`, or null. */
  parseTime(text: string): string | null {
    if (text === this.lastTimeText) return this.lastTime;
    const t: Time = { h: 0, m: 0, s: 0, text: "" };
    let i = readTime(text, 0, t);
    if (i >= 0) {
      while (isBlank(text.charCodeAt(i))) i++;
      i = applyMeridiem(text, i, t);
    }
    this.lastTimeText = text;
    this.lastTime = i >= 0 && i === text.length ? t.text : null;
    return this.lastTime;
  }

  private lastTimeText = "";
  private lastTime: string | null = null;

  private scratch = "";

  /** Parses a date at `from`; returns its end, or -1. The date text goes to `scratch`. */
  private date(line: string, from: number): number {
    let i = from;
    readInt(line, i);
    const [a, aLen] = [intValue, intLen];
    if (aLen === 0) return -1;
    i += aLen;
    const sep = line.charCodeAt(i);
    if (sep !== 47 /* / */ && sep !== 45 /* - */ && sep !== 46 /* . */) return -1;
    readInt(line, ++i);
    const [b, bLen] = [intValue, intLen];
    if (bLen === 0 || bLen > 2 || line.charCodeAt(i + bLen) !== sep) return -1;
    i += bLen + 1;
    readInt(line, i);
    const [c, cLen] = [intValue, intLen];
    if (cLen === 0) return -1;
    i += cLen;
    const layout = LAYOUTS[this.format === "auto" ? guessFormat(sep, aLen, cLen) : this.format];
    if (layout.sep !== sep) return -1;
    const yearLen = layout.order === "ymd" ? aLen : cLen;
    const firstLen = layout.order === "ymd" ? cLen : aLen;
    if (yearLen !== layout.yearDigits || firstLen > 2) return -1;
    let [y, m, d] = layout.order === "ymd" ? [a, b, c] : layout.order === "mdy" ? [c, a, b] : [c, b, a];
    if (layout.yearDigits === 2) y += y < 70 ? 2000 : 1900;
    // A date no client can have written (31 February, year 4008) is a garbled line, as the wire says.
    if (realDateTime(y, m, d, 0, 0, 0) !== null) return -1;
    this.scratch = `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;
    return i;
  }
}

function guessFormat(sep: number, aLen: number, cLen: number): Fixed {
  if (sep === 47) return cLen === 2 ? "MM/DD/YY" : "MM/DD/YYYY";
  if (sep === 45) return aLen === 4 ? "YYYY-MM-DD" : "DD-MM-YYYY";
  return aLen === 4 ? "YYYY.MM.DD" : "DD.MM.YYYY";
}

/** `H:MM:SS` or `HH.MM.SS` at `from` into `t`; returns its end or -1. */
function readTime(s: string, from: number, t: Time): number {
  let i = from;
  readInt(s, i);
  const [h, hLen] = [intValue, intLen];
  if (hLen === 0 || hLen > 2) return -1;
  i += hLen;
  const sep = s.charCodeAt(i);
  if (sep !== 58 /* : */ && sep !== 46 /* . */) return -1;
  readInt(s, ++i);
  const m = intValue;
  if (intLen !== 2 || s.charCodeAt(i + 2) !== sep) return -1;
  i += 3;
  readInt(s, i);
  const sec = intValue;
  if (intLen !== 2) return -1;
  i += 2;
  if (h > 23 || m > 59 || sec > 60) return -1;
  t.h = h;
  t.m = m;
  t.s = sec;
  t.text = `${pad2(h)}:${pad2(m)}:${pad2(sec)}`;
  return i;
}

/** An `AM`/`PM` word at `i` turns the time into 24 hours; returns where the text goes on, or -1. */
function applyMeridiem(s: string, i: number, t: Time): number {
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
