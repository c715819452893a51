import { createLogParser, type DateFormat, type LogParser, type NumberFormat } from "@fleetwatch/core/parse";
import type { Message, NextScheduled, ScheduleEvent } from "@fleetwatch/core/schemas";
import type { Fsys } from "../fsys";
import type { FilePos } from "./file-pos";
import { LogFile, type Opened, type Span } from "./log-file";
import { announcesAfterEnd, clientVersionIn, cutAfterLastResult, hasEventBegin } from "./scan";

/** Where a node's two logs were last quiet: a parser started here has missed nothing. */
export interface Anchors {
  sched: FilePos | null;
  error: FilePos | null;
}

export interface NodeLogs {
  node: string;
  schedLog: string;
  errorLog: string | null;
  dateFormat?: DateFormat;
  numberFormat?: NumberFormat;
}

export interface Harvest {
  events: ScheduleEvent[];
  problems: Message[];
  nextScheduled: NextScheduled[];
  /** A snapshot of the event still running, the first time it is seen. */
  running: ScheduleEvent[];
  /** Set when the logs reached a quiet point: the cursor to store once this harvest is spooled. */
  anchors: Anchors | null;
  /** More data is waiting (the budget ran out). */
  more: boolean;
  /** The logs were rewritten under us: the tail went back to its anchors. */
  restarted: string | null;
  clientVersion: string | null;
}

const PROBE_MAX = 256 * 1024 * 1024;

/**
 * One node's dsmsched.log + dsmerror.log, parsed incrementally. The durable cursor is an anchor
 * pair taken only where the parser holds nothing back (no open event, no error line waiting for
 * one): a parser started there on restart rebuilds exactly what this one would have. Whether a
 * point is quiet is asked of the parser itself: a fresh parser replays the bytes since the last
 * anchor and `finish()` must release nothing that `takeCompleted()` has not already released.
 * Between anchors the same events may be produced again after a crash; the server's idempotency
 * key (node, schedule, scheduled start) makes that harmless.
 */
export class NodeTail {
  readonly sched: LogFile;
  readonly error: LogFile | null;
  anchors: Anchors = { sched: null, error: null };
  private parser: LogParser;
  private schedSpans: Span[] = [];
  private errorSpans: Span[] = [];
  private released = { events: 0, problems: 0, next: 0 };
  private reported = new Set<string>();

  constructor(
    readonly logs: NodeLogs,
    fs: Fsys,
  ) {
    this.sched = new LogFile(logs.schedLog, fs);
    this.error = logs.errorLog ? new LogFile(logs.errorLog, fs) : null;
    this.parser = this.newParser();
  }

  /** Starts (again) from `anchors`; a lost schedule-log anchor means both logs are read from the start. */
  async start(anchors: Anchors): Promise<{ sched: Opened; error: Opened | null }> {
    this.parser = this.newParser();
    this.schedSpans = [];
    this.errorSpans = [];
    this.released = { events: 0, problems: 0, next: 0 };
    const sched = await this.sched.open(anchors.sched);
    const lost = anchors.sched !== null && (sched === "start" || sched === "missing");
    const error = this.error ? await this.error.open(lost ? null : anchors.error) : null;
    this.anchors = { sched: this.sched.position(), error: this.error?.position() ?? null };
    return { sched, error };
  }

  async close(): Promise<void> {
    await this.sched.close();
    await this.error?.close();
  }

  /** Reads what is new (about `budget` bytes per log) and returns what the parser released. */
  async step(budget: number): Promise<Harvest> {
    const out: Harvest = {
      events: [],
      problems: [],
      nextScheduled: [],
      running: [],
      anchors: null,
      more: false,
      restarted: null,
      clientVersion: null,
    };
    // dsmerror.log first, to its end: an event claims its error lines when it is released.
    if (this.error) {
      const read = await this.error.read(budget, (lines) => this.parser.pushError(lines));
      if (read.kind === "changed") return this.restart(out, `${this.logs.errorLog}: ${read.why}`);
      this.errorSpans.push(...read.spans);
      out.more = read.more;
    }
    for (let used = 0; used < budget; ) {
      let begun = false;
      let announces = false;
      const sink = (lines: Uint8Array) => {
        this.parser.push(lines);
        used += lines.length;
        out.clientVersion = clientVersionIn(lines) ?? out.clientVersion;
        begun ||= hasEventBegin(lines);
        announces = announcesAfterEnd(lines);
      };
      // Pieces end just after an event's last line, where a quiet point is likely.
      const read = await this.sched.read(budget - used, sink, cutAfterLastResult);
      if (read.kind === "changed") return this.restart(out, `${this.logs.schedLog}: ${read.why}`);
      if (read.spans.length === 0) break;
      this.schedSpans.push(...read.spans);
      const taken = this.parser.takeCompleted();
      out.events.push(...taken.events);
      out.problems.push(...taken.problems);
      out.nextScheduled.push(...taken.nextScheduled);
      this.released.events += taken.events.length;
      this.released.problems += taken.problems.length;
      this.released.next += taken.nextScheduled.length;
      const mayAnchor = taken.events.length > 0 && !announces;
      if (mayAnchor || begun) await this.probe(out, mayAnchor);
      out.more ||= read.more;
      if (!read.more) break;
    }
    return out;
  }

  /** Bytes read since the last anchor, per log. */
  pendingBytes(): number {
    return [...this.schedSpans, ...this.errorSpans].reduce((n, s) => n + s.length, 0);
  }

  private newParser(): LogParser {
    // The lines around each message go to the server, for people reading a failure.
    return createLogParser({ dateFormat: this.logs.dateFormat ?? "auto", numberFormat: this.logs.numberFormat ?? "auto", context: true });
  }

  private async restart(out: Harvest, why: string): Promise<Harvest> {
    await this.start(this.anchors);
    return { ...out, events: [], problems: [], nextScheduled: [], running: [], anchors: null, more: true, restarted: why };
  }

  /**
   * Replays the bytes since the anchor into a fresh parser and finishes it. Nothing more released
   * than the live parser already did: a quiet point, so the anchor moves here and the live parser
   * starts afresh (exactly what a restart from this anchor would do). One event more, running:
   * that event's first snapshot is reported.
   */
  private async probe(out: Harvest, mayAnchor: boolean): Promise<void> {
    if (this.pendingBytes() > PROBE_MAX) return;
    const replay = this.newParser();
    if (this.error) for (const span of this.errorSpans) replay.pushError(await this.error.reread(span));
    for (const span of this.schedSpans) replay.push(await this.sched.reread(span));
    const all = replay.finish();
    const quiet =
      all.events.length === this.released.events &&
      all.problems.length === this.released.problems &&
      all.nextScheduled.length === this.released.next;
    if (quiet && mayAnchor) {
      this.anchors = { sched: this.sched.position(), error: this.error?.position() ?? null };
      out.anchors = this.anchors;
      this.parser = this.newParser();
      this.schedSpans = [];
      this.errorSpans = [];
      this.released = { events: 0, problems: 0, next: 0 };
      await this.sched.forgetRetired();
      await this.error?.forgetRetired();
      return;
    }
    const open = all.events[all.events.length - 1];
    if (all.events.length === this.released.events + 1 && open?.status === "in-progress") {
      const key = `${open.schedule}\u0000${open.scheduledStart ?? open.startedAt}`;
      if (!this.reported.has(key)) {
        this.reported.add(key);
        if (this.reported.size > 64) this.reported.delete(this.reported.values().next().value as string);
        out.running.push(open);
      }
    }
  }
}
