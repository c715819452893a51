/**
 * Byte-level looks at log chunks the agent needs beyond what the parser returns. Native substring
 * searches over whole chunks: nothing here runs per line.
 */
const RESULTS_SENT = Buffer.from("Results sent to server for scheduled event");
const OBJECT_BEGIN = Buffer.from("SCHEDULEREC OBJECT BEGIN");
const NEXT = Buffer.from("Next operation scheduled");
const ENDS = [RESULTS_SENT, Buffer.from("SCHEDULEREC OBJECT END"), Buffer.from("Scheduled event '"), Buffer.from("ANS1512E")];
const VERSION = Buffer.from("Client Version ");

const asBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length);

/** Keep lines up to and including the last "Results sent to server" line: the parser releases the event there. */
export function cutAfterLastResult(lines: Uint8Array): number {
  const buf = asBuffer(lines);
  const at = buf.lastIndexOf(RESULTS_SENT);
  if (at < 0) return lines.length;
  const nl = buf.indexOf(10, at);
  return nl < 0 ? lines.length : nl + 1;
}

export function hasEventBegin(chunk: Uint8Array): boolean {
  return asBuffer(chunk).includes(OBJECT_BEGIN);
}

/**
 * A "Next operation scheduled" block after the last event line: the parser remembers it for the
 * next event (whose `Executing scheduled command now.` it names), so this is no place for an anchor.
 */
export function announcesAfterEnd(chunk: Uint8Array): boolean {
  const buf = asBuffer(chunk);
  const next = buf.lastIndexOf(NEXT);
  if (next < 0) return false;
  return ENDS.every((end) => buf.lastIndexOf(end) < next);
}

/** `... Backup-Archive Client Version 8, Release 1, Level 13.0` -> "8.1.13.0". */
export function clientVersionIn(chunk: Uint8Array): string | null {
  const buf = asBuffer(chunk);
  const at = buf.lastIndexOf(VERSION);
  if (at < 0) return null;
  const line = buf.subarray(at, Math.min(buf.length, at + 120)).toString("latin1");
  const m = /Client Version (\d+), Release (\d+), Level (\d+)(?:\.(\d+))?/.exec(line);
  return m ? [m[1], m[2], m[3], m[4]].filter((p) => p !== undefined).join(".") : null;
}
