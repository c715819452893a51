import { serveMetrics } from "@fleetwatch/api/http";
import { clientAddress } from "~/server/client-address";

export const dynamic = "force-dynamic";

/** Prometheus' scrape target: packages/api/src/http/metrics.ts (allow-list, exposition). */
export function GET(request: Request) {
  return serveMetrics(request, clientAddress(request.headers));
}
