import { z } from "zod";
import { localTime, message, nextScheduled, scheduleEvent } from "./event";

/** TSM node names: up to 64 characters, stored upper-case (the server folds case). */
export const nodeName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .transform((name) => name.toUpperCase());

export const machineIdentity = z.object({
  machineId: z.string().min(1).max(128),
  hostname: z.string().min(1).max(255),
  os: z.string().max(64).nullable(),
  osVersion: z.string().max(128).nullable(),
  macAddresses: z.array(z.string().max(32)).max(64),
  clientVersion: z.string().max(64).nullable(),
});
export type MachineIdentity = z.infer<typeof machineIdentity>;

/**
 * What every report from a log says besides its content: whose log, and the log's UTC offset in
 * minutes when it was written (logs carry local time only).
 */
const fromNodeLog = z.object({
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

export const heartbeat = z.object({
  node: nodeName,
  at: z.iso.datetime({ offset: true }),
  bootedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Seconds the wall clock jumped past the monotonic clock since the last beat: the machine slept. */
  clockJumpSeconds: z.number().int().nonnegative().nullable(),
  serverReachable: z.boolean().nullable(),
  schedulerRunning: z.boolean().nullable(),
  nextScheduled: z.array(nextScheduled).max(64),
  spoolBytes: z.number().int().nonnegative().nullable(),
  lastError: z.string().max(512).nullable(),
  // Evidence added by the agent daemon (issue 5). Optional, so older agents stay valid.
  /** Which client scheduler was found running: CAD-managed, `dsmc sched`, or the Windows scheduler service. */
  schedulerKind: z.enum(["dsmcad", "dsmc-sched", "windows-service"]).nullable().optional(),
  /** The node's TSM client version, from its log banner (e.g. "8.1.13.0"). */
  clientVersion: z.string().max(64).nullable().optional(),
  /** The TCPSERVERADDRESS:TCPPORT that `serverReachable` was probed on. */
  serverAddress: z.string().max(300).nullable().optional(),
  /** The node's PASSWORDACCESS (generate/prompt): prompt means the scheduler cannot renew its password. */
  passwordAccess: z.string().max(16).nullable().optional(),
  /** Each DOMAIN entry of the options file, checked: is it a file system on this machine? */
  domains: z
    .array(z.object({ name: z.string().max(1024), ok: z.boolean().nullable(), reason: z.string().max(256).nullable() }))
    .max(64)
    .optional(),
  /**
   * The spool-full gap marker: since when the agent's spool has been too full to take more log
   * data (its cursor waits; nothing is lost, it arrives late), and how many heartbeats were thinned.
   */
  spoolGap: z
    .object({ fullSince: z.iso.datetime({ offset: true }).nullable(), thinnedHeartbeats: z.number().int().nonnegative() })
    .nullable()
    .optional(),
  /** Set when the agent dropped its cursors and re-read every log from the start (state lost or damaged). */
  fullResync: z
    .object({ at: z.iso.datetime({ offset: true }), reason: z.string().max(512) })
    .nullable()
    .optional(),
  agentVersion: z.string().max(64).nullable().optional(),
});
export type Heartbeat = z.infer<typeof heartbeat>;

/** The windows a node's scheduler announced ("Next operation scheduled"): the server infers schedules from them. */
export const scheduleAnnouncement = fromNodeLog.extend({ nextScheduled: z.array(nextScheduled).max(1000) });
export type ScheduleAnnouncement = z.infer<typeof scheduleAnnouncement>;

export const ingestBatch = z.object({
  machine: machineIdentity,
  events: z.array(eventReport).max(5000),
  problems: z.array(problemReport).max(5000),
  heartbeats: z.array(heartbeat).max(500),
  announcements: z.array(scheduleAnnouncement).max(500).default([]),
});
export type IngestBatch = z.output<typeof ingestBatch>;
export type IngestBatchInput = z.input<typeof ingestBatch>;

export const ingestAck = z.object({
  acceptedEvents: z.number().int(),
  acceptedProblems: z.number().int(),
  acceptedHeartbeats: z.number().int(),
});
export type IngestAck = z.infer<typeof ingestAck>;

export { localTime };
