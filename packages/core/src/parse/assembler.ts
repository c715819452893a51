import type { Message, NextScheduled } from "../schemas/event";
import { Announcements } from "./announcements";
import { ContextCapture } from "./context";
import { decodeLine } from "./decode";
import { type Draft, emptyStats, newDraft, SESSION_LOST } from "./event";
import { ansCodeAt, classifyBytes, classifyText, isChatter, Kind, Maybe, wrapMarker } from "./line-kinds";
import { continueMessage, isProblem, makeMessage, returnCodeIn } from "./messages";
import { namesOther, quotedName, readObjectLine } from "./names";
import type { NumberReader } from "./numbers";
import { readStat } from "./stats";
import type { StampReader } from "./timestamp";

/** Lines that begin an event or cut one off: the end of a wrapped file's "head" (see parser.ts). */
/** Kinds whose handling reads the line's text; the rest are handled from their bytes alone. */
const NEEDS_TEXT: Record<Kind, boolean> = {
  [Kind.Other]: false,
  [Kind.Message]: true,
  [Kind.ObjectBegin]: true,
  [Kind.ObjectEnd]: true,
  [Kind.StatusBegin]: false,
  [Kind.StatusEnd]: false,
  [Kind.Stat]: false,
  [Kind.Executing]: false,
  [Kind.EventResult]: true,
  [Kind.Sending]: true,
  [Kind.Sent]: true,
  [Kind.Cut]: false,
  [Kind.NextHeader]: false,
  [Kind.ScheduleName]: true,
  [Kind.Action]: true,
  [Kind.WindowStart]: true,
  [Kind.Chatter]: false,
  [Kind.WrapEnd]: true,
  [Kind.WrapContinued]: true,
};
const BOUNDARY = new Set<Kind>([Kind.ObjectBegin, Kind.Executing, Kind.Cut]);
const RESULT = new Set<Kind>([Kind.ObjectEnd, Kind.EventResult, Kind.Sending, Kind.Sent, Kind.Message]);
const encoder = new TextEncoder();
const PARTIAL_STAMP = /^\d{1,4}[/.-]\d{0,2}([/.-]\d{0,4})?( +\d{0,2}([:.]\d{0,2}){0,2})?$/;

/**
 * The dsmsched.log state machine: lines in, event drafts out (contract: "Where an event begins and
 * ends"). One per stretch of file; a log wrapped by SCHEDLOGMAX has two (see parser.ts).
 */
export class Assembler {
  readonly closed: Draft[] = [];
  current: Draft | null = null;
  readonly problems: Message[] = [];
  unparsed = 0;
  /** Lines before the first boundary line, kept to replay after a wrap (see parser.ts). */
  readonly head: string[] = [];
  headDone = false;
  private headMarks: { problems: number; next: number; unparsed: number } | null = null;
  /** Head problems were handed out before a wrap showed up: they cannot be taken back. */
  private headTaken = false;
  /** Drop the first non-blank line (the torn line just after END OF DATA). */
  dropFirst = false;
  stopped = false;
  private headLastMinor = false;
  private prevAt: string | null = null;
  private lastMsg: Message | null = null;
  private seenLine = false;
  private inStatus = false;
  /** The current line's bytes[lineStart, lineEnd): a status line is read from them, not from text. */
  private lineBytes: Uint8Array = new Uint8Array(0);
  private lineStart = 0;
  private lineEnd = 0;

  private setBytes(bytes: Uint8Array, start: number, end: number): void {
    this.lineBytes = bytes;
    this.lineStart = start;
    this.lineEnd = end;
  }

  private readonly announced: Announcements;
  private readonly context: ContextCapture | null;

  constructor(
    private readonly stamps: StampReader,
    private readonly numbers: NumberReader,
    withContext = false,
  ) {
    this.announced = new Announcements(stamps);
    this.context = withContext ? new ContextCapture() : null;
  }

  /** Every complete "Next operation scheduled" block so far (see takeSettled). */
  get next(): NextScheduled[] {
    return this.announced.next;
  }

  /** Feeds one line, bytes[start, end); returns a wrap marker kind when the line is one, else 0. */
  line(bytes: Uint8Array, start: number, end: number): number {
    if (this.stopped || !this.context) return this.read(bytes, start, end);
    this.context.before(bytes, start, end);
    const marker = this.read(bytes, start, end);
    this.context.after(bytes, start, end);
    return marker;
  }

  /** The bytes of the current chunk go back to the caller: lines kept for context become text. */
  settleContext(): void {
    this.context?.settle();
  }

  private read(bytes: Uint8Array, start: number, end: number): number {
    if (this.stopped) return 0;
    const stamps = this.stamps;
    if (!stamps.readBytes(bytes, start, end)) return this.unstamped(decodeLine(bytes, start, end));
    if (this.dropFirst) {
      this.dropFirst = false;
      return 0;
    }
    const i = stamps.textStart;
    if (i >= end) return 0; // a bare timestamp says nothing
    const at = stamps.at;
    let kind = classifyBytes(bytes, i, end);
    // The hot path: a per-file line of a running event only moves the event's last time.
    const cur = this.current;
    if (kind === Kind.Other && cur !== null && cur.endedAt === null && this.headDone) {
      cur.lastAt = at;
      this.lastMsg = null;
      this.prevAt = at;
      return 0;
    }
    if (kind === Kind.Other && isChatter(bytes, i, end)) kind = Kind.Chatter;
    const ti = i - start; // the timestamp is ASCII: its byte and character offsets agree
    // Most other lines need only their kind (and a status line only its value): no text is made.
    if (kind !== Maybe && !NEEDS_TEXT[kind] && this.headDone) {
      this.seenLine = true;
      this.setBytes(bytes, start, end);
      this.stamped("", ti, at, kind);
      this.prevAt = at;
      return 0;
    }
    const line = decodeLine(bytes, start, end);
    if (kind === Maybe) {
      kind = classifyText(line, ti);
      if (kind === Kind.Other && isChatter(bytes, i, end)) kind = Kind.Chatter;
    }
    if (kind === Kind.WrapEnd || kind === Kind.WrapContinued) return kind;
    this.seenLine = true;
    if (!this.headDone) this.keepHead(line, BOUNDARY.has(kind) ? 2 : kind === Kind.Other || kind === Kind.Chatter ? 0 : 1);
    this.setBytes(bytes, start, end);
    this.stamped(line, ti, at, kind);
    this.prevAt = at;
    return 0;
  }

  /** Feeds a line that is already text (a wrapped file's head, replayed). */
  lineText(line: string): number {
    const bytes = encoder.encode(line);
    return this.line(bytes, 0, bytes.length);
  }

  /**
   * Forgets what the head made (its drafts, problems, announcements, unparsed lines): the head is
   * replayed into the older part instead.
   */
  dropHead(): void {
    const marks = this.headMarks ?? {
      problems: this.headTaken ? 0 : this.problems.length,
      next: this.headTaken ? 0 : this.next.length,
      unparsed: this.unparsed,
    };
    if (this.current?.inHead) this.current = null;
    this.closed.splice(0, this.closed.length, ...this.closed.filter((d) => !d.inHead));
    this.problems.splice(0, marks.problems);
    this.next.splice(0, marks.next);
    this.unparsed -= marks.unparsed;
  }

  /**
   * Takes the problems and announcements gathered so far. The newest problem may still grow by a
   * continuation line the client has not written yet: unless `all`, it waits for the next line, so
   * a problem is never handed out (and shipped) with half its text.
   */
  takeSettled(all = false): { problems: Message[]; next: NextScheduled[] } {
    const open = !all && this.lastMsg !== null && this.problems.at(-1) === this.lastMsg ? 1 : 0;
    const problems = this.problems.splice(0, this.problems.length - open);
    const taken = { problems, next: this.next.splice(0) };
    if (this.headMarks) this.headMarks = { ...this.headMarks, problems: Math.max(0, this.headMarks.problems - problems.length), next: 0 };
    else this.headTaken = true;
    return taken;
  }

  /** The log moved on (or the wrapped file's newer part starts): cut off whatever is open. */
  cutOpen(): void {
    if (this.current) this.close(this.current);
  }

  private unstamped(line: string): number {
    let i = 0;
    while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
    if (i === line.length) {
      this.lastMsg = null; // a blank line ends a message
      return 0;
    }
    const marker = wrapMarker(line, i);
    if (marker !== Kind.Other) return marker;
    if (this.dropFirst) {
      this.dropFirst = false;
      return 0;
    }
    if (!this.headDone) this.keepHead(line, this.lastMsg || ansCodeAt(line, i) ? 1 : 0);
    if (ansCodeAt(line, i)) {
      // A message printed without a time (seed 000, 2.1.3.6): its own message, `at` null.
      const isResult = line.startsWith("ANS1512E", i);
      this.seenLine = true;
      if (this.current) this.eventMessage(this.current, line, i, null, isResult);
      else this.outside(line, i, null, Kind.Message);
      return 0;
    }
    if (!this.seenLine || PARTIAL_STAMP.test(line)) {
      // Nothing to continue, or a timestamp cut short by a crash.
      this.unparsed++;
      this.lastMsg = null;
    } else if (this.lastMsg) continueMessage(this.lastMsg, line);
    return 0;
  }

  private stamped(line: string, i: number, at: string, kind: Kind): void {
    let cur = this.current;
    // After its first result line an event takes only more result lines (and messages).
    if (cur && cur.endedAt !== null && (!RESULT.has(kind) || namesOther(cur, line, i, kind))) {
      this.close(cur);
      cur = null;
    }
    if (kind !== Kind.Message) this.lastMsg = null;
    switch (kind) {
      case Kind.Cut:
        if (cur) this.close(cur);
        this.outside(line, i, at, kind);
        return;
      case Kind.Executing:
        if (cur) this.close(cur);
        cur = this.open(at, true);
        cur.schedule = this.announced.schedule;
        cur.scheduledStart = this.announced.start;
        return;
      case Kind.ObjectBegin: {
        if (cur && (cur.objectBegun || !cur.begun || cur.endedAt !== null)) {
          this.close(cur);
          cur = null;
        }
        cur ??= this.open(at, true);
        cur.objectBegun = true;
        readObjectLine(cur, line, i, this.stamps, false);
        cur.lastAt = at;
        return;
      }
      case Kind.ObjectEnd:
      case Kind.StatusBegin:
      case Kind.StatusEnd:
      case Kind.Stat:
      case Kind.EventResult:
      case Kind.Sending:
      case Kind.Sent:
        if (cur && kind !== Kind.Stat && kind !== Kind.StatusBegin && kind !== Kind.StatusEnd && namesOther(cur, line, i, kind)) {
          this.close(cur);
          cur = null;
        }
        this.eventLine(cur ?? this.open(at, false), line, i, at, kind);
        return;
      case Kind.Message: {
        const isResult = line.startsWith("ANS1512E", i);
        if (cur && isResult && namesOther(cur, line, i, kind)) {
          this.close(cur);
          cur = null;
        }
        if (!cur && !isResult) {
          this.outside(line, i, at, kind);
          return;
        }
        this.eventMessage(cur ?? this.open(at, false), line, i, at, isResult);
        return;
      }
      default:
        if (cur) cur.lastAt = at;
        else this.outside(line, i, at, kind);
    }
  }

  private eventLine(d: Draft, line: string, i: number, at: string, kind: Kind): void {
    d.lastAt = at;
    switch (kind) {
      case Kind.StatusBegin:
        d.stats ??= emptyStats();
        d.statusBeginAt ??= at;
        d.lostPending = false;
        this.inStatus = true;
        return;
      case Kind.StatusEnd:
        d.statusEnded = true;
        this.inStatus = false;
        return;
      case Kind.Stat:
        if (!this.inStatus && d.stats === null) return; // a stray stats line outside any status block
        d.stats ??= emptyStats();
        readStat(d.stats, this.lineBytes, this.lineStart + i, this.lineEnd, this.numbers);
        return;
      case Kind.ObjectEnd:
        if (d.schedule === null || d.scheduledStart === null) readObjectLine(d, line, i, this.stamps, true);
        break;
      case Kind.EventResult: {
        d.schedule ??= quotedName(line, i);
        if (line.includes("completed successfully", i)) d.success = true;
        else if (line.includes("failed", i)) d.failedResult = true;
        d.returnCode = returnCodeIn(line.slice(i)) ?? d.returnCode;
        break;
      }
      default: // Sending, Sent
        d.schedule ??= quotedName(line, i);
    }
    this.inStatus = false;
    d.endedAt = at;
    if (kind === Kind.Sent) this.close(d);
  }

  private eventMessage(d: Draft, line: string, i: number, at: string | null, isResult: boolean): void {
    if (at !== null) d.lastAt = at;
    const code = line.slice(i, i + 8);
    const rc = returnCodeIn(line.slice(i + 8));
    if (rc !== null) d.returnCode = rc;
    if (isResult) {
      d.schedule ??= quotedName(line, i);
      d.failedResult = true;
      d.endedAt = at ?? d.lastAt;
    } else if (code === "ANS1909E") d.failedResult = true;
    if (SESSION_LOST.has(code)) d.lostPending = true;
    if (code === "ANS1898I") {
      this.lastMsg = null; // progress lines are not kept
      return;
    }
    const message = makeMessage(line, i, at);
    d.messages.push(message);
    this.context?.message(message);
    this.lastMsg = message;
  }

  private outside(line: string, i: number, at: string | null, kind: Kind): void {
    switch (kind) {
      case Kind.Message: {
        if (line.startsWith("ANS1898I", i)) return;
        const message = makeMessage(line, i, at);
        this.lastMsg = message;
        if (isProblem(message)) {
          this.problems.push(message);
          this.context?.message(message);
        }
        return;
      }
      case Kind.NextHeader:
        this.announced.header();
        return;
      case Kind.ScheduleName:
        this.announced.scheduleName(line.slice(line.indexOf(":", i) + 1));
        return;
      case Kind.Action:
        this.announced.actionName(line.slice(line.indexOf(":", i) + 1));
        return;
      case Kind.WindowStart:
        this.announced.windowStart(line.slice(line.indexOf(":", i) + 1));
        return;
      case Kind.Other: // chatter was told apart from its bytes (read)
        this.unparsed++;
    }
  }

  private open(at: string, begun: boolean): Draft {
    const d = newDraft(this.prevAt, !this.headDone);
    d.begun = begun;
    d.startedAt = at;
    d.lastAt = at;
    this.current = d;
    this.inStatus = false;
    return d;
  }

  private close(d: Draft): void {
    d.cut = d.endedAt === null;
    d.closed = true;
    this.closed.push(d);
    if (this.current === d) this.current = null;
    this.inStatus = false;
  }

  /** Keeps a head line for a wrap replay: every line that matters, and only the last of the rest. */
  private keepHead(line: string, weight: 0 | 1 | 2): void {
    const head = this.head;
    if (weight === 2) {
      this.headDone = true;
      this.headMarks = { problems: this.problems.length, next: this.next.length, unparsed: this.unparsed };
      return;
    }
    if (weight === 0 && this.headLastMinor) head[head.length - 1] = line;
    else head.push(line);
    this.headLastMinor = weight === 0;
  }
}
