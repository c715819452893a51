import { getDb } from "@fleetwatch/db/client";
import { badgeResponse } from "./badges";
import { metricsResponse } from "./metrics";

/**
 * Plain-HTTP entry points for the web app's route handlers (no tRPC, no session): the process's
 * one Prisma client, so apps never import the database package.
 */
export function serveMetrics(request: Request, clientAddress: string | null): Promise<Response> {
  return metricsResponse(getDb(), {
    authorization: request.headers.get("authorization"),
    clientAddress,
    env: process.env,
    now: new Date(),
  });
}

/** GET /badge/<token>.svg or .json. */
export function serveBadge(file: string): Promise<Response> {
  return badgeResponse(getDb(), { file, now: new Date() });
}
