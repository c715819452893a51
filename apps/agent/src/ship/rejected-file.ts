import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Fsys, isErrno, syncDir } from "../fsys";
import type { SpoolKind } from "../spool/record";

export const REJECTED_FILE = "rejected.jsonl";

/** One record the server refused for good, as kept on disk (one JSON line each). */
export interface RejectedEntry {
  at: string;
  kind: SpoolKind;
  node: string | null;
  reason: string;
  /** The record exactly as it was sent: someone may fix and resend it by hand. */
  record: unknown;
}

export type Refusal = Omit<RejectedEntry, "at">;

// The same record refused twice (a crash after it was kept but before the spool moved on, or the
// tail producing an event again) is kept once: the kind and the record's bytes say which it is.
const keyOf = (kind: string, record: unknown) => `${kind}:${createHash("sha256").update(JSON.stringify(record)).digest("hex")}`;

/**
 * The quarantine of records the server refused (422, or alone still too large): append-only JSON
 * lines in the state folder, fsync'd before the spool lets them go, never resent by the agent.
 */
export class RejectedFile {
  private constructor(
    readonly path: string,
    private readonly fs: Fsys,
    private readonly keys: Set<string>,
    private last: RejectedEntry | null,
  ) {}

  /** Reads what is kept; a line torn by a crash mid-append is cut (its record comes back refused again). */
  static async open(fs: Fsys, stateDir: string): Promise<RejectedFile> {
    const path = join(stateDir, REJECTED_FILE);
    const { entries, intact } = await readEntries(fs, path);
    if (intact !== null) await fs.truncate(path, intact);
    const file = new RejectedFile(path, fs, new Set(), entries[entries.length - 1] ?? null);
    for (const e of entries) file.keys.add(keyOf(e.kind, e.record));
    return file;
  }

  get count(): number {
    return this.keys.size;
  }

  get newest(): RejectedEntry | null {
    return this.last;
  }

  /** Keeps the refusals not kept already; returns once they are on disk. How many were new. */
  async add(refusals: Refusal[], now: Date): Promise<number> {
    let created = false;
    let size = 0;
    try {
      size = (await this.fs.stat(this.path)).size;
    } catch (error) {
      if (!isErrno(error, "ENOENT")) throw error;
      // The state folder was lost under us: what we remember keeping is no longer kept anywhere.
      created = true;
      this.keys.clear();
    }
    const fresh: RejectedEntry[] = [];
    const seen = new Set<string>();
    for (const r of refusals) {
      const key = keyOf(r.kind, r.record);
      if (this.keys.has(key) || seen.has(key)) continue;
      seen.add(key);
      fresh.push({ at: now.toISOString(), kind: r.kind, node: r.node, reason: oneLine(r.reason), record: r.record });
    }
    if (fresh.length === 0) return 0;
    if (created) await this.fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    let handle: FileHandle | undefined;
    try {
      handle = await this.fs.open(this.path, "a", 0o600);
      await handle.writeFile(fresh.map((e) => `${JSON.stringify(e)}\n`).join(""));
      await handle.sync();
    } catch (error) {
      // Written but not synced: cut it, or the retry would keep these records twice.
      await handle?.close().catch(() => undefined);
      handle = undefined;
      await this.fs.truncate(this.path, size).catch(() => undefined);
      throw error;
    } finally {
      await handle?.close();
    }
    if (created) await syncDir(this.fs, dirname(this.path));
    for (const key of seen) this.keys.add(key);
    this.last = fresh[fresh.length - 1]!;
    return fresh.length;
  }
}

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, " ").slice(0, 1000);

/** For `status`: how many records are kept and the newest, without touching the file. */
export async function rejectedSummary(fs: Fsys, stateDir: string): Promise<{ path: string; count: number; newest: RejectedEntry | null }> {
  const path = join(stateDir, REJECTED_FILE);
  const { entries } = await readEntries(fs, path);
  const keys = new Set(entries.map((e) => keyOf(e.kind, e.record)));
  return { path, count: keys.size, newest: entries[entries.length - 1] ?? null };
}

/** The kept entries, and where the file should end when its last line is torn (else null). */
async function readEntries(fs: Fsys, path: string): Promise<{ entries: RejectedEntry[]; intact: number | null }> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(path);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return { entries: [], intact: null };
    throw error;
  }
  const end = buf.lastIndexOf(10) + 1;
  const entries: RejectedEntry[] = [];
  for (const line of buf.toString("utf8", 0, end).split("\n")) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as RejectedEntry;
      if (typeof e.kind === "string" && typeof e.reason === "string") entries.push(e);
    } catch {
      // A line someone edited by hand: not ours to judge, and no reason to lose the others.
    }
  }
  return { entries, intact: end < buf.length ? end : null };
}
