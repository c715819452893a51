import { type Fsys, isErrno, readAt } from "../fsys";
import {
  BEFORE_BYTES,
  closeSource,
  digest,
  type FilePos,
  filePos,
  findSibling,
  HEAD_BYTES,
  headerEnd,
  holdsAt,
  logicalStart,
  openSource,
  relocate,
  type Source,
  TOP_BYTES,
} from "./file-pos";
import { endOfDataIn, findMarker, wrapPlan } from "./wrap";

/** Where a chunk handed to the parser came from, so it can be read again for a replay. */
export interface Span {
  src: Source;
  offset: number;
  length: number;
}

/** Takes each run of lines as it is read; the bytes are only valid during the call (the buffer is reused). */
export type Sink = (lines: Uint8Array) => void;

export type ReadResult =
  | { kind: "data"; spans: Span[]; more: boolean }
  /** The content moved under the reader (rewritten, truncated): start again from the last anchor. */
  | { kind: "changed"; why: string };

export type Opened = "anchor" | "relocated" | "sibling" | "start" | "missing";

const MIN_READ = 64 * 1024;

/**
 * Tails one log path as a stream of complete lines in time order. Appends are read as they come;
 * any other change (pruned, truncated, rewritten) is reported as `changed`, and the caller starts
 * again from its last anchor, which `open` finds wherever the content went. A rotated, renamed or
 * deleted file is read to its end through the handle still open, then the new file from its start.
 */
export class LogFile {
  private cur: Source | null = null;
  private pos = 0;
  /** Up to BEFORE_BYTES read just before `pos`: the next anchor's "bytes before it". */
  private recent: Uint8Array = new Uint8Array(0);
  private wrapped = false;
  /** A wrapping log's top as last seen from further down (see `behind`). */
  private top: { len: number; digest: string } | null = null;
  /** The writer went back to the top behind us: finish this lap's end, then read the top. */
  private behind = false;
  /** Where we last stopped at `END OF DATA`, waiting for the writer. */
  private parked: number | null = null;
  /** Files read before `cur`, kept open while a replay may still need them. */
  private retired: Source[] = [];
  /** `cur`'s size and mtime when it was last read to its end: an idle file costs one fstat. */
  private seen = { size: -1n, mtime: -1n };
  private rotationChecked = false;
  private scratch = new Uint8Array(0);

  constructor(
    readonly path: string,
    private readonly fs: Fsys,
  ) {}

  /** Positions the reader at `anchor` (or at the file's logical start when there is none or it is gone). */
  async open(anchor: FilePos | null): Promise<Opened> {
    await this.close();
    const src = await openSource(this.fs, this.path);
    if (anchor && src) {
      if (src.dev === anchor.dev && src.ino === anchor.ino && (await holdsAt(src, anchor, anchor.offset, true))) {
        await this.at(src, anchor.offset, anchor.wrapped);
        if (anchor.wrapped && anchor.headLen > 0) this.top = { len: anchor.headLen, digest: anchor.head };
        // We were waiting here when we stopped: if the writer went round meanwhile, the first read says so.
        if (anchor.wrapped) this.parked = anchor.offset;
        this.behind = anchor.wrapped && anchor.behind === true;
        return "anchor";
      }
      const moved = await relocate(src, anchor);
      if (moved !== null) {
        // Our place stands but the top is new and ends in END OF DATA: not pruned, wrapped in
        // place (SCHEDLOGMAX) while we were away. The new lines are at the top.
        const inPlace = !anchor.wrapped && src.dev === anchor.dev && src.ino === anchor.ino && (await endOfDataIn(src, src.floor, moved));
        await this.at(src, moved, anchor.wrapped || inPlace);
        this.behind = inPlace;
        return "relocated";
      }
    }
    if (anchor) {
      // Rotated away or copied before a truncation: finish that file first (read() moves on to the path).
      const old = await findSibling(this.fs, this.path, anchor);
      if (old) {
        await closeSource(src);
        await this.at(old, anchor.offset, anchor.wrapped);
        return "sibling";
      }
    }
    if (!src) return "missing";
    const start = await logicalStart(src, anchor !== null);
    await this.at(src, start.offset, start.wrapped);
    this.behind = start.behind === true;
    return "start";
  }

  /** The reading position as a durable cursor; null while no file has been seen at the path. */
  position(): FilePos | null {
    return this.cur ? filePos(this.cur, this.pos, this.recent, this.wrapped, this.top, this.behind) : null;
  }

  /**
   * New complete lines, up to about `budget` bytes. `cut` may keep only the first part of a run
   * of lines (a line-aligned length): the rest is read next time.
   */
  async read(budget: number, sink: Sink, cut?: (lines: Uint8Array) => number): Promise<ReadResult> {
    const spans: Span[] = [];
    let total = 0;
    let stop = false;
    /** false when `cut` kept only part: the caller stops there. */
    const emit = (all: Uint8Array): boolean => {
      if (stop) return false;
      const keep = cut ? cut(all) : all.length;
      const bytes = keep < all.length ? all.subarray(0, keep) : all;
      if (keep < all.length) stop = true;
      if (bytes.length > 0) {
        sink(bytes);
        spans.push({ src: this.cur!, offset: this.pos, length: bytes.length });
        total += bytes.length;
        this.pos += bytes.length;
        this.remember(bytes);
      }
      return !stop;
    };
    for (let rounds = 0; rounds < 64 && total < budget; rounds++) {
      if (!this.cur) {
        const src = await openSource(this.fs, this.path);
        if (!src) break;
        const start = await logicalStart(src);
        await this.at(src, start.offset, start.wrapped);
        this.behind = start.behind === true;
      }
      const cur = this.cur!;
      const current = await this.isAtPath(cur);
      if (current === "rewritten") return { kind: "changed", why: "replaced by a rewritten copy" };
      const st = await cur.handle.stat({ bigint: true });
      if (current && st.size === this.seen.size && st.mtimeNs === this.seen.mtime) break;
      // Also a rotated file: bytes we read from it and may replay must still be there.
      const why = await this.rewritten(cur, Number(st.size));
      if (why) return { kind: "changed", why };
      const step = await this.forward(cur, Number(st.size), budget - total, emit);
      // Fingerprint the top as soon as we are past it: the cursor stored next must carry it.
      if (this.wrapped) await this.watchTop(cur);
      if (stop) return { kind: "data", spans, more: true };
      if (step === "more") continue;
      if (step === "jumped") continue;
      // Caught up with this file.
      if (current) {
        this.seen = { size: st.size, mtime: st.mtimeNs };
        break;
      }
      // A rotated or deleted file, read to its end: go on with whatever is at the path now.
      this.retired.push(cur);
      this.cur = null;
      this.rotationChecked = false;
    }
    return { kind: "data", spans, more: total >= budget };
  }

  /** Bytes of an earlier span, for a replay (valid until the next read). */
  async reread(span: Span): Promise<Uint8Array> {
    const bytes = await readAt(span.src.handle, span.offset, span.length, this.buffer(span.length));
    if (bytes.length !== span.length) throw new Error(`${this.path}: ${span.length - bytes.length} bytes vanished under a replay`);
    return bytes;
  }

  /** The anchor moved past every retired file: close them. */
  async forgetRetired(): Promise<void> {
    const retired = this.retired.splice(0);
    for (const src of retired) await closeSource(src);
  }

  async close(): Promise<void> {
    await this.forgetRetired();
    await closeSource(this.cur);
    this.cur = null;
    this.pos = 0;
    this.recent = new Uint8Array(0);
    this.wrapped = false;
    this.top = null;
    this.behind = false;
    this.parked = null;
    this.seen = { size: -1n, mtime: -1n };
    this.rotationChecked = false;
  }

  private async at(src: Source, offset: number, wrapped: boolean): Promise<void> {
    this.cur = src;
    this.pos = Math.max(offset, src.floor);
    this.wrapped = wrapped;
    this.top = null;
    this.behind = false;
    this.parked = null;
    const from = Math.max(src.floor, this.pos - BEFORE_BYTES);
    this.recent = await readAt(src.handle, from, this.pos - from);
    this.seen = { size: -1n, mtime: -1n };
  }

  private buffer(size: number): Uint8Array {
    if (this.scratch.length < size) this.scratch = new Uint8Array(size);
    return this.scratch;
  }

  private remember(bytes: Uint8Array): void {
    if (bytes.length >= BEFORE_BYTES) {
      this.recent = bytes.slice(bytes.length - BEFORE_BYTES);
      return;
    }
    const keep = Math.min(this.recent.length, BEFORE_BYTES - bytes.length);
    const next = new Uint8Array(keep + bytes.length);
    next.set(this.recent.subarray(this.recent.length - keep), 0);
    next.set(bytes, keep);
    this.recent = next;
  }

  /** true: `src` is the file at the path; false: rotated or deleted; "rewritten": the path holds our content anew. */
  private async isAtPath(src: Source): Promise<boolean | "rewritten"> {
    let st: Awaited<ReturnType<Fsys["stat"]>> & { dev: bigint; ino: bigint };
    try {
      st = await this.fs.stat(this.path, { bigint: true });
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
      throw error;
    }
    if (String(st.dev) === src.dev && String(st.ino) === src.ino) return true;
    // A new file at the path: rotation, unless it is our log rewritten into a new file (pruning).
    if (!this.rotationChecked) {
      this.rotationChecked = true;
      const now = await openSource(this.fs, this.path);
      const here = this.position();
      try {
        if (now && here && here.beforeLen > 0 && (await relocate(now, here)) !== null) return "rewritten";
      } finally {
        await closeSource(now);
      }
    }
    return false;
  }

  /** Why the bytes we already read are no longer there, or null when the file only grew. */
  private async rewritten(src: Source, size: number): Promise<string | null> {
    if (size < this.pos) return `shorter (${size} < ${this.pos} bytes)`;
    if (this.recent.length > 0) {
      const before = await readAt(src.handle, this.pos - this.recent.length, this.recent.length);
      if (Buffer.compare(before, this.recent) !== 0) return "rewritten before the read position";
    }
    if (!this.wrapped && src.headLen > 0) {
      const head = await readAt(src.handle, src.floor, src.headLen);
      if (digest(head) !== src.head) {
        // New lines at the top, ours untouched, END OF DATA between: SCHEDLOGMAX wrapped in place.
        if (!(await endOfDataIn(src, src.floor, this.pos))) return "rewritten at the top";
        this.wrapped = true;
        this.behind = true;
      }
    }
    if (this.wrapped) await this.watchTop(src);
    if (src.headLen < HEAD_BYTES && size > src.floor + src.headLen && !this.wrapped) {
      // Opened while short: fingerprint more of it now that the old prefix checked out.
      if (src.floor === 0) src.floor = await headerEnd(src.handle);
      const head = await readAt(src.handle, src.floor, Math.min(HEAD_BYTES, size - src.floor));
      src.headLen = head.length;
      src.head = digest(head);
    }
    return null;
  }

  /**
   * The writer rewrites a wrapping log's top only when it comes round to it. Seen from further
   * down, a changed top means it went round behind us, with no `Continued` line we could see.
   */
  private async watchTop(src: Source): Promise<void> {
    if (this.behind) return;
    if (this.top && this.pos >= src.floor + this.top.len) {
      const now = digest(await readAt(src.handle, src.floor, this.top.len));
      if (now === this.top.digest) return;
      this.behind = true;
      this.top = null;
      return;
    }
    if (!this.top && this.pos >= src.floor + TOP_BYTES)
      this.top = { len: TOP_BYTES, digest: digest(await readAt(src.handle, src.floor, TOP_BYTES)) };
  }

  /**
   * Reads on from `pos`: complete lines only (a half-written last line waits), never past
   * `END OF DATA`, and from offset 0 after `Continued at beginning of file`.
   */
  private async forward(
    src: Source,
    size: number,
    budget: number,
    emit: (b: Uint8Array) => boolean,
  ): Promise<"more" | "jumped" | "caught-up"> {
    const want = Math.max(MIN_READ, budget);
    if (this.pos < src.floor) {
      // A header line appeared at the top of a log first seen empty: it is not data.
      this.pos = src.floor;
      this.recent = new Uint8Array(0);
    }
    if (!this.wrapped) {
      const length = Math.min(want, size - this.pos);
      const buf = await readAt(src.handle, this.pos, length, this.buffer(length));
      const last = buf.lastIndexOf(10);
      if (last < 0) {
        // One line longer than the whole budget: hand it over rather than stall on it.
        if (buf.length >= want) emit(buf);
        return buf.length >= want ? "more" : "caught-up";
      }
      const region = buf.subarray(0, last + 1);
      const marker = findMarker(region);
      if (!marker) {
        if (!emit(region)) return "more";
        // A full buffer may have more complete lines behind it; a short one reached the end.
        return buf.length >= want && this.pos < size ? "more" : "caught-up";
      }
      this.wrapped = true;
      if (!emit(region.subarray(0, marker.start))) return "more";
    }
    let plan = await wrapPlan(src, this.pos, this.behind);
    if (!plan) return "caught-up";
    if (plan.ahead) this.behind = false;
    if (plan.ahead && plan.end === this.pos) {
      // The file changed (or we just came back), yet the END OF DATA we wait at still stands:
      // the writer wrote elsewhere. If END OF DATA also stands before us, it went round to the top.
      if (this.parked === this.pos) plan = (await wrapPlan(src, this.pos, true)) ?? plan;
      this.parked = this.pos;
    }
    if (this.pos < plan.end) {
      const length = Math.min(want, plan.end - this.pos);
      emit(await readAt(src.handle, this.pos, length, this.buffer(length)));
      return "more";
    }
    if (!plan.jump) return "caught-up";
    this.pos = src.floor;
    this.recent = new Uint8Array(0);
    this.top = null;
    this.behind = false;
    this.parked = null;
    return "jumped";
  }
}
