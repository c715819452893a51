import { readAt } from "../fsys";
import type { Source } from "./file-pos";
import { lineEnd, Marker, markerOf } from "./markers";

const SCAN = 1 << 20;
const NEEDLES = [Buffer.from("END OF DATA"), Buffer.from("ontinued at beginning of file")];

/** The first marker line in a run of complete lines (cheap: a native substring search first). */
export function findMarker(region: Uint8Array): { marker: Marker; start: number; next: number } | null {
  const buf = Buffer.from(region.buffer, region.byteOffset, region.length);
  let best: { marker: Marker; start: number; next: number } | null = null;
  for (const needle of NEEDLES) {
    for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + 1)) {
      const start = buf.lastIndexOf(10, i) + 1;
      const nl = buf.indexOf(10, i);
      if (nl < 0) break;
      const marker = markerOf(buf, start, lineEnd(buf, start, nl));
      if (marker !== Marker.None) {
        if (!best || start < best.start) best = { marker, start, next: nl + 1 };
        break;
      }
    }
  }
  return best;
}

/** First marker at or after `from`, scanning at most up to `limit` (absolute offsets). */
async function nextMarker(src: Source, from: number, limit: number): Promise<{ marker: Marker; start: number; next: number } | null> {
  for (let at = from; at < limit; ) {
    const chunk = await readAt(src.handle, at, Math.min(SCAN, limit - at));
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      if (chunk.length < SCAN) return null;
      at += chunk.length; // a line longer than a chunk is no marker
      continue;
    }
    const found = findMarker(chunk.subarray(0, last + 1));
    if (found) return { marker: found.marker, start: at + found.start, next: at + found.next };
    at += last + 1;
  }
  return null;
}

export interface WrapPlan {
  /** Read up to here, */
  end: number;
  /** then go on at the top. */
  jump: boolean;
  /** The writer's newest point is ahead of us (a `behind` suspicion was wrong). */
  ahead?: boolean;
}

/** Does an `END OF DATA` line stand in [from, to)? (the writer's newest point is there) */
export async function endOfDataIn(src: Source, from: number, to: number): Promise<boolean> {
  for (let at = from; at < to; ) {
    const found = await nextMarker(src, at, to);
    if (!found) return false;
    if (found.marker === Marker.EndOfData) return true;
    at = found.next;
  }
  return false;
}

/**
 * In a wrapping log, lines count only once a marker closes them: the writer overwrites old lines
 * in place, so until `END OF DATA` follows, what lies after our position may be old data or a
 * line half-written over one. Returns how far the new lines reach and whether the writer then
 * went on at the top (`Continued at beginning of file`), or null: wait for the writer.
 *
 * `behind`: the top was rewritten while we were further down, so the writer went back to the top
 * without a `Continued` line where we could see it (or we met the log before it had any marker).
 * Once `END OF DATA` stands before us, what lies ahead of us is the last lap's end: read it to the
 * next marker (a stale `END OF DATA` or `Continued`) or to the last whole line, then the top.
 */
export async function wrapPlan(src: Source, pos: number, behind = false): Promise<WrapPlan | null> {
  const size = Number((await src.handle.stat({ bigint: true })).size);
  const found = await nextMarker(src, pos, size);
  if (behind && (await endOfDataIn(src, src.floor, pos))) {
    if (found) return { end: found.start, jump: true };
    return { end: await lastLineEnd(src, pos, size), jump: true };
  }
  if (!found) return null;
  // The one END OF DATA is ahead of us: the writer is too, whatever the top's fingerprint said.
  if (found.marker === Marker.EndOfData) return { end: found.start, jump: false, ahead: true };
  // Continued: trust the wrap only once END OF DATA stands in the rewritten top, before us.
  return (await endOfDataIn(src, src.floor, pos)) ? { end: found.start, jump: true } : null;
}

/** The end of the last complete line in [from, size), or `from` when there is none. */
async function lastLineEnd(src: Source, from: number, size: number): Promise<number> {
  for (let end = size; end > from; ) {
    const start = Math.max(from, end - SCAN);
    const chunk = await readAt(src.handle, start, end - start);
    const nl = chunk.lastIndexOf(10);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return from;
}
