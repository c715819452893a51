import type { Draft } from "./event";
import { Kind } from "./line-kinds";
import type { StampReader } from "./timestamp";

const OBJECT_BEGIN = "--- SCHEDULEREC OBJECT BEGIN";
const OBJECT_END = "--- SCHEDULEREC OBJECT END";

/** The name between the first pair of quotes: `Scheduled event 'DAILY_INCR' failed.` */
export function quotedName(line: string, i: number): string | null {
  const a = line.indexOf("'", i);
  const b = a < 0 ? -1 : line.indexOf("'", a + 1);
  return b > a + 1 ? line.slice(a + 1, b).slice(0, 128) : null;
}

/** `--- SCHEDULEREC OBJECT BEGIN|END NAME 30-01-2008 00:00:00`: the schedule and its window start. */
export function readObjectLine(d: Draft, line: string, i: number, stamps: StampReader, onlyMissing: boolean): void {
  const marker = line.startsWith(OBJECT_BEGIN, i) ? OBJECT_BEGIN : OBJECT_END;
  const parts = words(line, i + marker.length);
  const name = parts[0];
  if (name && (!onlyMissing || d.schedule === null)) d.schedule = name.slice(0, 128);
  const date = parts[1] ? stamps.parseDate(parts[1]) : null;
  const time = stamps.parseTime(parts.length === 3 ? parts[2]! : parts.slice(2).join(" "));
  if (date !== null && time !== null && (!onlyMissing || d.scheduledStart === null)) d.scheduledStart = `${date}T${time}`;
}

/** JS whitespace (what trim() and \s agree on): the ASCII blanks, then the rest by the regex. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

/** `line.slice(from).trim().split(/\s+/)` without the regex and the copies: the words from `from` on. */
function words(line: string, from: number): string[] {
  const out: string[] = [];
  let i = from;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    out.push(line.slice(start, i));
  }
  return out.length === 0 ? [""] : out;
}

/** A result line that names another schedule than the open event's: it ends that event. */
export function namesOther(d: Draft, line: string, i: number, kind: Kind): boolean {
  if (d.schedule === null) return false;
  let name: string | null = null;
  if (kind === Kind.ObjectEnd) name = words(line, i + OBJECT_END.length)[0] ?? null;
  else if (kind === Kind.EventResult || kind === Kind.Sending || kind === Kind.Sent) name = quotedName(line, i);
  else if (kind === Kind.Message && line.startsWith("ANS1512E", i)) name = quotedName(line, i);
  return name !== null && name !== "" && name !== d.schedule;
}
