import type { Message, NextScheduled, ParseResult, ScheduleEvent } from "../schemas/event";
import { Assembler } from "./assembler";
import { decodeLine, LineSplitter } from "./decode";
import { ErrorLog, take } from "./error-log";
import { type Draft, errorWindow, finishEvent } from "./event";
import { Kind } from "./line-kinds";
import { mergeByTime, messageKey } from "./messages";
import { type NumberFormat, NumberReader } from "./numbers";
import { type DateFormat, StampReader } from "./timestamp";

export type ParseOptions = {
  dateFormat?: DateFormat;
  numberFormat?: NumberFormat;
  /** Keep the raw lines around each W/E/S message of dsmsched.log (`Message.context`). */
  context?: boolean;
};

/** What `takeCompleted()` hands over: only what can no longer change. */
export type Completed = Pick<ParseResult, "events" | "problems" | "nextScheduled">;

export type LogParser = {
  /** dsmsched.log bytes, cut anywhere (mid-line, mid-UTF-8 sequence). */
  push(chunk: Uint8Array | string): void;
  /** dsmerror.log bytes, cut anywhere. */
  pushError(chunk: Uint8Array | string): void;
  /** dsmerror.log is complete: its last line counts even without a line end (finish() does this too). */
  endError(): void;
  /** Events that have ended (and the problems/next schedules settled so far); an open event waits. */
  takeCompleted(): Completed;
  /**
   * Only the events that have ended; problems and next schedules wait for finish(), which then
   * returns exactly what it would have without this call (less these events). For printing a big
   * log's events as they come: an unwrapped log's events are then in time order, a wrapped one's not.
   */
  takeEvents(): ScheduleEvent[];
  /** End of input: everything not yet taken, the last open event as in-progress. */
  finish(): ParseResult;
};

/**
 * How the agent daemon uses it: keep one parser per log pair while tailing. Each poll, push the new
 * bytes of dsmerror.log and then of dsmsched.log up to their current ends (error lines first: an
 * event claims the error lines that fall in its time window when it is released), then ship what
 * `takeCompleted()` returns. An event still running is held back until a later line ends it or
 * cuts it off. `finish()` is for one-shot reads (`parse`, `ship`): it also releases the last event.
 *
 * A log wrapped by SCHEDLOGMAX is put in time order by `finish()`; events taken before the wrap
 * marker was read come out in file order (the server's idempotency keys make that harmless).
 */
export function createLogParser(options: ParseOptions = {}): LogParser {
  const numbers = new NumberReader(options.numberFormat ?? "auto");
  const schedStamps = new StampReader(options.dateFormat ?? "auto");
  // segments[0] is the file's top; segments[1] the older part after END OF DATA (if wrapped).
  const context = options.context ?? false;
  const segments: Assembler[] = [new Assembler(schedStamps, numbers, context)];
  const errors = new ErrorLog(new StampReader(options.dateFormat ?? "auto"));
  // Announced windows seen, by schedule: no key string per window (a QUIET client announces one every run).
  const nextSeen = new Map<string, Set<string>>();
  const problemKeys = new Map<string, number>(); // sched problems, to drop their dsmerror.log twins
  const errorProblems: Message[] = [];
  let finished: ParseResult | null = null;

  const schedLines = new LineSplitter({
    line(bytes, start, end) {
      const segment = segments[segments.length - 1]!;
      const marker = segment.line(bytes, start, end);
      if (marker === 0) return;
      if (marker === Kind.WrapEnd && segments.length === 1) {
        const older = new Assembler(schedStamps, numbers, context);
        older.dropFirst = true;
        segments.push(older);
      } else if (marker === Kind.WrapContinued && segments.length === 2) segment.stopped = true;
    },
  });
  // dsmerror.log is small and nearly all messages: every line is decoded.
  const errorLines = new LineSplitter({ line: (bytes, start, end) => errors.line(decodeLine(bytes, start, end)) });

  /** Time order: the older part of a wrapped file first. */
  const ordered = () => (segments.length === 2 ? [segments[1]!, segments[0]!] : [segments[0]!]);

  function release(d: Draft, openAtEnd: boolean): ScheduleEvent {
    const { lo, hi } = errorWindow(d, openAtEnd);
    const claimed = errors.claim(lo, hi, d.messages, errorProblems);
    return finishEvent(d, mergeByTime(d.messages, claimed), openAtEnd);
  }

  function settled(final: boolean): { problems: Message[]; nextScheduled: NextScheduled[] } {
    const sched: Message[] = [];
    const next: NextScheduled[] = [];
    for (const segment of ordered()) {
      const taken = segment.takeSettled(final);
      sched.push(...taken.problems);
      for (const n of taken.next) {
        const seen = nextSeen.get(n.schedule) ?? new Set<string>();
        nextSeen.set(n.schedule, seen);
        if (!seen.has(n.windowStart)) {
          seen.add(n.windowStart);
          next.push(n);
        }
      }
    }
    for (const m of sched) problemKeys.set(messageKey(m), (problemKeys.get(messageKey(m)) ?? 0) + 1);
    const fromErrors = errorProblems.splice(0).filter((m) => !take(problemKeys, messageKey(m)));
    if (final) next.sort((a, b) => (a.windowStart < b.windowStart ? -1 : a.windowStart > b.windowStart ? 1 : 0));
    return { problems: mergeByTime(sched, fromErrors), nextScheduled: next };
  }

  function takeEvents(): ScheduleEvent[] {
    const events: ScheduleEvent[] = [];
    for (const segment of ordered()) {
      for (const d of segment.closed) events.push(release(d, false));
      segment.closed.length = 0;
    }
    return events;
  }

  /** A wrapped file: the top's first lines continue the older part's last event. */
  function stitchWrap(): void {
    const [top, older] = segments as [Assembler, Assembler];
    older.stopped = false;
    older.dropFirst = false;
    for (const line of top.head) older.lineText(line);
    if (top.headDone) older.cutOpen();
    top.dropHead();
  }

  return {
    push(chunk) {
      if (typeof chunk === "string") schedLines.pushText(chunk);
      else schedLines.push(chunk);
      for (const segment of segments) segment.settleContext();
    },
    pushError(chunk) {
      if (typeof chunk === "string") errorLines.pushText(chunk);
      else errorLines.push(chunk);
    },
    endError() {
      errorLines.end();
    },
    takeCompleted() {
      return { events: takeEvents(), ...settled(false) };
    },
    takeEvents,
    finish() {
      if (finished) return finished;
      schedLines.end();
      errorLines.end();
      if (segments.length === 2) stitchWrap();
      const drafts: Draft[] = [];
      for (const segment of ordered()) {
        drafts.push(...segment.closed);
        if (segment.current) drafts.push(segment.current);
      }
      // Only the file's last event can still be running; an earlier open one was cut by what followed.
      const events = drafts.map((d, k) => {
        const last = k === drafts.length - 1;
        if (!d.closed && !last) d.cut = d.endedAt === null;
        return release(d, last && !d.closed && d.endedAt === null);
      });
      errors.settleAll(errorProblems);
      const { problems, nextScheduled } = settled(true);
      finished = {
        events,
        nextScheduled,
        problems,
        unparsedLines: segments.reduce((n, s) => n + s.unparsed, 0) + errors.unparsed,
      };
      return finished;
    },
  };
}

/** Whole-file parse: the same code path as the incremental parser. */
export function parseLogs(input: { sched: Uint8Array | string; error?: Uint8Array | string }, options: ParseOptions = {}): ParseResult {
  const parser = createLogParser(options);
  if (input.error !== undefined) parser.pushError(input.error);
  parser.push(input.sched);
  return parser.finish();
}
