import { z } from "zod";
import { failureCauses } from "./causes";
import { bigCount, INT4_MAX, INT4_MIN, int4Count, localTime, logName, logText, MAX_MESSAGES_PER_EVENT } from "./limits";

export { failureCauses, localTime };

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

export const message = z.strictObject({
  code: z.string().regex(/^ANS\d{4}[IWES]$/, "expected an ANS message code like ANS1512E"),
  severity,
  at: localTime.nullable(),
  text: logText(8192),
  cause: failureCause.nullable(),
  flag: messageFlag.optional(),
  days: int4Count.optional(),
  /** The raw log lines just before and after it, when the reader asked for them (the agent does). */
  context: z.strictObject({ before: z.array(logText(300)).max(5), after: z.array(logText(300)).max(5) }).optional(),
});
export type Message = z.infer<typeof message>;

const count = bigCount.nullable();

/**
 * The status block's figures. The contract lets more keys follow (newer clients print more): any
 * camelCase key whose value is a count is kept, up to 32 keys in all.
 */
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
    elapsedSeconds: int4Count.nullable(),
  })
  .catchall(count)
  .superRefine((stats, ctx) => {
    const keys = Object.keys(stats);
    if (keys.length > 32) ctx.addIssue({ code: "custom", message: `at most 32 figures, not ${keys.length}` });
    const odd = keys.find((k) => !/^[a-z][A-Za-z0-9]{0,63}$/.test(k));
    if (odd !== undefined) ctx.addIssue({ code: "custom", message: `"${odd.slice(0, 40)}" is not a figure's name` });
  });
export type EventStats = z.infer<typeof eventStats>;

export const scheduleEvent = z.strictObject({
  schedule: logName(128),
  scheduledStart: localTime.nullable(),
  startedAt: localTime.nullable(),
  endedAt: localTime.nullable(),
  status: eventStatus,
  returnCode: z.number().int().min(INT4_MIN).max(INT4_MAX).nullable(),
  stats: eventStats.nullable(),
  messages: z.array(message).max(MAX_MESSAGES_PER_EVENT),
  /** Messages past MAX_MESSAGES_PER_EVENT that the agent did not send (it keeps the first ones). */
  omittedMessages: int4Count.optional(),
  causes: z.array(failureCause).max(failureCauses.length),
  cause: failureCause.nullable(),
  benign: z.boolean(),
});
export type ScheduleEvent = z.infer<typeof scheduleEvent>;

export const nextScheduled = z.strictObject({
  schedule: logName(128),
  action: logText(64).nullable(),
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

/**
 * An event as the wire takes it: past MAX_MESSAGES_PER_EVENT messages (one ANS4037E per changed
 * file can make thousands) the first ones are kept and the rest counted, so the run's outcome and
 * its first evidence always arrive instead of the whole record being refused.
 */
export function boundedEvent(event: ScheduleEvent): ScheduleEvent {
  if (event.messages.length <= MAX_MESSAGES_PER_EVENT) return event;
  return {
    ...event,
    messages: event.messages.slice(0, MAX_MESSAGES_PER_EVENT),
    omittedMessages: event.messages.length - MAX_MESSAGES_PER_EVENT + (event.omittedMessages ?? 0),
  };
}
