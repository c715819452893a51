import { outcomeOfServerStatus } from "@fleetwatch/core/collector";
import { type Diagnosis, diagnoseFailure, type OsFamily, osFamily } from "@fleetwatch/core/diagnosis";
import type { ServerEvent, ServerRecordsAck, ServerRecordsBatch } from "@fleetwatch/core/schemas";
import { localToUtc, type StoredScheduleFacts, storableSchedule } from "@fleetwatch/core/windows";
import type { Db, Tx } from "../../context";
import { getSiteSettings } from "../admin/settings";
import { duplicateSuspects } from "../fleet/duplicates";
import { diagnoseMissedWindows } from "../judge/diagnose-missed";
import { refreshDerivedStates } from "./ingest";

/**
 * The TSM server's own records, as the collector read them with dsmadmc: the truth about locks,
 * password dates, registrations and schedules, and the server's verdict on nodes no agent
 * watches. One transaction; a resend of the same records changes no row.
 */
export async function ingestServerRecords(
  db: Db,
  { agentId, batch, now }: { agentId: string; batch: ServerRecordsBatch; now: Date },
): Promise<ServerRecordsAck> {
  return db.$transaction(
    async (tx) => {
      await tx.agent.update({ where: { id: agentId }, data: { lastSeenAt: now } });
      const { nodes, newNodes } = await upsertNodes(tx, batch, now);
      const { stored, skipped } = await upsertSchedules(tx, batch);
      const associations = await linkSchedules(tx, batch, stored);
      const { changed, nodeIds, missedIds } = await applyServerEvents(tx, batch, now);
      await refreshDerivedStates(tx, nodeIds, now);
      if (missedIds.length) {
        // Diagnosed now, from the evidence around each night, as the judge does its own MISSED.
        const suspects = await duplicateSuspects(tx);
        await diagnoseMissedWindows(tx, { windowIds: missedIds, suspects, settings: await getSiteSettings(tx), now });
      }
      return { nodes, newNodes, schedules: stored.size, associations, events: changed, skippedSchedules: skipped };
    },
    { timeout: 120_000 },
  );
}

const at = (local: string | null, offset: number) => (local ? localToUtc(local, offset) : null);

/** PLATFORM_NAME as the OS word agents report (core's osFamily reads both); the agent's own report wins. */
const PLATFORM_OS: Partial<Record<OsFamily, string>> = { windows: "win32", "windows-xp": "win32", mac: "darwin", linux: "linux" };
const osOfPlatform = (platform: string | null) => (platform ? (PLATFORM_OS[osFamily(platform)] ?? platform.toLowerCase()) : null);

async function upsertNodes(tx: Tx, batch: ServerRecordsBatch, now: Date) {
  const rows = batch.nodes;
  if (!rows.length) return { nodes: 0, newNodes: 0 };
  const o = batch.utcOffsetMinutes;
  const col = <T>(f: (n: (typeof rows)[number]) => T) => rows.map(f);
  const written = await tx.$queryRaw<{ inserted: boolean }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${col((n) => n.name)}::text[], ${col((n) => n.locked)}::bool[],
        ${col((n) => at(n.passwordSetAt, o))}::timestamptz[],
        ${col((n) => n.passwordExpiryDays ?? batch.passwordExpiryDays)}::int[],
        ${col((n) => at(n.lastAccessAt, o))}::timestamptz[], ${col((n) => at(n.registeredAt, o))}::timestamptz[],
        ${col((n) => n.contact)}::text[], ${col((n) => n.email)}::text[], ${col((n) => n.platform)}::text[],
        ${col((n) => osOfPlatform(n.platform))}::text[], ${col((n) => n.clientVersion)}::text[],
        ${col((n) => n.tcpName)}::text[], ${col((n) => n.tcpAddress)}::text[], ${col((n) => n.guid)}::text[],
        ${col((n) => n.domain)}::text[]
      ) AS t(name, locked, "passwordSetAt", "passwordExpiryDays", "lastAccessAt", "registeredAt", contact, email,
             platform, os, "clientVersion", "tcpName", "tcpAddress", guid, "policyDomain")
    )
    INSERT INTO "Node" (id, name, server, locked, "passwordSetAt", "passwordExpiryDays", "lastAccessAt", "registeredAt",
                        contact, email, platform, os, "clientVersion", "tcpName", "tcpAddress", guid, "policyDomain",
                        "lastContactAt", "serverRecordAt", "updatedAt")
    SELECT gen_random_uuid(), name, ${batch.server}, locked, "passwordSetAt", "passwordExpiryDays", "lastAccessAt",
           "registeredAt", contact, email, platform, os, "clientVersion", "tcpName", "tcpAddress", guid, "policyDomain",
           "lastAccessAt", ${now}, ${now}
      FROM input
    ON CONFLICT (server, name) DO UPDATE
       SET locked = EXCLUDED.locked, "passwordSetAt" = EXCLUDED."passwordSetAt",
           "passwordExpiryDays" = EXCLUDED."passwordExpiryDays", "lastAccessAt" = EXCLUDED."lastAccessAt",
           "registeredAt" = EXCLUDED."registeredAt", contact = EXCLUDED.contact, email = EXCLUDED.email,
           platform = EXCLUDED.platform, os = COALESCE("Node".os, EXCLUDED.os), "clientVersion" = EXCLUDED."clientVersion",
           "tcpName" = EXCLUDED."tcpName", "tcpAddress" = EXCLUDED."tcpAddress", guid = EXCLUDED.guid,
           "policyDomain" = EXCLUDED."policyDomain",
           -- A server access is contact: a node the server saw yesterday is not stale.
           "lastContactAt" = GREATEST("Node"."lastContactAt", EXCLUDED."lastAccessAt"),
           "serverRecordAt" = ${now}, "updatedAt" = ${now}
     WHERE ("Node".locked, "Node"."passwordSetAt", "Node"."passwordExpiryDays", "Node"."lastAccessAt", "Node"."registeredAt",
            "Node".contact, "Node".email, "Node".platform, "Node"."clientVersion", "Node"."tcpName", "Node"."tcpAddress",
            "Node".guid, "Node"."policyDomain")
           IS DISTINCT FROM
           (EXCLUDED.locked, EXCLUDED."passwordSetAt", EXCLUDED."passwordExpiryDays", EXCLUDED."lastAccessAt",
            EXCLUDED."registeredAt", EXCLUDED.contact, EXCLUDED.email, EXCLUDED.platform, EXCLUDED."clientVersion",
            EXCLUDED."tcpName", EXCLUDED."tcpAddress", EXCLUDED.guid, EXCLUDED."policyDomain")
    RETURNING (xmax = 0) AS inserted`;
  return { nodes: rows.length, newNodes: written.filter((w) => w.inserted).length };
}

/**
 * The server's schedule definitions replace what agents inferred; a schedule staff set by hand
 * stays theirs. Names are unique per policy domain on the server but windows only carry the name,
 * so a second definition under a name already taken is reported, not merged.
 */
async function upsertSchedules(tx: Tx, batch: ServerRecordsBatch) {
  const stored = new Map<string, StoredScheduleFacts & { action: string | null }>();
  const domainOf = new Map<string, string>();
  const skipped: { name: string; reason: string }[] = [];
  for (const s of batch.schedules) {
    const name = s.definition.name;
    const first = domainOf.get(name);
    if (first !== undefined) {
      skipped.push({ name, reason: `also defined in policy domain ${first}; windows name only the schedule` });
      continue;
    }
    const storable = storableSchedule(s.definition);
    if (!storable.ok) {
      skipped.push({ name, reason: storable.reason });
      continue;
    }
    domainOf.set(name, s.domain);
    stored.set(name, { ...storable.facts, action: s.action });
  }
  if (stored.size) {
    const list = [...stored];
    await tx.$executeRaw`
      INSERT INTO "Schedule" (id, server, name, action, source, "startTime", "durationMinutes", "periodMinutes", "dayOfWeek", "updatedAt")
      SELECT gen_random_uuid(), ${batch.server}, name, action, 'collector', "startTime", duration, period, "dayOfWeek", now()
        FROM unnest(${list.map(([n]) => n)}::text[], ${list.map(([, f]) => f.action)}::text[],
                    ${list.map(([, f]) => f.startTime)}::text[], ${list.map(([, f]) => f.durationMinutes)}::int[],
                    ${list.map(([, f]) => f.periodMinutes)}::int[], ${list.map(([, f]) => f.dayOfWeek)}::text[])
             AS t(name, action, "startTime", duration, period, "dayOfWeek")
      ON CONFLICT (server, name) DO UPDATE
         SET action = EXCLUDED.action, source = 'collector', "startTime" = EXCLUDED."startTime",
             "durationMinutes" = EXCLUDED."durationMinutes", "periodMinutes" = EXCLUDED."periodMinutes",
             "dayOfWeek" = EXCLUDED."dayOfWeek", "updatedAt" = now()
       WHERE "Schedule".source <> 'staff'
         AND ("Schedule".source, "Schedule".action, "Schedule"."startTime", "Schedule"."durationMinutes",
              "Schedule"."periodMinutes", "Schedule"."dayOfWeek")
             IS DISTINCT FROM
             ('collector'::"ScheduleSource", EXCLUDED.action, EXCLUDED."startTime", EXCLUDED."durationMinutes",
              EXCLUDED."periodMinutes", EXCLUDED."dayOfWeek")`;
  }
  return { stored, skipped };
}

/**
 * ASSOCIATIONS is the whole truth for the nodes the server listed: links it no longer has are
 * removed, new ones added. Links an agent inferred from its own log are left alone.
 */
async function linkSchedules(tx: Tx, batch: ServerRecordsBatch, stored: ReadonlyMap<string, unknown>) {
  const listed = batch.nodes.map((n) => n.name);
  const pairs = batch.associations.filter((a) => stored.has(a.schedule));
  const nodes = pairs.map((a) => a.node);
  const schedules = pairs.map((a) => a.schedule);
  await tx.$executeRaw`
    DELETE FROM "NodeSchedule" ns
     USING "Node" n, "Schedule" s
     WHERE ns."nodeId" = n.id AND ns."scheduleId" = s.id AND ns.source = 'collector'
       AND n.server = ${batch.server} AND n.name = ANY(${listed}::text[])
       AND (n.name, s.name) NOT IN (SELECT * FROM unnest(${nodes}::text[], ${schedules}::text[]))`;
  if (!pairs.length) return 0;
  await tx.$executeRaw`
    INSERT INTO "NodeSchedule" ("nodeId", "scheduleId", source)
    SELECT n.id, s.id, 'collector'
      FROM unnest(${nodes}::text[], ${schedules}::text[]) AS p(node, schedule)
      JOIN "Node" n ON n.server = ${batch.server} AND n.name = p.node
      JOIN "Schedule" s ON s.server = ${batch.server} AND s.name = p.schedule
    ON CONFLICT ("nodeId", "scheduleId") DO UPDATE SET source = 'collector' WHERE "NodeSchedule".source = 'agent'`;
  return pairs.length;
}

/** The server's words for a window, as evidence beside the diagnosis. */
const serverLine = (e: ServerEvent) =>
  `TSM server event: ${e.status}${e.result === null ? "" : ` (result ${e.result})`}${e.reason ? `: ${e.reason}` : ""}`;

function serverDiagnosis(e: ServerEvent, outcome: string, os: string | null, offset: number): Diagnosis | null {
  if (outcome === "missed" || outcome === "completed" || outcome === "in-progress") return null;
  const d = diagnoseFailure(
    { status: outcome as "failed" | "severed", cause: null, causes: [], messages: [], stats: null, benign: false, returnCode: e.result },
    { os, utcOffsetMinutes: offset },
  );
  if (!d) return null;
  return { ...d, evidence: [{ kind: "node", at: localToUtc(e.scheduledStart, offset).toISOString(), text: serverLine(e) }, ...d.evidence] };
}

/**
 * The server's verdict fills every window no agent reported (nodes without an agent, an agent
 * that was down) and corrects the judge's own MISSED or an agent's run left in progress. An
 * agent's finished report is never overwritten: it carries the log's messages and figures.
 * A server MISSED is diagnosed afterwards from the evidence around it, as the judge's own are.
 */
async function applyServerEvents(tx: Tx, batch: ServerRecordsBatch, now: Date) {
  const o = batch.utcOffsetMinutes;
  const rows = batch.events.flatMap((e) => {
    const outcome = outcomeOfServerStatus(e.status);
    return outcome ? [{ e, outcome }] : [];
  });
  const none = { changed: 0, nodeIds: [] as string[], missedIds: [] as string[] };
  if (!rows.length) return none;
  const known = await tx.node.findMany({
    where: { server: batch.server, name: { in: [...new Set(rows.map((r) => r.e.node))] } },
    select: { id: true, name: true, os: true },
  });
  const byName = new Map(known.map((n) => [n.name, n]));
  const writes = rows.flatMap(({ e, outcome }) => {
    const node = byName.get(e.node);
    if (!node) return [];
    const diagnosis = serverDiagnosis(e, outcome, node.os, o);
    return [{ e, outcome, node, diagnosis }];
  });
  if (!writes.length) return none;
  const col = <T>(f: (w: (typeof writes)[number]) => T) => writes.map(f);
  const changed = await tx.$queryRaw<{ id: string; nodeId: string; missed: boolean }[]>`
    INSERT INTO "Window" (id, "nodeId", schedule, "scheduledStart", "localStart", outcome, "returnCode", "startedAt", "endedAt",
                          causes, cause, benign, diagnosis, source, "judgedAt", "updatedAt")
    SELECT gen_random_uuid(), "nodeId", schedule, "scheduledStart", "localStart", outcome::"WindowOutcome", "returnCode",
           "startedAt", "endedAt", CASE WHEN cause IS NULL THEN '{}'::text[] ELSE ARRAY[cause] END, cause, false, diagnosis,
           'collector', ${now}, ${now}
      FROM unnest(${col((w) => w.node.id)}::uuid[], ${col((w) => w.e.schedule)}::text[],
                  ${col((w) => localToUtc(w.e.scheduledStart, o))}::timestamptz[], ${col((w) => w.e.scheduledStart)}::text[],
                  ${col((w) => w.outcome)}::text[], ${col((w) => w.e.result)}::int[],
                  ${col((w) => at(w.e.actualStart, o))}::timestamptz[], ${col((w) => at(w.e.completed, o))}::timestamptz[],
                  ${col((w) => w.diagnosis?.cause ?? null)}::text[],
                  ${col((w) => (w.diagnosis ? JSON.stringify(w.diagnosis) : null))}::jsonb[])
           AS t("nodeId", schedule, "scheduledStart", "localStart", outcome, "returnCode", "startedAt", "endedAt", cause, diagnosis)
    ON CONFLICT ("nodeId", schedule, "scheduledStart") DO UPDATE
       SET outcome = EXCLUDED.outcome, "returnCode" = EXCLUDED."returnCode", "startedAt" = EXCLUDED."startedAt",
           "endedAt" = EXCLUDED."endedAt", causes = EXCLUDED.causes, cause = EXCLUDED.cause, benign = false,
           diagnosis = EXCLUDED.diagnosis, source = 'collector', "judgedAt" = EXCLUDED."judgedAt", "updatedAt" = EXCLUDED."updatedAt"
     WHERE ("Window".source <> 'agent' OR "Window".outcome = 'in-progress')
       AND ("Window".outcome, "Window"."returnCode", "Window"."startedAt", "Window"."endedAt")
           IS DISTINCT FROM (EXCLUDED.outcome, EXCLUDED."returnCode", EXCLUDED."startedAt", EXCLUDED."endedAt")
    RETURNING id, "nodeId", outcome = 'missed' AS missed`;
  return {
    changed: changed.length,
    nodeIds: [...new Set(changed.map((c) => c.nodeId))],
    missedIds: changed.filter((c) => c.missed).map((c) => c.id),
  };
}
