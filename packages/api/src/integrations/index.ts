import { serverConfig } from "../config/server-config";
import { processDb } from "../process-db";
import { badgeResponse } from "./badges";
import { metricsResponse } from "./metrics";

/**
 * Plain-HTTP entry points for the web app's route handlers (no tRPC, no session): the process's
 * one Prisma client, so apps never import the database package.
 */
export function serveMetrics(request: Request, clientAddress: string | null): Promise<Response> {
  return metricsResponse(processDb(), {
    authorization: request.headers.get("authorization"),
    clientAddress,
    config: serverConfig(),
    now: new Date(),
  });
}

/** GET /badge/<token>.svg or .json. */
export function serveBadge(file: string): Promise<Response> {
  return badgeResponse(processDb(), { file, now: new Date() });
}
