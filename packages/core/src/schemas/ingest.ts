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
