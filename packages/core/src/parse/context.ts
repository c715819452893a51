import type { Message } from "../schemas/event";
import { decodeLine } from "./decode";

/** Raw lines kept on each side of a message: enough to show what the client was doing. */
export const CONTEXT_LINES = 2;
const MAX_LINE = 300;

/** A recent line: its bytes while they are still the caller's chunk, its text once decoded. */
interface Slot {
  bytes: Uint8Array | null;
  start: number;
  end: number;
  text: string | null;
}

const blank = (bytes: Uint8Array, start: number, end: number) => {
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b !== 32 && b !== 9 && b !== 13) return false;
  }
  return true;
};

/**
 * The raw log lines around each W/E/S message, for people reading a failure ("the ANS messages and
 * the lines around them"). Opt-in: the agent asks for it; `parse`'s contract output has none.
 * Lines are decoded only when a message needs them, and the last two of each pushed chunk once
 * (the caller may reuse the chunk's buffer): the parser's hot path stays as cheap as without it.
 */
export class ContextCapture {
  /** The last CONTEXT_LINES non-blank lines, oldest first; preallocated, rotated in place. */
  private readonly recent: Slot[] = Array.from({ length: CONTEXT_LINES }, () => ({ bytes: null, start: 0, end: 0, text: null }));
  private readonly waiting: { message: Message; left: number }[] = [];
  private readonly fresh: Message[] = [];

  /** A message made from the current line: it gets the lines before it now, the ones after later. */
  message(message: Message): void {
    if (message.severity !== "I") this.fresh.push(message);
  }

  /** Before the parser reads the line: it is an "after" line of messages still waiting for some. */
  before(bytes: Uint8Array, start: number, end: number): void {
    if (this.waiting.length === 0 || blank(bytes, start, end)) return;
    const line = decodeLine(bytes, start, end).slice(0, MAX_LINE);
    for (const w of this.waiting) {
      w.message.context?.after.push(line);
      w.left--;
    }
    // Every waiting message counts down together: the ones done are always at the front.
    while ((this.waiting[0]?.left ?? 1) <= 0) this.waiting.shift();
  }

  /** After the parser read the line: its messages take the lines before it, and it becomes recent. */
  after(bytes: Uint8Array, start: number, end: number): void {
    if (blank(bytes, start, end)) return;
    if (this.fresh.length > 0) {
      const before = this.lines();
      for (const message of this.fresh) {
        message.context = { before: [...before], after: [] };
        this.waiting.push({ message, left: CONTEXT_LINES });
      }
      this.fresh.length = 0;
    }
    const slot = this.recent.shift() as Slot;
    slot.bytes = bytes;
    slot.start = start;
    slot.end = end;
    slot.text = null;
    this.recent.push(slot);
  }

  /** The chunk is about to go back to the caller: keep the recent lines as text. */
  settle(): void {
    for (const slot of this.recent) this.text(slot);
  }

  private lines(): string[] {
    // A slot never filled holds neither bytes nor text: the log's first lines have fewer before them.
    return this.recent.filter((slot) => slot.bytes !== null || slot.text !== null).map((slot) => this.text(slot));
  }

  private text(slot: Slot): string {
    if (slot.text === null && slot.bytes) {
      slot.text = decodeLine(slot.bytes, slot.start, slot.end).slice(0, MAX_LINE);
      slot.bytes = null;
    }
    return slot.text ?? "";
  }
}
