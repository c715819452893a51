import { type Diagnosis, suspicion } from "@fleetwatch/core/diagnosis";
import { causeLabel, flagLabel, suspiciousReasonWords } from "@fleetwatch/core/words";
import { Prisma } from "@fleetwatch/db/client";
import { list, texts } from "@fleetwatch/db/sql";
import type { Tx } from "../context";
import type { FlagChange } from "./flags";
import { fromOutcome } from "./ingest";
import type { AlertChannels } from "./settings";

const flagSeverity: Record<string, string> = {
  "needs-manual-backup": "critical",
  locked: "critical",
  "password-expired": "critical",
  "auth-broken": "critical",
  "repeated-misses": "warning",
  "repeated-failures": "warning",
  "at-risk": "warning",
  "config-error": "warning",
  "agent-silent": "warning",
  "password-expiring": "info",
  "duplicate-suspect": "info",
  stale: "info",
};

interface AlertRow {
  dedupeKey: string;
  nodeId: string;
  kind: string;
  severity: string;
  title: string;
  body: string;
}

/** Longer than any ingest transaction (its statements time out at 30 s). */
const LATE_COMMIT_MS = 2 * 60_000;

/**
 * Alerts follow flags (raised and cleared with them), every failed or missed night and every
 * suspicious run. One alert per dedupe key: a flag raised again reopens its alert instead of
 * adding another.
 */
export async function raiseAlerts(
  tx: Tx,
  args: { raised: FlagChange[]; cleared: FlagChange[]; refreshed?: FlagChange[]; since: Date; now: Date; channels: AlertChannels },
) {
  const flagAlerts: AlertRow[] = args.raised.map((f) => ({
    dedupeKey: `flag:${f.nodeId}:${f.kind}`,
    nodeId: f.nodeId,
    kind: `flag:${f.kind}`,
    severity: flagSeverity[f.kind] ?? "warning",
    title: `${f.nodeName}: ${flagLabel(f.kind)}`,
    body: f.detail,
  }));
  await openAlerts(tx, flagAlerts, args.now, args.channels);
  // An open flag's alert says what the flag says now ("no heartbeat for 795 minutes", not the 40 of
  // the day it was raised); no new webhook for it, the condition is the same.
  const refreshed = args.refreshed ?? [];
  if (refreshed.length) {
    await tx.$executeRaw`
      UPDATE "Alert" a SET body = r.body
        FROM unnest(${texts(refreshed.map((f) => `flag:${f.nodeId}:${f.kind}`))}::text[], ${texts(refreshed.map((f) => f.detail))}::text[])
             AS r(key, body)
       WHERE a."dedupeKey" = r.key AND a."clearedAt" IS NULL`;
  }
  if (args.cleared.length) {
    await tx.$executeRaw`
      UPDATE "Alert" SET "clearedAt" = ${args.now}
       WHERE "clearedAt" IS NULL AND "dedupeKey" = ANY(${texts(args.cleared.map((f) => `flag:${f.nodeId}:${f.kind}`))}::text[])`;
  }
  const bad = await tx.window.findMany({
    where: {
      // An ingest stamps its windows when it begins and is seen when it commits, which may be after
      // the last run looked: look back past the longest ingest. Opening an alert twice changes nothing.
      updatedAt: { gt: new Date(args.since.getTime() - LATE_COMMIT_MS) },
      outcome: { in: ["missed", "failed", "severed", "aborted"] },
      benign: false,
      node: { deregisteredAt: null },
    },
    select: {
      id: true,
      schedule: true,
      localStart: true,
      outcome: true,
      cause: true,
      diagnosis: true,
      node: { select: { id: true, name: true } },
    },
  });
  const windowAlerts: AlertRow[] = bad.map((w) => {
    const outcome = fromOutcome(w.outcome).toUpperCase();
    const diagnosis = w.diagnosis as Diagnosis | null;
    return {
      dedupeKey: `window:${w.id}`,
      nodeId: w.node.id,
      kind: `window:${fromOutcome(w.outcome)}`,
      severity: "warning",
      title: `${w.node.name}: ${outcome} ${w.schedule} on ${w.localStart.replace("T", " ")}`,
      body: [`Cause: ${causeLabel(w.cause ?? "unknown")}.`, ...(diagnosis?.remedy ?? []).map((s, i) => `${i + 1}. ${s}`)].join("\n"),
    };
  });
  await openAlerts(tx, windowAlerts, args.now, args.channels);
  const suspiciousAlerts = await suspiciousRunAlerts(tx, args.since);
  await openAlerts(tx, suspiciousAlerts, args.now, args.channels);
  return flagAlerts.length + windowAlerts.length + suspiciousAlerts.length;
}

/**
 * A completed night the judge found suspicious (judgeSuspiciousRuns, earlier in the same run): a
 * warning with its reasons in words. Same dedupe key as the window's other alerts, so a night that
 * later fails takes the failure's kind.
 */
async function suspiciousRunAlerts(tx: Tx, since: Date): Promise<AlertRow[]> {
  const windows = await tx.window.findMany({
    where: {
      updatedAt: { gt: new Date(since.getTime() - LATE_COMMIT_MS) },
      outcome: "completed",
      suspicion: { not: Prisma.DbNull },
      node: { deregisteredAt: null },
    },
    select: { id: true, schedule: true, localStart: true, suspicion: true, node: { select: { id: true, name: true } } },
  });
  return windows.flatMap((w) => {
    const verdict = suspicion.safeParse(w.suspicion);
    if (!verdict.success) return [];
    return [
      {
        dedupeKey: `window:${w.id}`,
        nodeId: w.node.id,
        kind: "window:suspicious",
        severity: "warning",
        title: `${w.node.name}: suspicious run ${w.schedule} on ${w.localStart.replace("T", " ")}`,
        body: [
          `Completed, but ${verdict.data.reasons.map((r) => suspiciousReasonWords[r]).join(" and ")}: a silent failure?`,
          ...verdict.data.text.map((t) => `- ${t}`),
        ].join("\n"),
      },
    ];
  });
}

/**
 * Open (or reopen, with fresh words) one alert per row, and queue its webhook: one statement each
 * however many alerts a run raises.
 */
async function openAlerts(tx: Tx, rows: readonly AlertRow[], raisedAt: Date, channels: AlertChannels) {
  if (!rows.length) return;
  const col = (pick: (a: AlertRow) => string) => texts(rows.map(pick));
  const opened = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Alert" (id, "dedupeKey", "nodeId", kind, severity, title, body, "raisedAt")
    SELECT gen_random_uuid(), a.key, a.node, a.kind, a.severity, a.title, a.body, ${raisedAt}
      FROM unnest(${col((a) => a.dedupeKey)}::text[], ${list(rows.map((a) => a.nodeId))}::uuid[], ${col((a) => a.kind)}::text[],
                  ${col((a) => a.severity)}::text[], ${col((a) => a.title)}::text[], ${col((a) => a.body)}::text[])
           AS a(key, node, kind, severity, title, body)
    ON CONFLICT ("dedupeKey") DO UPDATE SET kind = EXCLUDED.kind, title = EXCLUDED.title, body = EXCLUDED.body, severity = EXCLUDED.severity, "clearedAt" = NULL
    RETURNING id`;
  // Webhooks go out per alert; e-mail goes once a day as the digest (jobs/deliver.ts).
  if (!channels.webhook.url || !opened.length) return;
  await tx.$executeRaw`
    INSERT INTO "AlertDelivery" (id, "alertId", channel, target)
    SELECT gen_random_uuid(), a.id, 'webhook', ${channels.webhook.url} FROM unnest(${list(opened.map((a) => a.id))}::uuid[]) AS a(id)
    ON CONFLICT DO NOTHING`;
}
