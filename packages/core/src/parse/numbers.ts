/**
 * Numbers as the client's NUMBERFORMAT writes them. IBM's values: 1 `1,000.00`, 2 `1,000,00`,
 * 3 `1 000,00`, 4 `1 000.00`, 5 `1.000,00`, 6 `1'000,00`. Counts never have decimals, so any
 * separator in them groups digits. Sizes and times do: with `auto`, the decimal mark is learned
 * from the first value that shows it (`70.20 MB`, `14,151.96 KB/sec`) and kept for the file.
 */

export type NumberFormat = "auto" | 1 | 2 | 3 | 4 | 5 | 6;

const decimalMarkOf: Record<1 | 2 | 3 | 4 | 5 | 6, "." | ","> = { 1: ".", 2: ",", 3: ",", 4: ".", 5: ",", 6: "," };

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Group separators any format uses: , . ' space, no-break space, narrow no-break space. */
function isSeparator(c: number): boolean {
  return c === 44 || c === 46 || c === 39 || c === 32 || c === 0xa0 || c === 0x202f;
}

/** What String.prototype.trim() removes, among ASCII bytes. */
function isBlankByte(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

const UNITS: Record<string, number> = { B: 0, KB: 1, MB: 2, GB: 3, TB: 4, PB: 5 };

export class NumberReader {
  private decimalMark: "." | "," | null;

  constructor(format: NumberFormat = "auto") {
    this.decimalMark = format === "auto" ? null : decimalMarkOf[format];
    this.learn = format === "auto";
    this.markMayGroup = format === "auto" || format === 2;
  }

  private readonly learn: boolean;
  private readonly markMayGroup: boolean;

  /** A whole count (`214,391`, `1 000`, `1'000`) or null when unreadable. */
  count(text: string): number | null {
    const s = text.trim();
    let v = 0;
    let digits = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (isDigit(c)) {
        v = v * 10 + c - 48;
        digits++;
      } else if (!(isSeparator(c) && digits > 0 && isDigit(s.charCodeAt(i + 1)))) return null;
    }
    return digits > 0 && Number.isSafeInteger(v) ? v : null;
  }

  /**
   * count() on bytes[from, to), for a value that is all ASCII (a status line's, nearly always):
   * the same answer without making the text. undefined when a byte is past ASCII: decode and ask count().
   */
  countAscii(bytes: Uint8Array, from: number, to: number): number | null | undefined {
    while (from < to && isBlankByte(bytes[from]!)) from++;
    while (to > from && isBlankByte(bytes[to - 1]!)) to--;
    let v = 0;
    let digits = 0;
    for (let i = from; i < to; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return undefined;
      if (isDigit(c)) {
        v = v * 10 + c - 48;
        digits++;
      } else if (!(isSeparator(c) && digits > 0 && i + 1 < to && isDigit(bytes[i + 1]!))) {
        for (let k = i + 1; k < to; k++) if (bytes[k]! >= 0x80) return undefined;
        return null;
      }
    }
    return digits > 0 && Number.isSafeInteger(v) ? v : null;
  }

  /** A decimal value (`70.20`, `1.000,50`) or null. */
  decimal(text: string): number | null {
    const s = text.trim();
    if (s.length === 0 || !isDigit(s.charCodeAt(0)) || !isDigit(s.charCodeAt(s.length - 1))) return null;
    const mark = this.markFor(s);
    let point = mark === null ? -1 : s.lastIndexOf(mark);
    // Where the mark can also group digits (format 2, or not yet known), three digits after it group.
    if (point >= 0 && s.length - point - 1 === 3 && this.markMayGroup) point = -1;
    const whole = this.count(point < 0 ? s : s.slice(0, point));
    if (whole === null) return null;
    if (point < 0) return whole;
    const frac = s.slice(point + 1);
    for (let i = 0; i < frac.length; i++) if (!isDigit(frac.charCodeAt(i))) return null;
    return whole + Number(`0.${frac}`);
  }

  /** `70.20 MB` as bytes (KB/MB/GB are powers of 1024), rounded to a whole byte; null if unreadable. */
  bytes(text: string): number | null {
    const s = text.trim();
    let end = s.length;
    while (end > 0 && !isDigit(s.charCodeAt(end - 1))) end--;
    const unit = s.slice(end).trim().toUpperCase();
    const power = unit === "" ? 0 : UNITS[unit];
    if (power === undefined) return null;
    const value = this.decimal(s.slice(0, end));
    if (value === null) return null;
    const bytes = Math.round(value * 1024 ** power);
    return Number.isSafeInteger(bytes) ? bytes : null;
  }

  /** The decimal mark for this value; in `auto`, learned from the first value that reveals it. */
  private markFor(s: string): "." | "," | null {
    if (!this.learn || this.decimalMark !== null) return this.decimalMark;
    let last = -1;
    let mixed = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 44 || c === 46) {
        if (last >= 0 && c !== s.charCodeAt(last)) mixed = true;
        last = i;
      }
    }
    // `1,234` alone could be either; TSM prints sizes and times with two decimals, never three.
    if (last >= 0 && (mixed || s.length - last - 1 !== 3)) this.decimalMark = s[last] === "." ? "." : ",";
    return this.decimalMark;
  }
}

/** `00:02:02` (hours may pass 99) as seconds, or null. */
export function elapsedSeconds(text: string): number | null {
  const m = /^\s*(\d+):(\d{2}):(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const seconds = h * 3600 + min * 60 + s;
  return min > 59 || s > 59 || !Number.isSafeInteger(seconds) ? null : seconds;
}
