import { z } from "zod";
import { message, nextScheduled, scheduleEvent } from "./event";
import { bigCount, INT4_MAX, identifier, instant, localTime, logText, printable, timeZoneName, tsmNameProblem } from "./limits";

/**
 * TSM node names by the server's own rule (A-Z 0-9 _ . - + &, up to 64 characters), stored
 * upper-case (the server folds case). A record naming a node TSM cannot have is refused with the
 * reason, as any other bad record: `<SCRIPT>` or `ODD"NODE` never becomes a node.
 */
export const nodeName = z
  .string()
  .trim()
  .transform((name) => name.toUpperCase())
  .superRefine((name, ctx) => {
    const problem = tsmNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const machineIdentity = z.strictObject({
  machineId: identifier(128),
  hostname: identifier(255),
  os: logText(64).nullable(),
  osVersion: logText(128).nullable(),
  macAddresses: z.array(identifier(32)).max(64),
  clientVersion: logText(64).nullable(),
});
export type MachineIdentity = z.infer<typeof machineIdentity>;

/**
 * What every report from a log says besides its content: whose log, and the log's UTC offset in
 * minutes when it was written (logs carry local time only).
 */
const fromNodeLog = z.strictObject({
  node: nodeName,
  utcOffsetMinutes: z
    .number()
    .int()
    .min(-24 * 60)
    .max(24 * 60),
});

/** One parsed event, as the agent ships it for one node. */
export const eventReport = fromNodeLog.extend({ event: scheduleEvent });
export type EventReport = z.infer<typeof eventReport>;

export const problemReport = fromNodeLog.extend({ message });
export type ProblemReport = z.infer<typeof problemReport>;

export const heartbeat = z.strictObject({
  node: nodeName,
  at: instant,
  bootedAt: instant.nullable(),
  /** Seconds the wall clock jumped past the monotonic clock since the last beat: the machine slept. */
  clockJumpSeconds: z.number().int().nonnegative().max(INT4_MAX).nullable(),
  serverReachable: z.boolean().nullable(),
  schedulerRunning: z.boolean().nullable(),
  nextScheduled: z.array(nextScheduled).max(64),
  spoolBytes: bigCount.nullable(),
  lastError: logText(512).nullable(),
  // Evidence added by the agent daemon (issue 5). Optional, so older agents stay valid.
  /** Which client scheduler was found running: CAD-managed, `dsmc sched`, or the Windows scheduler service. */
  schedulerKind: z.enum(["dsmcad", "dsmc-sched", "windows-service"]).nullable().optional(),
  /** The node's TSM client version, from its log banner (e.g. "8.1.13.0"). */
  clientVersion: logText(64).nullable().optional(),
  /** The TCPSERVERADDRESS:TCPPORT that `serverReachable` was probed on. */
  serverAddress: logText(300).nullable().optional(),
  /** The node's PASSWORDACCESS (generate/prompt): prompt means the scheduler cannot renew its password. */
  passwordAccess: logText(16).nullable().optional(),
  /** Each DOMAIN entry of the options file, checked: is it a file system on this machine? */
  domains: z
    .array(z.strictObject({ name: logText(1024), ok: z.boolean().nullable(), reason: logText(256).nullable() }))
    .max(64)
    .optional(),
  /**
   * The spool-full gap marker: since when the agent's spool has been too full to take more log
   * data (its cursor waits; nothing is lost, it arrives late), and how many heartbeats were thinned.
   */
  spoolGap: z
    .strictObject({ fullSince: instant.nullable(), thinnedHeartbeats: z.number().int().nonnegative().max(INT4_MAX) })
    .nullable()
    .optional(),
  /** Set when the agent dropped its cursors and re-read every log from the start (state lost or damaged). */
  fullResync: z
    .strictObject({ at: instant, reason: logText(512) })
    .nullable()
    .optional(),
  agentVersion: logText(64).nullable().optional(),
  /**
   * The machine's IANA time zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`): the server
   * places the node's windows with the offset of each night, across daylight-saving changes.
   */
  timeZone: timeZoneName.nullable().optional(),
});
export type Heartbeat = z.infer<typeof heartbeat>;

/** The windows a node's scheduler announced ("Next operation scheduled"): the server infers schedules from them. */
export const scheduleAnnouncement = fromNodeLog.extend({ nextScheduled: z.array(nextScheduled).max(1000) });
export type ScheduleAnnouncement = z.infer<typeof scheduleAnnouncement>;

const MAX_RECORDS = { events: 5000, problems: 5000, heartbeats: 500, announcements: 500 } as const;

/** A whole batch whose every record is valid: what the server stores. */
export const ingestBatch = z.strictObject({
  machine: machineIdentity,
  events: z.array(eventReport).max(MAX_RECORDS.events),
  problems: z.array(problemReport).max(MAX_RECORDS.problems),
  heartbeats: z.array(heartbeat).max(MAX_RECORDS.heartbeats),
  announcements: z.array(scheduleAnnouncement).max(MAX_RECORDS.announcements).default([]),
});
export type IngestBatch = z.output<typeof ingestBatch>;
export type IngestBatchInput = z.input<typeof ingestBatch>;

/**
 * What `ingest.batch` takes: the envelope checked whole, each record on its own (screenBatch), so
 * one record the server cannot store is refused by name and never blocks the rest of its batch.
 */
export const ingestEnvelope = z.strictObject({
  machine: machineIdentity,
  events: z.array(z.unknown()).max(MAX_RECORDS.events),
  problems: z.array(z.unknown()).max(MAX_RECORDS.problems),
  heartbeats: z.array(z.unknown()).max(MAX_RECORDS.heartbeats),
  announcements: z.array(z.unknown()).max(MAX_RECORDS.announcements).default([]),
});
export type IngestEnvelope = z.output<typeof ingestEnvelope>;

export const recordKind = z.enum(["event", "problem", "heartbeat", "announcement"]);
export type RecordKind = z.infer<typeof recordKind>;

/** A record the server refused: which one of the batch sent, and why, in one line. */
export interface RejectedRecord {
  kind: RecordKind;
  /** Its position in that kind's array of the batch. */
  index: number;
  /** The node it names, when it names one readably. */
  node: string | null;
  reason: string;
}

const recordSchemas = { events: eventReport, problems: problemReport, heartbeats: heartbeat, announcements: scheduleAnnouncement };
const kindOf = { events: "event", problems: "problem", heartbeats: "heartbeat", announcements: "announcement" } as const;

export type RecordLists = "events" | "problems" | "heartbeats" | "announcements";
export const recordLists = ["events", "problems", "heartbeats", "announcements"] as const satisfies readonly RecordLists[];
export const kindOfList = kindOf;

/**
 * Split a batch into the records that are valid and those refused, each with its first problem.
 * `origin` gives, for each kept record, its position in the batch as sent.
 */
export function screenBatch(envelope: IngestEnvelope): {
  batch: IngestBatch;
  rejected: RejectedRecord[];
  origin: Record<RecordLists, number[]>;
} {
  const rejected: RejectedRecord[] = [];
  const origin: Record<RecordLists, number[]> = { events: [], problems: [], heartbeats: [], announcements: [] };
  const keep = <K extends keyof typeof recordSchemas>(key: K) => {
    const valid: z.output<(typeof recordSchemas)[K]>[] = [];
    envelope[key].forEach((record, index) => {
      const parsed = recordSchemas[key].safeParse(record);
      if (parsed.success) {
        valid.push(parsed.data as z.output<(typeof recordSchemas)[K]>);
        origin[key].push(index);
      } else rejected.push({ kind: kindOf[key], index, node: nodeOf(record), reason: firstIssue(parsed.error) });
    });
    return valid;
  };
  const batch = {
    machine: envelope.machine,
    events: keep("events"),
    problems: keep("problems"),
    heartbeats: keep("heartbeats"),
    announcements: keep("announcements"),
  } as IngestBatch;
  return { batch, rejected, origin };
}

// What a refusal repeats of the record (its node, a key it named) is kept as text anywhere: printable.
function nodeOf(record: unknown): string | null {
  const node = (record as { node?: unknown } | null)?.node;
  return typeof node === "string" && node.length <= 64 ? printable(node.toUpperCase()) : null;
}

/** "event.stats.elapsedSeconds: Too big: expected number to be <=2147483647", one line. */
export function firstIssue(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "invalid";
  const path = first.path.length ? first.path.join(".") : "record";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return printable(`${path.slice(0, 200)}: ${first.message.replace(/\s+/g, " ").slice(0, 300)}${more}`);
}

export const ingestAck = z.object({
  acceptedEvents: z.number().int(),
  acceptedProblems: z.number().int(),
  acceptedHeartbeats: z.number().int(),
});
export type IngestAck = z.infer<typeof ingestAck>;

export { localTime };
