import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { type Fsys, isErrno, readAt, syncDir, writeFileAtomic } from "../fsys";
import { quarantine } from "../state/quarantine";
import { decodeRecord, encodeRecord, intactAfter, type SpoolItem, type SpoolKind } from "./record";

export interface Spooled extends SpoolItem {
  seq: number;
}

interface Entry {
  seq: number;
  kind: SpoolKind;
  node: string;
  seg: string;
  offset: number;
  length: number;
}

export type SpoolRecovery = { state: "clean" } | { state: "repaired" | "quarantined"; detail: string };

/** The spool cannot take these events without dropping one: the tailer waits (its cursor stays). */
export class SpoolFullError extends Error {
  override name = "SpoolFullError";
}

/** A record no longer reads back at run time: the daemon quarantines the spool and resyncs. */
export class SpoolCorrupt extends Error {
  override name = "SpoolCorrupt";
}

const SEGMENT = /^(\d{16})\.seg$/;
const segName = (seq: number) => `${String(seq).padStart(16, "0")}.seg`;

/**
 * The on-disk spool: every event, problem, announcement and heartbeat is written here (one fsync
 * per batch) before its cursor moves, and leaves only once the server acknowledged it. Records
 * live in append-only segment files; an `acked` file holds the highest acknowledged sequence.
 * Bounded: when full, heartbeats are thinned (each node keeps its newest); events never drop,
 * the caller waits instead (SpoolFullError) and reports the gap.
 */
export class Spool {
  private entries: Entry[] = [];
  private segLast = new Map<string, number>();
  private acked = 0;
  private nextSeq = 1;
  private current: { name: string; size: number } | null = null;
  private lock: Promise<unknown> = Promise.resolve();
  /** A failed append left bytes after this size: cut them before writing again. */
  private dirty: { path: string; size: number } | null = null;
  /** Heartbeats dropped to make room, not yet reported. */
  thinned = 0;

  /** The thinned heartbeats have been reported (in a heartbeat): count afresh. */
  thinningReported(): void {
    this.thinned = 0;
  }

  private constructor(
    readonly dir: string,
    private readonly fs: Fsys,
    readonly maxBytes: number,
    private readonly segmentBytes: number,
  ) {}

  /** Opens (or creates) the spool; a damaged one is quarantined and replaced by an empty one. */
  static async open(stateDir: string, fs: Fsys, opts: { maxBytes: number; segmentBytes?: number; now?: () => Date }) {
    const dir = join(stateDir, "spool");
    const make = () => new Spool(dir, fs, opts.maxBytes, opts.segmentBytes ?? 1 << 20);
    const spool = make();
    try {
      const recovery = await spool.load();
      return { spool, recovery };
    } catch (error) {
      if (!(error instanceof SpoolCorrupt)) throw error;
      await quarantine(fs, stateDir, dir, opts.now?.() ?? new Date());
      const fresh = make();
      await fresh.load();
      return { spool: fresh, recovery: { state: "quarantined", detail: error.message } as SpoolRecovery };
    }
  }

  get bytes(): number {
    return this.entries.reduce((n, e) => n + e.length, 0);
  }

  get count(): number {
    return this.entries.length;
  }

  /** Every sequence in [first, last] not yet acknowledged is still here. */
  holds(first: number, last: number): boolean {
    const live = new Set(this.entries.map((e) => e.seq));
    for (let s = Math.max(first, this.acked + 1); s <= last; s++) if (!live.has(s)) return false;
    return true;
  }

  append(items: SpoolItem[]): Promise<void> {
    return this.locked(() => this.appendNow(items));
  }

  /** The oldest records, up to `maxRecords` and about `maxBytes`. */
  peek(maxRecords: number, maxBytes: number): Promise<Spooled[]> {
    return this.locked(async () => {
      const picked: Entry[] = [];
      let bytes = 0;
      for (const e of this.entries) {
        if (picked.length >= maxRecords || (picked.length > 0 && bytes + e.length > maxBytes)) break;
        picked.push(e);
        bytes += e.length;
      }
      return this.readEntries(picked);
    });
  }

  /** The server committed everything up to `seq`: forget it. */
  ack(seq: number): Promise<void> {
    return this.locked(async () => {
      if (seq <= this.acked) return;
      this.acked = seq;
      this.entries = this.entries.filter((e) => e.seq > seq);
      await writeFileAtomic(this.fs, join(this.dir, "acked"), `${seq}\n`);
      for (const [name, last] of [...this.segLast]) {
        if (last > seq) continue;
        await this.fs.rm(join(this.dir, name), { force: true });
        this.segLast.delete(name);
        if (this.current?.name === name) this.current = null;
      }
    });
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<SpoolRecovery> {
    await this.fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const names = await this.fs.readdir(this.dir);
    for (const name of names) if (name.endsWith(".tmp")) await this.fs.rm(join(this.dir, name), { force: true });
    this.acked = await this.readAcked();
    const segs = names.filter((n) => SEGMENT.test(n)).sort();
    const seen = new Set<number>();
    let maxSeq = this.acked;
    let detail: string | null = null;
    for (const [i, name] of segs.entries()) {
      const path = join(this.dir, name);
      const buf = await this.fs.readFile(path);
      let at = 0;
      let last = 0;
      while (at < buf.length) {
        const d = decodeRecord(buf, at);
        if (!d.ok) {
          // A torn append can only be the last thing written: at the end of the newest segment.
          if (i === segs.length - 1 && !intactAfter(buf, at)) {
            await this.fs.truncate(path, at);
            detail = `${name}: dropped ${buf.length - at} bytes of a torn append`;
            break;
          }
          throw new SpoolCorrupt(`${name} at byte ${at}: ${d.why}`);
        }
        if (d.seq > this.acked && !seen.has(d.seq)) {
          seen.add(d.seq);
          this.entries.push({ seq: d.seq, kind: d.item.kind, node: d.item.node, seg: name, offset: at, length: d.length });
        }
        last = Math.max(last, d.seq);
        maxSeq = Math.max(maxSeq, d.seq);
        at += d.length;
      }
      this.segLast.set(name, last);
      if (i === segs.length - 1) this.current = { name, size: Math.min(at, buf.length) };
    }
    this.entries.sort((a, b) => a.seq - b.seq);
    this.nextSeq = maxSeq + 1;
    return detail ? { state: "repaired", detail } : { state: "clean" };
  }

  private async readAcked(): Promise<number> {
    try {
      const n = Number((await this.fs.readFile(join(this.dir, "acked"), "utf8")).trim());
      // Unreadable: resend everything. The server's idempotency makes that safe; guessing high would not be.
      return Number.isSafeInteger(n) && n >= 0 ? n : 0;
    } catch (error) {
      if (isErrno(error, "ENOENT")) return 0;
      throw error;
    }
  }

  private async appendNow(items: SpoolItem[]): Promise<void> {
    if (items.length === 0) return;
    if (this.dirty) {
      await this.fs.truncate(this.dirty.path, this.dirty.size);
      this.dirty = null;
    }
    const sizes = items.map((item) => encodeRecord(0, item).length);
    const total = sizes.reduce((a, b) => a + b, 0);
    const beatsOnly = items.every((i) => i.kind === "heartbeat");
    // Events get all but a reserve that keeps room for heartbeats; an empty spool takes any one batch.
    const limit = beatsOnly ? this.maxBytes : this.maxBytes - Math.min(256 * 1024, this.maxBytes >> 3);
    if (this.entries.length > 0 && this.bytes + total > limit) {
      await this.thinHeartbeats(this.bytes + total - limit);
      if (this.bytes + total > limit) {
        if (beatsOnly) {
          this.thinned += items.length;
          return;
        }
        throw new SpoolFullError(`spool full: ${this.bytes} of ${this.maxBytes} bytes waiting for the server`);
      }
    }
    if (!this.current || this.current.size >= this.segmentBytes) this.current = { name: segName(this.nextSeq), size: 0 };
    const seg = this.current;
    const records = items.map((item, k) => encodeRecord(this.nextSeq + k, item));
    const path = join(this.dir, seg.name);
    let handle: FileHandle | undefined;
    try {
      handle = await this.fs.open(path, "a", 0o600);
      await handle.writeFile(Buffer.concat(records));
      await handle.sync();
    } catch (error) {
      await handle?.close().catch(() => undefined);
      handle = undefined;
      // Cut the half-written batch off so the next append does not land after garbage.
      this.dirty = { path, size: seg.size };
      await this.fs
        .truncate(path, seg.size)
        .then(() => (this.dirty = null))
        .catch(() => undefined);
      throw error;
    } finally {
      await handle?.close();
    }
    if (seg.size === 0) await syncDir(this.fs, this.dir);
    let offset = seg.size;
    for (const [k, item] of items.entries()) {
      const length = records[k]!.length;
      this.entries.push({ seq: this.nextSeq + k, kind: item.kind, node: item.node, seg: seg.name, offset, length });
      offset += length;
    }
    seg.size = offset;
    this.nextSeq += items.length;
    this.segLast.set(seg.name, this.nextSeq - 1);
  }

  /**
   * Drops old heartbeats (never a node's newest) until `need` bytes are free, or half of them,
   * whichever is more, so a spool that stays full does not rewrite itself at every beat.
   */
  private async thinHeartbeats(need: number): Promise<void> {
    const newest = new Map<string, number>();
    for (const e of this.entries) if (e.kind === "heartbeat") newest.set(e.node, e.seq);
    const droppable = this.entries.filter((e) => e.kind === "heartbeat" && newest.get(e.node) !== e.seq);
    if (droppable.length === 0) return;
    const goal = Math.max(need, droppable.reduce((n, e) => n + e.length, 0) / 2);
    const drop = new Set<number>();
    let freed = 0;
    for (const e of droppable) {
      if (freed >= goal) break;
      drop.add(e.seq);
      freed += e.length;
    }
    await this.compact(this.entries.filter((e) => !drop.has(e.seq)));
    this.thinned += drop.size;
  }

  /** Rewrites the spool as one segment holding `keep` (temp file, fsync, rename, then the old ones go). */
  private async compact(keep: Entry[]): Promise<void> {
    const records = await this.readRaw(keep);
    const old = [...this.segLast.keys()];
    const name = segName(keep[0]?.seq ?? this.nextSeq);
    if (keep.length > 0) await writeFileAtomic(this.fs, join(this.dir, name), Buffer.concat(records));
    for (const seg of old) if (seg !== name || keep.length === 0) await this.fs.rm(join(this.dir, seg), { force: true });
    await syncDir(this.fs, this.dir);
    this.segLast.clear();
    let offset = 0;
    this.entries = keep.map((e, k) => {
      const moved = { ...e, seg: name, offset };
      offset += records[k]!.length;
      return moved;
    });
    if (keep.length > 0) this.segLast.set(name, keep[keep.length - 1]!.seq);
    this.current = keep.length > 0 ? { name, size: offset } : null;
  }

  private async readRaw(entries: Entry[]): Promise<Buffer[]> {
    const out: Buffer[] = [];
    const handles = new Map<string, FileHandle>();
    try {
      for (const e of entries) {
        let h = handles.get(e.seg);
        if (!h) {
          h = await this.fs.open(join(this.dir, e.seg), "r");
          handles.set(e.seg, h);
        }
        out.push(Buffer.from(await readAt(h, e.offset, e.length)));
      }
    } finally {
      for (const h of handles.values()) await h.close().catch(() => undefined);
    }
    return out;
  }

  private async readEntries(entries: Entry[]): Promise<Spooled[]> {
    const raw = await this.readRaw(entries);
    return raw.map((buf, k) => {
      const d = decodeRecord(buf, 0);
      if (!d.ok) throw new SpoolCorrupt(`spool record ${entries[k]!.seq} no longer reads back (${d.why})`);
      return { seq: d.seq, ...d.item };
    });
  }
}
