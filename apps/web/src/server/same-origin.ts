/**
 * Cross-site request refusal: a state-changing request (POST, PUT, PATCH, DELETE) to the API or to
 * next-auth whose Origin (or, without one, Referer) is not this site's is refused, whatever
 * cookies it carries. Requests with neither header are not from a browser's page (agents over
 * undici, scripts) and pass: a browser always sends Origin on a cross-origin POST. Bearer-token
 * calls pass too: no cookie rides on them, and a page elsewhere cannot add the header without a
 * CORS preflight, which this site never grants. OAuth callbacks (`/api/auth/callback/<provider>`
 * but credentials) come from the identity provider by design; next-auth checks their state.
 */
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function crossSiteRefusal(req: { method: string; url: string; headers: Headers }, siteUrl: string | undefined): string | null {
  if (!STATE_CHANGING.has(req.method.toUpperCase())) return null;
  const url = new URL(req.url);
  if (!guarded(url.pathname)) return null;
  if (/^Bearer\s/i.test(req.headers.get("authorization") ?? "")) return null;
  const origin = req.headers.get("origin");
  const from = origin ?? refererOrigin(req.headers.get("referer"));
  if (from === null) return null;
  if (siteOrigins(req.headers, url, siteUrl).has(from)) return null;
  return `cross-site request refused: ${origin !== null ? "Origin" : "Referer"} ${JSON.stringify(from.slice(0, 100))} is not this site`;
}

function guarded(pathname: string): boolean {
  if (pathname.startsWith("/api/trpc/")) return true;
  if (!pathname.startsWith("/api/auth/")) return false;
  const callback = pathname.match(/^\/api\/auth\/callback\/([^/]+)/);
  return !callback || callback[1] === "credentials";
}

/** The Referer's origin; "null" for one that is not a URL (refused like a foreign one). */
function refererOrigin(referer: string | null): string | null {
  if (referer === null) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return "null";
  }
}

/** NEXTAUTH_URL's origin, and the origin this request was addressed to (its Host, its scheme). */
function siteOrigins(headers: Headers, url: URL, siteUrl: string | undefined): Set<string> {
  const origins = new Set<string>();
  if (siteUrl) {
    try {
      origins.add(new URL(siteUrl).origin);
    } catch {
      // next-auth refuses a bad NEXTAUTH_URL itself
    }
  }
  const host = headers.get("host");
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  if (host) origins.add(`${proto}://${host}`.toLowerCase());
  return origins;
}

/** The refusal as tRPC answers a FORBIDDEN call (superjson's wire form): 403, one line. */
export function refusalResponse(message: string, headers: Record<string, string>): Response {
  const body = { error: { json: { message, code: -32003, data: { code: "FORBIDDEN", httpStatus: 403 } } } };
  return Response.json(body, { status: 403, headers });
}
