import {
  type ActiveIncident,
  type AlertChange,
  type AlertCondition,
  type AlertEventKind,
  type AlertSeverity,
  activeConditions,
  alertCondition,
  clearedReasons,
  findIncidents,
  type IncidentCandidate,
  isPushed,
  type KnownAlert,
  type NodeAlertFacts,
  planAlerts,
} from "@fleetwatch/core/alerts";
import { suspicion } from "@fleetwatch/core/diagnosis";
import type { DuplicateSuspect } from "@fleetwatch/core/fleet";
import type { NodePolicy } from "@fleetwatch/core/profiles";
import { suspiciousReasonWords } from "@fleetwatch/core/words";
import { list, texts } from "@fleetwatch/db/sql";
import type { Tx } from "../../context";
import type { AlertChannels } from "../admin/settings";
import type { StandingNode } from "../judge/flags";

export interface AlertReport {
  opened: number;
  updated: number;
  reopened: number;
  resolved: number;
}

/** One row per alert event the run makes: what the history and the webhooks are built from. */
interface EventRow {
  alertId: string;
  kind: AlertEventKind;
  detail: string;
  push: boolean;
}

/**
 * Bring the alerts in line with the conditions true now: one live alert per node and condition
 * (core/alerts), opened, grown, re-opened or resolved as the evidence says, each change written to
 * the alert's history, and a webhook queued for the events staff must hear about at once.
 */
export async function reconcileAlerts(
  tx: Tx,
  args: {
    standing: readonly StandingNode[];
    suspects?: readonly DuplicateSuspect[];
    inMaintenance?: ReadonlySet<string>;
    policies?: ReadonlyMap<string, NodePolicy>;
    now: Date;
    channels: AlertChannels;
  },
): Promise<AlertReport> {
  const pairs = new Map<string, NonNullable<NodeAlertFacts["duplicate"]>>();
  for (const s of args.suspects ?? []) {
    const role = (id: string) => (s.deadNodeId === null ? "unknown" : s.deadNodeId === id ? "dead" : "live");
    pairs.set(s.nodeIds[0], { otherName: s.names[1], role: role(s.nodeIds[0]) });
    pairs.set(s.nodeIds[1], { otherName: s.names[0], role: role(s.nodeIds[1]) });
  }
  const suspicious = await suspiciousNewest(tx, args.standing);
  const excused = await excusedNights(tx, args.now);
  const known = await knownAlerts(tx);
  const changes: { nodeId: string; change: AlertChange }[] = [];
  const candidates: IncidentCandidate[] = [];
  for (const node of args.standing) {
    const facts: NodeAlertFacts = {
      name: node.name,
      os: node.os,
      flags: node.flags,
      history: node.history,
      suspicious: suspicious.get(node.id) ?? null,
      excusedAt: excused.get(node.id) ?? null,
      duplicate: pairs.get(node.id) ?? null,
      contact: node.contact,
      policy: args.policies?.get(node.id),
      now: args.now,
    };
    const active = activeConditions(facts);
    const backup = active.find((c) => c.condition === "backup");
    if (backup?.newest) {
      candidates.push({
        nodeId: node.id,
        name: node.name,
        server: node.server,
        ...backup.newest,
        severity: backup.severity,
        since: backup.since,
      });
    }
    const plan = planAlerts(known.get(node.id) ?? [], active, args.now, clearedReasons(facts));
    // Inside maintenance nothing new alerts; what was open goes on, and clears as usual.
    const quiet = args.inMaintenance?.has(node.id) ?? false;
    for (const change of plan) {
      if (quiet && (change.kind === "open" || (change.kind === "update" && change.events.includes("reopened")))) continue;
      changes.push({ nodeId: node.id, change });
    }
  }
  // A node taken out of service is off every check: its live alerts are resolved.
  const inService = new Set(args.standing.map((n) => n.id));
  for (const [nodeId, alerts] of known) {
    if (inService.has(nodeId)) continue;
    for (const a of alerts)
      if (a.state !== "resolved") changes.push({ nodeId, change: { kind: "resolve", id: a.id, reason: "the node was deregistered" } });
  }
  const sizes = new Map<string, number>();
  for (const n of args.standing) sizes.set(n.server, (sizes.get(n.server) ?? 0) + 1);
  const incidents = findIncidents(candidates, sizes);
  // A node in an incident is told once, by the incident: its own alert is kept but not pushed.
  const inIncident = new Set(incidents.flatMap((i) => i.members.map((m) => m.nodeId)));
  const report = await applyChanges(tx, changes, { ...args, inIncident });
  await applyIncidents(tx, incidents, args);
  return report;
}

/**
 * One alert per incident (kind incident, no node), opened, kept up to date and resolved as the
 * grouping holds; each member's "not backed up" alert points to it.
 */
async function applyIncidents(tx: Tx, incidents: readonly ActiveIncident[], args: { now: Date; channels: AlertChannels }) {
  const live = await tx.alert.findMany({
    where: { kind: "incident", state: { not: "resolved" } },
    select: { id: true, dedupeKey: true, severity: true },
  });
  const activeKeys = new Set(incidents.map((i) => i.key));
  const events: EventRow[] = [];
  for (const i of incidents) {
    const fields = {
      title: i.title,
      body: i.body,
      severity: i.severity,
      occurrences: i.members.length,
      since: i.since,
      updatedAt: args.now,
    };
    const existing = await tx.alert.findUnique({ where: { dedupeKey: i.key }, select: { id: true, state: true } });
    let id: string;
    if (!existing) {
      ({ id } = await tx.alert.create({
        data: { dedupeKey: i.key, kind: "incident", state: "open", raisedAt: args.now, ...fields },
        select: { id: true },
      }));
      events.push({ alertId: id, kind: "opened", detail: i.title, push: isPushed(i.severity) });
    } else {
      id = existing.id;
      const reopen = existing.state === "resolved";
      await tx.alert.update({
        where: { id },
        data: { ...fields, ...(reopen ? { state: "open", resolvedAt: null, resolvedBy: null, resolvedReason: null } : {}) },
      });
      if (reopen) events.push({ alertId: id, kind: "reopened", detail: i.title, push: isPushed(i.severity) });
    }
    await tx.alert.updateMany({ where: { dedupeKey: { in: i.members.map((m) => `backup:${m.nodeId}`) } }, data: { incidentId: id } });
  }
  for (const a of live) {
    if (activeKeys.has(a.dedupeKey)) continue;
    const reason = "its nodes have backed up again, or too few of them share the cause";
    await tx.alert.update({
      where: { id: a.id },
      data: { state: "resolved", resolvedAt: args.now, resolvedReason: reason, updatedAt: args.now },
    });
    events.push({ alertId: a.id, kind: "resolved", detail: reason, push: isPushed(a.severity as AlertSeverity) });
  }
  await recordEvents(tx, events, args);
}

async function applyChanges(
  tx: Tx,
  changes: readonly { nodeId: string; change: AlertChange }[],
  args: { now: Date; channels: AlertChannels; inIncident: ReadonlySet<string> },
): Promise<AlertReport> {
  const quiet = (nodeId: string, condition: string) => condition === "backup" && args.inIncident.has(nodeId);
  const events: EventRow[] = [];
  const opens = changes.flatMap(({ nodeId, change }) => (change.kind === "open" ? [{ nodeId, c: change.condition }] : []));
  const updates = changes.flatMap(({ nodeId, change }) => (change.kind === "update" ? [{ ...change, nodeId }] : []));
  const resolves = changes.flatMap(({ change }) => (change.kind === "resolve" ? [change] : []));

  if (opens.length) {
    // A problem back after the re-open horizon gets a new alert: the old one gives up the live key.
    await tx.$executeRaw`
      UPDATE "Alert" SET "dedupeKey" = "dedupeKey" || ':' || id
       WHERE "dedupeKey" = ANY(${texts(opens.map((o) => `${o.c.condition}:${o.nodeId}`))}::text[])`;
    const col = (pick: (o: (typeof opens)[number]) => string) => texts(opens.map(pick));
    const inserted = await tx.$queryRaw<{ id: string; severity: AlertSeverity; title: string; nodeId: string; kind: string }[]>`
      INSERT INTO "Alert" (id, "dedupeKey", "nodeId", kind, severity, state, title, body, "raisedAt", since, occurrences, "updatedAt")
      SELECT gen_random_uuid(), a.kind || ':' || a.node, a.node, a.kind, a.severity, 'open', a.title, a.body, ${args.now}, a.since, a.n, ${args.now}
        FROM unnest(${list(opens.map((o) => o.nodeId))}::uuid[], ${col((o) => o.c.condition)}::text[], ${col((o) => o.c.severity)}::text[],
                    ${col((o) => o.c.title)}::text[], ${col((o) => o.c.body)}::text[],
                    ${list(opens.map((o) => o.c.since.toISOString()))}::timestamptz[], ${list(opens.map((o) => o.c.occurrences))}::int[])
             AS a(node, kind, severity, title, body, since, n)
      RETURNING id, severity, title, "nodeId", kind`;
    for (const a of inserted) {
      events.push({ alertId: a.id, kind: "opened", detail: a.title, push: isPushed(a.severity) && !quiet(a.nodeId, a.kind) });
    }
  }

  if (updates.length) {
    const col = (pick: (u: (typeof updates)[number]) => string) => texts(updates.map(pick));
    // Re-opened, or worse than when someone acknowledged it: it needs someone again.
    // A stale node acknowledged is silenced until something changes: its ladder climbing is not a change.
    const reopen = (u: (typeof updates)[number]) =>
      u.events.includes("reopened") || (u.events.includes("escalated") && u.condition.condition !== "stale");
    await tx.$executeRaw`
      UPDATE "Alert" a
         SET severity = u.severity, title = u.title, body = u.body, since = u.since, occurrences = u.n, "updatedAt" = ${args.now},
             state = CASE WHEN u.reopen THEN 'open' ELSE a.state END,
             "acknowledgedAt" = CASE WHEN u.reopen THEN NULL ELSE a."acknowledgedAt" END,
             "acknowledgedBy" = CASE WHEN u.reopen THEN NULL ELSE a."acknowledgedBy" END,
             "acknowledgeNote" = CASE WHEN u.reopen THEN NULL ELSE a."acknowledgeNote" END,
             "resolvedAt" = CASE WHEN u.reopen THEN NULL ELSE a."resolvedAt" END,
             "resolvedBy" = CASE WHEN u.reopen THEN NULL ELSE a."resolvedBy" END,
             "resolvedReason" = CASE WHEN u.reopen THEN NULL ELSE a."resolvedReason" END
        FROM unnest(${list(updates.map((u) => u.id))}::uuid[], ${col((u) => u.condition.severity)}::text[], ${col((u) => u.condition.title)}::text[],
                    ${col((u) => u.condition.body)}::text[], ${list(updates.map((u) => u.condition.since.toISOString()))}::timestamptz[],
                    ${list(updates.map((u) => u.condition.occurrences))}::int[], ${list(updates.map(reopen))}::boolean[])
             AS u(id, severity, title, body, since, n, reopen)
       WHERE a.id = u.id`;
    for (const u of updates) {
      for (const kind of u.events) {
        const push =
          (kind === "reopened" || kind === "escalated") && isPushed(u.condition.severity) && !quiet(u.nodeId, u.condition.condition);
        events.push({ alertId: u.id, kind, detail: u.condition.title, push });
      }
    }
  }

  if (resolves.length) {
    const resolved = await tx.$queryRaw<{ id: string; severity: AlertSeverity }[]>`
      UPDATE "Alert" a SET state = 'resolved', "resolvedAt" = ${args.now}, "resolvedBy" = NULL, "resolvedReason" = r.reason, "updatedAt" = ${args.now}
        FROM unnest(${list(resolves.map((r) => r.id))}::uuid[], ${texts(resolves.map((r) => r.reason))}::text[]) AS r(id, reason)
       WHERE a.id = r.id AND a.state <> 'resolved'
      RETURNING a.id, a.severity`;
    const reasonOf = new Map(resolves.map((r) => [r.id, r.reason]));
    for (const a of resolved)
      events.push({ alertId: a.id, kind: "resolved", detail: reasonOf.get(a.id) ?? "", push: isPushed(a.severity) });
  }

  await recordEvents(tx, events, args);
  return {
    opened: opens.length,
    updated: updates.filter((u) => !u.events.includes("reopened")).length,
    reopened: updates.filter((u) => u.events.includes("reopened")).length,
    resolved: resolves.length,
  };
}

/** Write the events to the alerts' history and queue a webhook for each one that is pushed. */
export async function recordEvents(
  tx: Tx,
  events: readonly EventRow[],
  args: { now: Date; channels: AlertChannels; actor?: string | null },
) {
  if (!events.length) return;
  const rows = await tx.$queryRaw<{ id: string; alertId: string }[]>`
    INSERT INTO "AlertEvent" (id, "alertId", at, kind, actor, detail)
    SELECT gen_random_uuid(), e.alert, ${args.now}, e.kind, ${args.actor ?? null}, e.detail
      FROM unnest(${list(events.map((e) => e.alertId))}::uuid[], ${texts(events.map((e) => e.kind))}::text[], ${texts(events.map((e) => e.detail))}::text[])
           AS e(alert, kind, detail)
    RETURNING id, "alertId"`;
  const url = args.channels.webhook.url;
  // Webhooks go out per event; e-mail goes once a day as the digest (jobs/deliver.ts).
  const pushed = rows.filter((_, i) => events[i]?.push);
  if (!url || !pushed.length) return;
  await tx.$executeRaw`
    INSERT INTO "AlertDelivery" (id, "alertId", "eventId", channel, target, "nextAttemptAt")
    SELECT gen_random_uuid(), e.alert, e.id, 'webhook', ${url}, ${args.now}
      FROM unnest(${list(pushed.map((e) => e.alertId))}::uuid[], ${list(pushed.map((e) => e.id))}::uuid[]) AS e(alert, id)
    ON CONFLICT DO NOTHING`;
}

/** Each node's newest bad night of the last two weeks that a maintenance window excused. */
async function excusedNights(tx: Tx, now: Date): Promise<Map<string, Date>> {
  const rows = await tx.$queryRaw<{ nodeId: string; at: Date }[]>`
    SELECT "nodeId", max("scheduledStart") AS at FROM "Window"
     WHERE "maintenanceId" IS NOT NULL AND "scheduledStart" >= ${new Date(now.getTime() - 14 * 86_400_000)}
     GROUP BY "nodeId"`;
  return new Map(rows.map((r) => [r.nodeId, r.at]));
}

/** Each node's newest alert per condition (the one holding the live key), any state. */
async function knownAlerts(tx: Tx): Promise<Map<string, KnownAlert[]>> {
  const rows = await tx.$queryRaw<(Omit<KnownAlert, "condition"> & { nodeId: string; kind: string; raisedAt: Date })[]>`
    SELECT id, "nodeId", kind, state, severity, coalesce(since, "raisedAt") AS since, occurrences, title, body, "resolvedAt", "resolvedBy", "raisedAt"
      FROM "Alert"
     WHERE "nodeId" IS NOT NULL AND kind = ANY(${texts(alertCondition.options)}::text[]) AND "dedupeKey" = kind || ':' || "nodeId"`;
  const out = new Map<string, KnownAlert[]>();
  for (const r of rows) {
    const a: KnownAlert = { ...r, condition: r.kind as AlertCondition };
    out.set(r.nodeId, [...(out.get(r.nodeId) ?? []), a]);
  }
  return out;
}

/**
 * The newest completed run of each node whose newest completed run the judge found suspicious,
 * with its words: read only for those nodes (the history says which).
 */
async function suspiciousNewest(tx: Tx, standing: readonly StandingNode[]): Promise<Map<string, NodeAlertFacts["suspicious"]>> {
  const ids = standing.filter((n) => newestCompleted(n)?.suspicious).map((n) => n.id);
  if (!ids.length) return new Map();
  const rows = await tx.$queryRaw<{ nodeId: string; suspicion: unknown }[]>`
    SELECT DISTINCT ON ("nodeId") "nodeId", suspicion
      FROM "Window"
     WHERE "nodeId" = ANY(${list(ids)}::uuid[]) AND outcome = 'completed'
     ORDER BY "nodeId", "scheduledStart" DESC`;
  const byNode = new Map(standing.map((n) => [n.id, n]));
  const out = new Map<string, NodeAlertFacts["suspicious"]>();
  for (const r of rows) {
    const verdict = suspicion.safeParse(r.suspicion);
    const window = byNode.get(r.nodeId) && newestCompleted(byNode.get(r.nodeId) as StandingNode);
    if (!verdict.success || !window) continue;
    out.set(r.nodeId, {
      window,
      text: verdict.data.text,
      summary: verdict.data.reasons.map((reason) => suspiciousReasonWords[reason]).join(" and "),
    });
  }
  return out;
}

function newestCompleted(n: StandingNode) {
  return [...n.history].filter((w) => w.outcome === "completed").sort((a, b) => b.scheduledStart.getTime() - a.scheduledStart.getTime())[0];
}
