import { serveMetrics } from "@fleetwatch/api/integrations";
import { clientAddress } from "~/server/client-address";

export const dynamic = "force-dynamic";

/** Prometheus' scrape target: packages/api/src/integrations/metrics.ts (allow-list, exposition). */
export function GET(request: Request) {
  return serveMetrics(request, clientAddress(request.headers));
}
