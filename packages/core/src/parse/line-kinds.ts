/**
 * What a dsmsched.log line says, from the text after its timestamp. Most lines of a big log are
 * per-file lines (`Normal File-->`), so the test is a switch on the first character and then a
 * prefix compare: no regex on the hot path.
 */

export const Kind = {
  Other: 0,
  Message: 1, // ANSnnnnX ...
  ObjectBegin: 2,
  ObjectEnd: 3,
  StatusBegin: 4,
  StatusEnd: 5,
  Stat: 6, // Total number of ..., Elapsed processing time, ...
  Executing: 7, // Executing scheduled command now.
  EventResult: 8, // Scheduled event 'X' completed successfully. / failed.
  Sending: 9, // Sending results for scheduled event 'X'.
  Sent: 10, // Results sent to server for scheduled event 'X'.
  Cut: 11, // the log moves on: scheduler (re)started/stopped, banner, querying for the next event
  NextHeader: 12, // Next operation scheduled:
  ScheduleName: 13,
  Action: 14,
  WindowStart: 15,
  Chatter: 16, // known scheduler lines that carry nothing we keep
  WrapEnd: 17, // END OF DATA (SCHEDLOGMAX wrap)
  WrapContinued: 18, // Continued at beginning of file
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `ANS1234E` at `i`: the code's severity letter, or 0. */
export function ansCodeAt(text: string, i: number): number {
  if (text.charCodeAt(i) !== 65 || text.charCodeAt(i + 1) !== 78 || text.charCodeAt(i + 2) !== 83) return 0;
  for (let k = 3; k < 7; k++) if (!isDigit(text.charCodeAt(i + k))) return 0;
  const sev = text.charCodeAt(i + 7);
  if (sev !== 73 && sev !== 87 && sev !== 69 && sev !== 83) return 0; // I W E S
  const after = text.charCodeAt(i + 8);
  return Number.isNaN(after) || after === 32 || after === 9 || after === 58 ? sev : 0;
}

const CHATTER = [
  "Node Name:",
  "Session established",
  "Server Version",
  "Server date/time",
  "Server Window End",
  "Schedule Style:",
  "Objects:",
  "Options:",
  "Waiting to be contacted",
  "Schedule will be refreshed",
  "Time remaining until execution",
  "Command will be executed",
  "Executing Operating System command",
  "Finished command",
  "Client Version",
  "Client date/time",
  "Last access",
  "(c) Copyright",
  "Copyright",
  "Incremental backup of",
  "Successful incremental backup",
  "Normal File-->",
  "Directory-->",
  "Expiring-->",
  "Updating-->",
  "Retry #",
  "Data transfer time",
  "Network data transfer rate",
  "Aggregate data transfer rate",
  "Objects compressed by",
  "Total data reduction",
  "Subfile objects",
  "Data deduplication",
  "Deduplication",
  "Selective Backup",
  "Archive function",
  "Scheduler is",
  "Schedule Name",
  "Dsmcad",
  "Scheduled event",
  "Querying server",
  "Retrying",
  "Directory -->",
];

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** The chatter prefixes by their first byte: a line is tested against the few that can match. */
const CHATTER_BY_FIRST = new Map<number, Uint8Array[]>();
for (const prefix of [...CHATTER, "IBM", "Tivoli", "ADSM"]) {
  const bytes = ascii(prefix);
  CHATTER_BY_FIRST.set(bytes[0]!, [...(CHATTER_BY_FIRST.get(bytes[0]!) ?? []), bytes]);
}

/**
 * Known lines between events (not junk): they count as parsed even though nothing is kept. Read on
 * the bytes after the timestamp: the prefixes are ASCII, so this is the decoded text's answer
 * without decoding it.
 */
export function isChatter(bytes: Uint8Array, i: number, end: number): boolean {
  if (bytes[i] === 45 /* - */) return true; // separators, SCHEDULEREC QUERY BEGIN/END
  const candidates = CHATTER_BY_FIRST.get(bytes[i]!);
  if (candidates) for (const prefix of candidates) if (has(bytes, i, end, prefix)) return true;
  return false;
}
const P = {
  SR: ascii("--- SCHEDULEREC "),
  CONTINUED_AT: ascii("ontinued at beginning of file"),
  OBJECT_BEGIN: ascii("OBJECT BEGIN"),
  OBJECT_END: ascii("OBJECT END"),
  STATUS_BEGIN: ascii("STATUS BEGIN"),
  STATUS_END: ascii("STATUS END"),
  ACTION: ascii("Action:"),
  TOTAL: ascii("Total number of "),
  ELAPSED: ascii("Elapsed processing time"),
  EXECUTING: ascii("Executing scheduled command now"),
  END_OF_DATA: ascii("END OF DATA"),
  SCHEDULED_EVENT: ascii("Scheduled event "),
  SENDING: ascii("Sending results for scheduled event"),
  SCHEDULER: ascii("Scheduler has been st"), // started / stopped
  SCHEDULE_NAME: ascii("Schedule Name:"),
  WINDOW_START: ascii("Server Window Start:"),
  SENT: ascii("Results sent to server for scheduled event"),
  QUERYING: ascii("Querying server for next scheduled event"),
  NEXT: ascii("Next operation scheduled"),
  CONTINUED: ascii("Continued"),
  IBM: ascii("IBM"),
  TIVOLI: ascii("Tivoli"),
  ADSM: ascii("ADSM"),
};

function has(bytes: Uint8Array, i: number, end: number, prefix: Uint8Array): boolean {
  if (end - i < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (bytes[i + k] !== prefix[k]) return false;
  return true;
}

/** `needle` anywhere in bytes[i, end). */
function contains(bytes: Uint8Array, i: number, end: number, needle: Uint8Array): boolean {
  const first = needle[0]!;
  for (let at = bytes.indexOf(first, i); at >= 0 && at + needle.length <= end; at = bytes.indexOf(first, at + 1))
    if (has(bytes, at, end, needle)) return true;
  return false;
}

function ansAt(bytes: Uint8Array, i: number, end: number): boolean {
  if (end - i < 8 || bytes[i] !== 65 || bytes[i + 1] !== 78 || bytes[i + 2] !== 83) return false;
  for (let k = 3; k < 7; k++) if (!isDigit(bytes[i + k]!)) return false;
  const sev = bytes[i + 7];
  if (sev !== 73 && sev !== 87 && sev !== 69 && sev !== 83) return false; // I W E S
  return i + 8 === end || bytes[i + 8] === 32 || bytes[i + 8] === 9 || bytes[i + 8] === 58;
}

/**
 * The kind of the line whose text (after the timestamp) is bytes[i, end). `Maybe` means "decode
 * the line and ask classifyText": banners and wrap markers need a closer look than a prefix.
 */
export function classifyBytes(bytes: Uint8Array, i: number, end: number): Kind | typeof Maybe {
  switch (bytes[i]) {
    case 65: // A
      if (ansAt(bytes, i, end)) return Kind.Message;
      if (has(bytes, i, end, P.ACTION)) return Kind.Action;
      return has(bytes, i, end, P.ADSM) ? Maybe : Kind.Other;
    case 45: // -
      if (has(bytes, i, end, P.SR)) {
        const j = i + P.SR.length;
        if (has(bytes, j, end, P.OBJECT_BEGIN)) return Kind.ObjectBegin;
        if (has(bytes, j, end, P.OBJECT_END)) return Kind.ObjectEnd;
        if (has(bytes, j, end, P.STATUS_BEGIN)) return Kind.StatusBegin;
        if (has(bytes, j, end, P.STATUS_END)) return Kind.StatusEnd;
        return Kind.Chatter;
      }
      // A separator, unless it decorates a wrap marker (the one thing classifyText would find).
      for (let k = i + 1; bytes[k] === 45; k++) if (k === end - 1) return Kind.Chatter; // dashes only
      return contains(bytes, i, end, P.END_OF_DATA) || contains(bytes, i, end, P.CONTINUED_AT) ? Maybe : Kind.Chatter;
    case 84: // T
      if (has(bytes, i, end, P.TOTAL)) return Kind.Stat;
      return has(bytes, i, end, P.TIVOLI) ? Maybe : Kind.Other;
    case 69: // E
      if (has(bytes, i, end, P.ELAPSED)) return Kind.Stat;
      if (has(bytes, i, end, P.EXECUTING)) return Kind.Executing;
      return has(bytes, i, end, P.END_OF_DATA) ? Maybe : Kind.Other;
    case 83: // S
      if (has(bytes, i, end, P.SCHEDULED_EVENT)) return Kind.EventResult;
      if (has(bytes, i, end, P.SENDING)) return Kind.Sending;
      if (has(bytes, i, end, P.SCHEDULER)) return Kind.Cut;
      if (has(bytes, i, end, P.SCHEDULE_NAME)) return Kind.ScheduleName;
      if (has(bytes, i, end, P.WINDOW_START)) return Kind.WindowStart;
      return Kind.Other;
    case 82: // R
      return has(bytes, i, end, P.SENT) ? Kind.Sent : Kind.Other;
    case 81: // Q
      return has(bytes, i, end, P.QUERYING) ? Kind.Cut : Kind.Other;
    case 78: // N
      return has(bytes, i, end, P.NEXT) ? Kind.NextHeader : Kind.Other;
    case 73: // I
      return has(bytes, i, end, P.IBM) ? Maybe : Kind.Other;
    case 67: // C
      return has(bytes, i, end, P.CONTINUED) ? Maybe : Kind.Other;
    case 61: // = * # < [ : how a wrap marker line may be decorated
    case 42:
    case 35:
    case 60:
    case 91:
      return Maybe;
    default:
      return Kind.Other;
  }
}

/** Needs the decoded text to tell. */
export const Maybe = -1;

/** The closer look for lines classifyBytes could not settle: banners and wrap markers. */
export function classifyText(text: string, i: number): Kind {
  if (isBanner(text, i)) return Kind.Cut;
  const marker = wrapMarker(text, i);
  if (marker !== Kind.Other) return marker;
  return text.charCodeAt(i) === 45 ? Kind.Chatter : Kind.Other;
}

/** The client's version banner: `IBM Spectrum Protect ... Backup-Archive Client Version 8, ...`. */
function isBanner(text: string, i: number): boolean {
  return (
    text.includes("Backup-Archive Client", i) && (text.startsWith("IBM", i) || text.startsWith("Tivoli", i) || text.startsWith("ADSM", i))
  );
}

/** SCHEDLOGMAX markers, however the line decorates them (dashes, stars, spaces). */
export function wrapMarker(text: string, i: number): Kind {
  if (text.length - i > 80) return Kind.Other;
  if (text.indexOf("END OF DATA", i) < 0 && text.indexOf("ontinued at beginning of file", i) < 0) return Kind.Other;
  const core = text
    .slice(i)
    .replace(/[-=*#<>[\]\s]+/g, " ")
    .trim()
    .replace(/\.$/, "");
  if (core === "END OF DATA") return Kind.WrapEnd;
  if (core.toLowerCase() === "continued at beginning of file") return Kind.WrapContinued;
  return Kind.Other;
}
