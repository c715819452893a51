import { join } from "node:path";
import { crc32 } from "../crc32";
import { type Fsys, isErrno, writeFileAtomic } from "../fsys";
import { isFilePos } from "../tail/file-pos";
import type { Anchors } from "../tail/node-tail";
import { quarantine } from "./quarantine";

export interface NodeState {
  schedLog: string;
  errorLog: string | null;
  anchors: Anchors;
}

export interface AgentState {
  v: 1;
  nodes: Record<string, NodeState>;
  /** Since when the spool has been too full to take events (the gap the next heartbeats report). */
  spoolFullSince: string | null;
  fullResyncs: number;
}

/** Seed 001's "full save required" flag: set before a batch ships, cleared once it is acknowledged. */
export interface ResyncMark {
  first: number;
  last: number;
  at: string;
}

export const emptyState = (): AgentState => ({ v: 1, nodes: {}, spoolFullSince: null, fullResyncs: 0 });

/** Files written with a checksum around their JSON, so a torn or zero-filled file is told from a good one. */
const seal = (body: unknown) => {
  const json = JSON.stringify(body);
  return `${JSON.stringify({ crc: crc32(Buffer.from(json)), body: JSON.parse(json) })}\n`;
};

function unseal(text: string): unknown {
  const outer = JSON.parse(text) as { crc?: unknown; body?: unknown };
  if (typeof outer.crc !== "number" || outer.body === undefined) throw new Error("no checksum");
  if (crc32(Buffer.from(JSON.stringify(outer.body))) !== outer.crc) throw new Error("checksum mismatch");
  return outer.body;
}

function isState(v: unknown): v is AgentState {
  const s = v as AgentState;
  if (typeof s !== "object" || s === null || s.v !== 1 || typeof s.nodes !== "object" || s.nodes === null) return false;
  for (const n of Object.values(s.nodes)) {
    if (typeof n?.schedLog !== "string" || typeof n.anchors !== "object" || n.anchors === null) return false;
    for (const a of [n.anchors.sched, n.anchors.error]) if (a !== null && !isFilePos(a)) return false;
  }
  return (s.spoolFullSince === null || typeof s.spoolFullSince === "string") && Number.isSafeInteger(s.fullResyncs);
}

function isMark(v: unknown): v is ResyncMark {
  const m = v as ResyncMark;
  return typeof m === "object" && m !== null && Number.isSafeInteger(m.first) && Number.isSafeInteger(m.last) && typeof m.at === "string";
}

export interface Loaded {
  state: AgentState;
  mark: ResyncMark | null;
  /** No state file at all (first run, or the state folder was lost). */
  fresh: boolean;
  /** Why every cursor must be dropped (damaged file quarantined), or null. */
  resync: string | null;
}

/** The agent's state folder: cursors (state.json) and the resync mark (resync.mark). */
export class StateStore {
  constructor(
    readonly dir: string,
    private readonly fs: Fsys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async load(): Promise<Loaded> {
    await this.fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    // A temp file beside its target is a write that never got renamed: the target is the truth.
    for (const name of ["state.json.tmp", "resync.mark.tmp"]) await this.fs.rm(join(this.dir, name), { force: true });
    const reasons: string[] = [];
    const existed = await this.exists("state.json");
    const state = await this.read("state.json", isState, reasons);
    const mark = await this.read("resync.mark", isMark, reasons);
    return {
      state: state ?? emptyState(),
      mark,
      fresh: !existed,
      resync: reasons.length ? reasons.join("; ") : null,
    };
  }

  save(state: AgentState): Promise<void> {
    return writeFileAtomic(this.fs, join(this.dir, "state.json"), seal(state));
  }

  setMark(mark: ResyncMark): Promise<void> {
    return writeFileAtomic(this.fs, join(this.dir, "resync.mark"), seal(mark));
  }

  async clearMark(): Promise<void> {
    await this.fs.rm(join(this.dir, "resync.mark"), { force: true });
  }

  private async exists(name: string): Promise<boolean> {
    try {
      await this.fs.stat(join(this.dir, name));
      return true;
    } catch {
      return false;
    }
  }

  /** A damaged file (truncated, zero length, zero-filled, bad checksum) is quarantined, never trusted. */
  private async read<T>(name: string, valid: (v: unknown) => v is T, reasons: string[]): Promise<T | null> {
    const path = join(this.dir, name);
    let text: string;
    try {
      text = await this.fs.readFile(path, "utf8");
    } catch (error) {
      if (isErrno(error, "ENOENT")) return null;
      throw error;
    }
    try {
      const body = unseal(text);
      if (valid(body)) return body;
      throw new Error("unexpected shape");
    } catch (error) {
      const moved = await quarantine(this.fs, this.dir, path, this.now());
      reasons.push(`${name} damaged (${(error as Error).message})${moved ? `, moved to ${moved}` : ""}`);
      return null;
    }
  }
}
