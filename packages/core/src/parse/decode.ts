/**
 * Bytes -> lines. The splitter hands out byte ranges, not strings: most lines of a big log
 * (`Normal File-->`) need only their timestamp compared and their first bytes looked at, so only
 * the lines that matter are ever decoded (decodeLine). That is what lets the parser run faster
 * than "decode the file and split it into lines".
 *
 * TSM writes in the client's code page: UTF-8 on modern systems, Latin-1 on old ones, and a log
 * can hold both (an upgrade mid-file). Each line is decoded on its own: valid UTF-8 as UTF-8,
 * anything else as Latin-1, so an accented path is never replaced by U+FFFD.
 *
 * Results never depend on where chunks are cut: a partial line is carried to the next chunk.
 */
import { isAscii, isUtf8 } from "./utf8";

const NL = 0x0a;
const CR = 0x0d;
/** Longer lines are cut here: a log line is < 1 KiB; a megabyte "line" is junk, not data to hold. */
export const MAX_LINE_BYTES = 64 * 1024;

// Not `fatal`: isUtf8() has judged the bytes already, and a fatal decoder is about half as fast.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

function latin1(bytes: Uint8Array, from: number, to: number): string {
  let out = "";
  // A short value (a status line's `232.03 MB`): one character at a time beats apply()'s copy.
  if (to - from <= 12) {
    for (let i = from; i < to; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }
  for (let i = from; i < to; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(to, i + 4096)) as unknown as number[]);
  }
  return out;
}

/** One line's bytes (no line end) to text: UTF-8 when valid, else Latin-1. */
export function decodeLine(bytes: Uint8Array, from: number, to: number): string {
  // Below ~16 bytes building the string by hand beats the decoder's call; above, the decoder wins.
  if (to - from < 16 && isAscii(bytes, from, to)) return latin1(bytes, from, to);
  return isUtf8(bytes, from, to) ? utf8.decode(bytes.subarray(from, to)) : latin1(bytes, from, to);
}

/**
 * `chunk.indexOf(NL, from)`, four bytes per step: a line is ~70 bytes, and indexOf's call costs more
 * than the search itself (it was a tenth of a QUIET client's parse). A word holds a line end when
 * word ^ 0x0a0a0a0a has a zero byte, which the classic (v - 0x01..) & ~v & 0x80.. test tells exactly.
 */
class NewlineFinder {
  private readonly words: Int32Array | null = null;
  /** chunk[lead] is the first byte of words[0]. */
  private readonly lead: number = 0;

  constructor(private readonly chunk: Uint8Array) {
    if (chunk.length < 64) return;
    this.lead = (4 - (chunk.byteOffset & 3)) & 3;
    this.words = new Int32Array(chunk.buffer, chunk.byteOffset + this.lead, (chunk.length - this.lead) >>> 2);
  }

  next(from: number): number {
    const chunk = this.chunk;
    const words = this.words;
    if (words === null) return chunk.indexOf(NL, from);
    const lead = this.lead;
    const length = chunk.length;
    let i = from;
    while (i < length && (i < lead || ((i - lead) & 3) !== 0)) {
      if (chunk[i] === NL) return i;
      i++;
    }
    if (i >= length) return -1;
    let w = (i - lead) >>> 2;
    for (const n = words.length; w < n; w++) {
      const v = words[w]! ^ 0x0a0a0a0a;
      if (((v - 0x01010101) & ~v & 0x80808080) !== 0) break;
    }
    for (i = lead + (w << 2); i < length; i++) if (chunk[i] === NL) return i;
    return -1;
  }
}

/** Receives each line as bytes[start, end): no line end, no trailing CR, at most MAX_LINE_BYTES. */
export interface LineSink {
  line(bytes: Uint8Array, start: number, end: number): void;
}

export class LineSplitter {
  private carry: Uint8Array[] = [];
  private carryBytes = 0;
  private atStart = true;

  constructor(private readonly sink: LineSink) {}

  push(chunk: Uint8Array): void {
    const find = new NewlineFinder(chunk);
    let start = 0;
    let nl = find.next(0);
    if (nl < 0) {
      this.keep(chunk, 0, chunk.length);
      return;
    }
    if (this.carryBytes > 0) {
      // Complete the carried partial line with the head of this chunk.
      this.keep(chunk, 0, nl);
      this.emitCarry();
      start = nl + 1;
      nl = find.next(start);
    }
    while (nl >= 0) {
      this.emit(chunk, start, nl);
      start = nl + 1;
      nl = find.next(start);
    }
    this.keep(chunk, start, chunk.length);
  }

  /** Text input goes through the same byte rules. */
  pushText(text: string): void {
    this.push(encoder.encode(text));
  }

  /** The file ended: a last line without a line end is still a line (a crash cut it short). */
  end(): void {
    if (this.carryBytes > 0) this.emitCarry();
  }

  private keep(chunk: Uint8Array, from: number, to: number): void {
    const take = Math.min(MAX_LINE_BYTES - this.carryBytes, to - from);
    if (take <= 0) return;
    // Copy: the caller may reuse its buffer after push() returns.
    this.carry.push(chunk.slice(from, from + take));
    this.carryBytes += take;
  }

  private emitCarry(): void {
    const parts = this.carry;
    let bytes = parts[0]!;
    if (parts.length > 1) {
      bytes = new Uint8Array(this.carryBytes);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
    }
    this.carry = [];
    this.carryBytes = 0;
    this.emit(bytes, 0, bytes.length);
  }

  private emit(bytes: Uint8Array, from: number, nl: number): void {
    let end = nl - from > MAX_LINE_BYTES ? from + MAX_LINE_BYTES : nl;
    if (end > from && bytes[end - 1] === CR) end--;
    if (this.atStart) {
      this.atStart = false;
      if (bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf && end - from >= 3) from += 3; // BOM
    }
    this.sink.line(bytes, from, end);
  }
}
