import type { EventStats } from "../schemas/event";
import { decodeLine } from "./decode";
import { elapsedSeconds, type NumberReader } from "./numbers";

type Reader = "count" | "bytes" | "elapsed";

/** Status-block labels (text before the colon) -> key and how to read the value. */
const LABELS: Record<string, readonly [string, Reader]> = {
  "Total number of objects inspected": ["inspected", "count"],
  "Total number of objects backed up": ["backedUp", "count"],
  "Total number of objects updated": ["updated", "count"],
  "Total number of objects rebound": ["rebound", "count"],
  "Total number of objects deleted": ["deleted", "count"],
  "Total number of objects expired": ["expired", "count"],
  "Total number of objects failed": ["failed", "count"],
  "Total number of bytes transferred": ["bytesTransferred", "bytes"],
  "Elapsed processing time": ["elapsedSeconds", "elapsed"],
  // Newer clients print more; kept as extra keys (the contract allows them).
  "Total number of retries": ["retries", "count"],
  "Total number of bytes inspected": ["bytesInspected", "bytes"],
  "Total number of bytes processed": ["bytesProcessed", "bytes"],
};

const encode = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** The labels as bytes, by length: a line is compared with the one or two of its length. */
const BY_LENGTH = new Map<number, Array<{ label: Uint8Array; spec: readonly [string, Reader] }>>();
for (const [label, spec] of Object.entries(LABELS))
  BY_LENGTH.set(label.length, [...(BY_LENGTH.get(label.length) ?? []), { label: encode(label), spec }]);

function specAt(bytes: Uint8Array, i: number, labelEnd: number): readonly [string, Reader] | undefined {
  const candidates = BY_LENGTH.get(labelEnd - i);
  if (!candidates) return undefined;
  next: for (const { label, spec } of candidates) {
    // From the end: the labels share their beginning ("Total number of ...").
    for (let k = label.length - 1; k >= 0; k--) if (bytes[i + k] !== label[k]) continue next;
    return spec;
  }
  return undefined;
}

function isBlank(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

/**
 * One `Total number of ...: value` line, bytes[i, end) after its timestamp, into `stats`; an
 * unreadable value leaves the key null. The label is matched on its bytes and only the value is
 * decoded: a status block is a third of a QUIET client's log.
 */
export function readStat(stats: EventStats, bytes: Uint8Array, i: number, end: number, numbers: NumberReader): void {
  // One pass to the colon (a label is ~35 bytes: a loop beats indexOf's call), noting any byte past ASCII.
  let colon = i;
  let high = 0;
  while (colon < end && bytes[colon] !== 58) high |= bytes[colon++]!;
  if (colon >= end) return;
  // A byte past ASCII before the colon (a no-break space, say): the text decides, as it always did.
  if (high >= 0x80) return void readStatText(stats, decodeLine(bytes, i, end), numbers);
  let labelEnd = colon;
  while (labelEnd > i && isBlank(bytes[labelEnd - 1]!)) labelEnd--;
  const spec = specAt(bytes, i, labelEnd);
  if (!spec) return;
  const [key, reader] = spec;
  if (reader === "count") {
    const count = numbers.countAscii(bytes, colon + 1, end);
    if (count !== undefined) {
      stats[key] = count;
      return;
    }
  }
  // The readers trim the value first: so does this, on the bytes, leaving a short text to make.
  let from = colon + 1;
  let to = end;
  while (from < to && isBlank(bytes[from]!)) from++;
  while (to > from && isBlank(bytes[to - 1]!)) to--;
  const value = decodeLine(bytes, from, to);
  stats[key] = reader === "count" ? numbers.count(value) : reader === "bytes" ? numbers.bytes(value) : elapsedSeconds(value);
}

function readStatText(stats: EventStats, text: string, numbers: NumberReader): void {
  const colon = text.indexOf(":");
  if (colon < 0) return;
  const spec = LABELS[text.slice(0, colon).trimEnd()];
  if (!spec) return;
  const [key, reader] = spec;
  const value = text.slice(colon + 1);
  stats[key] = reader === "count" ? numbers.count(value) : reader === "bytes" ? numbers.bytes(value) : elapsedSeconds(value);
}
