import type { MachineIdentity } from "@fleetwatch/core/schemas";
import { Prisma } from "@fleetwatch/db/client";
import type { Sql } from "@fleetwatch/db/sql";
import type { CurrentWindow, RecentWindow, ScheduleFacts } from "./ingest-plan";
import { RECENT } from "./ingest-plan";

// The one read of an ingest: the agent's machine (created or refreshed, and the agent bound to it),
// the batch's nodes with their newest windows and linked schedules, the windows the batch's events
// name as they stand, and the schedules the batch may link. One statement; rows that come back as
// lists travel as JSON, instants as epoch milliseconds.

export interface StoredSchedule extends ScheduleFacts {
  id: string;
  name: string;
  source: string;
}

export interface NodeState {
  id: string;
  name: string;
  machineRef: string | null;
  recent: RecentWindow[];
  /** The node's newest agent-reported windows, when its schedules are to be inferred. */
  agent: RecentWindow[] | null;
  linked: string[];
}

export interface BatchState {
  /** The machine the batch reports. */
  machineRef: string;
  /** The machine the agent was bound to before this batch (null: its first contact, or unbound by an admin). */
  agentMachineRef: string | null;
  /** Other live agents bound to the batch's machine. */
  otherAgents: number;
  nodes: NodeState[];
  /** The windows the batch's events name, by node name, schedule and start. */
  current: (CurrentWindow & { node: string; schedule: string; scheduledStart: number })[];
  schedules: StoredSchedule[];
}

type Row = [number, RecentWindow["outcome"], boolean, number | null, string | null, number | null, string, string, string];
const recentWindow = ([scheduledStart, outcome, benign, endedAt, cause, startedAt, source, schedule, localStart]: Row): RecentWindow => ({
  scheduledStart,
  outcome,
  benign,
  endedAt,
  cause,
  startedAt,
  source,
  schedule,
  localStart,
});

export async function readBatchState(
  sql: Sql,
  args: {
    agentId: string;
    machine: MachineIdentity;
    bootedAt: string | null;
    now: Date;
    names: readonly string[];
    /** Nodes whose schedules are to be inferred. */
    inferFor: readonly string[];
    keys: readonly { node: string; schedule: string; scheduledStart: string }[];
    scheduleNames: readonly string[];
  },
): Promise<BatchState> {
  const id = args.machine;
  const [row] = await sql.query<{
    machineRef: string;
    agentMachineRef: string | null;
    otherAgents: number;
    nodes: (Omit<NodeState, "recent" | "agent"> & { recent: Row[]; agent: Row[] | null })[];
    current: unknown[][];
    schedules: StoredSchedule[];
  }>(
    Prisma.sql`
    WITH m AS (
      INSERT INTO "Machine" (id, "machineId", hostname, os, "osVersion", "macAddresses", "clientVersion", "lastSeenAt", "bootedAt")
      VALUES (gen_random_uuid(), ${id.machineId}, ${id.hostname}, ${id.os}, ${id.osVersion}, ${id.macAddresses}::text[],
              ${id.clientVersion}, ${args.now}::timestamptz, ${args.bootedAt}::timestamptz)
      ON CONFLICT ("machineId") DO UPDATE
         SET hostname = EXCLUDED.hostname, os = EXCLUDED.os, "osVersion" = EXCLUDED."osVersion", "macAddresses" = EXCLUDED."macAddresses",
             "clientVersion" = EXCLUDED."clientVersion", "lastSeenAt" = EXCLUDED."lastSeenAt",
             "bootedAt" = coalesce(EXCLUDED."bootedAt", "Machine"."bootedAt")
      RETURNING id
    ), prior AS (
      SELECT "machineRef" FROM "Agent" WHERE id = ${args.agentId}::uuid
    ), others AS (
      SELECT count(*)::int AS n FROM "Agent" o, m WHERE o."machineRef" = m.id AND o.id <> ${args.agentId}::uuid AND o."revokedAt" IS NULL
    ), agent AS (
      -- Bound at first contact, and only to a machine no other live agent watches (ingest.ts refuses the rest).
      UPDATE "Agent" SET "machineRef" = m.id, "lastSeenAt" = ${args.now}::timestamptz FROM m, prior, others
       WHERE "Agent".id = ${args.agentId}::uuid AND (prior."machineRef" = m.id OR (prior."machineRef" IS NULL AND others.n = 0))
    ), n AS (
      SELECT id, name, "machineRef" FROM "Node" WHERE server = '' AND name = ANY(${args.names}::text[])
    )
    SELECT m.id AS "machineRef", (SELECT "machineRef" FROM prior) AS "agentMachineRef", (SELECT n FROM others) AS "otherAgents",
           coalesce((SELECT json_agg(json_build_object(
                       'id', n.id, 'name', n.name, 'machineRef', n."machineRef",
                       'recent', (SELECT coalesce(json_agg(json_build_array(
                                    (extract(epoch FROM w."scheduledStart") * 1000)::bigint, w.outcome, w.benign,
                                    (extract(epoch FROM w."endedAt") * 1000)::bigint, w.cause, (extract(epoch FROM w."startedAt") * 1000)::bigint,
                                    w.source, w.schedule, w."localStart") ORDER BY w."scheduledStart" DESC), '[]')
                                    FROM (SELECT * FROM "Window" WHERE "nodeId" = n.id ORDER BY "scheduledStart" DESC LIMIT ${RECENT}) w),
                       'agent', CASE WHEN n.name = ANY(${args.inferFor}::text[]) THEN
                                  (SELECT coalesce(json_agg(json_build_array(
                                     (extract(epoch FROM w."scheduledStart") * 1000)::bigint, w.outcome, w.benign, NULL, NULL,
                                     (extract(epoch FROM w."startedAt") * 1000)::bigint, w.source, w.schedule, w."localStart")
                                     ORDER BY w."scheduledStart" DESC), '[]')
                                     FROM (SELECT * FROM "Window" WHERE "nodeId" = n.id AND source = 'agent'
                                            ORDER BY "scheduledStart" DESC LIMIT ${RECENT}) w)
                                END,
                       'linked', (SELECT coalesce(json_agg(ns."scheduleId"), '[]') FROM "NodeSchedule" ns WHERE ns."nodeId" = n.id)))
                       FROM n), '[]') AS nodes,
           coalesce((SELECT json_agg(json_build_array(w.id, k.node, w.schedule, (extract(epoch FROM w."scheduledStart") * 1000)::bigint,
                                                      w.outcome, w.source, (extract(epoch FROM w."endedAt") * 1000)::bigint, w."returnCode",
                                                      (SELECT count(*) FROM "EventMessage" em WHERE em."windowId" = w.id)))
                       FROM unnest(${args.keys.map((k) => k.node)}::text[], ${args.keys.map((k) => k.schedule)}::text[],
                                   ${args.keys.map((k) => k.scheduledStart)}::timestamptz[]) AS k(node, schedule, start)
                       JOIN n ON n.name = k.node
                       JOIN "Window" w ON w."nodeId" = n.id AND w.schedule = k.schedule AND w."scheduledStart" = k.start), '[]') AS current,
           coalesce((SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'source', s.source, 'startTime', s."startTime",
                                                       'durationMinutes', s."durationMinutes", 'periodMinutes', s."periodMinutes",
                                                       'dayOfWeek', s."dayOfWeek"))
                       FROM "Schedule" s
                      WHERE s.server = '' AND (s.name = ANY(${args.scheduleNames}::text[])
                            OR s.id IN (SELECT ns."scheduleId" FROM "NodeSchedule" ns JOIN n ON n.id = ns."nodeId"))), '[]') AS schedules
      FROM m`,
    { prepared: true },
  );
  const r = row as NonNullable<typeof row>;
  return {
    machineRef: r.machineRef,
    agentMachineRef: r.agentMachineRef,
    otherAgents: r.otherAgents,
    nodes: r.nodes.map((n) => ({ ...n, recent: n.recent.map(recentWindow), agent: n.agent?.map(recentWindow) ?? null })),
    current: r.current.map(([id, node, schedule, scheduledStart, outcome, source, endedAt, returnCode, messages]) => ({
      id: id as string,
      node: node as string,
      schedule: schedule as string,
      scheduledStart: scheduledStart as number,
      outcome: outcome as CurrentWindow["outcome"],
      source: source as string,
      endedAt: endedAt as number | null,
      returnCode: returnCode as number | null,
      messages: messages as number,
    })),
    schedules: r.schedules,
  };
}

/** Schedules by name, for names the batch state did not cover (rare: a first inference). */
export function schedulesNamed(sql: Sql, names: readonly string[]) {
  return sql.query<StoredSchedule>(Prisma.sql`
    SELECT id, name, source::text AS source, "startTime", "durationMinutes", "periodMinutes", "dayOfWeek"
      FROM "Schedule" WHERE server = '' AND name = ANY(${names}::text[])`);
}

/** The newest windows of each node (the judge's refresh after it records or severs windows). */
export async function recentWindows(sql: Sql, nodeIds: readonly string[]): Promise<Map<string, RecentWindow[]>> {
  const rows = await sql.query<{ id: string; recent: Row[] }>(Prisma.sql`
    SELECT k.id,
           (SELECT coalesce(json_agg(json_build_array(
                     (extract(epoch FROM w."scheduledStart") * 1000)::bigint, w.outcome, w.benign, (extract(epoch FROM w."endedAt") * 1000)::bigint,
                     w.cause, (extract(epoch FROM w."startedAt") * 1000)::bigint, w.source, w.schedule, w."localStart")
                     ORDER BY w."scheduledStart" DESC), '[]')
              FROM (SELECT * FROM "Window" WHERE "nodeId" = k.id ORDER BY "scheduledStart" DESC LIMIT ${RECENT}) w) AS recent
      FROM unnest(${nodeIds}::uuid[]) AS k(id)`);
  return new Map(rows.map((r) => [r.id, r.recent.map(recentWindow)]));
}
