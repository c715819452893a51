import type { ServerConfig } from "../config/server-config";
import type { Db } from "../context";
import { authenticateApiKey } from "../services/admin/api-keys";
import { metricsExposition } from "../services/integrations/metrics";
import { addressAllowed } from "./metrics-access";

export interface MetricsRequest {
  authorization: string | null;
  /** The client's address as the web app reads it (apps/web/src/server/client-address.ts). */
  clientAddress: string | null;
  /** The site's settings: who may read without a key, and whether series per node are exposed. */
  config: Pick<ServerConfig, "FLEETWATCH_METRICS_ALLOW" | "FLEETWATCH_METRICS_PER_NODE">;
  now: Date;
}

const text = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

/**
 * GET /metrics: the Prometheus exposition for an address on FLEETWATCH_METRICS_ALLOW, or for any
 * API key (read-only is enough: Prometheus' `authorization` with `credentials_file`). Refusals are
 * one line of text (Prometheus shows it as the target's error).
 */
export async function metricsResponse(db: Db, req: MetricsRequest): Promise<Response> {
  const allowed = addressAllowed(req.config.FLEETWATCH_METRICS_ALLOW, req.clientAddress);
  if (req.authorization) {
    // A key that is wrong is refused even from an allowed address: a scraper with a bad key should hear so.
    if (!(await authenticateApiKey(db, req.authorization, req.now))) {
      return text(401, "metrics: the API key is unknown, revoked or expired (Authorization: Bearer fw_...)");
    }
  } else if (!allowed) {
    return text(403, `metrics: ${req.clientAddress ?? "an unknown address"} is not on FLEETWATCH_METRICS_ALLOW`);
  }
  const { contentType, body } = await metricsExposition(db, { now: req.now, perNode: req.config.FLEETWATCH_METRICS_PER_NODE });
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
