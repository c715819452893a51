import { randomUUID } from "node:crypto";
import { type DemoNight, type DemoNode, generateDemoFleet } from "@fleetwatch/core/demo";
import type { Db } from "@fleetwatch/db/client";
import { refreshDerivedStates } from "../src/services/ingest/ingest";
import type { PgPool } from "./setup";

// A fleet's history, bulk-loaded for the judge: this is the bench's set-up, not the measured
// path, so it writes straight SQL. The demo fleet decides every node's nights (the same habits
// `pnpm start` shows: healthy nodes, open files, sleepy laptops, a locked node, duplicate pairs
// whose dead twin only misses); PostgreSQL expands them into windows, messages and heartbeats
// with generate_series. Derived node state then comes from the real refreshDerivedStates.

const DAY = 86_400_000;

/** One character per night: what happened, and enough to rebuild the window. */
const CODE: Record<string, string> = {
  completed: "C",
  "completed-failed-objects": "c",
  "files-changed": "f",
  "invalid-domain": "d",
  "out-of-memory": "o",
  "corrupt-files": "x",
  "sign-off-only": "s",
  "node-locked": "l",
  severed: "S",
  aborted: "A",
  missed: "M",
  "in-progress": "P",
};

function code(night: DemoNight): string {
  switch (night.kind) {
    case "completed":
      return night.failedObjects > 0 ? "c" : "C";
    case "failed":
      return CODE[night.reason] as string;
    default:
      return CODE[night.kind] as string;
  }
}

export interface LoadedFleet {
  nodes: number;
  windows: number;
  messages: number;
  heartbeats: number;
  /** When each night's windows open: night n of the history (0-based) opens at day0 + n days + the node's start hour. */
  day0: number;
  nights: number;
  /** The night after the history, per node: its character (or "-" where the node was gone). */
  tonight: Map<string, string>;
}

/**
 * Load `nodes` nodes with `nights` nights of history ending on `lastNight`, every node judged up to
 * `cursor` (its judgedThrough). The fleet is generated with one more night, kept back as `tonight`.
 */
export async function loadHistory(
  db: Db,
  pg: PgPool,
  opts: { nodes: number; nights: number; lastNight: string; cursor: Date; lastBeat: Date; log: (line: string) => void },
): Promise<LoadedFleet> {
  const fleet = generateDemoFleet({ nodes: opts.nodes, nights: opts.nights + 1, lastNight: nextDay(opts.lastNight) });
  const day0 = Date.parse(`${opts.lastNight}T00:00:00Z`) - (opts.nights - 1) * DAY;
  const rows = fleet.map((node) => ({ node, id: randomUUID(), pattern: patternOf(node) }));
  const tonight = new Map(rows.map((r) => [r.id, r.pattern.slice(-1)]));

  await pg.query(`CREATE TEMP TABLE IF NOT EXISTS bench_fleet (id uuid, name text, machine uuid, machine_id text, hostname text, os text,
                    mac text, contact text, schedule text, start_hour int, pattern text, ordinal int)`);
  await pg.query("TRUNCATE bench_fleet");
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await pg.query(
      `INSERT INTO bench_fleet SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                                                  $8::text[], $9::text[], $10::int[], $11::text[], $12::int[])`,
      [
        chunk.map((r) => r.id),
        chunk.map((r) => r.node.name),
        chunk.map(() => randomUUID()),
        chunk.map((r) => r.node.machineId),
        chunk.map((r) => r.node.hostname),
        chunk.map((r) => r.node.os),
        chunk.map((r) => r.node.macAddresses[0] ?? null),
        chunk.map((r) => r.node.contact),
        chunk.map((r) => r.node.schedule),
        chunk.map((r) => r.node.startHour),
        chunk.map((r) => r.pattern.slice(0, -1)),
        chunk.map((_, j) => i + j),
      ],
    );
  }
  const at = (sql: string) => `(timestamptz '${new Date(day0).toISOString()}' + ${sql})`;
  await pg.query(`
    INSERT INTO "Machine" (id, "machineId", hostname, os, "macAddresses", "clientVersion", "lastSeenAt", "createdAt")
    SELECT machine, machine_id, hostname, os, ARRAY[mac], '8.1.23', ${at(`interval '${opts.nights} days'`)}, ${at("interval '0 days'")} FROM bench_fleet;
    INSERT INTO "Schedule" (id, server, name, action, "startTime", "durationMinutes", "periodMinutes", "dayOfWeek", source, "createdAt", "updatedAt")
    SELECT gen_random_uuid(), '', schedule, 'Incremental', lpad(min(start_hour)::text, 2, '0') || ':00:00', 60, 1440, 'ANY', 'agent',
           ${at("interval '0 days'")}, ${at("interval '0 days'")}
      FROM bench_fleet GROUP BY schedule;
    INSERT INTO "Node" (id, name, "machineRef", contact, os, "utcOffsetMinutes", "judgedThrough", "createdAt", "updatedAt")
    SELECT id, name, machine, contact, os, 0, '${opts.cursor.toISOString()}',
           ${at("(strpos(pattern, regexp_replace(pattern, '^-*', '')) - 1) * interval '1 day'")}, ${at(`interval '${opts.nights} days'`)}
      FROM bench_fleet;
    INSERT INTO "NodeSchedule" ("nodeId", "scheduleId", source, "createdAt")
    SELECT f.id, s.id, 'agent', ${at("interval '0 days'")} FROM bench_fleet f JOIN "Schedule" s ON s.server = '' AND s.name = f.schedule;
    INSERT INTO "Agent" (id, "machineRef", name, "tokenHash", "createdAt", "lastSeenAt")
    SELECT gen_random_uuid(), machine, hostname, md5(machine::text), ${at("interval '0 days'")}, ${at(`interval '${opts.nights} days'`)} FROM bench_fleet;
  `);

  // The bulk of it: secondary indexes are built after the rows (a sorted build is far faster
  // than maintaining them row by row), foreign keys are not re-checked (the rows are made right).
  const { rows: indexes } = await pg.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('Window', 'EventMessage', 'Heartbeat')
        AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
  );
  for (const i of indexes) await pg.query(`DROP INDEX "${i.indexname}"`);
  let started = performance.now();
  await pg.query("SET session_replication_role = replica");
  const windows = await pg.query(WINDOWS_SQL, [new Date(day0).toISOString(), opts.nights]);
  opts.log(`loaded ${fmt(windows.rowCount ?? 0)} windows in ${seconds(started)} s`);
  started = performance.now();
  const messages = await pg.query(MESSAGES_SQL);
  const beats = await pg.query(HEARTBEATS_SQL, [opts.lastBeat.toISOString(), false]);
  await pg.query("SET session_replication_role = DEFAULT");
  for (const i of indexes) await pg.query(i.indexdef);
  opts.log(
    `loaded ${fmt(messages.rowCount ?? 0)} messages, ${fmt(beats.rowCount ?? 0)} heartbeats, built indexes in ${seconds(started)} s`,
  );

  started = performance.now();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 2000) await db.$transaction((tx) => refreshDerivedStates(tx, ids.slice(i, i + 2000), opts.lastBeat));
  await pg.query(`
    UPDATE "Node" n SET "lastHeartbeatAt" = h.last, "lastContactAt" = greatest(h.last, n."lastEventAt")
      FROM (SELECT "nodeId", max(at) AS last FROM "Heartbeat" GROUP BY "nodeId") h WHERE h."nodeId" = n.id;
    UPDATE "Node" SET "lastContactAt" = "lastEventAt" WHERE "lastContactAt" IS NULL;
  `);
  await pg.query("VACUUM ANALYZE");
  opts.log(`derived node state, vacuumed and analyzed in ${seconds(started)} s`);
  return {
    nodes: rows.length,
    windows: windows.rowCount ?? 0,
    messages: messages.rowCount ?? 0,
    heartbeats: beats.rowCount ?? 0,
    day0,
    nights: opts.nights,
    tonight,
  };
}

/**
 * The night after the history: every node whose demo night is not a miss reports it (as its
 * agent would by morning); the judge is left to find the misses. Returns the nodes that reported.
 */
export async function loadTonight(db: Db, pg: PgPool, fleet: LoadedFleet, lastBeat: Date): Promise<number> {
  const ids = [...fleet.tonight].filter(([, c]) => c !== "M" && c !== "-").map(([id]) => id);
  await pg.query(
    `UPDATE bench_fleet SET pattern = repeat('-', $1::int) || t.c FROM unnest($2::uuid[], $3::text[]) AS t(id, c) WHERE bench_fleet.id = t.id`,
    [fleet.nights, ids, ids.map((id) => fleet.tonight.get(id))],
  );
  await pg.query("DELETE FROM bench_fleet WHERE NOT (id = ANY($1::uuid[]))", [ids]);
  await pg.query(WINDOWS_SQL, [new Date(fleet.day0).toISOString(), fleet.nights + 1]);
  await pg.query(
    `INSERT INTO "EventMessage" ("windowId", ordinal, code, severity, at, text, cause)
     SELECT w.id, m.ordinal, m.code, right(m.code, 1), w."startedAt" + m.ordinal * interval '1 second', m.code || ': bench', m.cause
       FROM "Window" w JOIN (${MESSAGE_CODES}) AS m(outcome, rc, wcause, ordinal, code, cause)
         ON m.outcome = w.outcome::text AND m.rc IS NOT DISTINCT FROM w."returnCode" AND m.wcause IS NOT DISTINCT FROM w.cause
      WHERE w."scheduledStart" >= $1`,
    [new Date(fleet.day0 + fleet.nights * DAY).toISOString()],
  );
  await pg.query(HEARTBEATS_SQL, [lastBeat.toISOString(), true]);
  for (let i = 0; i < ids.length; i += 2000) await db.$transaction((tx) => refreshDerivedStates(tx, ids.slice(i, i + 2000), lastBeat));
  await pg.query(`UPDATE "Node" SET "lastHeartbeatAt" = $2, "lastContactAt" = $2 WHERE id = ANY($1::uuid[])`, [
    ids,
    lastBeat.toISOString(),
  ]);
  return ids.length;
}

function patternOf(node: DemoNode): string {
  return node.nights.map((night, n) => (n < node.activeFrom ? "-" : code(night))).join("");
}

/**
 * Night n of a node: the character at n; its window opens at day0 + n days + start hour (UTC
 * offset 0). Window ids ascend in the order the rows are made, so the primary key only appends.
 */
const WINDOWS_SQL = `
  INSERT INTO "Window" (id, "nodeId", schedule, "scheduledStart", "localStart", outcome, "returnCode", "startedAt", "endedAt",
                        "objectsInspected", "objectsBackedUp", "objectsFailed", "bytesTransferred", "elapsedSeconds", stats,
                        causes, cause, benign, source, "judgedAt", diagnosis, "createdAt", "updatedAt")
  SELECT (lpad(to_hex(f.ordinal), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, f.id, f.schedule, w.start, to_char(w.start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
         o.outcome::"WindowOutcome", o.rc,
         CASE WHEN o.outcome = 'missed' THEN NULL ELSE w.start + w.seed * interval '1 second' END,
         CASE WHEN o.outcome IN ('completed', 'failed') THEN w.start + (w.seed + 120 + w.seed % 997) * interval '1 second' END,
         CASE WHEN o.stats THEN 20000 + w.seed * 211 END, CASE WHEN o.stats THEN 10 + w.seed % 90 END,
         CASE WHEN o.stats THEN CASE WHEN o.ch = 'c' THEN 2 WHEN o.ch IN ('f', 'x') THEN 1 ELSE 0 END END,
         CASE WHEN o.stats THEN 10000000 + w.seed * 1000 END, CASE WHEN o.stats THEN 120 + w.seed % 997 END,
         CASE WHEN o.stats THEN jsonb_build_object('inspected', 20000 + w.seed * 211, 'backedUp', 10 + w.seed % 90, 'updated', 0,
                                                   'rebound', 0, 'deleted', 0, 'expired', w.seed % 5, 'failed', 0,
                                                   'bytesTransferred', 10000000 + w.seed * 1000, 'elapsedSeconds', 120 + w.seed % 997) END,
         CASE WHEN o.cause IS NULL THEN '{}'::text[] ELSE ARRAY[o.cause] END, o.cause, o.ch = 's',
         CASE WHEN o.outcome = 'missed' THEN 'judge' ELSE 'agent' END,
         CASE WHEN o.outcome = 'missed' THEN w.start + interval '90 minutes' END,
         CASE WHEN o.cause IS NOT NULL AND o.ch <> 's'
              THEN jsonb_build_object('cause', o.cause, 'evidence', '[]'::jsonb, 'remedy', jsonb_build_array('Run a manual backup.')) END,
         w.start + interval '90 minutes', w.start + interval '90 minutes'
    FROM bench_fleet f
    CROSS JOIN LATERAL generate_series(1, length(f.pattern)) AS n
    CROSS JOIN LATERAL (SELECT substr(f.pattern, n, 1) AS ch) c
    CROSS JOIN LATERAL (SELECT $1::timestamptz + (n - 1) * interval '1 day' + f.start_hour * interval '1 hour' AS start,
                               (n * 7919 + length(f.name) * 104729) % 600 AS seed) w
    JOIN (VALUES ('C', 'completed', 0, NULL, true), ('c', 'completed', 4, NULL, true), ('f', 'failed', 12, 'files-changed', true),
                 ('d', 'failed', 12, 'invalid-domain', true), ('o', 'failed', 12, 'out-of-memory', true),
                 ('x', 'failed', 12, 'corrupt-files', true), ('s', 'failed', 12, 'sign-off-only', true),
                 ('l', 'failed', 12, 'node-locked', false), ('S', 'severed', NULL, 'communication-lost', false),
                 ('A', 'aborted', NULL, 'aborted', false), ('M', 'missed', NULL, 'machine-off', false),
                 ('P', 'in-progress', NULL, NULL, false)) AS o(ch, outcome, rc, cause, stats) ON o.ch = c.ch
   WHERE n <= $2`;

/** The client's messages of each kind of night (the demo log writer's). */
const MESSAGE_CODES = `VALUES
  ('completed', 4, NULL, 0, 'ANS4005E', NULL), ('completed', 4, NULL, 1, 'ANS4005E', NULL),
  ('failed', 12, 'files-changed', 0, 'ANS1228E', 'files-changed'), ('failed', 12, 'files-changed', 1, 'ANS4037E', 'files-changed'),
  ('failed', 12, 'files-changed', 2, 'ANS1802E', NULL), ('failed', 12, 'invalid-domain', 0, 'ANS1071E', 'invalid-domain'),
  ('failed', 12, 'out-of-memory', 0, 'ANS1030E', 'out-of-memory'), ('failed', 12, 'corrupt-files', 0, 'ANS4046E', 'corrupt-files'),
  ('failed', 12, 'node-locked', 0, 'ANS1361E', 'node-locked'), ('failed', 12, 'sign-off-only', 0, 'ANS1512E', NULL),
  ('severed', NULL, 'communication-lost', 0, 'ANS1809W', NULL), ('severed', NULL, 'communication-lost', 1, 'ANS1811S', NULL),
  ('severed', NULL, 'communication-lost', 2, 'ANS1029E', 'communication-lost')`;

const MESSAGES_SQL = `
  INSERT INTO "EventMessage" ("windowId", ordinal, code, severity, at, text, cause)
  SELECT w.id, m.ordinal, m.code, right(m.code, 1), w."startedAt" + m.ordinal * interval '1 second', m.code || ': bench', m.cause
    FROM "Window" w JOIN (${MESSAGE_CODES}) AS m(outcome, rc, wcause, ordinal, code, cause)
      ON m.outcome = w.outcome::text AND m.rc IS NOT DISTINCT FROM w."returnCode" AND m.wcause IS NOT DISTINCT FROM w.cause`;

/**
 * An hourly heartbeat over the two days up to $1 (the agent beats more often; the judge reads the
 * beats around a window), from every node in bench_fleet ($2) or those whose machine was on for
 * the last two nights.
 */
const HEARTBEATS_SQL = `
  INSERT INTO "Heartbeat" ("nodeId", at, "bootedAt", "clockJumpSeconds", "serverReachable", "schedulerRunning", "spoolBytes", "receivedAt")
  SELECT f.id, t, $1::timestamptz - interval '20 days', 0, true, true, 0, t
    FROM bench_fleet f CROSS JOIN generate_series($1::timestamptz - interval '47 hours', $1::timestamptz, interval '1 hour') AS t
   WHERE $2::boolean OR right(f.pattern, 2) !~ '[M-]'
  ON CONFLICT DO NOTHING`;

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
const fmt = (n: number) => n.toLocaleString("en-US");
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
