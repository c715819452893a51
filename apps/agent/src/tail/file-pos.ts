import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type Fsys, isErrno, readAt } from "../fsys";
import { isHeaderLine, lineEnd, Marker, markerOf } from "./markers";

/**
 * A durable cursor into one log file. TSM rewrites its logs in place (SCHEDLOGRETENTION pruning,
 * SCHEDLOGMAX wrapping), so device + inode alone cannot say "same file, same content": the first
 * bytes and the bytes just before the offset must still be what they were.
 */
export interface FilePos {
  dev: string;
  ino: string;
  /**
   * Hash of the first `headLen` bytes (after a header line). For a wrapping log, whose top the
   * writer rewrites once per lap, the same for the top as last seen: when it changed while we were
   * further down, the writer went back to the top behind us.
   */
  headLen: number;
  head: string;
  /** Always the start of a line. */
  offset: number;
  /** Hash of the `beforeLen` bytes just before `offset`. */
  beforeLen: number;
  before: string;
  /** The last bytes before `offset` (base64): found again in a pruned (rewritten shorter) file. */
  lastLine: string;
  wrapped: boolean;
  /** The writer of this wrapping log had gone round to the top behind the cursor. */
  behind?: boolean;
}

export const HEAD_BYTES = 1024;
/** How much of a wrapping log's top is fingerprinted. */
export const TOP_BYTES = 256;
export const BEFORE_BYTES = 4096;
const LAST_LINE_BYTES = 256;
const SCAN = 1 << 20;

export const digest = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex").slice(0, 32);

/** An open log file: kept open so a rotated or deleted file can still be read to its end. */
export interface Source {
  handle: FileHandle;
  dev: string;
  ino: string;
  path: string;
  /** Where data starts: after a wrapping log's header line (rewritten at every write), else 0. */
  floor: number;
  headLen: number;
  head: string;
}

/** The end of a header line at the top of the file, or 0 when it starts with data. */
export async function headerEnd(handle: FileHandle): Promise<number> {
  const first = await readAt(handle, 0, 512);
  const nl = first.indexOf(10);
  return nl > 0 && isHeaderLine(first, 0, lineEnd(first, 0, nl)) ? nl + 1 : 0;
}

export async function openSource(fs: Fsys, path: string): Promise<Source | null> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, "r");
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return null;
    throw error;
  }
  try {
    const st = await handle.stat({ bigint: true });
    if (!st.isFile()) {
      await handle.close();
      return null;
    }
    const floor = await headerEnd(handle);
    const head = await readAt(handle, floor, Math.max(0, Math.min(HEAD_BYTES, Number(st.size) - floor)));
    return { handle, dev: String(st.dev), ino: String(st.ino), path, floor, headLen: head.length, head: digest(head) };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

export async function closeSource(src: Source | null | undefined): Promise<void> {
  await src?.handle.close().catch(() => undefined);
}

/** The cursor for reading position `offset` of `src`, given the bytes just before it (and a wrapping log's top). */
export function filePos(
  src: Source,
  offset: number,
  recent: Uint8Array,
  wrapped: boolean,
  top: { len: number; digest: string } | null = null,
  behind = false,
): FilePos {
  // In a wrapping log the writer overwrites from the top down to us: only the last line before
  // the anchor is sure to stand until the anchor itself is overwritten.
  if (wrapped) recent = recent.subarray(Math.max(0, recent.length - LAST_LINE_BYTES));
  const lastLine = recent.subarray(Math.max(0, recent.length - LAST_LINE_BYTES));
  return {
    dev: src.dev,
    ino: src.ino,
    headLen: wrapped ? (top?.len ?? 0) : src.headLen,
    head: wrapped ? (top?.digest ?? "") : src.head,
    offset,
    beforeLen: recent.length,
    before: digest(recent),
    lastLine: Buffer.from(lastLine).toString("base64"),
    wrapped,
    ...(behind ? { behind } : {}),
  };
}

/** Does `src` hold the cursor's content with its offset at `offset`? */
export async function holdsAt(src: Source, pos: FilePos, offset: number, checkHead: boolean): Promise<boolean> {
  const size = Number((await src.handle.stat({ bigint: true })).size);
  if (offset > size || offset < pos.beforeLen) return false;
  if (checkHead && !pos.wrapped) {
    if (src.floor + pos.headLen > size) return false;
    if (pos.headLen !== src.headLen || pos.head !== src.head) {
      const head = await readAt(src.handle, src.floor, pos.headLen);
      if (digest(head) !== pos.head) return false;
    }
  }
  const before = await readAt(src.handle, offset - pos.beforeLen, pos.beforeLen);
  return before.length === pos.beforeLen && digest(before) === pos.before;
}

/**
 * Finds the cursor's place in a rewritten file (a pruned log keeps its newest lines, moved up):
 * the last occurrence of its last bytes, confirmed by the hash of everything before it.
 */
export async function relocate(src: Source, pos: FilePos): Promise<number | null> {
  const needle = Buffer.from(pos.lastLine, "base64");
  if (needle.length === 0) return null;
  const size = Number((await src.handle.stat({ bigint: true })).size);
  let found: number | null = null;
  for (let at = 0; at < size; at += SCAN) {
    const chunk = Buffer.from(await readAt(src.handle, at, Math.min(SCAN + needle.length - 1, size - at)));
    for (let i = chunk.indexOf(needle); i >= 0 && i + at < Math.min(size, at + SCAN); i = chunk.indexOf(needle, i + 1)) {
      const offset = at + i + needle.length;
      if (await holdsAt(src, pos, offset, false)) found = offset;
    }
  }
  return found;
}

/** Calls `visit` with each marker line at or after `from` (absolute offsets) until it returns true. */
async function eachMarker(src: Source, from: number, visit: (marker: Marker, start: number, next: number) => boolean): Promise<void> {
  const size = Number((await src.handle.stat({ bigint: true })).size);
  for (let at = from; at < size; ) {
    const chunk = await readAt(src.handle, at, Math.min(SCAN, size - at));
    if (chunk.length === 0) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const marker = markerOf(chunk, start, lineEnd(chunk, start, nl));
      if (marker !== Marker.None && visit(marker, at + start, at + nl + 1)) return;
      start = nl + 1;
    }
    // A line longer than a chunk is no marker: step over it.
    at += start > 0 ? start : chunk.length;
  }
}

/**
 * Where reading a file from scratch starts: 0, or for a wrapped log the first event boundary
 * after `END OF DATA`. The lines between are the tail of an event whose beginning the writer has
 * overwritten: read alone they would make a begin-less, partial event, and the server would take
 * it for a fuller report of a window it already holds in full.
 */
export async function logicalStart(src: Source, anchorLost = false): Promise<{ offset: number; wrapped: boolean; behind?: boolean }> {
  let endOfData = -1;
  let continued = -1;
  await eachMarker(src, 0, (marker, start, next) => {
    if (marker === Marker.EndOfData && endOfData < 0) endOfData = next;
    else if (marker === Marker.Continued && endOfData >= 0) continued = start;
    return continued >= 0;
  });
  if (endOfData < 0) return { offset: anchorLost ? await afterLeadingTail(src) : 0, wrapped: false };
  if (continued < 0) {
    // Whole lines after END OF DATA and no `Continued`: the writer went round without saying so.
    // The oldest lines run from there to the end of the file, then on at the top.
    const size = Number((await src.handle.stat({ bigint: true })).size);
    const older = size > endOfData ? await firstBoundary(src, endOfData, size) : null;
    if (older !== null) return { offset: older, wrapped: true, behind: true };
    // Not wrapped round yet (nothing old after END OF DATA): the data is all at the top.
    return { offset: 0, wrapped: true };
  }
  const older = await firstBoundary(src, endOfData, continued);
  if (older !== null) return { offset: older, wrapped: true };
  const top = await firstBoundary(src, 0, endOfData - 1);
  return { offset: top ?? continued, wrapped: true };
}

const BOUNDARIES = [
  "Executing scheduled command now",
  "SCHEDULEREC OBJECT BEGIN",
  "Querying server for next scheduled event",
  "Scheduler has been st",
].map((s) => Buffer.from(s));

const TAILS = [
  "SCHEDULEREC OBJECT END",
  "SCHEDULEREC STATUS",
  "Scheduled event '",
  "Sending results for scheduled event",
  "Results sent to server",
].map((s) => Buffer.from(s));

/**
 * A file read again from its start because our place in it is gone (pruned past it, say): if it
 * starts inside an event (result lines before the first event boundary), start at that boundary.
 * The server already holds that event whole; its tail alone would look like a fuller report.
 */
async function afterLeadingTail(src: Source): Promise<number> {
  const size = Number((await src.handle.stat({ bigint: true })).size);
  const first = await firstBoundary(src, 0, size);
  const head = Buffer.from(await readAt(src.handle, 0, Math.min(first ?? size, SCAN)));
  return TAILS.some((t) => head.includes(t)) ? (first ?? size) : 0;
}

/** Start of the first line in [from, to) that begins an event or stands between events. */
async function firstBoundary(src: Source, from: number, to: number): Promise<number | null> {
  for (let at = from; at < to; ) {
    const chunk = Buffer.from(await readAt(src.handle, at, Math.min(SCAN, to - at)));
    let best = -1;
    for (const needle of BOUNDARIES) {
      const i = chunk.indexOf(needle);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    if (best >= 0) return at + chunk.lastIndexOf(10, best) + 1;
    const last = chunk.lastIndexOf(10);
    if (chunk.length === 0) break;
    at += last > 0 ? last + 1 : chunk.length;
  }
  return null;
}

/**
 * A rotated or copied-away log (`dsmsched.log.1`, `dsmsched.log-20240101`): a file beside `path`
 * whose name starts with its name and which holds the cursor's content at the cursor's offset.
 */
export async function findSibling(fs: Fsys, path: string, pos: FilePos): Promise<Source | null> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return null;
  }
  // Same inode first (renamed), then same content (copied, as copytruncate does).
  const candidates = names.filter((n) => n !== base && n.startsWith(base) && !n.endsWith(".tmp"));
  const opened: Source[] = [];
  try {
    for (const name of candidates) {
      const src = await openSource(fs, join(dir, name)).catch(() => null);
      if (src) opened.push(src);
    }
    opened.sort((a, b) => Number(b.dev === pos.dev && b.ino === pos.ino) - Number(a.dev === pos.dev && a.ino === pos.ino));
    for (const src of opened) {
      if (await holdsAt(src, pos, pos.offset, true)) {
        for (const other of opened) if (other !== src) await closeSource(other);
        return src;
      }
    }
  } catch {
    // An unreadable sibling is not ours to report.
  }
  for (const src of opened) await closeSource(src);
  return null;
}

export function isFilePos(value: unknown): value is FilePos {
  const v = value as FilePos;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.dev === "string" &&
    typeof v.ino === "string" &&
    Number.isSafeInteger(v.headLen) &&
    typeof v.head === "string" &&
    Number.isSafeInteger(v.offset) &&
    v.offset >= 0 &&
    Number.isSafeInteger(v.beforeLen) &&
    typeof v.before === "string" &&
    typeof v.lastLine === "string" &&
    typeof v.wrapped === "boolean"
  );
}
