/** A message as the excerpt needs it: its code, its text and the raw lines the agent kept around it. */
export interface ExcerptMessage {
  code: string;
  text: string;
  context: { before: string[]; after: string[] } | null;
}

/** One line of a night's excerpt: the raw text, the codes of the messages it carries, or a gap. */
export type ExcerptLine = { kind: "line"; text: string; codes: string[] } | { kind: "gap" };

/** Whether a raw log line is this message's own line ("11/28/2026 22:05:01 ANS1361E Session…"). */
const carries = (line: string, m: ExcerptMessage) => line.includes(m.code) && line.includes(m.text.slice(0, 40));

type Line = Extract<ExcerptLine, { kind: "line" }>;

/**
 * A message's own raw line is not kept, only the lines around it: it is shown as "CODE text" until
 * a later message's context holds the raw line, which then takes its place (with its time stamp).
 */
const stand = new WeakMap<Line, ExcerptMessage>();

function same(line: ExcerptLine | undefined, text: string): boolean {
  if (line?.kind !== "line") return false;
  if (line.text === text) return true;
  const m = stand.get(line);
  if (!m || !carries(text, m)) return false;
  line.text = text;
  stand.delete(line);
  return true;
}

/**
 * The night's raw-log lines around all its messages as one excerpt, each line once, every message's
 * own line marked with its code. Messages a few lines apart share lines (one's "after" is the next
 * one's "before", or holds the next one's own line); without the merge the same lines showed up to
 * four times in a night. Parts of the log far apart are separated by a gap.
 */
export function nightExcerpt(messages: readonly ExcerptMessage[]): ExcerptLine[] {
  const out: ExcerptLine[] = [];
  // Where the last block's lines start in `out`: overlaps are looked for only there.
  let blockStart = 0;
  for (const m of messages) {
    if (!m.context) continue;
    const { before, after } = m.context;
    const own = out.findIndex((l, i) => i >= blockStart && l.kind === "line" && !l.codes.includes(m.code) && carries(l.text, m));
    let at: number;
    if (own >= 0) {
      // The message's line was already shown (after an earlier message): mark it there.
      const line = out[own] as Extract<ExcerptLine, { kind: "line" }>;
      if (!line.codes.includes(m.code)) line.codes.push(m.code);
      at = own;
    } else {
      const overlap = overlapOf(out.slice(blockStart), before);
      if (overlap === 0 && out.length > 0) out.push({ kind: "gap" });
      if (overlap === 0) blockStart = out.length;
      for (const text of before.slice(overlap)) out.push({ kind: "line", text, codes: [] });
      const line: Line = { kind: "line", text: `${m.code} ${m.text}`, codes: [m.code] };
      stand.set(line, m);
      out.push(line);
      at = out.length - 1;
    }
    // The lines after it: those already there (shown after an earlier message) are skipped.
    let next = at + 1;
    for (const text of after) {
      if (same(out[next], text)) next++;
      else if (next === out.length) {
        out.push({ kind: "line", text, codes: [] });
        next++;
      } else break;
    }
  }
  return out;
}

/** How many of `before`'s lines (from its start) are the last lines of `tail`; 0 when none. */
function overlapOf(tail: ExcerptLine[], before: string[]): number {
  for (let n = Math.min(before.length, tail.length); n > 0; n--) {
    const end = tail.slice(tail.length - n);
    if (end.every((l, i) => same(l, before[i] as string))) return n;
  }
  return 0;
}
