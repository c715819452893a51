import type { Message } from "../schemas/event";
import { ansCodeAt, Kind, wrapMarker } from "./line-kinds";
import { continueMessage, isProblem, makeMessage, messageKey } from "./messages";
import type { StampReader } from "./timestamp";

/**
 * dsmerror.log: only its ANS messages matter. They wait here until the event whose time window
 * holds them is released (then they join it), or until no event can claim them (then they are
 * problems). A wrapped error log (ERRORLOGMAX) is put back in time order like the schedule log.
 */
export class ErrorLog {
  unparsed = 0;
  /** Messages from the file's top (newest when wrapped) and, after END OF DATA, the older part. */
  private newer: Message[] = [];
  private older: Message[] | null = null;
  private dropFirst = false;
  private stopped = false;
  private lastMsg: Message | null = null;
  private seenLine = false;

  constructor(private readonly stamps: StampReader) {}

  line(line: string): void {
    if (this.stopped) return;
    const stamped = this.stamps.read(line);
    const i = stamped ? this.stamps.textStart : line.length - line.trimStart().length;
    if (i === line.length) {
      if (!stamped) this.lastMsg = null;
      return;
    }
    const marker = wrapMarker(line, i);
    if (marker === Kind.WrapEnd && this.older === null) {
      this.older = [];
      this.dropFirst = true;
      return;
    }
    if (marker === Kind.WrapContinued && this.older !== null) {
      this.stopped = true;
      return;
    }
    if (this.dropFirst) {
      this.dropFirst = false;
      return;
    }
    if (!stamped) {
      if (ansCodeAt(line, i)) {
        // A message printed without a time: kept, but no event can claim it by time.
        this.seenLine = true;
        this.lastMsg = makeMessage(line, i, null);
        (this.older ?? this.newer).push(this.lastMsg);
      } else if (!this.seenLine) this.unparsed++;
      else if (this.lastMsg) continueMessage(this.lastMsg, line);
      return;
    }
    this.seenLine = true;
    this.lastMsg = null;
    // Other timestamped lines are the client's diagnostics (sessOpen: ..., rc: -50): known, not kept.
    if (!ansCodeAt(line, i) || line.startsWith("ANS1898I", i)) return;
    this.lastMsg = makeMessage(line, i, this.stamps.at);
    (this.older ?? this.newer).push(this.lastMsg);
  }

  /**
   * Hands an event the messages in [lo, hi] (hi null: no upper bound) that its own log does not
   * already hold; earlier unclaimed messages become problems (events are released in time order).
   */
  claim(lo: string | null, hi: string | null, own: Message[], problems: Message[]): Message[] {
    const ownKeys = countKeys(own);
    const claimed: Message[] = [];
    const keep: Message[] = [];
    for (const m of this.pendingInOrder()) {
      const at = m.at;
      if (at === null || (lo !== null && at < lo)) {
        if (isProblem(m)) problems.push(m);
      } else if (hi === null || at <= hi) {
        if (!take(ownKeys, messageKey(m))) claimed.push(m);
      } else keep.push(m);
    }
    this.newer = keep;
    if (this.older !== null) this.older = [];
    return claimed;
  }

  /** Everything still waiting: no event will claim it. */
  settleAll(problems: Message[]): void {
    for (const m of this.pendingInOrder()) if (isProblem(m)) problems.push(m);
    this.newer = [];
    if (this.older !== null) this.older = [];
  }

  private pendingInOrder(): Message[] {
    return this.older === null || this.older.length === 0 ? this.newer : [...this.older, ...this.newer];
  }
}

export function countKeys(messages: Message[]): Map<string, number> {
  const keys = new Map<string, number>();
  for (const m of messages) {
    const k = messageKey(m);
    keys.set(k, (keys.get(k) ?? 0) + 1);
  }
  return keys;
}

/** Consumes one occurrence of `key`; true when there was one (the line stands in both logs). */
export function take(keys: Map<string, number>, key: string): boolean {
  const n = keys.get(key) ?? 0;
  if (n === 0) return false;
  keys.set(key, n - 1);
  return true;
}
