import { alertSeverity, alertState } from "@fleetwatch/core/alerts";
import { flagKind } from "@fleetwatch/core/flags";
import { ownerSource } from "@fleetwatch/core/report";
import { windowOutcome } from "@fleetwatch/core/schemas";
import { z } from "zod";

/**
 * The wire shapes of /api/v1, in JSON as sent (times as ISO 8601 strings). Every answer is parsed
 * through its schema before it leaves, so the OpenAPI document generated from these cannot drift
 * from what is sent; fields a service returns that are not here are not sent.
 */
const time = z.iso.datetime();
const nullableTime = time.nullable();
const nodeRef = z.object({ id: z.uuid(), name: z.string() }).meta({ id: "NodeRef" });

export const apiError = z
  .object({
    error: z.object({
      status: z.number().int().meta({ description: "The HTTP status, repeated for logs that keep only the body." }),
      code: z.string().meta({ description: "A stable word for programs: unauthorized, forbidden, not_found, conflict, bad_request…" }),
      message: z.string().meta({ description: "One line for a person." }),
    }),
  })
  .meta({ id: "Error", description: "Every error, whatever its status." });

export const openFlag = z
  .object({ kind: flagKind, raisedAt: time, detail: z.string().nullable() })
  .meta({ id: "OpenFlag", description: "A standing condition on a node (shared/domain.md, Flags on a node)." });

export const nodeRow = z
  .object({
    id: z.uuid(),
    name: z.string(),
    server: z.string(),
    hostname: z.string().nullable(),
    os: z.string().nullable(),
    contact: z.string().nullable(),
    lastOutcome: windowOutcome.nullable(),
    lastCause: z.string().nullable(),
    lastCompletedAt: nullableTime,
    lastContactAt: nullableTime,
    missedStreak: z.number().int(),
    failedStreak: z.number().int(),
    deregisteredAt: nullableTime,
    flags: z.array(openFlag),
  })
  .meta({ id: "NodeRow" });

const page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
    })
    .meta({ id });

export const nodePage = page(nodeRow, "NodePage").extend({ total: z.number().int() }).meta({ id: "NodePage" });

export const windowRow = z
  .object({
    id: z.uuid(),
    node: nodeRef,
    schedule: z.string(),
    scheduledStart: time,
    localStart: z.string().meta({ description: "The window's start in the node's own clock, as its logs say it." }),
    outcome: windowOutcome,
    returnCode: z.number().int().nullable(),
    startedAt: nullableTime,
    endedAt: nullableTime,
    elapsedSeconds: z.number().int().nullable(),
    objectsInspected: z.number().nullable(),
    objectsFailed: z.number().nullable(),
    bytesTransferred: z.number().nullable(),
    cause: z.string().nullable(),
    benign: z.boolean(),
  })
  .meta({ id: "Window" });
export const windowPage = page(windowRow, "WindowPage");

export const flagRow = z
  .object({ id: z.uuid(), kind: flagKind, raisedAt: time, detail: z.string().nullable(), node: nodeRef })
  .meta({ id: "Flag" });
export const flagPage = page(flagRow, "FlagPage");

export const alertRow = z
  .object({
    id: z.uuid(),
    kind: z.string().meta({
      description: "The condition: `backup`, `locked`, `password`… (core/alerts), `incident` (many nodes, one cause), or `unlock-request`.",
    }),
    severity: alertSeverity,
    state: alertState,
    title: z.string(),
    body: z.string(),
    raisedAt: time,
    since: nullableTime.meta({ description: "Since when the problem stands." }),
    occurrences: z.number().int(),
    updatedAt: time,
    acknowledgedAt: nullableTime,
    acknowledgedBy: z.string().nullable(),
    acknowledgeNote: z.string().nullable(),
    resolvedAt: nullableTime,
    resolvedBy: z.string().nullable().meta({ description: "Who resolved it by hand; null when its condition cleared by itself." }),
    resolvedReason: z.string().nullable(),
    assignee: z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() }).nullable(),
    node: nodeRef.nullable(),
  })
  .meta({ id: "Alert", description: "One alert per problem (a node and a condition), open → acknowledged → resolved." });
export const alertPage = page(alertRow, "AlertPage").extend({ total: z.number().int() }).meta({ id: "AlertPage" });

const nodeWindow = windowRow.omit({ node: true }).extend({
  diagnosis: z.record(z.string(), z.unknown()).nullable().meta({ description: "Why a window did not complete, and the remedy." }),
  suspicion: z.record(z.string(), z.unknown()).nullable().meta({ description: "A completed run's suspicious-run verdict." }),
});

export const nodeOwner = z
  .object({
    name: z.string().nullable().meta({ description: "The person or team: staff's name for them, else the TSM server's CONTACT." }),
    address: z.string().nullable().meta({ description: "Where the node's morning report goes; null: nobody gets one." }),
    addressSource: ownerSource.nullable().meta({ description: "Set by staff, or the TSM server's EMAIL_ADDRESS or CONTACT." }),
  })
  .meta({ id: "NodeOwner", description: "Who the node's morning report goes to." });

export const nodeDetail = z
  .object({
    id: z.uuid(),
    name: z.string(),
    server: z.string(),
    contact: z.string().nullable().meta({ description: "The TSM server's CONTACT, as the collector read it." }),
    email: z.string().nullable().meta({ description: "The TSM server's EMAIL_ADDRESS, as the collector read it." }),
    owner: nodeOwner,
    os: z.string().nullable(),
    lockedNow: z.boolean(),
    passwordExpiresAt: nullableTime,
    lastContactAt: nullableTime,
    lastHeartbeatAt: nullableTime,
    lastCompletedAt: nullableTime,
    lastOutcome: windowOutcome.nullable(),
    missedStreak: z.number().int(),
    failedStreak: z.number().int(),
    timeZone: z.string().nullable(),
    clockSkewSeconds: z.number().int().nullable(),
    deregisteredAt: nullableTime,
    deregisteredBy: z.string().nullable(),
    deregisteredReason: z.string().nullable(),
    flags: z.array(openFlag),
    windows: z.array(nodeWindow).meta({ description: "The newest windows first, `nights` of them at most." }),
    alerts: z.array(alertRow).meta({ description: "The node's latest alerts, open and closed, newest first (50 at most)." }),
  })
  .meta({ id: "NodeDetail" });

export const deregistered = z.object({ id: z.uuid(), name: z.string(), deregisteredAt: time }).meta({ id: "Deregistered" });
export const restored = z.object({ id: z.uuid(), name: z.string() }).meta({ id: "Restored" });
export const acknowledged = z
  .object({
    acknowledged: z.number().int().meta({ description: "1, or 0 when it was no longer open." }),
    acknowledgedAt: time,
    acknowledgedBy: z.string(),
  })
  .meta({ id: "Acknowledged" });
export const resolved = z.object({ id: z.uuid(), resolvedAt: time, resolvedBy: z.string() }).meta({ id: "Resolved" });

const outcomeCounts = z.object(Object.fromEntries(windowOutcome.options.map((o) => [o, z.number().int()])) as Record<string, z.ZodNumber>);

export const overview = z
  .object({
    counts: z.object({
      total: z.number().int(),
      deregistered: z.number().int(),
      protected: z.number().int(),
      atRisk: z.number().int(),
      missed: z.number().int(),
      failed: z.number().int(),
      severed: z.number().int(),
      aborted: z.number().int(),
      inProgress: z.number().int(),
      locked: z.number().int(),
      passwordExpired: z.number().int(),
      stale: z.number().int(),
      duplicateSuspects: z.number().int(),
      needsManualBackup: z.number().int(),
      byOutcome: z.record(z.string(), z.number().int()),
      byFlag: z.record(z.string(), z.number().int()),
    }),
    nightly: z.array(z.object({ night: z.string(), counts: outcomeCounts, bytes: z.number(), avgElapsedSeconds: z.number().nullable() })),
    attention: z.array(
      z.object({
        nodeId: z.uuid(),
        name: z.string(),
        os: z.string().nullable(),
        outcome: windowOutcome.nullable(),
        cause: z.string().nullable(),
        since: nullableTime,
        flags: z.array(z.object({ kind: flagKind, raisedAt: time })),
        firstStep: z.string(),
        rank: z.number(),
      }),
    ),
  })
  .meta({ id: "Overview", description: "The dashboard's overview: headline counts, nights, and the nodes to act on." });

export const judgeReport = z
  .object({
    leader: z.boolean().meta({ description: "false: another judge run held the lock, and this one did nothing." }),
    nodesJudged: z.number().int(),
    missed: z.number().int(),
    severed: z.number().int(),
    flagsRaised: z.number().int(),
    flagsCleared: z.number().int(),
    alertsOpened: z.number().int(),
    ms: z.number().int(),
  })
  .meta({ id: "JudgeReport" });
