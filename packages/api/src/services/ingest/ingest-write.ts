import { createHash } from "node:crypto";
import type { Heartbeat, ProblemReport } from "@fleetwatch/core/schemas";
import { Prisma } from "@fleetwatch/db/client";
import { list, type Sql, texts } from "@fleetwatch/db/sql";
import {
  atMs,
  type DerivedState,
  failureDiagnosis,
  type KeyedEvent,
  type ScheduleFacts,
  sameFacts,
  type WindowWrite,
  windowKey,
} from "./ingest-plan";
import { type StoredSchedule, schedulesNamed } from "./ingest-read";

// The one write of an ingest: windows, their messages, problems, heartbeats, the nodes' derived
// state and schedule links, as one statement (one data-modifying CTE per table), so a batch
// costs a handful of round trips whatever its size. Windows and messages, the bulk of a batch,
// go in as one JSON text each (see `windowRows`); the rest through unnest(), one array per
// column, each array sent as one array literal (see `list`).

export interface NodeWrite extends DerivedState {
  id: string;
  lastContactAt: Date | null;
  lastHeartbeatAt: Date | null;
  utcOffsetMinutes: number | null;
  /** The IANA zone its newest heartbeat named; null: unchanged. */
  timeZone?: string | null;
  /** A reading of its clock against ours, seconds (clock-skew.ts); null: none in this batch. */
  clockSkewSeconds?: number | null;
}

export interface BatchWrite {
  /** Node ids by name (every node the batch names). */
  nodeIds: ReadonlyMap<string, string>;
  windows: readonly WindowWrite[];
  os: string | null;
  problems: readonly ProblemReport[];
  heartbeats: readonly Heartbeat[];
  nodes: readonly NodeWrite[];
  links: readonly { nodeId: string; scheduleId: string }[];
  /** The request's clock: the rows' updatedAt, which the judge reads as "changed since my last run". */
  now: Date;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const isoDate = (d: Date | null) => (d === null ? null : d.toISOString());
/** An agent's ISO instant (any offset) in UTC. */
const isoText = (at: string | null) => (at === null ? null : new Date(at).toISOString());

/** Write it all; returns the keys of the windows written and how many problems and heartbeats were new. */
export async function writeBatch(sql: Sql, w: BatchWrite) {
  const ctes: Prisma.Sql[] = [];
  const idOf = (name: string) => w.nodeIds.get(name) as string;
  if (w.windows.length) ctes.push(...windowCtes(w.windows, idOf, w.os, w.now));
  if (w.problems.length) ctes.push(problemCte(w.problems, idOf));
  if (w.heartbeats.length) ctes.push(heartbeatCte(w.heartbeats, idOf));
  if (w.links.length) {
    ctes.push(Prisma.sql`links AS (
      INSERT INTO "NodeSchedule" ("nodeId", "scheduleId", source)
      SELECT "nodeId", "scheduleId", 'agent' FROM unnest(${list(w.links.map((l) => l.nodeId))}::uuid[], ${list(w.links.map((l) => l.scheduleId))}::uuid[])
          AS l("nodeId", "scheduleId")
      ON CONFLICT DO NOTHING)`);
  }
  if (w.nodes.length) ctes.push(nodeCte(w.nodes, w.now));
  if (!ctes.length) return { written: new Set<string>(), problems: 0, heartbeats: 0 };
  const [row] = await sql.query<{ written: [string, string, number][] | null; problems: number; heartbeats: number }>(
    Prisma.sql`
    WITH ${Prisma.join(ctes, ",\n")}
    SELECT ${w.windows.length ? Prisma.sql`(SELECT json_agg(json_build_array("nodeId", schedule, (extract(epoch FROM "scheduledStart") * 1000)::bigint)) FROM w)` : Prisma.sql`NULL`} AS written,
           ${w.problems.length ? Prisma.sql`(SELECT count(*)::int FROM p)` : Prisma.sql`0`} AS problems,
           ${w.heartbeats.length ? Prisma.sql`(SELECT count(*)::int FROM h)` : Prisma.sql`0`} AS heartbeats`,
    { prepared: true },
  );
  const nameOf = new Map([...w.nodeIds].map(([name, id]) => [id, name]));
  const written = new Set(
    (row?.written ?? []).map(([nodeId, schedule, start]) => windowKey(nameOf.get(nodeId) as string, schedule, start)),
  );
  return { written, problems: row?.problems ?? 0, heartbeats: row?.heartbeats ?? 0 };
}

/**
 * Windows upserted on their key; the messages of each written window replaced (rows past the new
 * count deleted, the rest upserted on window and ordinal, so no row is both deleted and inserted).
 * The ON CONFLICT guard repeats the never-back-to-in-progress rule inside the statement, for a
 * report that races another writer of the same window.
 */
function windowCtes(writes: readonly WindowWrite[], idOf: (name: string) => string, os: string | null, now: Date): Prisma.Sql[] {
  const ctes = [
    Prisma.sql`w AS (
      INSERT INTO "Window" (id, "nodeId", schedule, "scheduledStart", "localStart", outcome, "returnCode", "startedAt", "endedAt",
                            "objectsInspected", "objectsBackedUp", "objectsFailed", "bytesTransferred", "elapsedSeconds", stats,
                            causes, cause, benign, source, "judgedAt", diagnosis, "updatedAt")
      SELECT gen_random_uuid(), "nodeId", schedule, ${instant("start")}, "localStart", outcome, "returnCode", ${instant('"startedAt"')},
             ${instant('"endedAt"')}, (stats->>'inspected')::bigint, (stats->>'backedUp')::bigint, (stats->>'failed')::bigint,
             (stats->>'bytesTransferred')::bigint, (stats->>'elapsedSeconds')::int, stats, causes, cause, benign, 'agent', NULL,
             diagnosis, ${now.toISOString()}::timestamptz
        FROM json_to_recordset(${windowRows(writes, idOf, os)}::json)
          AS r("nodeId" uuid, schedule text, start bigint, "localStart" text, outcome "WindowOutcome", "returnCode" int, "startedAt" bigint,
               "endedAt" bigint, stats jsonb, causes text[], cause text, benign bool, diagnosis jsonb)
      ON CONFLICT ("nodeId", schedule, "scheduledStart") DO UPDATE
         SET "localStart" = EXCLUDED."localStart", outcome = EXCLUDED.outcome, "returnCode" = EXCLUDED."returnCode",
             "startedAt" = EXCLUDED."startedAt", "endedAt" = EXCLUDED."endedAt", "objectsInspected" = EXCLUDED."objectsInspected",
             "objectsBackedUp" = EXCLUDED."objectsBackedUp", "objectsFailed" = EXCLUDED."objectsFailed",
             "bytesTransferred" = EXCLUDED."bytesTransferred", "elapsedSeconds" = EXCLUDED."elapsedSeconds", stats = EXCLUDED.stats,
             causes = EXCLUDED.causes, cause = EXCLUDED.cause, benign = EXCLUDED.benign, source = EXCLUDED.source,
             "judgedAt" = EXCLUDED."judgedAt", diagnosis = EXCLUDED.diagnosis, "updatedAt" = EXCLUDED."updatedAt"
       WHERE NOT ("Window".source = 'agent' AND "Window".outcome <> 'in-progress' AND EXCLUDED.outcome = 'in-progress')
      RETURNING id, "nodeId", schedule, "scheduledStart")`,
  ];
  const replaced = writes.filter((x) => x.replaces && x.replaces.messages > x.event.report.event.messages.length);
  if (replaced.length) {
    ctes.push(Prisma.sql`gone AS (
      DELETE FROM "EventMessage" em
       USING unnest(${list(replaced.map((x) => x.replaces?.id as string))}::uuid[], ${list(replaced.map((x) => x.event.report.event.messages.length))}::int[])
          AS g(id, n)
       WHERE em."windowId" = g.id AND em.ordinal >= g.n AND g.id IN (SELECT id FROM w))`);
  }
  const messages = messageRows(
    writes.map((x) => x.event),
    idOf,
  );
  if (messages) {
    ctes.push(Prisma.sql`msgs AS (
      INSERT INTO "EventMessage" ("windowId", ordinal, code, severity, at, text, cause, flag, days, context)
      SELECT w.id, x.ordinal, x.code, x.severity, ${instant("x.at")}, x.text, x.cause, x.flag, x.days, x.context
        FROM json_to_recordset(${messages}::json)
          AS x("nodeId" uuid, schedule text, start bigint, ordinal int, code text, severity text, at bigint, text text, cause text,
               flag text, days int, context jsonb)
        JOIN w ON w."nodeId" = x."nodeId" AND w.schedule = x.schedule AND w."scheduledStart" = ${instant("x.start")}
      ON CONFLICT ("windowId", ordinal) DO UPDATE
         SET code = EXCLUDED.code, severity = EXCLUDED.severity, at = EXCLUDED.at, text = EXCLUDED.text, cause = EXCLUDED.cause,
             flag = EXCLUDED.flag, days = EXCLUDED.days, context = EXCLUDED.context)`);
  }
  return ctes;
}

/** An epoch-milliseconds column as the instant it is (exact to the millisecond). */
const instant = (column: string) => Prisma.raw(`to_timestamp(${column} / 1000.0)`);

/**
 * Windows as one JSON text, read back by json_to_recordset: for rows of a dozen columns, some of
 * them JSON already, the cheapest form to build here (one native JSON.stringify; escaping each
 * value into an array literal cost 3.6 times as much) and to parse there. Instants go as epoch
 * milliseconds (see `instant`).
 */
function windowRows(writes: readonly WindowWrite[], idOf: (name: string) => string, os: string | null): string {
  return JSON.stringify(
    writes.map(({ event: k }) => {
      const e = k.report.event;
      return {
        nodeId: idOf(k.node),
        schedule: e.schedule,
        start: k.scheduledStart,
        localStart: k.localStart,
        outcome: e.status,
        returnCode: e.returnCode,
        startedAt: k.startedAt,
        endedAt: k.endedAt,
        stats: e.stats,
        causes: e.causes,
        cause: e.cause,
        benign: e.benign,
        diagnosis: failureDiagnosis(k, os),
      };
    }),
  );
}

/** Messages the same way, each naming its window by node, schedule and start. */
function messageRows(events: readonly KeyedEvent[], idOf: (name: string) => string): string | null {
  const rows = events.flatMap((k) =>
    k.report.event.messages.map((msg, ordinal) => ({
      nodeId: idOf(k.node),
      schedule: k.report.event.schedule,
      start: k.scheduledStart,
      ordinal,
      code: msg.code,
      severity: msg.severity,
      at: atMs(msg.at, k.report.utcOffsetMinutes),
      text: msg.text,
      cause: msg.cause,
      flag: msg.flag ?? null,
      days: msg.days ?? null,
      context: msg.context ?? null,
    })),
  );
  return rows.length ? JSON.stringify(rows) : null;
}

/** Problems, each stored once: a resend adds nothing (a problem with no time is never a duplicate). */
function problemCte(problems: BatchWrite["problems"], idOf: (name: string) => string) {
  const m = problems.map((p) => p.message);
  return Prisma.sql`p AS (
    INSERT INTO "Problem" ("nodeId", at, code, severity, text, "textHash", cause, flag, days)
    SELECT * FROM unnest(${list(problems.map((p) => idOf(p.node)))}::uuid[],
                         ${list(problems.map((p) => iso(atMs(p.message.at, p.utcOffsetMinutes))))}::timestamptz[],
                         ${texts(m.map((x) => x.code))}::text[], ${texts(m.map((x) => x.severity))}::text[], ${texts(m.map((x) => x.text))}::text[],
                         ${list(m.map((x) => createHash("sha1").update(x.text).digest("hex")))}::text[], ${texts(m.map((x) => x.cause))}::text[],
                         ${texts(m.map((x) => x.flag ?? null))}::text[], ${list(m.map((x) => x.days ?? null))}::int[])
    ON CONFLICT DO NOTHING
    RETURNING 1)`;
}

/** Optional evidence as JSON text, null when the agent sent none. */
const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Heartbeats, each stored once per node and instant, with whatever evidence the agent gathered. */
function heartbeatCte(beats: BatchWrite["heartbeats"], idOf: (name: string) => string) {
  return Prisma.sql`h AS (
    INSERT INTO "Heartbeat" ("nodeId", at, "bootedAt", "clockJumpSeconds", "serverReachable", "schedulerRunning", "spoolBytes", "lastError",
                             "schedulerKind", "clientVersion", "serverAddress", "passwordAccess", domains, "spoolGap", "fullResync", "agentVersion")
    SELECT * FROM unnest(${list(beats.map((b) => idOf(b.node)))}::uuid[], ${list(beats.map((b) => isoText(b.at)))}::timestamptz[],
                         ${list(beats.map((b) => isoText(b.bootedAt)))}::timestamptz[], ${list(beats.map((b) => b.clockJumpSeconds))}::int[],
                         ${list(beats.map((b) => b.serverReachable))}::bool[], ${list(beats.map((b) => b.schedulerRunning))}::bool[],
                         ${list(beats.map((b) => b.spoolBytes))}::bigint[], ${texts(beats.map((b) => b.lastError))}::text[],
                         ${texts(beats.map((b) => b.schedulerKind ?? null))}::text[], ${texts(beats.map((b) => b.clientVersion ?? null))}::text[],
                         ${texts(beats.map((b) => b.serverAddress ?? null))}::text[], ${texts(beats.map((b) => b.passwordAccess ?? null))}::text[],
                         ${texts(beats.map((b) => json(b.domains)))}::jsonb[], ${texts(beats.map((b) => json(b.spoolGap)))}::jsonb[],
                         ${texts(beats.map((b) => json(b.fullResync)))}::jsonb[], ${texts(beats.map((b) => b.agentVersion ?? null))}::text[])
    ON CONFLICT DO NOTHING
    RETURNING 1)`;
}

/** Derived state and contact facts; a contact fact left null keeps the column as it is. */
function nodeCte(nodes: readonly NodeWrite[], now: Date) {
  return Prisma.sql`nodes AS (
    UPDATE "Node" n
       SET "lastOutcome" = x."lastOutcome", "lastCause" = x."lastCause",
           -- Read from the newest windows only: once the judge has recorded more MISSED nights than
           -- those hold (a retired machine), the last event and success are older than any of them.
           "lastCompletedAt" = greatest(x."lastCompletedAt", n."lastCompletedAt"),
           "missedStreak" = x."missedStreak", "failedStreak" = x."failedStreak", "lastEventAt" = greatest(x."lastEventAt", n."lastEventAt"),
           "lastContactAt" = coalesce(x."lastContactAt", n."lastContactAt"),
           "lastHeartbeatAt" = coalesce(x."lastHeartbeatAt", n."lastHeartbeatAt"),
           "utcOffsetMinutes" = coalesce(x."utcOffsetMinutes", n."utcOffsetMinutes"), "timeZone" = coalesce(x."timeZone", n."timeZone"),
           -- A waiting heartbeat only reads slower: a larger reading of the last 6 hours stands.
           "clockSkewSeconds" = CASE WHEN x."clockSkewSeconds" IS NULL OR (n."clockSkewAt" > x."lastContactAt" - interval '6 hours'
                                         AND n."clockSkewSeconds" > x."clockSkewSeconds") THEN n."clockSkewSeconds" ELSE x."clockSkewSeconds" END,
           "clockSkewAt" = CASE WHEN x."clockSkewSeconds" IS NULL OR (n."clockSkewAt" > x."lastContactAt" - interval '6 hours'
                                    AND n."clockSkewSeconds" > x."clockSkewSeconds") THEN n."clockSkewAt" ELSE x."lastContactAt" END,
           "updatedAt" = ${now.toISOString()}::timestamptz
      FROM unnest(${list(nodes.map((n) => n.id))}::uuid[], ${list(nodes.map((n) => n.lastOutcome))}::"WindowOutcome"[],
                  ${texts(nodes.map((n) => n.lastCause))}::text[], ${list(nodes.map((n) => isoDate(n.lastCompletedAt)))}::timestamptz[],
                  ${list(nodes.map((n) => n.missedStreak))}::int[], ${list(nodes.map((n) => n.failedStreak))}::int[],
                  ${list(nodes.map((n) => isoDate(n.lastEventAt)))}::timestamptz[], ${list(nodes.map((n) => isoDate(n.lastContactAt)))}::timestamptz[],
                  ${list(nodes.map((n) => isoDate(n.lastHeartbeatAt)))}::timestamptz[], ${list(nodes.map((n) => n.utcOffsetMinutes))}::int[],
                  ${texts(nodes.map((n) => n.timeZone ?? null))}::text[], ${list(nodes.map((n) => n.clockSkewSeconds ?? null))}::int[])
        AS x(id, "lastOutcome", "lastCause", "lastCompletedAt", "missedStreak", "failedStreak", "lastEventAt", "lastContactAt",
             "lastHeartbeatAt", "utcOffsetMinutes", "timeZone", "clockSkewSeconds")
     WHERE n.id = x.id)`;
}

/** Derived state only (the judge's refresh after it records or severs windows). */
export async function writeDerivedStates(sql: Sql, nodes: readonly NodeWrite[], now: Date) {
  if (nodes.length) await sql.query(Prisma.sql`WITH ${nodeCte(nodes, now)} SELECT 1`, { prepared: true });
}

/**
 * Create the schedules no one defined yet and bring agent-inferred ones up to date; a definition
 * from the TSM server (collector) or from staff is never overwritten by an inference. Nothing is
 * written when nothing changed: every agent of the fleet shares these rows, and a write would
 * hold a row lock the next agent waits for. Returns the id of every wanted schedule by name.
 */
export async function writeSchedules(sql: Sql, wanted: ReadonlyMap<string, ScheduleFacts>, known: readonly StoredSchedule[], now: Date) {
  const stored = new Map(known.map((s) => [s.name, s]));
  const unknown = [...wanted.keys()].filter((name) => !stored.has(name));
  if (unknown.length) for (const s of await schedulesNamed(sql, unknown)) stored.set(s.name, s);
  const ids = new Map<string, string>();
  const create = [...wanted].filter(([name]) => !stored.has(name));
  const update = [...wanted].filter(([name, facts]) => {
    const s = stored.get(name);
    return s?.source === "agent" && !sameFacts(s, facts);
  });
  if (create.length) {
    const made = await sql.query<{ id: string; name: string }>(Prisma.sql`
      INSERT INTO "Schedule" (id, server, name, action, source, "startTime", "durationMinutes", "periodMinutes", "dayOfWeek")
      SELECT gen_random_uuid(), '', name, 'Incremental', 'agent', "startTime", "durationMinutes", "periodMinutes", "dayOfWeek"
        FROM unnest(${create.map(([n]) => n)}::text[], ${create.map(([, f]) => f.startTime)}::text[],
                    ${create.map(([, f]) => f.durationMinutes)}::int[], ${create.map(([, f]) => f.periodMinutes)}::int[],
                    ${create.map(([, f]) => f.dayOfWeek)}::text[]) AS s(name, "startTime", "durationMinutes", "periodMinutes", "dayOfWeek")
      ON CONFLICT (server, name) DO NOTHING
      RETURNING id, name`);
    for (const s of made) ids.set(s.name, s.id);
    // Another agent made one of them a moment ago: use its row.
    const raced = create.map(([name]) => name).filter((name) => !ids.has(name));
    if (raced.length) for (const s of await schedulesNamed(sql, raced)) stored.set(s.name, s);
  }
  if (update.length) {
    await sql.query(Prisma.sql`
      UPDATE "Schedule" s
         SET "startTime" = x."startTime", "durationMinutes" = x."durationMinutes", "periodMinutes" = x."periodMinutes",
             "dayOfWeek" = x."dayOfWeek", "updatedAt" = ${now.toISOString()}::timestamptz
        FROM unnest(${update.map(([n]) => stored.get(n)?.id as string)}::uuid[], ${update.map(([, f]) => f.startTime)}::text[],
                    ${update.map(([, f]) => f.durationMinutes)}::int[], ${update.map(([, f]) => f.periodMinutes)}::int[],
                    ${update.map(([, f]) => f.dayOfWeek)}::text[]) AS x(id, "startTime", "durationMinutes", "periodMinutes", "dayOfWeek")
       WHERE s.id = x.id AND s.source = 'agent'`);
  }
  for (const [name, s] of stored) if (!ids.has(name)) ids.set(name, s.id);
  return ids;
}
