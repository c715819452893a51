import { z } from "zod";
import { failureCauses } from "./causes";

export { failureCauses };

/** Local wall-clock time as the TSM logs write it, normalised: `YYYY-MM-DDTHH:MM:SS`, no zone. */
export const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, "expected local time YYYY-MM-DDTHH:MM:SS");

export const eventStatus = z.enum(["completed", "failed", "severed", "aborted", "in-progress"]);
export type EventStatus = z.infer<typeof eventStatus>;

/** Outcome of a window: an event status, or `missed` (decided by the server, never by the parser). */
export const windowOutcome = z.enum(["completed", "failed", "severed", "aborted", "in-progress", "missed"]);
export type WindowOutcome = z.infer<typeof windowOutcome>;

export const failureCause = z.enum(failureCauses);
export type FailureCause = z.infer<typeof failureCause>;

export const messageFlag = z.enum(["password-expiring", "window-elapsed", "reconnected", "scheduler-start-failed"]);
export type MessageFlag = z.infer<typeof messageFlag>;

export const severity = z.enum(["I", "W", "E", "S"]);
export type Severity = z.infer<typeof severity>;

export const message = z.object({
  code: z.string().regex(/^ANS\d{4}[IWES]$/, "expected an ANS message code like ANS1512E"),
  severity,
  at: localTime.nullable(),
  text: z.string().max(8192),
  cause: failureCause.nullable(),
  flag: messageFlag.optional(),
  days: z.number().int().nonnegative().optional(),
  /** The raw log lines just before and after it, when the reader asked for them (the agent does). */
  context: z.object({ before: z.array(z.string().max(300)).max(5), after: z.array(z.string().max(300)).max(5) }).optional(),
});
export type Message = z.infer<typeof message>;

const count = z.number().int().nonnegative().nullable();

export const eventStats = z
  .object({
    inspected: count,
    backedUp: count,
    updated: count,
    rebound: count,
    deleted: count,
    expired: count,
    failed: count,
    bytesTransferred: count,
    elapsedSeconds: count,
  })
  .passthrough();
export type EventStats = z.infer<typeof eventStats>;

export const scheduleEvent = z
  .object({
    schedule: z.string().min(1).max(128),
    scheduledStart: localTime.nullable(),
    startedAt: localTime.nullable(),
    endedAt: localTime.nullable(),
    status: eventStatus,
    returnCode: z.number().int().nullable(),
    stats: eventStats.nullable(),
    messages: z.array(message),
    causes: z.array(failureCause),
    cause: failureCause.nullable(),
    benign: z.boolean(),
  })
  .passthrough();
export type ScheduleEvent = z.infer<typeof scheduleEvent>;

export const nextScheduled = z.object({
  schedule: z.string().min(1).max(128),
  action: z.string().max(64).nullable(),
  windowStart: localTime,
});
export type NextScheduled = z.infer<typeof nextScheduled>;

/** The `parse --json` output: see shared/spec/parse-contract.md. */
export const parseResult = z.object({
  events: z.array(scheduleEvent),
  nextScheduled: z.array(nextScheduled),
  problems: z.array(message),
  unparsedLines: z.number().int().nonnegative(),
});
export type ParseResult = z.infer<typeof parseResult>;
