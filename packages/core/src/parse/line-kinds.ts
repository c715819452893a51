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
  "Node Name:", "Session established", "Server Version", "Server date/time", "Server Window End",
  "Schedule Style:", "Objects:", "Options:", "Waiting to be contacted", "Schedule will be refreshed",
  "Time remaining until execution", "Command will be executed", "Executing Operating System command",
  "Finished command", "Client Version", "Client date/time", "Last access", "(c) Copyright", "Copyright",
  "Incremental backup of", "Successful incremental backup", "Normal File-->", "Directory-->",
  "Expiring-->", "Updating-->", "Retry #", "Data transfer time", "Network data transfer rate",
  "Aggregate data transfer rate", "Objects compressed by", "Total data reduction", "Subfile objects",
  "Data deduplication", "Deduplication", "Selective Backup", "Archive function", "Scheduler is",
  "Schedule Name", "Dsmcad", "Scheduled event", "Querying server", "Retrying", "Directory -->",
];

/** Known lines between events (not junk): they count as parsed even though nothing is kept. */
export function isChatter(text: string, i: number): boolean {
  if (text.charCodeAt(i) === 45 /* - */) return true; // separators, SCHEDULEREC QUERY BEGIN/END
  if (text.startsWith("IBM", i) || text.startsWith("Tivoli", i) || text.startsWith("ADSM", i)) return true;
  for (const prefix of CHATTER) if (text.startsWith(prefix, i)) return true;
  return false;
}

const SR = "--- SCHEDULEREC ";

export function classify(text: string, i: number): Kind {
  switch (text.charCodeAt(i)) {
    case 65: // A
      if (ansCodeAt(text, i)) return Kind.Message;
      if (text.startsWith("Action:", i)) return Kind.Action;
      return isBanner(text, i) ? Kind.Cut : Kind.Other;
    case 45: // -
      if (text.startsWith(SR, i)) {
        const j = i + SR.length;
        if (text.startsWith("OBJECT BEGIN", j)) return Kind.ObjectBegin;
        if (text.startsWith("OBJECT END", j)) return Kind.ObjectEnd;
        if (text.startsWith("STATUS BEGIN", j)) return Kind.StatusBegin;
        if (text.startsWith("STATUS END", j)) return Kind.StatusEnd;
        return Kind.Chatter;
      }
      return wrapMarker(text, i);
    case 84: // T
      if (text.startsWith("Total number of ", i)) return Kind.Stat;
      return isBanner(text, i) ? Kind.Cut : Kind.Other;
    case 69: // E
      if (text.startsWith("Elapsed processing time", i)) return Kind.Stat;
      if (text.startsWith("Executing scheduled command now", i)) return Kind.Executing;
      return wrapMarker(text, i);
    case 83: // S
      if (text.startsWith("Scheduled event ", i)) return Kind.EventResult;
      if (text.startsWith("Sending results for scheduled event", i)) return Kind.Sending;
      if (text.startsWith("Scheduler has been st", i)) return Kind.Cut; // started / stopped
      if (text.startsWith("Schedule Name:", i)) return Kind.ScheduleName;
      if (text.startsWith("Server Window Start:", i)) return Kind.WindowStart;
      return Kind.Other;
    case 82: // R
      return text.startsWith("Results sent to server for scheduled event", i) ? Kind.Sent : Kind.Other;
    case 81: // Q
      return text.startsWith("Querying server for next scheduled event", i) ? Kind.Cut : Kind.Other;
    case 78: // N
      return text.startsWith("Next operation scheduled", i) ? Kind.NextHeader : Kind.Other;
    case 73: // I
      return isBanner(text, i) ? Kind.Cut : Kind.Other;
    case 67: // C
      return wrapMarker(text, i);
    default:
      return Number.isNaN(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)) ? Kind.Other : wrapMarker(text, i);
  }
}

/** The client's version banner: `IBM Spectrum Protect ... Backup-Archive Client Version 8, ...`. */
function isBanner(text: string, i: number): boolean {
  return text.includes("Backup-Archive Client", i) && (text.startsWith("IBM", i) || text.startsWith("Tivoli", i) || text.startsWith("ADSM", i));
}

/** SCHEDLOGMAX markers, however the line decorates them (dashes, stars, spaces). */
export function wrapMarker(text: string, i: number): Kind {
  if (text.length - i > 80) return Kind.Other;
  if (text.indexOf("END OF DATA", i) < 0 && text.indexOf("ontinued at beginning of file", i) < 0) return Kind.Other;
  const core = text.slice(i).replace(/[-=*#<>[\]\s]+/g, " ").trim().replace(/\.$/, "");
  if (core === "END OF DATA") return Kind.WrapEnd;
  if (core.toLowerCase() === "continued at beginning of file") return Kind.WrapContinued;
  return Kind.Other;
}
