import { type ServerConfig, serverConfig } from "../config/server-config";
import type { Db } from "../context";
import { deliverPending } from "../services/alerts/alert-delivery";
import { type DeliveryReport, emptyReport } from "../services/alerts/alert-delivery-queue";
import { deliverDigestEmails, type QueuedDigest, queueDailyDigest } from "../services/alerts/digest";

export interface DeliveriesReport {
  /** The digest recorded by this run, if it was the one to record today's. */
  digest: QueuedDigest | null;
  webhook: DeliveryReport;
  email: DeliveryReport;
  /** One line per part that threw; the other parts still ran. */
  errors: string[];
  ms: number;
}

export interface DeliveriesOptions {
  fetch?: typeof fetch;
  timeZone?: string;
  webhookTimeoutMs?: number;
  /** FLEETWATCH_WEBHOOK_SECRET and FLEETWATCH_SMTP_PASSWORD; default: the process's settings. */
  secrets?: Pick<ServerConfig, "FLEETWATCH_WEBHOOK_SECRET" | "FLEETWATCH_SMTP_PASSWORD">;
}

/**
 * One minute's delivery work: queue the daily digest when its hour has come, send due digest
 * mails, send due webhooks. Mail and webhooks run side by side so a stalled mail server never
 * delays a webhook (or the other way round). Safe on every replica at once: the digest is keyed
 * by date and each delivery is claimed by one sender.
 */
export async function runDeliveries(db: Db, now: Date = new Date(), opts: DeliveriesOptions = {}): Promise<DeliveriesReport> {
  const started = performance.now();
  const secrets = opts.secrets ?? serverConfig();
  const errors: string[] = [];
  const guard = async <T>(part: string, fallback: T, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      errors.push(`${part}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      return fallback;
    }
  };

  const [mail, webhook] = await Promise.all([
    (async () => {
      const digest = await guard("digest", null, () => queueDailyDigest(db, { now, timeZone: opts.timeZone }));
      const email = await guard("email", emptyReport(), () =>
        deliverDigestEmails(db, { now, smtpPassword: secrets.FLEETWATCH_SMTP_PASSWORD }),
      );
      return { digest, email };
    })(),
    guard("webhook", emptyReport(), () =>
      deliverPending(db, { now, fetch: opts.fetch, timeoutMs: opts.webhookTimeoutMs, secret: secrets.FLEETWATCH_WEBHOOK_SECRET }),
    ),
  ]);
  return { ...mail, webhook, errors, ms: Math.round(performance.now() - started) };
}

/** A log line when the run did anything worth a line, else null (the job runs every minute). */
export function describeDeliveries(r: DeliveriesReport): string | null {
  const parts: string[] = [];
  if (r.digest)
    parts.push(
      `digest ${r.digest.date} to ${r.digest.recipients} (${r.digest.checked} nodes checked${r.digest.allFine ? ", all fine" : ""}), ${r.digest.ownerReports} owner reports`,
    );
  for (const [name, rep] of [
    ["email", r.email],
    ["webhook", r.webhook],
  ] as const) {
    if (rep.attempted > 0 || rep.failed > 0)
      parts.push(`${name} ${rep.delivered} delivered, ${rep.retrying} retrying, ${rep.failed} failed`);
  }
  parts.push(...r.errors.map((e) => `failed: ${e}`));
  return parts.length > 0 ? `deliveries: ${parts.join("; ")}` : null;
}
