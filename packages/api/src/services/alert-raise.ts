import type { Diagnosis } from "@fleetwatch/core/diagnosis";
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

/**
 * Alerts follow flags (raised and cleared with them) and every failed or missed night. One alert
 * per dedupe key: a flag raised again reopens its alert instead of adding another.
 */
export async function raiseAlerts(
  tx: Tx,
  args: { raised: FlagChange[]; cleared: FlagChange[]; since: Date; now: Date; channels: AlertChannels },
) {
  let opened = 0;
  for (const f of args.raised) {
    const id = await openAlert(tx, {
      dedupeKey: `flag:${f.nodeId}:${f.kind}`,
      nodeId: f.nodeId,
      kind: `flag:${f.kind}`,
      severity: flagSeverity[f.kind] ?? "warning",
      title: `${f.nodeName}: ${f.kind.replaceAll("-", " ")}`,
      body: f.detail,
      raisedAt: args.now,
    });
    await queueDeliveries(tx, id, args.channels);
    opened++;
  }
  for (const f of args.cleared) {
    await tx.alert.updateMany({ where: { dedupeKey: `flag:${f.nodeId}:${f.kind}`, clearedAt: null }, data: { clearedAt: args.now } });
  }
  const bad = await tx.window.findMany({
    where: {
      updatedAt: { gt: args.since },
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
  for (const w of bad) {
    const outcome = fromOutcome(w.outcome).toUpperCase();
    const diagnosis = w.diagnosis as Diagnosis | null;
    const id = await openAlert(tx, {
      dedupeKey: `window:${w.id}`,
      nodeId: w.node.id,
      kind: `window:${fromOutcome(w.outcome)}`,
      severity: "warning",
      title: `${w.node.name}: ${outcome} ${w.schedule} on ${w.localStart.replace("T", " ")}`,
      body: [`Cause: ${w.cause ?? "unknown"}.`, ...(diagnosis?.remedy ?? []).map((s, i) => `${i + 1}. ${s}`)].join("\n"),
      raisedAt: args.now,
    });
    await queueDeliveries(tx, id, args.channels);
    opened++;
  }
  return opened;
}

async function openAlert(
  tx: Tx,
  a: { dedupeKey: string; nodeId: string; kind: string; severity: string; title: string; body: string; raisedAt: Date },
): Promise<string> {
  const row = await tx.alert.upsert({
    where: { dedupeKey: a.dedupeKey },
    create: a,
    update: { title: a.title, body: a.body, severity: a.severity, clearedAt: null },
    select: { id: true },
  });
  return row.id;
}

/** Webhooks go out per alert; e-mail goes once a day as the digest (jobs/deliver.ts). */
async function queueDeliveries(tx: Tx, alertId: string, channels: AlertChannels) {
  if (!channels.webhook.url) return;
  await tx.alertDelivery.createMany({ skipDuplicates: true, data: [{ alertId, channel: "webhook", target: channels.webhook.url }] });
}
