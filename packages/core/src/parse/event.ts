import { failureCauses } from "../schemas/causes";
import type { EventStats, FailureCause, Message, ScheduleEvent } from "../schemas/event";
import { addSeconds } from "./time";

/** An event while its lines are read. Plain data so a wrapped log's pieces can be replayed. */
export type Draft = {
  schedule: string | null;
  scheduledStart: string | null;
  /** Has a beginning line (OBJECT BEGIN or `Executing scheduled command now.`). */
  begun: boolean;
  objectBegun: boolean;
  startedAt: string | null;
  lastAt: string | null;
  /** Time of the last result line; set once the event has ended. */
  endedAt: string | null;
  /** Time of the last line before this event: how far back a begin-less event may reach. */
  floor: string | null;
  messages: Message[];
  returnCode: number | null;
  success: boolean;
  failedResult: boolean;
  statusBeginAt: string | null;
  statusEnded: boolean;
  stats: EventStats | null;
  /** A session-lost message with no status block or result after it (so far). */
  lostPending: boolean;
  /** Cut off by the log moving on before it ended. */
  cut: boolean;
  /** No more lines can join it. */
  closed: boolean;
  /** Made from the top of the file before its first boundary line (see wrap handling). */
  inHead: boolean;
};

export function newDraft(floor: string | null, inHead: boolean): Draft {
  return {
    schedule: null,
    scheduledStart: null,
    begun: false,
    objectBegun: false,
    startedAt: null,
    lastAt: null,
    endedAt: null,
    floor,
    messages: [],
    returnCode: null,
    success: false,
    failedResult: false,
    statusBeginAt: null,
    statusEnded: false,
    stats: null,
    lostPending: false,
    cut: false,
    closed: false,
    inHead,
  };
}

export function emptyStats(): EventStats {
  return {
    inspected: null,
    backedUp: null,
    updated: null,
    rebound: null,
    deleted: null,
    expired: null,
    failed: null,
    bytesTransferred: null,
    elapsedSeconds: null,
  };
}

/** The session to the server was lost (contract: severed). */
export const SESSION_LOST = new Set(["ANS1017E", "ANS1029E", "ANS1811S", "ANS1369E"]);
/** Causes about single files: they do not explain why a whole event stopped. */
const FILE_LEVEL = new Set<FailureCause>(["corrupt-files", "files-changed", "files-skipped"]);
const PRIORITY = failureCauses;

export function hasEnded(d: Draft): boolean {
  return d.endedAt !== null;
}

/** The window of error-log times that belong to the event: [lo, hi], hi null = open-ended. */
export function errorWindow(d: Draft, openAtEnd: boolean): { lo: string | null; hi: string | null } {
  const hi = hasEnded(d) ? d.endedAt : openAtEnd ? null : d.lastAt;
  if (d.begun) return { lo: d.startedAt, hi };
  // No beginning in the log: the status block's elapsed time says when processing began.
  const end = d.endedAt ?? d.lastAt;
  const elapsed = d.stats?.elapsedSeconds;
  let lo = end !== null && elapsed != null ? addSeconds(end, -elapsed) : d.startedAt;
  if (lo !== null && d.startedAt !== null && d.startedAt < lo) lo = d.startedAt;
  if (d.floor !== null && (lo === null || lo < d.floor)) lo = d.floor;
  return { lo, hi };
}

/**
 * The finished event. `messages` are the event's own plus the dsmerror.log lines it claimed, in time
 * order; `openAtEnd` says the event is the file's last and neither ended nor was cut off.
 */
export function finishEvent(d: Draft, messages: Message[], openAtEnd: boolean): ScheduleEvent {
  const rc = d.returnCode ?? (d.success ? 0 : null);
  const lostByError = messages.some(
    (m) => SESSION_LOST.has(m.code) && !d.messages.includes(m) && (d.statusBeginAt === null || (m.at !== null && m.at > d.statusBeginAt)),
  );
  const isErr = (m: Message) => m.severity === "E" || m.severity === "S";
  let status: ScheduleEvent["status"];
  if (rc !== null) status = rc === 0 || rc === 4 || rc === 8 ? "completed" : "failed";
  else if (d.failedResult) status = "failed";
  else if (d.lostPending || lostByError) status = "severed";
  else if (hasEnded(d)) status = messages.some((m) => isErr(m) && m.cause !== null && !FILE_LEVEL.has(m.cause)) ? "failed" : "completed";
  else if (openAtEnd) status = "in-progress";
  else if (d.statusBeginAt !== null || messages.some((m) => isErr(m) && m.cause !== null && !FILE_LEVEL.has(m.cause))) status = "failed";
  else status = "aborted";

  const causes: FailureCause[] = [];
  const add = (c: FailureCause) => {
    if (!causes.includes(c)) causes.push(c);
  };
  for (const m of messages) if (m.cause !== null) add(m.cause);
  const failedObjects = d.stats?.failed ?? null;
  if (rc === 4 || (status === "completed" && failedObjects !== null && failedObjects > 0)) add("files-skipped");
  if (status === "aborted") add("aborted");
  const completeBlock = d.statusBeginAt !== null && d.statusEnded && failedObjects !== null;
  const onlySignOff = messages.every((m) => !isErr(m) || m.code === "ANS1512E");
  if (status === "failed" && completeBlock && failedObjects === 0 && onlySignOff) add("sign-off-only");
  if ((status === "failed" || status === "severed") && causes.length === 0) add("unknown");
  const cause = causes.length === 0 ? null : [...causes].sort((a, b) => PRIORITY.indexOf(a) - PRIORITY.indexOf(b))[0]!;

  return {
    schedule: d.schedule ?? "(unknown)",
    scheduledStart: d.scheduledStart,
    startedAt: d.startedAt,
    endedAt: hasEnded(d) ? d.endedAt : status === "in-progress" ? null : d.lastAt,
    status,
    returnCode: rc,
    stats: d.stats,
    messages,
    causes,
    cause,
    benign: status === "failed" && cause === "sign-off-only",
  };
}
