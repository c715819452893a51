import { z } from "zod";
import { scheduleDefinition } from "../windows/schedule";
import { localTime } from "./event";
import { nodeName } from "./ingest";
import { hasNoControl, INT4_MAX, INT4_MIN, identifier, instant, logName, logText } from "./limits";

/**
 * What the TSM server collector ships: the server's own records of its nodes (NODES), client
 * schedules (CLIENT_SCHEDULES) and which node follows which (ASSOCIATIONS), read with dsmadmc.
 * Times are the server's local time, placed with `utcOffsetMinutes` like log times.
 */

const text = (max: number) => logText(max).nullable();

export const serverNodeRecord = z.strictObject({
  name: nodeName,
  locked: z.boolean(),
  passwordSetAt: localTime.nullable(),
  /** The node's own PASSEXP override in days (0 = never expires); null follows the server's. */
  passwordExpiryDays: z.number().int().min(0).max(9999).nullable(),
  lastAccessAt: localTime.nullable(),
  registeredAt: localTime.nullable(),
  contact: text(256),
  email: text(512),
  platform: text(64),
  osLevel: text(132),
  clientVersion: text(64),
  tcpName: text(128),
  tcpAddress: text(64),
  guid: text(48),
  domain: text(64),
});
export type ServerNodeRecord = z.infer<typeof serverNodeRecord>;

export const serverSchedule = z.strictObject({
  domain: identifier(64),
  action: text(20),
  definition: scheduleDefinition,
});
export type ServerSchedule = z.output<typeof serverSchedule>;

export const serverAssociation = z.strictObject({
  domain: identifier(64),
  schedule: logName(128),
  node: nodeName,
});
export type ServerAssociation = z.infer<typeof serverAssociation>;

/**
 * One row of the server's EVENTS table: its own verdict on a window. `status` is the server's
 * word (Completed, Failed, Missed, Severed, In Progress...), mapped to an outcome by the server.
 */
export const serverEvent = z.strictObject({
  node: nodeName,
  schedule: logName(128),
  scheduledStart: localTime,
  actualStart: localTime.nullable(),
  completed: localTime.nullable(),
  status: logName(32),
  result: z.number().int().min(INT4_MIN).max(INT4_MAX).nullable(),
  reason: text(300),
});
export type ServerEvent = z.infer<typeof serverEvent>;

export const serverRecordsBatch = z.strictObject({
  /** Which TSM server, as Fleetwatch names nodes' servers: "" for a site's only server. */
  server: z.string().max(64).refine(hasNoControl, "control characters are not allowed").default(""),
  /** STATUS.SERVER_NAME, for people. */
  serverName: text(64),
  /** STATUS.PASSEXP: the server's common password expiry in days. */
  passwordExpiryDays: z.number().int().min(0).max(9999).nullable(),
  utcOffsetMinutes: z
    .number()
    .int()
    .min(-24 * 60)
    .max(24 * 60),
  collectedAt: instant,
  nodes: z.array(serverNodeRecord).max(100_000),
  schedules: z.array(serverSchedule).max(10_000),
  associations: z.array(serverAssociation).max(200_000),
  events: z.array(serverEvent).max(200_000).default([]),
});
export type ServerRecordsBatch = z.output<typeof serverRecordsBatch>;
export type ServerRecordsBatchInput = z.input<typeof serverRecordsBatch>;

export const serverRecordsAck = z.object({
  nodes: z.number().int(),
  newNodes: z.number().int(),
  schedules: z.number().int(),
  associations: z.number().int(),
  /** Server events that set or changed a window's outcome. */
  events: z.number().int(),
  /** Schedules the server keeps but Fleetwatch cannot expand into windows yet, by name and why. */
  skippedSchedules: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type ServerRecordsAck = z.infer<typeof serverRecordsAck>;
