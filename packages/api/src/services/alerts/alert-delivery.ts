import { createHmac } from "node:crypto";
import type { Db } from "../../context";
import {
  type AttemptResult,
  type ClaimedDelivery,
  claimDue,
  type DeliveryReport,
  defaultRetryPolicy,
  eachLimited,
  emptyReport,
  type RetryPolicy,
  settle,
  tally,
} from "./alert-delivery-queue";

export const SIGNATURE_HEADER = "X-Fleetwatch-Signature";
export const TIMESTAMP_HEADER = "X-Fleetwatch-Timestamp";
export const DELIVERY_HEADER = "X-Fleetwatch-Delivery";

export interface WebhookOptions {
  now: Date;
  /** Injected for tests and for a custom dispatcher; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** The HMAC key; FLEETWATCH_WEBHOOK_SECRET when not given. */
  /** FLEETWATCH_WEBHOOK_SECRET; null sends nothing (never unsigned). */
  secret: string | null;
  /** The deadline for one request, answer included. */
  timeoutMs?: number;
  /** Requests in flight at once: a slow endpoint holds one slot, never the whole run. */
  concurrency?: number;
  /** Deliveries taken per run; the rest wait for the next minute. */
  limit?: number;
  policy?: RetryPolicy;
}

/**
 * What a webhook receiver gets: what happened (`event`: opened, reopened, escalated, resolved), the
 * alert as it stands, and `sentAt` so the signature also covers the time. `version` changes when a
 * field changes meaning or goes away.
 */
export interface WebhookPayload {
  version: 2;
  event: { id: string; kind: string; at: string; detail: string | null };
  id: string;
  /** The condition: backup, locked, password... (core/alerts). */
  kind: string;
  severity: string;
  state: string;
  title: string;
  body: string;
  node: { id: string; name: string } | null;
  since: string | null;
  occurrences: number;
  raisedAt: string;
  resolvedAt: string | null;
  sentAt: string;
}

/**
 * Send every due pending webhook delivery: JSON, signed (HMAC-SHA256 over the raw body), with a
 * deadline per request; 2xx is delivered, a 4xx other than 408/429 fails at once, anything else
 * is retried with backoff (or when Retry-After says) until the policy gives up.
 */
export async function deliverPending(db: Db, opts: WebhookOptions): Promise<DeliveryReport> {
  const report = emptyReport();
  const policy = opts.policy ?? defaultRetryPolicy;
  const secret = opts.secret;
  if (!secret) {
    // A receiver cannot tell an unsigned alert from a forged one, so none is sent. Failing the
    // rows (not leaving them pending) puts the reason in front of staff on the alerts page.
    const { count } = await db.alertDelivery.updateMany({
      where: { channel: "webhook", status: "pending", nextAttemptAt: { lte: opts.now } },
      data: { status: "failed", lastError: "not sent: FLEETWATCH_WEBHOOK_SECRET is not set, and webhooks are never sent unsigned" },
    });
    return { ...report, failed: count };
  }

  const claimed = await claimDue(db, { channel: "webhook", now: opts.now, limit: opts.limit ?? 200, policy });
  if (claimed.length === 0) return report;
  const alerts = await db.alert.findMany({
    where: { id: { in: [...new Set(claimed.map((d) => d.alertId))] } },
    select: {
      id: true,
      kind: true,
      severity: true,
      state: true,
      title: true,
      body: true,
      since: true,
      occurrences: true,
      raisedAt: true,
      resolvedAt: true,
      node: { select: { id: true, name: true } },
    },
  });
  const events = await db.alertEvent.findMany({
    where: { id: { in: [...new Set(claimed.map((d) => d.eventId))] } },
    select: { id: true, kind: true, at: true, detail: true },
  });
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const eventById = new Map(events.map((e) => [e.id, e]));
  const send = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;

  await eachLimited(claimed, opts.concurrency ?? 8, async (d: ClaimedDelivery) => {
    const alert = byId.get(d.alertId);
    const event = eventById.get(d.eventId);
    let result: AttemptResult;
    if (!alert || !event) {
      result = { ok: false, permanent: true, error: "the alert no longer exists" };
    } else {
      const payload: WebhookPayload = {
        version: 2,
        event: { id: event.id, kind: event.kind, at: event.at.toISOString(), detail: event.detail },
        ...alert,
        since: alert.since?.toISOString() ?? null,
        raisedAt: alert.raisedAt.toISOString(),
        resolvedAt: alert.resolvedAt?.toISOString() ?? null,
        sentAt: opts.now.toISOString(),
      };
      result = await postSigned(send, d, JSON.stringify(payload), { secret, now: opts.now, timeoutMs });
    }
    tally(report, await settle(db, d, result, opts.now, policy));
  });
  return report;
}

/** `sha256=<hex>` of the HMAC-SHA256 of the exact bytes sent, as receivers recompute it. */
export function signBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}

async function postSigned(
  send: typeof fetch,
  d: ClaimedDelivery,
  body: string,
  args: { secret: string; now: Date; timeoutMs: number },
): Promise<AttemptResult> {
  let res: Response;
  try {
    res = await send(d.target, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "Fleetwatch-Webhook/1",
        [SIGNATURE_HEADER]: signBody(args.secret, body),
        [TIMESTAMP_HEADER]: String(Math.floor(args.now.getTime() / 1000)),
        // Receivers de-duplicate on it: a retry after a lost 2xx carries the same id.
        [DELIVERY_HEADER]: d.id,
      },
      body,
      // A redirected POST would be re-sent elsewhere (or turned into a GET): the URL needs fixing.
      redirect: "manual",
      signal: AbortSignal.timeout(args.timeoutMs),
    });
  } catch (error) {
    return { ok: false, permanent: false, error: requestError(error, args.timeoutMs) };
  }
  if (res.status >= 200 && res.status < 300) {
    // Free the connection without reading a body nobody needs.
    await res.body?.cancel().catch(() => {});
    return { ok: true };
  }
  const text = await res.text().catch(() => "");
  const error = `HTTP ${res.status}${text ? `: ${text}` : ""}`;
  if (res.status >= 300 && res.status < 400) {
    return {
      ok: false,
      permanent: true,
      error: `${error} (redirected to ${res.headers.get("location") ?? "?"}; redirects are not followed)`,
    };
  }
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
  return { ok: false, permanent: !retryable, error, retryAfterMs: retryAfterMs(res.headers.get("retry-after"), args.now) };
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 10.2.3). */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function requestError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${timeoutMs} ms`;
  // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND...) in `cause`.
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return detail ? `${message}: ${detail}` : message;
}
