import { boundedEvent, type Message, type NextScheduled, type ScheduleEvent } from "@fleetwatch/core/schemas";
import type { WatchedNode } from "../config/agent-config";
import type { Fsys } from "../fsys";
import type { Logger } from "../log";
import type { SpoolItem } from "../spool/record";
import { type Spool, SpoolFullError } from "../spool/spool";
import type { AgentState, StateStore } from "../state/state-store";
import { type Anchors, type Harvest, NodeTail } from "../tail/node-tail";

const STEP_BYTES = 1 << 20;

/** Minutes east of UTC at a local wall-clock time on this machine (DST-correct for past events); no time: now's. */
function utcOffsetAt(local: string | null, now: () => Date): number {
  const at = local ? new Date(local) : now();
  return -(Number.isNaN(at.getTime()) ? now() : at).getTimezoneOffset();
}

function harvestItems(node: string, h: Harvest, now: () => Date): SpoolItem[] {
  const event = (e: ScheduleEvent): SpoolItem => ({
    kind: "event",
    node,
    data: { node, utcOffsetMinutes: utcOffsetAt(e.scheduledStart ?? e.startedAt, now), event: boundedEvent(e) },
  });
  const problem = (m: Message): SpoolItem => ({
    kind: "problem",
    node,
    data: { node, utcOffsetMinutes: utcOffsetAt(m.at, now), message: m },
  });
  const items = [...h.events.map(event), ...h.running.map(event), ...h.problems.map(problem)];
  if (h.nextScheduled.length)
    items.push({
      kind: "announcement",
      node,
      data: { node, utcOffsetMinutes: utcOffsetAt(h.nextScheduled[0]!.windowStart, now), nextScheduled: h.nextScheduled.slice(-1000) },
    });
  return items;
}

/**
 * Reads every node's logs into the spool. The order is the design's: parse, spool (fsync), then
 * store the cursor. When the spool cannot take a harvest (full disk, I/O error, spool full) the
 * node's tail goes back to its stored anchors: nothing read after them counts as read.
 */
export class Tailer {
  readonly tails = new Map<string, NodeTail>();
  readonly nextScheduled = new Map<string, NextScheduled[]>();
  readonly clientVersions = new Map<string, string>();
  lastError: string | null = null;
  failing = false;
  private dirty = false;

  constructor(
    private readonly fs: Fsys,
    /** Replaced (useState) when the daemon recovers from a damaged or deleted state folder. */
    private spool: Spool,
    private readonly store: StateStore,
    private state: AgentState,
    private readonly log: Logger,
    private readonly onSpooled: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The state folder was recovered: its fresh spool and state from now on. */
  useState(spool: Spool, state: AgentState): void {
    this.spool = spool;
    this.state = state;
  }

  /** The last error has reached the server (in a heartbeat): it is not reported again. */
  errorReported(): void {
    this.lastError = null;
  }

  /** Starts tailing `node` from its stored anchors (dropped if the configured paths changed). */
  async add(node: WatchedNode): Promise<void> {
    const saved = this.state.nodes[node.node];
    const same = saved && saved.schedLog === node.schedLog && saved.errorLog === node.errorLog;
    const anchors: Anchors = same ? saved.anchors : { sched: null, error: null };
    this.state.nodes[node.node] = { schedLog: node.schedLog, errorLog: node.errorLog, anchors };
    const tail = new NodeTail(
      { node: node.node, schedLog: node.schedLog, errorLog: node.errorLog, dateFormat: node.dateFormat, numberFormat: node.numberFormat },
      this.fs,
    );
    const opened = await tail.start(anchors);
    this.tails.set(node.node, tail);
    this.log.info("watching", { node: node.node, schedLog: node.schedLog, errorLog: node.errorLog ?? "-", from: opened.sched });
  }

  async remove(node: string): Promise<void> {
    await this.tails.get(node)?.close();
    this.tails.delete(node);
  }

  /** One poll of every node; true when a node has more to read right away. */
  async poll(stopping: () => boolean): Promise<boolean> {
    let more = false;
    for (const [node, tail] of this.tails) {
      if (stopping()) break;
      more = (await this.pollNode(node, tail)) || more;
    }
    if (this.dirty) await this.saveState();
    return more;
  }

  async saveState(): Promise<void> {
    try {
      await this.store.save(this.state);
      this.dirty = false;
    } catch (error) {
      this.noteError(`cannot write the state file: ${(error as Error).message}`);
    }
  }

  private async pollNode(node: string, tail: NodeTail): Promise<boolean> {
    let h: Harvest;
    try {
      h = await tail.step(STEP_BYTES);
    } catch (error) {
      this.noteError(`${node}: cannot read its logs: ${(error as Error).message}`);
      await tail.start(this.state.nodes[node]!.anchors).catch(() => undefined);
      return false;
    }
    if (h.restarted) this.log.info("log changed under the reader; reading again from the cursor", { node, why: h.restarted });
    if (h.clientVersion) this.clientVersions.set(node, h.clientVersion);
    if (h.nextScheduled.length) this.nextScheduled.set(node, h.nextScheduled.slice(-16));
    const items = harvestItems(node, h, this.now);
    try {
      await this.spool.append(items);
    } catch (error) {
      // Nothing after the stored anchors counts as read: go back to them and try again later.
      await tail.start(this.state.nodes[node]!.anchors).catch(() => undefined);
      if (error instanceof SpoolFullError) {
        if (!this.state.spoolFullSince) {
          this.state.spoolFullSince = this.now().toISOString();
          this.dirty = true;
          this.log.warn("spool full: log reading waits for the server (nothing is dropped)", { node, bytes: this.spool.bytes });
        }
        this.lastError = error.message;
      } else this.noteError(`${node}: cannot write the spool: ${(error as Error).message}`);
      this.failing = true;
      return false;
    }
    this.failing = false;
    if (this.state.spoolFullSince && items.length) {
      this.log.info("spool has room again; log reading resumes", { since: this.state.spoolFullSince });
      this.state.spoolFullSince = null;
      this.dirty = true;
    }
    if (items.length) this.onSpooled();
    if (h.anchors) {
      this.state.nodes[node]!.anchors = h.anchors;
      this.dirty = true;
    }
    if (h.events.length) this.log.debug("events read", { node, events: h.events.length, problems: h.problems.length });
    return h.more;
  }

  private noteError(message: string): void {
    if (message !== this.lastError) this.log.error(message);
    this.lastError = message;
  }
}
