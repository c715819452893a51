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

/**
 * In a wrapping log, lines count only once a marker closes them: the writer overwrites old lines
 * in place, so until `END OF DATA` follows, what lies after our position may be old data or a
 * line half-written over one. Returns how far the new lines reach and whether the writer then
 * went on at the top (`Continued at beginning of file`), or null: wait for the writer.
 */
export async function wrapPlan(src: Source, pos: number): Promise<{ end: number; jump: boolean } | null> {
  const size = Number((await src.handle.stat({ bigint: true })).size);
  const found = await nextMarker(src, pos, size);
  if (!found) return null;
  if (found.marker === Marker.EndOfData) return { end: found.start, jump: false };
  // Continued: trust the wrap only once END OF DATA stands in the rewritten top, before us.
  const top = await nextMarker(src, 0, pos);
  return top?.marker === Marker.EndOfData ? { end: found.start, jump: true } : null;
}
