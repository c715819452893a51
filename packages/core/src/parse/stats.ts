import type { EventStats } from "../schemas/event";
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

/** One `Total number of ...: value` line into `stats`; an unreadable value leaves the key null. */
export function readStat(stats: EventStats, line: string, i: number, numbers: NumberReader): void {
  const colon = line.indexOf(":", i);
  if (colon < 0) return;
  const spec = LABELS[line.slice(i, colon).trimEnd()];
  if (!spec) return;
  const [key, reader] = spec;
  const value = line.slice(colon + 1);
  stats[key] = reader === "count" ? numbers.count(value) : reader === "bytes" ? numbers.bytes(value) : elapsedSeconds(value);
}
