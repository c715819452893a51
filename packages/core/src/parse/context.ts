import type { Message } from "../schemas/event";

/** Raw lines kept on each side of a message: enough to show what the client was doing. */
export const CONTEXT_LINES = 2;
const MAX_LINE = 300;

/**
 * The raw log lines around each W/E/S message, for people reading a failure ("the ANS messages and
 * the lines around them"). Opt-in: the agent asks for it; `parse`'s contract output has none.
 * Costs a decode of every line, which the parser's hot path otherwise skips.
 */
export class ContextCapture {
  private readonly recent: string[] = [];
  private readonly waiting: { message: Message; left: number }[] = [];
  private readonly fresh: Message[] = [];

  /** A message made from the current line: it gets the lines before it now, the ones after later. */
  message(message: Message): void {
    if (message.severity === "I") return;
    this.fresh.push(message);
  }

  /** Before the parser reads `raw`: it is an "after" line of messages still waiting for some. */
  before(raw: string): void {
    if (raw.trim() === "") return;
    const line = raw.slice(0, MAX_LINE);
    for (const w of this.waiting) {
      w.message.context?.after.push(line);
      w.left--;
    }
    for (let i = this.waiting.length - 1; i >= 0; i--) if ((this.waiting[i] as { left: number }).left <= 0) this.waiting.splice(i, 1);
  }

  /** After the parser read `raw`: its messages take the lines before it, and `raw` becomes recent. */
  after(raw: string): void {
    if (raw.trim() === "") return;
    for (const message of this.fresh) {
      message.context = { before: [...this.recent], after: [] };
      this.waiting.push({ message, left: CONTEXT_LINES });
    }
    this.fresh.length = 0;
    this.recent.push(raw.slice(0, MAX_LINE));
    if (this.recent.length > CONTEXT_LINES) this.recent.shift();
  }
}
