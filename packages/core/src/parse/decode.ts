/**
 * Bytes -> lines. TSM writes in the client's code page: UTF-8 on modern systems, Latin-1 on old
 * ones, and a log can hold both (an upgrade mid-file). Each line is decoded on its own: valid UTF-8
 * as UTF-8, anything else as Latin-1, so an accented path is never replaced by U+FFFD.
 *
 * Results never depend on where chunks are cut: a partial line is carried to the next chunk, and a
 * chunk that is valid UTF-8 as a whole splits into exactly the lines per-line decoding would give
 * (0x0A never occurs inside a multi-byte sequence).
 */

const NL = 0x0a;
const CR = 0x0d;
/** Longer lines are cut here: a log line is < 1 KiB; a megabyte "line" is junk, not data to hold. */
export const MAX_LINE_BYTES = 64 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function isAscii(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  let out = "";
  for (let i = from; i < to; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(to, i + 4096)) as unknown as number[]);
  }
  return out;
}

/** One line's bytes (no line end) to text: UTF-8 when valid, else Latin-1. */
export function decodeLine(bytes: Uint8Array, from: number, to: number): string {
  if (isAscii(bytes, from, to)) return latin1(bytes, from, to);
  try {
    return utf8.decode(bytes.subarray(from, to));
  } catch {
    return latin1(bytes, from, to);
  }
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
}

export class LineSplitter {
  private carry: Uint8Array[] = [];
  private carryBytes = 0;
  private atStart = true;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    const first = chunk.indexOf(NL);
    if (first < 0) {
      this.keep(chunk, 0, chunk.length);
      return;
    }
    if (this.carryBytes > 0) {
      // Complete the carried partial line with the head of this chunk.
      this.keep(chunk, 0, first);
      this.emitCarry();
      start = first + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= start) this.emitBlock(chunk, start, last);
    this.keep(chunk, last + 1, chunk.length);
  }

  /** Text input (already decoded) goes through the same line rules. */
  pushText(text: string): void {
    const lines = text.split("\n");
    const tail = lines.pop() ?? "";
    for (const line of lines) this.line(stripCr(line));
    if (tail.length > 0) this.line(stripCr(tail));
  }

  /** The file ended: a last line without a line end is still a line (a crash cut it short). */
  end(): void {
    if (this.carryBytes > 0) this.emitCarry();
  }

  private keep(chunk: Uint8Array, from: number, to: number): void {
    const room = MAX_LINE_BYTES - this.carryBytes;
    const take = Math.min(room, to - from);
    if (take <= 0) return;
    // Copy: the caller may reuse its buffer after push() returns.
    this.carry.push(chunk.slice(from, from + take));
    this.carryBytes += take;
  }

  private emitCarry(): void {
    const parts = this.carry;
    let bytes: Uint8Array;
    if (parts.length === 1) bytes = parts[0]!;
    else {
      bytes = new Uint8Array(this.carryBytes);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
    }
    this.carry = [];
    this.carryBytes = 0;
    this.line(stripCr(decodeLine(bytes, 0, bytes.length)));
  }

  /** Whole lines in [from, lastNl]: decode in one go when valid UTF-8, else line by line. */
  private emitBlock(chunk: Uint8Array, from: number, lastNl: number): void {
    let lines: string[] | null = null;
    try {
      lines = utf8.decode(chunk.subarray(from, lastNl)).split("\n");
    } catch {
      lines = null;
    }
    // A line that may pass MAX_LINE_BYTES must be cut by bytes, as the carried path cuts it.
    if (lines !== null && !lines.some((l) => l.length > MAX_LINE_BYTES / 4)) {
      for (const line of lines) this.line(stripCr(line));
      return;
    }
    let at = from;
    while (at <= lastNl) {
      const nl = chunk.indexOf(NL, at);
      this.line(stripCr(decodeLine(chunk, at, Math.min(nl, at + MAX_LINE_BYTES))));
      at = nl + 1;
    }
  }

  private line(text: string): void {
    if (this.atStart) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.onLine(text);
  }
}
