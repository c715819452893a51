import type { Db } from "../context";
import { metricsExposition } from "../services/metrics";
import { addressAllowed, MetricsConfigError, parseAllowList } from "./metrics-access";

export interface MetricsRequest {
  authorization: string | null;
  /** The client's address as the web app reads it (apps/web/src/server/client-address.ts). */
  clientAddress: string | null;
  env: Record<string, string | undefined>;
  now: Date;
}

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * GET /metrics: the Prometheus exposition for an address on FLEETWATCH_METRICS_ALLOW. Refusals
 * are one line of text (Prometheus shows it as the target's error).
 */
export async function metricsResponse(db: Db, req: MetricsRequest): Promise<Response> {
  let allowed: boolean;
  try {
    allowed = addressAllowed(parseAllowList(req.env.FLEETWATCH_METRICS_ALLOW), req.clientAddress);
  } catch (error) {
    if (error instanceof MetricsConfigError) return text(500, error.message);
    throw error;
  }
  if (req.authorization) {
    return text(401, "metrics: API keys are not available yet; reach /metrics from an address on FLEETWATCH_METRICS_ALLOW");
  }
  if (!allowed) {
    return text(403, `metrics: ${req.clientAddress ?? "an unknown address"} is not on FLEETWATCH_METRICS_ALLOW`);
  }
  const { contentType, body } = await metricsExposition(db, { now: req.now, perNode: req.env.FLEETWATCH_METRICS_PER_NODE !== "0" });
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
