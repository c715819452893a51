import { handleApiV1 } from "@fleetwatch/api/server";

/**
 * The HTTP API for scripts and integrations (packages/api/src/http): API keys only, never the
 * browser's session, so no cookie rides on it and the proxy's same-origin check is not needed here.
 */
function handler(request: Request) {
  return handleApiV1(request);
}

export { handler as DELETE, handler as GET, handler as PATCH, handler as POST, handler as PUT };
